"""Record every change to searchable content in the outbox, in the same transaction.

A change that narrows who may read something (made private, deleted,
unpublished, restricted with Wagtail privacy, an unpublished community, a page
moved under one of those) is also
sent to Elasticsearch as soon as the transaction commits, before the request
returns, instead of waiting for the worker; if the node does not answer, the
outbox row stays and the worker retries it as usual.
"""

from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from hallway.signals import content_changed

from .indexing import apply_now
from .outbox import outbox_record
from .sources import SOURCES

_DISPATCH_UID = "hallway-search-outbox"


def _record(model, pk, load) -> list[tuple[str, str]]:
    """Queue the documents a change to ``model`` row ``pk`` affects; return them."""
    label = model._meta.label
    keys: list[tuple[str, str]] = []
    for source in SOURCES.values():
        if source.model_label == label:
            outbox_record(kind=source.kind, object_ids=[pk])
            keys.append((source.kind, str(pk)))
        getter = source.triggers.get(label)
        instance = load() if getter is not None else None
        if instance is not None:
            ids = getter(instance)  # type: ignore[misc]
            outbox_record(kind=source.kind, object_ids=ids)
            keys += [(source.kind, str(i)) for i in ids]
    return keys


def _shown(label: str, row) -> frozenset[str]:
    """Who may read ``row`` in search (for a trigger row: whether its text shows)."""
    if row is None:
        return frozenset()
    shown: set[str] = set()
    for source in SOURCES.values():
        if source.model_label == label:
            shown.update(source.readers(row))
        visible = source.trigger_shown.get(label)
        if visible is not None and visible(row):
            shown.add(f"shown-in:{source.kind}")
    return frozenset(shown)


def apply_after_commit(keys: list[tuple[str, str]]) -> None:
    """Send these documents' pending changes to Elasticsearch once committed."""
    if keys:
        keys = list(keys)
        transaction.on_commit(lambda: apply_now(keys=keys), robust=True)


def on_content_pre_save(sender, instance, raw: bool = False, **kwargs: Any) -> None:
    """Remember who could read the row before this save."""
    if raw or instance.pk is None or instance._state.adding:
        return
    before = sender._default_manager.filter(pk=instance.pk).first()
    instance._search_shown_before = _shown(sender._meta.label, before)


def on_content_saved(sender, instance, raw: bool = False, **kwargs: Any) -> None:
    """A searchable row changed: queue its document, and apply it at once if
    fewer people may read it now than before."""
    keys = _record(sender, instance.pk, lambda: instance)
    before: frozenset[str] = getattr(instance, "_search_shown_before", frozenset())
    if before - _shown(sender._meta.label, instance):
        apply_after_commit(keys)


def on_content_deleted(sender, instance, **kwargs: Any) -> None:
    """A searchable row was deleted: its document goes before the request returns."""
    apply_after_commit(_record(sender, instance.pk, lambda: instance))


def on_content_changed(sender, *, model, pk, **kwargs: Any) -> None:
    """A write that bypassed ``save()`` (e.g. a score update) announced itself."""
    _record(model, pk, lambda: model._default_manager.filter(pk=pk).first())


def _subtree_keys(page: Page) -> list[tuple[str, str]]:
    """Queue every document under ``page`` (itself included): knowledge pages,
    and the questions of the communities there."""
    keys: list[tuple[str, str]] = []
    subtree = Page.objects.descendant_of(page, inclusive=True)
    for source in SOURCES.values():
        rows = source.model()._default_manager
        if issubclass(source.model(), Page):
            ids = list(rows.filter(pk__in=subtree).values_list("pk", flat=True))
        elif source.model_label == "qa.Question":
            ids = list(rows.filter(community__in=subtree).values_list("pk", flat=True))
        else:
            continue
        outbox_record(kind=source.kind, object_ids=ids)
        keys += [(source.kind, str(i)) for i in ids]
    return keys


def on_page_unpublished(sender, instance, **kwargs: Any) -> None:
    """An unpublished page (or community) hides its whole subtree, at once."""
    apply_after_commit(_subtree_keys(instance))


def on_page_published(sender, instance, **kwargs: Any) -> None:
    """A (re)published page or community shows its subtree again (via the outbox)."""
    _subtree_keys(instance)


def on_page_moved(sender, instance, **kwargs: Any) -> None:
    """A moved page (or community) and its subtree: under a restricted or
    unpublished page they leave search at once. Wagtail saves only the base
    ``Page`` row and rewrites the descendants' paths in bulk, so no other
    handler hears of it."""
    apply_after_commit(_subtree_keys(instance))


def on_view_restriction_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    """Wagtail privacy set on a page: its subtree leaves search at once."""
    if not raw:
        apply_after_commit(_subtree_keys(instance.page))


def on_view_restriction_deleted(sender, instance, **kwargs: Any) -> None:
    """Wagtail privacy lifted: the subtree comes back through the outbox."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        _subtree_keys(page)


def on_community_group_saved(sender, instance, **kwargs: Any) -> None:
    """Community leads may edit the search synonyms in the admin."""
    if instance.role != "lead":
        return
    from django.contrib.auth.models import Permission

    permission = Permission.objects.filter(
        content_type__app_label="hallway_search", codename="change_searchsettings"
    ).first()
    if permission is not None:
        instance.group.permissions.add(permission)


def connect() -> None:
    """Listen to every model that feeds the index."""
    labels = set()
    for source in SOURCES.values():
        labels.add(source.model_label)
        labels.update(source.triggers)
    for label in labels:
        model = apps.get_model(label)
        pre_save.connect(on_content_pre_save, sender=model, dispatch_uid=_DISPATCH_UID)
        post_save.connect(on_content_saved, sender=model, dispatch_uid=_DISPATCH_UID)
        post_delete.connect(
            on_content_deleted, sender=model, dispatch_uid=_DISPATCH_UID
        )
    content_changed.connect(on_content_changed, dispatch_uid=_DISPATCH_UID)
    page_published.connect(on_page_published, dispatch_uid=_DISPATCH_UID)
    page_unpublished.connect(on_page_unpublished, dispatch_uid=_DISPATCH_UID)
    post_page_move.connect(on_page_moved, dispatch_uid=_DISPATCH_UID)
    restriction = {"sender": PageViewRestriction, "dispatch_uid": _DISPATCH_UID}
    post_save.connect(on_view_restriction_saved, **restriction)
    post_delete.connect(on_view_restriction_deleted, **restriction)
    community_group = apps.get_model("communities.CommunityGroup")
    post_save.connect(
        on_community_group_saved, sender=community_group, dispatch_uid=_DISPATCH_UID
    )

"""Record every change to searchable content in the outbox, in the same transaction."""

from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from hallway.signals import content_changed

from .outbox import outbox_record
from .sources import SOURCES

_DISPATCH_UID = "hallway-search-outbox"


def _record(model, pk, load) -> None:
    """Queue the documents a change to ``model`` row ``pk`` affects."""
    label = model._meta.label
    for source in SOURCES.values():
        if source.model_label == label:
            outbox_record(kind=source.kind, object_ids=[pk])
        getter = source.triggers.get(label)
        instance = load() if getter is not None else None
        if instance is not None:
            outbox_record(kind=source.kind, object_ids=getter(instance))  # type: ignore[misc]


def on_content_saved(sender, instance, **kwargs: Any) -> None:
    """A searchable row changed (or was deleted): queue its document."""
    _record(sender, instance.pk, lambda: instance)


def on_content_changed(sender, *, model, pk, **kwargs: Any) -> None:
    """A write that bypassed ``save()`` (e.g. a score update) announced itself."""
    _record(model, pk, lambda: model._default_manager.filter(pk=pk).first())


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
        post_save.connect(on_content_saved, sender=model, dispatch_uid=_DISPATCH_UID)
        post_delete.connect(on_content_saved, sender=model, dispatch_uid=_DISPATCH_UID)
    content_changed.connect(on_content_changed, dispatch_uid=_DISPATCH_UID)
    community_group = apps.get_model("communities.CommunityGroup")
    post_save.connect(
        on_community_group_saved, sender=community_group, dispatch_uid=_DISPATCH_UID
    )

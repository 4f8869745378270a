"""Keep communities' groups in place and curated sources' change marks up to date."""

from django.apps import apps
from django.contrib.auth.models import Group
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published

from .models import CommunityGroup, CommunityPage, KnowledgeSource

# Saves that only touch counters or moderation flags are not content changes.
_CONTENT_FIELDS = {"body", "body_html", "title"}


def on_community_saved(sender, instance, created, raw=False, **kwargs):
    """A new community gets its groups, permissions and review workflow."""
    if created and not raw:
        from .services import community_setup

        community_setup(community=instance)


def on_community_published(sender, instance, **kwargs):
    """A renamed community renames its groups and workflow."""
    from .services import community_setup

    community_setup(community=instance)


def on_community_group_deleted(sender, instance, **kwargs):
    """A deleted community takes its role groups with it."""
    Group.objects.filter(pk=instance.group_id).delete()


def _on_source_saved(kind: str):
    def handler(sender, instance, created, raw=False, update_fields=None, **kwargs):
        if created or raw:
            return
        if update_fields is not None and not (_CONTENT_FIELDS & set(update_fields)):
            return
        from .services import knowledge_sources_mark_changed

        knowledge_sources_mark_changed(
            kind=kind,
            object_id=instance.pk,
            changed_at=getattr(instance, "updated_at", None),
        )

    return handler


_handlers = {}


def connect() -> None:
    """Wire the handlers."""
    post_save.connect(
        on_community_saved, sender=CommunityPage, dispatch_uid="community_setup"
    )
    page_published.connect(
        on_community_published, sender=CommunityPage, dispatch_uid="community_renamed"
    )
    post_delete.connect(
        on_community_group_deleted,
        sender=CommunityGroup,
        dispatch_uid="community_group_deleted",
    )
    for kind, label in (
        (KnowledgeSource.Kind.ANSWER, "qa.Answer"),
        (KnowledgeSource.Kind.ENTRY, "journals.Entry"),
    ):
        model = apps.get_model(label)
        _handlers[kind] = _on_source_saved(kind)
        post_save.connect(
            _handlers[kind], sender=model, dispatch_uid=f"curated_source_{kind}"
        )

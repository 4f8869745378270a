"""Keep communities' groups, permissions and workflow in place."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from hallway.signals import content_changed

from .models import CommunityGroup, CommunityPage, KnowledgePage
from .services import community_setup
from .signals import knowledge_page_published


def on_community_saved(sender, instance, created, raw=False, **kwargs):
    """A new community gets its groups, permissions and review workflow."""
    if created and not raw:
        community_setup(community=instance)


def on_community_published(sender, instance, **kwargs):
    """A renamed community renames its groups and workflow."""

    community_setup(community=instance)


def on_knowledge_page_changed(sender, instance, **kwargs):
    """A knowledge page published, unpublished or deleted: announce it inside
    the transaction (the reputation ledger re-syncs its verification and
    curation lines there)."""
    content_changed.send(sender=KnowledgePage, model=KnowledgePage, pk=instance.pk)


def on_knowledge_page_published(sender, instance, **kwargs):
    """Announce a published knowledge page (after commit, by id)."""
    on_knowledge_page_changed(sender, instance)
    page_id = instance.pk
    first = instance.first_published_at == instance.last_published_at
    transaction.on_commit(
        lambda: knowledge_page_published.send(
            sender=KnowledgePage, page_id=page_id, first=first
        )
    )


def on_community_group_deleted(sender, instance, **kwargs):
    """A deleted community takes its role groups with it."""
    Group.objects.filter(pk=instance.group_id).delete()


def connect() -> None:
    """Wire the handlers."""
    post_save.connect(
        on_community_saved, sender=CommunityPage, dispatch_uid="community_setup"
    )
    page_published.connect(
        on_community_published, sender=CommunityPage, dispatch_uid="community_renamed"
    )
    page_published.connect(
        on_knowledge_page_published,
        sender=KnowledgePage,
        dispatch_uid="knowledge_page_published",
    )
    page_unpublished.connect(
        on_knowledge_page_changed,
        sender=KnowledgePage,
        dispatch_uid="knowledge_page_unpublished",
    )
    post_delete.connect(
        on_knowledge_page_changed,
        sender=KnowledgePage,
        dispatch_uid="knowledge_page_deleted",
    )
    post_delete.connect(
        on_community_group_deleted,
        sender=CommunityGroup,
        dispatch_uid="community_group_deleted",
    )

"""Keep communities' groups, permissions and workflow in place."""

from django.contrib.auth.models import Group
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published

from .models import CommunityGroup, CommunityPage
from .services import community_setup


def on_community_saved(sender, instance, created, raw=False, **kwargs):
    """A new community gets its groups, permissions and review workflow."""
    if created and not raw:
        community_setup(community=instance)


def on_community_published(sender, instance, **kwargs):
    """A renamed community renames its groups and workflow."""

    community_setup(community=instance)


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
    post_delete.connect(
        on_community_group_deleted,
        sender=CommunityGroup,
        dispatch_uid="community_group_deleted",
    )

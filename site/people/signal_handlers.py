"""Keep every new account in the Members group, however it was created."""

from typing import Any

from django.contrib.auth.models import Group

from .models import User
from .services import MEMBERS_GROUP


def on_user_created(
    sender: type[User], instance: User, created: bool, **kwargs: Any
) -> None:
    if created:
        group, _ = Group.objects.get_or_create(name=MEMBERS_GROUP)
        instance.groups.add(group)


# -- reputation: every handler re-syncs one source (idempotent) ----------------


def on_content_changed(sender, model=None, pk=None, **kwargs: Any) -> None:
    """Q&A and knowledge pages announce writes (inside their transaction)."""
    from kb.communities.models import KnowledgePage
    from kb.qa.models import Question

    from . import ledger

    if pk is None:
        return
    if model is Question:
        ledger.question_sync(question_id=pk)
    elif model is KnowledgePage:
        ledger.page_sync(page_id=pk)


def on_reaction_changed(sender, instance, raw: bool = False, **kwargs: Any) -> None:
    """A "helpful" reaction added or withdrawn."""
    from . import ledger

    if raw or instance.kind != "helpful":
        return
    ledger.entry_sync(entry_id=instance.entry_id)


def on_entry_deleted(sender, instance, **kwargs: Any) -> None:
    from . import ledger

    ledger.entry_sync(entry_id=instance.pk)


def on_page_changed(sender, instance, **kwargs: Any) -> None:
    """A knowledge page published or unpublished."""
    from . import ledger

    ledger.page_sync(page_id=instance.pk)


def on_source_saved(sender, instance, raw: bool = False, **kwargs: Any) -> None:
    """A curated source recorded (the page may already be live)."""
    from . import ledger

    if raw:
        return
    ledger.page_sync(page_id=instance.page_id)


def connect() -> None:
    """Wire the ledger to the content apps without them knowing about us."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished

    from hallway.signals import content_changed
    from journals.models import Entry, Reaction
    from kb.communities.models import KnowledgePage, KnowledgeSource

    content_changed.connect(on_content_changed, dispatch_uid="people_ledger_content")
    post_save.connect(
        on_reaction_changed, sender=Reaction, dispatch_uid="people_ledger_reaction"
    )
    post_delete.connect(
        on_reaction_changed, sender=Reaction, dispatch_uid="people_ledger_unreact"
    )
    post_delete.connect(
        on_entry_deleted, sender=Entry, dispatch_uid="people_ledger_entry_deleted"
    )
    page_published.connect(
        on_page_changed, sender=KnowledgePage, dispatch_uid="people_ledger_published"
    )
    page_unpublished.connect(
        on_page_changed, sender=KnowledgePage, dispatch_uid="people_ledger_unpublished"
    )
    post_save.connect(
        on_source_saved, sender=KnowledgeSource, dispatch_uid="people_ledger_source"
    )
    post_delete.connect(
        on_page_changed, sender=KnowledgePage, dispatch_uid="people_ledger_page_gone"
    )

"""Keep the reputation ledger in line with the content apps' changes.

Every handler re-syncs one source; syncing is idempotent, so a handler may fire
as often as it likes.
"""

from typing import Any

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from hallway.signals import content_changed
from journals.models import Entry, Reaction
from kb.communities.models import KnowledgePage, KnowledgeSource
from kb.qa.models import Question

from . import ledger


def on_content_changed(sender, model=None, pk=None, **kwargs: Any) -> None:
    """Q&A and knowledge pages announce writes (inside their transaction)."""
    if pk is None:
        return
    if model is Question:
        ledger.question_sync(question_id=pk)
    elif model is KnowledgePage:
        ledger.page_sync(page_id=pk)


def on_reaction_changed(sender, instance, raw: bool = False, **kwargs: Any) -> None:
    """A "helpful" reaction added or withdrawn."""
    if raw or instance.kind != "helpful":
        return
    ledger.entry_sync(entry_id=instance.entry_id)


def on_entry_deleted(sender, instance, **kwargs: Any) -> None:
    ledger.entry_sync(entry_id=instance.pk)


def on_page_changed(sender, instance, **kwargs: Any) -> None:
    """A knowledge page published or unpublished."""
    ledger.page_sync(page_id=instance.pk)


def on_source_saved(sender, instance, raw: bool = False, **kwargs: Any) -> None:
    """A curated source recorded (the page may already be live)."""
    if raw:
        return
    ledger.page_sync(page_id=instance.page_id)


def connect() -> None:
    """Wire the ledger to the content apps without them knowing about us."""
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

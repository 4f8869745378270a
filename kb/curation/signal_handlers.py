"""A curated answer or journal entry was edited: its knowledge pages need review."""

from typing import Any

from django.db import transaction

from journals.signals import entry_changed
from kb.communities.models import KnowledgeSource
from kb.communities.services import knowledge_sources_mark_changed
from kb.qa.signals import post_changed


def _mark(kind: str, object_id: int) -> None:
    with transaction.atomic():
        knowledge_sources_mark_changed(kind=kind, object_id=object_id)


def on_post_changed(sender, *, kind: str, pk: int, action: str, **kwargs: Any) -> None:
    """Q&A's event: an answer's text was edited (votes and accepts are not edits)."""
    if kind == "answer" and action == "edited":
        _mark(KnowledgeSource.Kind.ANSWER, pk)


def on_entry_changed(sender, *, pk: int, action: str, **kwargs: Any) -> None:
    """Journals' event: an entry was edited by its author."""
    if action == "edited":
        _mark(KnowledgeSource.Kind.ENTRY, pk)


def connect() -> None:
    """Wire the handlers (from ``CurationConfig.ready``)."""
    post_changed.connect(on_post_changed, dispatch_uid="curation.post_changed")
    entry_changed.connect(on_entry_changed, dispatch_uid="curation.entry_changed")

"""A curated answer or journal entry changed: its knowledge pages need review."""

from typing import Any

from django.db.models.signals import post_save

from journals.models import Entry
from kb.communities.models import KnowledgeSource
from kb.communities.services import knowledge_sources_mark_changed
from kb.qa.models import Answer

# Saves that only touch counters or moderation flags are not content changes.
_CONTENT_FIELDS = {"body", "body_html", "title"}


def _on_source_saved(kind: str):
    def handler(
        sender, instance, created, raw=False, update_fields=None, **kwargs: Any
    ) -> None:
        if created or raw:
            return
        if update_fields is not None and not (_CONTENT_FIELDS & set(update_fields)):
            return
        knowledge_sources_mark_changed(
            kind=kind,
            object_id=instance.pk,
            changed_at=getattr(instance, "updated_at", None),
        )

    return handler


_handlers = {
    KnowledgeSource.Kind.ANSWER: _on_source_saved(KnowledgeSource.Kind.ANSWER),
    KnowledgeSource.Kind.ENTRY: _on_source_saved(KnowledgeSource.Kind.ENTRY),
}


def connect() -> None:
    """Wire the handlers (from ``CurationConfig.ready``)."""
    for kind, model in (
        (KnowledgeSource.Kind.ANSWER, Answer),
        (KnowledgeSource.Kind.ENTRY, Entry),
    ):
        post_save.connect(
            _handlers[kind], sender=model, dispatch_uid=f"curated_source_{kind}"
        )

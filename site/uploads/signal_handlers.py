"""Keep each post's attachment uses in step with its text (every save path)."""

from django.db.models.signals import post_delete, post_save

from journals.models import Entry
from kb.ideas.models import Idea
from kb.qa.models import Answer, Question

from .services import attachment_uses_drop, attachment_uses_sync


def _question(q: Question) -> tuple[str, int, str]:
    return "question", q.pk, f"{q.title}\n{q.body}"


def _answer(a: Answer) -> tuple[str, int, str]:
    # A reader of the question reads its answers; a deleted answer uses nothing.
    return "question", a.question_id, "" if a.is_deleted else a.body


def _entry(e: Entry) -> tuple[str, int, str]:
    return "entry", e.pk, f"{e.title}\n{e.body}"


def _idea(i: Idea) -> tuple[str, int, str]:
    return "idea", i.pk, f"{i.title}\n{i.body}"


SOURCES = {Question: _question, Answer: _answer, Entry: _entry, Idea: _idea}


def on_post_saved(sender, instance, raw=False, **kwargs) -> None:
    """A question, answer, entry or idea was saved: re-read its links."""
    if raw:
        return
    kind, object_id, text = SOURCES[sender](instance)
    attachment_uses_sync(
        source=f"{sender._meta.model_name}:{instance.pk}",
        kind=kind,
        object_id=object_id,
        text=text,
        author_id=instance.author_id,
    )


def on_post_deleted(sender, instance, **kwargs) -> None:
    """A post is gone: so are its uses."""
    attachment_uses_drop(source=f"{sender._meta.model_name}:{instance.pk}")


def connect() -> None:
    """Listen to saves and deletions of every post kind that can link files."""
    for model in SOURCES:
        post_save.connect(on_post_saved, sender=model, dispatch_uid=f"uploads-{model}")
        post_delete.connect(
            on_post_deleted, sender=model, dispatch_uid=f"uploads-del-{model}"
        )

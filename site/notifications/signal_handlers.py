"""Listen to other apps' events and hand the fan-out to background tasks."""

import logging

from django.db import transaction
from django.db.models.signals import post_save

log = logging.getLogger(__name__)


def _enqueue(task, *args) -> None:
    try:
        task.enqueue(*args)
    except Exception:  # never fail someone's post because the queue is down
        log.exception("Could not enqueue %s%r", task.name, args)


def on_post_changed(sender, *, kind, pk, question_id, action, **kwargs) -> None:
    """Q&A sends this after commit: queue the fan-out."""
    from .tasks import fanout_qa_event_task

    if action in {"created", "accepted"}:
        _enqueue(fanout_qa_event_task, kind, pk, question_id, action)


def on_entry_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """A new journal entry: fan out once its tags and transaction are committed."""
    from .tasks import fanout_entry_task

    if created and not raw:
        pk = instance.pk
        transaction.on_commit(lambda: _enqueue(fanout_entry_task, pk))


def on_entry_comment_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """A new comment on a journal entry."""
    from .tasks import fanout_entry_comment_task

    if created and not raw:
        pk = instance.pk
        transaction.on_commit(lambda: _enqueue(fanout_entry_comment_task, pk))


def connect() -> None:
    from journals.models import Entry, EntryComment
    from kb.qa.signals import post_changed

    post_changed.connect(on_post_changed, dispatch_uid="notifications.post_changed")
    post_save.connect(
        on_entry_saved, sender=Entry, dispatch_uid="notifications.entry_saved"
    )
    post_save.connect(
        on_entry_comment_saved,
        sender=EntryComment,
        dispatch_uid="notifications.entry_comment_saved",
    )

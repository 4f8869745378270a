"""Listen to other apps' events and hand the fan-out to background tasks."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from journals.models import Entry, EntryComment
from kb.ideas.signals import idea_changed
from kb.qa.signals import post_changed

from .tasks import (
    fanout_entry_comment_task,
    fanout_entry_task,
    fanout_idea_event_task,
    fanout_qa_event_task,
    recheck_entry_task,
)

log = logging.getLogger(__name__)


def _enqueue(task, *args) -> None:
    try:
        task.enqueue(*args)
    except Exception:  # never fail someone's post because the queue is down
        log.exception("Could not enqueue %s%r", task.name, args)


def on_post_changed(sender, *, kind, pk, question_id, action, **kwargs) -> None:
    """Q&A sends this after commit: queue the fan-out."""

    if action in {"created", "accepted"} or (kind, action) == ("question", "deleted"):
        _enqueue(fanout_qa_event_task, kind, pk, question_id, action)


IDEA_ACTIONS = {"status_changed", "merged", "hidden"}


def on_idea_changed(
    sender, *, kind, pk, idea_id, action, actor_id=None, **kwargs
) -> None:
    """The ideas app sends this after commit: queue the fan-out."""
    if (kind == "idea" and action in IDEA_ACTIONS) or (kind, action) == (
        "comment",
        "created",
    ):
        _enqueue(fanout_idea_event_task, kind, pk, idea_id, action, actor_id)


def on_entry_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """A new entry fans out; an edited one may have become less visible."""

    if raw:
        return
    pk = instance.pk
    follow_up = fanout_entry_task if created else recheck_entry_task
    transaction.on_commit(lambda: _enqueue(follow_up, pk))


def on_entry_deleted(sender, instance, **kwargs) -> None:
    """A deleted entry takes its notifications with it."""

    pk = instance.pk
    transaction.on_commit(lambda: _enqueue(recheck_entry_task, pk))


def on_entry_comment_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """A new comment on a journal entry."""

    if created and not raw:
        pk = instance.pk
        transaction.on_commit(lambda: _enqueue(fanout_entry_comment_task, pk))


def connect() -> None:

    post_changed.connect(on_post_changed, dispatch_uid="notifications.post_changed")
    idea_changed.connect(on_idea_changed, dispatch_uid="notifications.idea_changed")
    post_save.connect(
        on_entry_saved, sender=Entry, dispatch_uid="notifications.entry_saved"
    )
    post_delete.connect(
        on_entry_deleted, sender=Entry, dispatch_uid="notifications.entry_deleted"
    )
    post_save.connect(
        on_entry_comment_saved,
        sender=EntryComment,
        dispatch_uid="notifications.entry_comment_saved",
    )

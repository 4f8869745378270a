"""Listen to the content apps' domain events and hand the fan-out to tasks."""

import logging

from journals.signals import entry_changed, entry_comment_changed
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


def on_entry_changed(sender, *, pk, action, **kwargs) -> None:
    """Journals send this after commit: a new entry fans out; an edited or
    deleted one may have become less visible (recheck)."""
    _enqueue(fanout_entry_task if action == "created" else recheck_entry_task, pk)


def on_entry_comment_changed(sender, *, pk, action, **kwargs) -> None:
    """Journals send this after commit: a new comment on an entry fans out."""
    if action == "created":
        _enqueue(fanout_entry_comment_task, pk)


def connect() -> None:

    post_changed.connect(on_post_changed, dispatch_uid="notifications.post_changed")
    idea_changed.connect(on_idea_changed, dispatch_uid="notifications.idea_changed")
    entry_changed.connect(on_entry_changed, dispatch_uid="notifications.entry_changed")
    entry_comment_changed.connect(
        on_entry_comment_changed, dispatch_uid="notifications.entry_comment_changed"
    )

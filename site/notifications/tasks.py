"""Background work: fan-out of events, escalation, review reminders, digests."""

from django_tasks import task

from . import fanout
from .services import digest_send


@task()
def fanout_qa_event_task(kind: str, pk: int, question_id: int, action: str) -> int:
    """Notify people about one Q&A event (ids only)."""
    return fanout.qa_event_fanout(
        kind=kind, pk=pk, question_id=question_id, action=action
    )


@task()
def fanout_entry_task(entry_id: int) -> int:
    """Notify people about a new journal entry."""
    return fanout.entry_created_fanout(entry_id=entry_id)


@task()
def fanout_entry_comment_task(comment_id: int) -> int:
    """Notify people about a new comment on a journal entry."""
    return fanout.entry_comment_fanout(comment_id=comment_id)


@task()
def escalate_unanswered_task() -> int:
    """Escalate questions unanswered for 12 hours (run every few minutes)."""
    return fanout.escalate_unanswered()


@task()
def notify_due_reviews_task() -> int:
    """Remind page owners of knowledge pages due for review (run daily)."""
    return fanout.reviews_due_notify()


@task()
def send_digests_task(period: str) -> int:
    """Send the daily or weekly e-mail digests."""
    return digest_send(period=period)

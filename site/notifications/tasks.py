"""Background work: fan-out of events, and periodic escalation, reminders, digests.

Periodic tasks re-enqueue their next run (deferred) when they finish, so one
``schedule_notifications`` at start-up keeps them going while a worker runs.
"""

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django_tasks import task

from hallway.tasks import schedule_once

from . import fanout, ideas, routing
from .services import digest_send

ESCALATION_EVERY = timedelta(minutes=10)
REVIEWS_EVERY = timedelta(days=1)
DIGEST_HOUR_UTC = 7


@task()
def fanout_qa_event_task(kind: str, pk: int, question_id: int, action: str) -> int:
    """Notify people about one Q&A event (ids only)."""
    return fanout.qa_event_fanout(
        kind=kind, pk=pk, question_id=question_id, action=action
    )


@task()
def fanout_idea_event_task(
    kind: str, pk: int, idea_id: int | None, action: str, actor_id: int | None
) -> int:
    """Notify people about one idea event (ids only)."""
    return ideas.idea_event_fanout(
        kind=kind, pk=pk, idea_id=idea_id, action=action, actor_id=actor_id
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
def recheck_entry_task(entry_id: int) -> int:
    """Withdraw notifications about an entry its recipients may no longer see."""
    return fanout.entry_visibility_recheck(entry_id=entry_id)


@task()
def escalate_unanswered_task() -> int:
    """Escalate questions unanswered for 12 hours; runs again in 10 minutes."""
    try:
        return routing.escalate_unanswered()
    finally:
        schedule_next(escalate_unanswered_task, timezone.now() + ESCALATION_EVERY)


@task()
def notify_due_reviews_task() -> int:
    """Remind owners of knowledge pages due for review; runs again tomorrow."""
    try:
        return fanout.reviews_due_notify()
    finally:
        schedule_next(notify_due_reviews_task, timezone.now() + REVIEWS_EVERY)


@task()
def send_daily_digests_task() -> int:
    """Send the daily e-mail digests; runs again the next morning."""
    try:
        return digest_send(period="daily")
    finally:
        schedule_next(send_daily_digests_task, next_digest_at(period="daily"))


@task()
def send_weekly_digests_task() -> int:
    """Send the weekly e-mail digests; runs again next Monday morning."""
    try:
        return digest_send(period="weekly")
    finally:
        schedule_next(send_weekly_digests_task, next_digest_at(period="weekly"))


PERIODIC = {
    escalate_unanswered_task: lambda now: now,
    notify_due_reviews_task: lambda now: now,
    send_daily_digests_task: lambda now: next_digest_at(period="daily", now=now),
    send_weekly_digests_task: lambda now: next_digest_at(period="weekly", now=now),
}


def next_digest_at(*, period: str, now: datetime | None = None) -> datetime:
    """The next 07:00 UTC (daily) or Monday 07:00 UTC (weekly) after ``now``."""
    now = (now or timezone.now()).astimezone(UTC)
    at = now.replace(hour=DIGEST_HOUR_UTC, minute=0, second=0, microsecond=0)
    if at <= now:
        at += timedelta(days=1)
    if period == "weekly":
        at += timedelta(days=(7 - at.weekday()) % 7)
    return at


def schedule_next(periodic, run_after: datetime) -> bool:
    """Enqueue the next run unless one waits already (deferring backends only)."""
    return schedule_once(periodic, run_after)


def schedule_periodic(*, now: datetime | None = None) -> list[str]:
    """Start every periodic task that has no run waiting; returns their names."""
    now = now or timezone.now()
    return [
        periodic.name
        for periodic, first_run in PERIODIC.items()
        if schedule_next(periodic, first_run(now))
    ]

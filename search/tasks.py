"""Background work for search: draining the indexing outbox."""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult, get_date_max

from hallway.tasks import schedule_once

from .client import get_client
from .indexing import drain
from .models import OutboxEntry
from .people import PEOPLE_REFRESH, people_reindex

TIME_BUDGET = timedelta(seconds=20)


def request_drain(*, run_after: datetime | None = None) -> bool:
    """Queue a drain unless one already waits to run by then (drains coalesce)."""
    by = (run_after or timezone.now()) + timedelta(seconds=1)
    waiting = DBTaskResult.objects.filter(
        status="READY", task_path=drain_outbox_task.module_path
    ).filter(Q(run_after=get_date_max()) | Q(run_after__lte=by))
    if waiting.exists():
        return False
    if run_after is None:
        drain_outbox_task.enqueue()
    else:
        drain_outbox_task.using(run_after=run_after).enqueue()
    return True


@task()
def drain_outbox_task() -> dict:
    """Index everything due in the outbox; reschedule itself while rows wait."""
    started = timezone.now()
    indexed = deleted = failed = 0
    while timezone.now() - started < TIME_BUDGET:
        step = drain()
        indexed, deleted, failed = (
            indexed + step.indexed,
            deleted + step.deleted,
            failed + step.failed,
        )
        if step.rows == 0 or step.unavailable:
            break
    waiting = OutboxEntry.objects.pending().order_by("next_attempt_at").first()
    if waiting is not None:
        request_drain(
            run_after=max(
                waiting.next_attempt_at, timezone.now() + timedelta(seconds=1)
            )
        )
    return {"indexed": indexed, "deleted": deleted, "failed": failed}


@task()
def refresh_people_index_task() -> int:
    """Rebuild the people index, then schedule the next run (expertise changes
    slowly; a quarter-hour is fresh enough and cheap)."""
    client = get_client()
    count = people_reindex(client) if client is not None else 0
    schedule_people_refresh()
    return count


def schedule_people_refresh() -> bool:
    """Queue the next people-index refresh unless one already waits."""
    return schedule_once(refresh_people_index_task, timezone.now() + PEOPLE_REFRESH)

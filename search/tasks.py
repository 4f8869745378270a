"""Background work for search: draining the indexing outbox."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from .client import get_client
from .indexing import drain
from .models import OutboxEntry
from .people import people_reindex

TIME_BUDGET = timedelta(seconds=20)


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
        if step.rows == 0 or step.failed:
            break
    waiting = OutboxEntry.objects.pending().order_by("next_attempt_at").first()
    if waiting is not None:
        drain_outbox_task.using(
            run_after=max(
                waiting.next_attempt_at, timezone.now() + timedelta(seconds=1)
            )
        ).enqueue()
    return {"indexed": indexed, "deleted": deleted, "failed": failed}


PEOPLE_REFRESH = timedelta(minutes=15)


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
    from django_tasks_db.models import DBTaskResult

    path = refresh_people_index_task.module_path
    if DBTaskResult.objects.filter(status="READY", task_path=path).exists():
        return False
    refresh_people_index_task.using(run_after=timezone.now() + PEOPLE_REFRESH).enqueue()
    return True

"""Site-wide background tasks."""

from datetime import datetime
from typing import Any

from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult


@task()
def ping_task() -> str:
    """A no-op that proves the worker runs (used by health checks and tests)."""
    return timezone.now().isoformat()


def schedule_once(periodic: Task[Any, Any], run_after: datetime) -> bool:
    """Enqueue ``periodic`` to run at ``run_after`` unless a run of it waits
    already; ``False`` when one does, or the backend cannot defer. How each
    periodic task keeps itself going: it schedules its next run as it ends,
    and a start-up command (``schedule_notifications``...) starts it once."""
    # django-tasks-db is the configured backend (settings.TASKS), always installed.
    waiting = DBTaskResult.objects.filter(
        status="READY", task_path=periodic.module_path
    ).exists()
    if waiting or not periodic.get_backend().supports_defer:
        return False
    periodic.using(run_after=run_after).enqueue()
    return True

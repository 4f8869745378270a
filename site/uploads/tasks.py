"""Background work for uploads: the daily clean-up of files never posted."""

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from hallway.tasks import schedule_once

from .services import unused_uploads_delete

CLEAN_EVERY = timedelta(days=1)


@task()
def delete_unused_uploads_task() -> int:
    """Delete files no post ever linked, past their grace period; runs again
    tomorrow."""
    try:
        return unused_uploads_delete()
    finally:
        schedule_clean_up(run_after=timezone.now() + CLEAN_EVERY)


def schedule_clean_up(*, run_after: datetime | None = None) -> bool:
    """Queue the next clean-up (now, unless told) unless one already waits."""
    return schedule_once(delete_unused_uploads_task, run_after or timezone.now())

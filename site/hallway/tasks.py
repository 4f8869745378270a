"""Site-wide background tasks."""

from django.utils import timezone
from django_tasks import task


@task()
def ping_task() -> str:
    """A no-op that proves the worker runs (used by health checks and tests)."""
    return timezone.now().isoformat()

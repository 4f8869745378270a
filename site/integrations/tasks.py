"""Background work: turning events into deliveries, and sending them."""

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from . import services

RESUME_EVERY = timedelta(minutes=10)


@task()
def dispatch_event_task(event: str, object_id: int, occurred_at: str) -> int:
    """Freeze one event into deliveries for every endpoint that may receive it."""
    ids = services.event_dispatch(
        event=event,
        object_id=object_id,
        occurred_at=datetime.fromisoformat(occurred_at),
    )
    return len(ids)


@task()
def deliver_task(delivery_id: int) -> str | None:
    """Send one delivery once; a failure re-enqueues it with back-off."""
    delivery = services.delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery is not None else None


@task()
def resume_deliveries_task() -> int:
    """Re-enqueue deliveries whose task was lost; runs again in 10 minutes."""
    try:
        return services.deliveries_resume()
    finally:
        schedule_resume()


def schedule_resume() -> bool:
    """Queue the next sweep unless one already waits."""
    path = resume_deliveries_task.module_path
    if DBTaskResult.objects.filter(status="READY", task_path=path).exists():
        return False
    resume_deliveries_task.using(run_after=timezone.now() + RESUME_EVERY).enqueue()
    return True

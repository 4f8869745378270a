"""Background work: turning events into deliveries, and sending them.

The services decide (which deliveries, when the next try is due); only this
module enqueues, so services never import the tasks that call them.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from hallway.tasks import schedule_once

from . import services
from .models import Delivery

RESUME_EVERY = timedelta(minutes=10)

log = logging.getLogger(__name__)


@task()
def dispatch_event_task(event: str, object_id: int, occurred_at: str) -> int:
    """Freeze one event into deliveries for every endpoint that may receive it."""
    ids = services.event_dispatch(
        event=event,
        object_id=object_id,
        occurred_at=datetime.fromisoformat(occurred_at),
    )
    transaction.on_commit(lambda: enqueue_deliveries(ids), robust=True)
    return len(ids)


@task()
def deliver_task(delivery_id: int) -> str | None:
    """Send one delivery once; a failure re-enqueues it with back-off."""
    delivery = services.delivery_attempt(delivery_id=delivery_id)
    if delivery is None:
        return None
    if (
        delivery.status == Delivery.Status.PENDING
        and delivery.webhook.is_active
        and delivery.next_attempt_at is not None
    ):
        pk, run_after = delivery.pk, delivery.next_attempt_at
        transaction.on_commit(
            lambda: enqueue_deliveries([pk], run_after=run_after), robust=True
        )
    return delivery.status


@task()
def resume_deliveries_task() -> int:
    """Re-enqueue deliveries whose task was lost; runs again in 10 minutes."""
    try:
        ids = services.deliveries_lost()
        enqueue_deliveries(ids)
        return len(ids)
    finally:
        schedule_resume()


def enqueue_deliveries(ids: list[int], run_after: datetime | None = None) -> None:
    """Queue a send of each delivery (at ``run_after``, or now); a queue outage
    is logged, and the periodic sweep picks the delivery up later."""
    for pk in ids:
        try:
            if run_after is None:
                deliver_task.enqueue(pk)
            else:
                deliver_task.using(run_after=run_after).enqueue(pk)
        except Exception:
            log.exception("Could not enqueue delivery %s", pk)


def schedule_resume() -> bool:
    """Queue the next sweep unless one already waits."""
    return schedule_once(resume_deliveries_task, timezone.now() + RESUME_EVERY)

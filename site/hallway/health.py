"""What ``/healthz`` reports: database, Elasticsearch and the task queue."""

from typing import Any

from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from search.client import node_status
from search.status import outbox_status


def database_status() -> dict[str, Any]:
    """Whether a trivial query runs."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any database failure means "down"
        return {"status": "error", "detail": f"{type(error).__name__}: {error}"[:300]}
    return {"status": "ok", "vendor": connection.vendor}


def queue_status(*, max_age_seconds: int = 300) -> dict[str, Any]:
    """Pending tasks and the age of the oldest one (a stuck worker shows as old)."""
    try:
        pending = DBTaskResult.objects.ready()
        count = pending.count()
        oldest = (
            pending.order_by("enqueued_at")
            .values_list("enqueued_at", flat=True)
            .first()
        )
    except Exception as error:  # noqa: BLE001
        return {"status": "error", "detail": f"{type(error).__name__}: {error}"[:300]}
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return {
        "status": "ok" if age <= max_age_seconds else "error",
        "pending": count,
        "oldest_pending_age_seconds": round(age, 1),
    }


def outbox_health() -> dict[str, Any]:
    """The indexing outbox: backlog, and rows parked because Elasticsearch refused
    them (an error: someone must look at them)."""
    try:
        outbox = outbox_status()
    except Exception as error:  # noqa: BLE001
        return {"status": "error", "detail": f"{type(error).__name__}: {error}"[:300]}
    return {
        "status": "error" if outbox["parked"] else "ok",
        "pending": outbox["pending"],
        "parked": outbox["parked"],
        "parked_rows": [
            {"row": row["row"], "error": row["error"]} for row in outbox["parked_rows"]
        ],
    }


def health_report() -> tuple[dict[str, Any], bool]:
    """The full report and whether the site can serve (the database answers)."""
    checks = {
        "database": database_status(),
        "elasticsearch": node_status(),
        "queue": queue_status(),
        "outbox": outbox_health(),
    }
    degraded = any(c["status"] == "error" for c in checks.values())
    report = {"status": "degraded" if degraded else "ok", "checks": checks}
    return report, checks["database"]["status"] == "ok"

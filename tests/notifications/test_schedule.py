"""Periodic tasks start once and keep themselves going."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from notifications.tasks import (
    escalate_unanswered_task,
    next_digest_at,
    schedule_periodic,
)

pytestmark = pytest.mark.django_db


def waiting() -> dict[str, int]:
    rows = DBTaskResult.objects.filter(status="READY")
    names: dict[str, int] = {}
    for path in rows.values_list("task_path", flat=True):
        name = path.rsplit(".", 1)[-1]
        names[name] = names.get(name, 0) + 1
    return names


def test_scheduling_twice_starts_each_periodic_task_once(capsys):
    call_command("schedule_notifications")
    call_command("schedule_notifications")
    assert waiting() == {
        "escalate_unanswered_task": 1,
        "notify_due_reviews_task": 1,
        "send_daily_digests_task": 1,
        "send_weekly_digests_task": 1,
    }
    assert "Already scheduled." in capsys.readouterr().out


def test_a_periodic_run_enqueues_its_next_run():
    before = datetime.now(UTC)
    escalate_unanswered_task.call()
    row = DBTaskResult.objects.get(status="READY")
    assert row.task_path.endswith("escalate_unanswered_task")
    assert row.run_after >= before + timedelta(minutes=9)
    assert schedule_periodic() == [
        "notify_due_reviews_task",
        "send_daily_digests_task",
        "send_weekly_digests_task",
    ]


def test_digests_go_out_at_seven_utc():
    wednesday_noon = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert next_digest_at(period="daily", now=wednesday_noon) == datetime(
        2026, 11, 26, 7, 0, tzinfo=UTC
    )
    assert next_digest_at(period="weekly", now=wednesday_noon) == datetime(
        2026, 11, 30, 7, 0, tzinfo=UTC
    )
    early_monday = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
    assert next_digest_at(period="weekly", now=early_monday) == datetime(
        2026, 11, 30, 7, 0, tzinfo=UTC
    )

"""The task worker survives a locked database, a dead predecessor's RUNNING task
is recovered, and ``make run``'s supervisor restarts a killed worker."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from hallway.supervise import Supervised
from hallway.tasks import ping_task
from hallway.worker import ResilientWorker, recover_stale_tasks
from search.tasks import drain_outbox_task


def _claimed(worker_id: str, *, started_ago: timedelta = timedelta(0)) -> DBTaskResult:
    result = DBTaskResult.objects.get(pk=ping_task.enqueue().id)
    result.claim(worker_id)
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - started_ago
    )
    return result


@pytest.mark.django_db
def test_a_dead_workers_running_task_is_failed_and_a_drain_queued():
    task = _claimed("dead-worker")
    other = _claimed("live-worker")
    assert recover_stale_tasks(worker_id="dead-worker") == 1
    task.refresh_from_db()
    other.refresh_from_db()
    assert task.status == "FAILED" and "worker" in task.traceback
    assert other.status == "RUNNING"
    assert DBTaskResult.objects.filter(
        status="READY", task_path=drain_outbox_task.module_path
    ).exists()


@pytest.mark.django_db
def test_tasks_running_for_too_long_are_recovered_by_age():
    old = _claimed("w1", started_ago=timedelta(hours=1))
    fresh = _claimed("w2")
    assert recover_stale_tasks() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == ("FAILED", "RUNNING")


@pytest.mark.django_db
def test_the_worker_retries_a_locked_database(monkeypatch):
    calls = []

    def run_once_locked(self):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")

    monkeypatch.setattr(db_worker.Worker, "run", run_once_locked)
    monkeypatch.setattr("hallway.worker.LOCKED_RETRY", (0.0,))
    # The test's own connection sits in a transaction: keep it open.
    monkeypatch.setattr("hallway.worker.close_old_connections", lambda: None)
    worker = ResilientWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w",
        excluded_queue_names=[],
    )
    worker.run()
    assert len(calls) == 2


@pytest.mark.django_db
def test_other_database_errors_still_stop_the_worker(monkeypatch):
    def broken(self):
        raise OperationalError("no such table: everything")

    monkeypatch.setattr(db_worker.Worker, "run", broken)
    worker = ResilientWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w",
        excluded_queue_names=[],
    )
    with pytest.raises(OperationalError):
        worker.run()


def test_the_supervisor_restarts_a_killed_worker():
    deaths: list[tuple[str, int]] = []

    def start(worker_id: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", "import time; time.sleep(60)"],
            start_new_session=True,
        )

    supervised = Supervised(
        start, on_death=lambda wid, code: deaths.append((wid, code)), min_pause=0.0
    )
    first, first_id = supervised.process, supervised.worker_id
    try:
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        assert "stopped" in (supervised.poll() or "")
        assert deaths == [(first_id, -signal.SIGKILL)]
        time.sleep(0.01)
        assert "restarted" in (supervised.poll() or "")
        assert supervised.alive and supervised.process.pid != first.pid
        assert supervised.worker_id != first_id
    finally:
        if supervised.process.poll() is None:
            supervised.process.kill()
            supervised.process.wait()

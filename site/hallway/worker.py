"""The task worker, made to survive what killed it: a locked database, a dead
predecessor that left its task RUNNING, and an autoreloader that hid its death."""

import logging
import time
from datetime import timedelta

from django.db import OperationalError, close_old_connections
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

from search.tasks import request_drain

logger = logging.getLogger("hallway.worker")

# A task still RUNNING after this long has lost its worker (drains stop at 20 s).
STALE_AFTER = timedelta(minutes=15)
LOCKED_RETRY = (0.1, 0.5, 1.0, 2.0, 5.0)


def recover_stale_tasks(
    *, worker_id: str | None = None, older_than: timedelta = STALE_AFTER
) -> int:
    """Mark tasks left RUNNING by a dead worker as failed; return how many.

    With ``worker_id``, every RUNNING task of that (dead) worker; otherwise
    those started longer than ``older_than`` ago. The outbox keeps the work
    itself, so a fresh drain is queued when any were found.
    """
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    if worker_id is not None:
        stale = [t for t in running if t.worker_ids and t.worker_ids[-1] == worker_id]
    else:
        stale = list(running.filter(started_at__lt=timezone.now() - older_than))
    for result in stale:
        result.set_failed(RuntimeError("The worker running this task stopped."))
    if stale:
        request_drain()
        logger.warning("Recovered %d task(s) of a dead worker.", len(stale))
    return len(stale)


class ResilientWorker(Worker):
    """django-tasks-db's worker that retries a locked database instead of dying."""

    def run(self) -> None:
        failures = -1
        while True:
            try:
                recover_stale_tasks()
                super().run()
                return
            except OperationalError as error:
                if not is_locked_database_exception(error) or not self.running:
                    raise
                failures += 1
                delay = LOCKED_RETRY[min(failures, len(LOCKED_RETRY) - 1)]
                logger.warning("Database is locked; retrying in %.1f s.", delay)
                close_old_connections()
                time.sleep(delay)
                self._recover_own_task()

    def _recover_own_task(self) -> None:
        # A lock error while recording a result leaves our own task RUNNING.
        try:
            recover_stale_tasks(worker_id=self.worker_id)
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise

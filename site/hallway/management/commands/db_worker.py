"""``manage.py db_worker``: django-tasks-db's worker, resilient (see hallway.worker).

It replaces the library's command of the same name (this app comes first in
INSTALLED_APPS) and never runs under the autoreloader, which kept the process
alive after the worker's thread had died.
"""

from django.core.management.base import CommandError
from django_tasks_db.management.commands import db_worker

from hallway.worker import ResilientWorker


class Command(db_worker.Command):
    help = "Run the background task worker (retries a locked database)."

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()

"""The outbox: record "(re)index this" in the writer's transaction, drain after commit.

One way only: outbox → tasks (``drain_outbox_task``) → indexing (``drain``).
"""

from django.db import connection, transaction

from .models import OutboxEntry
from .tasks import request_drain


def outbox_record(*, kind: str, object_ids: list) -> None:
    """Queue documents for (re)indexing, inside the caller's transaction."""
    if not object_ids:
        return
    OutboxEntry.objects.bulk_create(
        [OutboxEntry(kind=kind, object_id=str(pk)) for pk in object_ids]
    )
    _drain_after_commit()


def _drain_after_commit() -> None:
    # One drain task per transaction, however many rows it recorded.
    pending = connection.run_on_commit  # (savepoint ids, callback, robust) triples
    if connection.in_atomic_block and any(
        entry[1] is _enqueue_drain for entry in pending
    ):
        return
    transaction.on_commit(_enqueue_drain, robust=True)


def _enqueue_drain() -> None:
    request_drain()

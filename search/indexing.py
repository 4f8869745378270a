"""Draining the outbox into Elasticsearch (``outbox.py`` records the changes).

Nothing is lost: a change is recorded in the same transaction as the write, and
a row is marked done only after Elasticsearch acknowledged its document. While
the node is down or unconfigured, rows wait and are retried with back-off.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from elasticsearch import helpers
from elasticsearch.exceptions import ApiError, TransportError

from .client import get_client
from .documents import document_id, with_suggest
from .index import ensure_index, write_targets
from .models import OutboxEntry
from .sources import SOURCES

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 300


def backoff(attempts: int) -> timedelta:
    """1 s, 2 s, 4 s ... capped at five minutes."""
    return timedelta(seconds=min(2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


@dataclass
class DrainResult:
    """What one drain pass did."""

    indexed: int = 0
    deleted: int = 0
    failed: int = 0
    rows: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def done(self) -> int:
        return self.indexed + self.deleted


def drain(*, batch_size: int = 500) -> DrainResult:
    """Send one batch of due outbox rows to Elasticsearch; return what happened."""
    client = get_client()
    if client is None:
        return DrainResult()
    rows = list(OutboxEntry.objects.due().order_by("pk")[:batch_size])
    return _send(client, rows)


def apply_now(*, keys: list[tuple[str, str]]) -> DrainResult:
    """Send the pending outbox rows of these ``(kind, object_id)`` documents to
    Elasticsearch now and make the change searchable before returning.

    For changes that narrow who may read something (made private, deleted,
    unpublished, restricted): they must not wait for the worker. A node that is
    down or slow leaves the rows in the outbox, retried by the worker as usual.
    """
    client = get_client()
    if client is None or not keys:
        return DrainResult()
    wanted = Q()
    for kind, object_id in set(keys):
        wanted |= Q(kind=kind, object_id=str(object_id))
    rows = list(OutboxEntry.objects.pending().filter(wanted).order_by("pk"))
    timeout = getattr(settings, "ELASTICSEARCH_SYNC_TIMEOUT", 3)
    return _send(client.options(request_timeout=timeout), rows, refresh=True)


def _send(client, rows: list[OutboxEntry], *, refresh: bool = False) -> DrainResult:
    """Index or delete the documents of ``rows``; mark them done or retry them."""
    result = DrainResult()
    if not rows:
        return result
    result.rows = len(rows)
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in rows:
        by_key[(row.kind, row.object_id)].append(row.pk)
    try:
        if not refresh:
            client = client.options(request_timeout=30)
        ensure_index(client)
        targets = write_targets(client)
        actions, kinds, indexed = _actions(by_key, targets)
        outcome: dict[tuple[str, str], str | None] = dict.fromkeys(by_key)
        for ok, item in helpers.streaming_bulk(
            client,
            actions,
            raise_on_error=False,
            raise_on_exception=False,
            chunk_size=500,
            max_retries=0,
            refresh=refresh,
        ):
            op, info = next(iter(item.items()))
            key = kinds[info["_id"]]
            if not ok and not (op == "delete" and info.get("status") == 404):
                outcome[key] = str(info.get("error") or info.get("status"))[:500]
    except (TransportError, ApiError, ConnectionError) as error:
        message = f"{type(error).__name__}: {error}"[:500]
        _retry(rows, message)
        result.failed = len(by_key)
        result.errors.append(message)
        return result
    now = timezone.now()
    done_ids = [pk for key, pks in by_key.items() if outcome[key] is None for pk in pks]
    OutboxEntry.objects.filter(pk__in=done_ids).update(done_at=now)
    failed_rows = [
        row for row in rows if outcome[(row.kind, row.object_id)] is not None
    ]
    for row in failed_rows:
        _retry([row], outcome[(row.kind, row.object_id)] or "failed")
    result.failed = len({(r.kind, r.object_id) for r in failed_rows})
    result.indexed = sum(1 for k in by_key if outcome[k] is None and k in indexed)
    result.deleted = sum(1 for k in by_key if outcome[k] is None and k not in indexed)
    return result


def _actions(by_key, targets: list[str]):
    """Bulk actions for every changed object, to every write target."""
    actions: list[dict] = []
    kinds: dict[str, tuple[str, str]] = {}
    indexed: set[tuple[str, str]] = set()
    ids_by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, object_id in by_key:
        ids_by_kind[kind].append(object_id)
    for kind, ids in ids_by_kind.items():
        source = SOURCES.get(kind)
        rows = source.fetch(ids) if source else {}
        for object_id in ids:
            doc_id = document_id(kind, object_id)
            kinds[doc_id] = (kind, object_id)
            row = rows.get(object_id)
            doc = source.to_document(row) if (source and row is not None) else None
            for index in targets:
                if doc is None:
                    actions.append(
                        {"_op_type": "delete", "_index": index, "_id": doc_id}
                    )
                else:
                    indexed.add((kind, object_id))
                    actions.append(
                        {
                            "_op_type": "index",
                            "_index": index,
                            "_id": doc_id,
                            "_source": with_suggest(doc),
                        }
                    )
    return actions, kinds, indexed


def _retry(rows: list[OutboxEntry], error: str) -> None:
    now = timezone.now()
    for row in rows:
        row.attempts += 1
        row.last_error = error
        row.next_attempt_at = now + backoff(row.attempts)
    OutboxEntry.objects.bulk_update(rows, ["attempts", "last_error", "next_attempt_at"])


def drain_all(*, batch_size: int = 500, max_batches: int = 1000) -> DrainResult:
    """Drain until nothing is due (or ``max_batches``); sum the results."""
    total = DrainResult()
    for _ in range(max_batches):
        step = drain(batch_size=batch_size)
        total.indexed += step.indexed
        total.deleted += step.deleted
        total.failed += step.failed
        total.rows += step.rows
        total.errors += step.errors
        if step.rows == 0 or step.failed:
            break
    return total

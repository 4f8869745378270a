"""Draining the outbox into Elasticsearch (``outbox.py`` records the changes).

Nothing is lost: a change is recorded in the same transaction as the write, and
a row is marked done only after Elasticsearch acknowledged its document. While
the node is down or unconfigured, rows wait and are retried with back-off.
"""

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from elasticsearch import helpers
from elasticsearch.exceptions import ApiError, TransportError

from . import meaning
from .client import get_client
from .documents import document_id, index_source
from .index import ensure_index, write_targets
from .models import OutboxEntry
from .sources import SOURCES

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 300
# After this many refusals of one document (not outages), its row is parked:
# set aside with its error, shown by search_status and /healthz.
MAX_REJECTIONS = 5
# Claimed rows are not due for other workers for this long (a worker that dies
# mid-drain leaves them to be drained again after it).
LEASE = timedelta(seconds=60)
# Characters Elasticsearch refuses in completion fields (and NUL everywhere).
_REFUSED_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def backoff(attempts: int) -> timedelta:
    """1 s, 2 s, 4 s ... capped at five minutes."""
    return timedelta(seconds=min(2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


def clean_document(value: Any) -> Any:
    """``value`` with the control characters Elasticsearch refuses removed."""
    if isinstance(value, str):
        return _REFUSED_CHARACTERS.sub("", value)
    if isinstance(value, list):
        return [clean_document(item) for item in value]
    if isinstance(value, dict):
        return {key: clean_document(item) for key, item in value.items()}
    return value


def _claim(batch_size: int) -> list[OutboxEntry]:
    """Due rows for this worker only: locked, then leased for ``LEASE``."""
    with transaction.atomic():
        rows = list(
            OutboxEntry.objects.due()
            .select_for_update(skip_locked=True)
            .order_by("pk")[:batch_size]
        )
        if rows:
            OutboxEntry.objects.filter(pk__in=[r.pk for r in rows]).update(
                next_attempt_at=timezone.now() + LEASE
            )
    return rows


@dataclass
class DrainResult:
    """What one drain pass did."""

    indexed: int = 0
    deleted: int = 0
    failed: int = 0
    rows: int = 0
    parked: int = 0
    unavailable: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def done(self) -> int:
        return self.indexed + self.deleted


def drain(*, batch_size: int = 500) -> DrainResult:
    """Send one batch of due outbox rows to Elasticsearch; return what happened."""
    client = get_client()
    if client is None:
        return DrainResult()
    rows = _claim(batch_size)
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
        actions, kinds, indexed, refused = _actions(client, by_key, targets)
        outcome: dict[tuple[str, str], str | None] = dict.fromkeys(by_key)
        outcome.update(refused)
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
        result.unavailable = True
        result.errors.append(message)
        return result
    now = timezone.now()
    done_ids = [pk for key, pks in by_key.items() if outcome[key] is None for pk in pks]
    OutboxEntry.objects.filter(pk__in=done_ids).update(done_at=now)
    failed_rows = [
        row for row in rows if outcome[(row.kind, row.object_id)] is not None
    ]
    for row in failed_rows:
        reason = outcome[(row.kind, row.object_id)] or "failed"
        result.parked += _reject(row, reason)
        result.errors.append(f"{row}: {reason}")
    result.failed = len({(r.kind, r.object_id) for r in failed_rows})
    result.indexed = sum(1 for k in by_key if outcome[k] is None and k in indexed)
    result.deleted = sum(1 for k in by_key if outcome[k] is None and k not in indexed)
    return result


def _actions(client, by_key, targets: list[str]):
    """Bulk actions for every changed object, to every write target, and the
    objects whose document could not even be built (with the error)."""
    actions: list[dict] = []
    kinds: dict[str, tuple[str, str]] = {}
    indexed: set[tuple[str, str]] = set()
    refused: dict[tuple[str, str], str] = {}
    ids_by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, object_id in by_key:
        ids_by_kind[kind].append(object_id)
    for kind, ids in ids_by_kind.items():
        source = SOURCES.get(kind)
        rows = source.fetch(ids) if source else {}
        docs: dict[str, dict | None] = {}
        for object_id in ids:
            doc_id = document_id(kind, object_id)
            kinds[doc_id] = (kind, object_id)
            row = rows.get(object_id)
            try:
                doc = source.to_document(row) if (source and row is not None) else None
            except Exception as error:  # noqa: BLE001 - one bad row must not block all
                logger.exception("No document for %s:%s", kind, object_id)
                refused[(kind, object_id)] = f"{type(error).__name__}: {error}"[:500]
                continue
            docs[doc_id] = doc
        if source and source.vectors:
            # A vote or an answer re-indexes a question: its vector is read back
            # and kept while its title and body are unchanged.
            built = {i: d for i, d in docs.items() if d is not None}
            meaning.add_vectors(built, client=client)
        for doc_id, doc in docs.items():
            object_id = kinds[doc_id][1]
            if doc is not None:
                doc = clean_document(doc)
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
                            "_source": index_source(doc),
                        }
                    )
    return actions, kinds, indexed, refused


def _reject(row: OutboxEntry, error: str) -> int:
    """Count a refusal of ``row``'s document; park it after ``MAX_REJECTIONS``."""
    row.rejections += 1
    row.last_error = error
    fields = ["rejections", "last_error"]
    if row.rejections >= MAX_REJECTIONS:
        row.parked_at = timezone.now()
        fields.append("parked_at")
        logger.error("Outbox row %s parked: %s", row, error)
    else:
        row.attempts += 1
        row.next_attempt_at = timezone.now() + backoff(row.attempts)
        fields += ["attempts", "next_attempt_at"]
    row.save(update_fields=fields)
    return 1 if row.parked_at else 0


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
        total.parked += step.parked
        if step.rows == 0 or step.unavailable:
            break
    return total

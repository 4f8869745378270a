"""The search health report (``search_status`` and the admin)."""

from typing import Any

from django.utils import timezone

from .client import get_client, node_status
from .documents import ContentDocument
from .index import MERGE_POLICY, alias_indices, mapped_fields, read_alias
from .models import OutboxEntry
from .people import people_status
from .sources import available_sources


def outbox_status() -> dict[str, Any]:
    """Backlog size, age of the oldest pending row, rows that failed at least once."""
    pending = OutboxEntry.objects.pending()
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    parked = OutboxEntry.objects.parked().order_by("-parked_at")
    return {
        "pending": pending.count(),
        "failing": pending.filter(attempts__gt=0).count(),
        "parked": parked.count(),
        "parked_rows": [
            {"row": str(row), "error": row.last_error[:300], "parked_at": row.parked_at}
            for row in parked[:10]
        ],
        "oldest_age_seconds": (timezone.now() - oldest).total_seconds()
        if oldest
        else 0.0,
    }


def missing_fields(client) -> list[str]:
    """Top-level fields of the current mapping absent from the live index (an
    index built before a mapping change, e.g. ``summary``: needs a reindex)."""
    wanted = set(ContentDocument._doc_type.mapping.to_dict()["properties"])
    return sorted(wanted - mapped_fields(client))


def index_shape(client) -> dict[str, Any]:
    """The live index's segments and size on disk, and whether it keeps the
    merge policy the code sets (an index built before it keeps more segments,
    and every query pays per segment, until ``search_reindex``)."""
    alias = read_alias()
    totals = client.indices.stats(index=alias, metric="segments,store")["_all"]
    policies = client.indices.get_settings(index=alias, flat_settings=True)
    return {
        "segments": totals["primaries"]["segments"]["count"],
        "size_bytes": totals["primaries"]["store"]["size_in_bytes"],
        "merge_policy": all(
            index["settings"].get(f"index.{name}") == str(value)
            for index in policies.values()
            for name, value in MERGE_POLICY.items()
        ),
    }


def search_status() -> dict[str, Any]:
    """Everything an operator needs to judge whether search is in step with the data."""
    client = get_client()
    node = node_status()
    indices: list[str] = []
    counts: dict[str, int] = {}
    missing: list[str] = []
    shape: dict[str, Any] | None = None
    if client is not None and node["status"] == "ok":
        indices = alias_indices(client)
        if indices:
            missing = missing_fields(client)
            shape = index_shape(client)
            response = client.search(
                index=read_alias(),
                size=0,
                aggs={"kinds": {"terms": {"field": "kind", "size": 20}}},
            )
            counts = {
                b["key"]: b["doc_count"]
                for b in response["aggregations"]["kinds"]["buckets"]
            }
    kinds = {
        source.kind: {
            "index": counts.get(source.kind, 0) if indices else None,
            "database": (source.indexable or source.load)().count(),
        }
        for source in available_sources()
    }
    return {
        "node": node,
        "alias": read_alias(),
        "indices": indices,
        # Fields the code maps that the live index lacks: run search_reindex.
        "missing_fields": missing,
        # Segments, size, and whether the index keeps the code's merge policy.
        "index": shape,
        "kinds": kinds,
        "outbox": outbox_status(),
        "people": people_status(client if node["status"] == "ok" else None),
    }

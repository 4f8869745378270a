"""Hits re-checked against the database before anyone sees them.

The permission filter inside every query is the rule; this is the safety net
for an index that lags behind (a node that was down, a worker that is slow): a
hit is shown only if the kind's own visibility rule, asked of the database now,
still lets the viewer read it. One SQL query for all hits, whatever their kinds
and number (a ``UNION ALL`` of each present kind's rule); none when there are
no hits.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import CharField, Value

from .sources import SOURCES


def readable_keys(keys: Iterable[tuple[str, Any]], *, viewer) -> set[tuple[str, str]]:
    """Which of these ``(kind, object_id)`` documents ``viewer`` may read now."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for kind, object_id in keys:
        try:
            wanted[kind].add(int(object_id))
        except (TypeError, ValueError):
            continue
    parts = []
    for kind in sorted(wanted):
        source = SOURCES.get(kind)
        if source is None or source.visible_to is None:
            continue
        rows = source.visible_to(viewer)
        if rows.query.is_empty():
            continue
        parts.append(
            rows.filter(pk__in=wanted[kind])
            .order_by()
            .annotate(search_kind=Value(kind, output_field=CharField()))
            .values_list("pk", "search_kind")
        )
    if not parts:
        return set()
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return {(kind, str(pk)) for pk, kind in combined}


def only_readable(
    rows: list[dict[str, Any]], *, viewer, kind: str | None = None, id_key: str = "id"
) -> list[dict[str, Any]]:
    """``rows`` (dicts with ``kind`` and an id) that ``viewer`` may read now."""
    keys = [(kind or row["kind"], row[id_key]) for row in rows]
    readable = readable_keys(keys, viewer=viewer)
    return [
        row
        for row, key in zip(rows, keys, strict=True)
        if (key[0], str(key[1])) in readable
    ]

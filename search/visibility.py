"""Hits re-checked against the database before anyone sees them.

The permission filter inside every query is the rule; this is the safety net
for an index that lags behind (a node that was down, a worker that is slow): a
hit is shown only if the kind's own visibility rule, asked of the database now,
still lets the viewer read it. One query per kind present.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from .sources import SOURCES


def readable_keys(keys: Iterable[tuple[str, Any]], *, viewer) -> set[tuple[str, str]]:
    """Which of these ``(kind, object_id)`` documents ``viewer`` may read now."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for kind, object_id in keys:
        try:
            wanted[kind].add(int(object_id))
        except (TypeError, ValueError):
            continue
    readable: set[tuple[str, str]] = set()
    # Every kind is asked, hits or not, so pages keep a constant query count.
    for kind, source in SOURCES.items():
        if source.visible_to is None or source.model() is None:
            continue
        ids = wanted.get(kind) or {0}
        rows = source.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True)
        readable.update((kind, str(pk)) for pk in rows)
    return readable


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

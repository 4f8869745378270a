"""Hits re-checked against the database before anyone sees them.

The permission filter inside every query is the rule; this is the safety net
for an index that lags behind (a node that was down, a worker that is slow, a
write that bypassed the outbox): a hit is shown only if the kind's own
visibility rule, asked of the database now, still lets the viewer read it. One
SQL query for all hits, whatever their kinds and number (a ``UNION ALL`` of
each present kind's rule); none when there are no hits.

Building that query with the ORM cost more than running it (the knowledge-page
rule alone, with its tree subqueries, took several milliseconds to compile), so
the compiled SQL of kinds whose rule keeps no data in it (``Source.
recheck_compiled``: only the viewer's identity and live subqueries) is kept per
process and run again with the new ids. Only the SQL text is kept, never an
answer: every re-check still asks the database at the moment of the search, so
a change of rows, memberships or restrictions counts at once.
"""

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import CharField, Value

from .sources import SOURCES

# The ids of each kind are padded to one of these sizes (repeating one of them),
# so one compiled statement serves every number of hits up to it.
ID_SLOTS = (8, 32, 128, 512)
# Compiled statements kept per process (kinds × slot size × viewer identity).
MAX_COMPILED = 2048
# Stand-in ids while compiling: never real primary keys, each unique.
_PLACEHOLDER_BASE = -(10**15)

Statement = tuple[str, list, dict[str, list[int]]]
# Marks kinds whose ids the backend did not pass one parameter each.
_UNCOMPILABLE: Statement = ("", [], {})
_compiled: "OrderedDict[tuple, Statement | None]" = OrderedDict()
_lock = threading.Lock()


def _viewer_key(viewer) -> tuple:
    """What a data-free rule may depend on: who the viewer is, not what they own."""
    if not getattr(viewer, "is_authenticated", False):
        return ("anonymous",)
    return (
        viewer.pk,
        bool(viewer.is_active),
        bool(getattr(viewer, "is_staff", False)),
        bool(getattr(viewer, "is_superuser", False)),
    )


def _slots(count: int) -> int | None:
    return next((size for size in ID_SLOTS if count <= size), None)


def _union(parts: list):
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def _rule_rows(kind: str, viewer, ids: Iterable[int]):
    """``kind``'s rule for ``viewer`` restricted to ``ids`` as ``(pk, kind)``
    rows, or ``None`` when the viewer may read nothing of that kind."""
    source = SOURCES[kind]
    rows = source.visible_to(viewer)  # type: ignore[misc]
    if rows.query.is_empty():
        return None
    return (
        rows.filter(pk__in=list(ids))
        .order_by()
        .annotate(search_kind=Value(kind, output_field=CharField()))
        .values_list("pk", "search_kind")
    )


def _compile(kinds: tuple[str, ...], size: int, viewer):
    """The SQL and parameters of the rules of ``kinds`` with ``size`` stand-in
    ids each, and where each kind's ids sit among the parameters."""
    placeholders: dict[str, list[int]] = {}
    parts = []
    for number, kind in enumerate(kinds):
        stand_ins = [_PLACEHOLDER_BASE - number * 10_000 - i for i in range(size)]
        part = _rule_rows(kind, viewer, stand_ins)
        if part is not None:
            placeholders[kind] = stand_ins
            parts.append(part)
    if not parts:
        return None
    sql, params = _union(parts).query.sql_with_params()
    params = list(params)
    positions: dict[str, list[int]] = {}
    for kind, stand_ins in placeholders.items():
        if any(params.count(value) != 1 for value in stand_ins):
            # The backend did not pass each id as its own parameter: build the
            # query at every search for these kinds instead.
            return _UNCOMPILABLE
        positions[kind] = [params.index(value) for value in stand_ins]
    return sql, params, positions


def _compiled_for(kinds: tuple[str, ...], size: int, viewer):
    key = (kinds, size, _viewer_key(viewer))
    with _lock:
        if key in _compiled:
            _compiled.move_to_end(key)
            return _compiled[key]
    statement = _compile(kinds, size, viewer)
    with _lock:
        _compiled[key] = statement
        while len(_compiled) > MAX_COMPILED:
            _compiled.popitem(last=False)
    return statement


def _run_compiled(wanted: dict[str, set[int]], viewer) -> set[tuple[str, str]]:
    kinds = tuple(sorted(wanted))
    size = _slots(max(len(ids) for ids in wanted.values()))
    if size is None:
        return _run_built(wanted, viewer)
    statement = _compiled_for(kinds, size, viewer)
    if statement is None:
        return set()
    if statement is _UNCOMPILABLE:
        return _run_built(wanted, viewer)
    sql, params, positions = statement
    values = list(params)
    for kind, where in positions.items():
        ids = sorted(wanted[kind])
        ids += [ids[0]] * (len(where) - len(ids))  # a repeated id matches once
        for at, pk in zip(where, ids, strict=True):
            values[at] = pk
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return {(kind, str(pk)) for pk, kind in cursor.fetchall()}


def _run_built(wanted: dict[str, set[int]], viewer) -> set[tuple[str, str]]:
    parts = [
        part
        for kind in sorted(wanted)
        if (part := _rule_rows(kind, viewer, wanted[kind])) is not None
    ]
    if not parts:
        return set()
    return {(kind, str(pk)) for pk, kind in _union(parts)}


def readable_keys(keys: Iterable[tuple[str, Any]], *, viewer) -> set[tuple[str, str]]:
    """Which of these ``(kind, object_id)`` documents ``viewer`` may read now."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for kind, object_id in keys:
        source = SOURCES.get(kind)
        if source is None or source.visible_to is None:
            continue
        try:
            wanted[kind].add(int(object_id))
        except (TypeError, ValueError):
            continue
    if not wanted:
        return set()
    compiled = {k: v for k, v in wanted.items() if SOURCES[k].recheck_compiled}
    built = {k: v for k, v in wanted.items() if k not in compiled}
    if compiled and built:
        # Mixed: one statement still, built for this request.
        return _run_built(wanted, viewer)
    if compiled:
        return _run_compiled(compiled, viewer)
    return _run_built(built, viewer)


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

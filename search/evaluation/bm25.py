"""BM25's parameters, chosen on one half and read on the other (``search_eval
--sections bm25``; not run by ``make eval``).

The stemmed sub-fields that rank use two named similarities (``hallway_short``
for titles, ``hallway_long`` for bodies and answers, ``search.documents``). For
each point of a grid the scratch index is closed, the two similarities' k1 and
b set, and the index reopened (no reindex), then every judged question is asked
again through the three surfaces. Coordinate-wise: the long fields' grid with
titles at the committed values, then the titles' grid with the long fields at
the best point of the first. The committed values are restored at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from search.client import get_client
from search.documents import BM25_LONG, BM25_SHORT, similarity_settings
from search.index import read_alias

from . import methods, metrics
from .dataset import SPLITS
from .methods import DEPTH, Probe

LONG_GRID = [
    {"k1": k1, "b": b} for k1 in (0.8, 1.2, 1.6, 2.0) for b in (0.5, 0.75, 0.9, 1.0)
]
SHORT_GRID = [
    {"k1": k1, "b": b} for k1 in (0.6, 1.2, 2.0) for b in (0.2, 0.5, 0.9, 1.0)
]
SURFACES = ("similar_title", "similar_title_body", "search_api")

Params = dict[str, float]


def set_bm25(client: Any, short: Params, long: Params) -> None:
    """Give the live index's two similarities these parameters."""
    index = next(iter(client.indices.get_alias(name=read_alias())))
    client.indices.close(index=index)
    try:
        client.indices.put_settings(
            index=index,
            settings={"index": {"similarity": similarity_settings(short, long)}},
        )
    finally:
        client.indices.open(index=index)
        client.cluster.health(index=index, wait_for_status="yellow", timeout="60s")


def section(ctx: Any) -> dict[str, Any]:
    """MRR of the three surfaces per split at every grid point, which point each
    half would choose (the sum of the three MRRs) and how it reads on the other."""
    client = get_client()
    surfaces: dict[str, Callable[[Probe], list[int]]] = {
        "similar_title": methods.similar(viewer=ctx.viewer, with_body=False),
        "similar_title_body": methods.similar(viewer=ctx.viewer, with_body=True),
        "search_api": methods.search_api(viewer=ctx.viewer),
    }

    def measure(short: Params, long: Params) -> dict[str, Any]:
        set_bm25(client, short, long)
        point: dict[str, Any] = {"short": short, "long": long}
        queries = sorted({x.query for x in ctx.links})
        for name, method in surfaces.items():
            ranked = {pk: method(ctx.probes[pk]) for pk in queries}
            point[name] = {
                split: metrics.summary(
                    [
                        metrics.reciprocal_rank(ranked[x.query][:DEPTH], x.target)
                        for x in ctx.links
                        if x.split == split
                    ]
                )["mrr"]
                for split in SPLITS
            }
        return point

    def total(point: dict[str, Any], split: str) -> float:
        return sum(point[name][split] for name in SURFACES)

    points: list[dict[str, Any]] = []
    try:
        for long in LONG_GRID:
            points.append(measure(BM25_SHORT, long))
        chosen_long = {
            split: max(points, key=lambda p: total(p, split))["long"]
            for split in SPLITS
        }
        for split in SPLITS:
            for short in SHORT_GRID:
                if not any(
                    p["short"] == short and p["long"] == chosen_long[split]
                    for p in points
                ):
                    points.append(measure(short, chosen_long[split]))
    finally:
        set_bm25(client, BM25_SHORT, BM25_LONG)
    committed = next(
        p for p in points if p["short"] == BM25_SHORT and p["long"] == BM25_LONG
    )
    selection = []
    for chosen_on, read_on in (SPLITS, SPLITS[::-1]):
        best = max(points, key=lambda p: total(p, chosen_on))
        selection.append(
            {
                "chosen_on": chosen_on,
                "short": best["short"],
                "long": best["long"],
                "gain_there": round(
                    total(best, chosen_on) - total(committed, chosen_on), 4
                ),
                "read_on": read_on,
                **{
                    name: round(best[name][read_on] - committed[name][read_on], 4)
                    for name in SURFACES
                },
            }
        )
    return {
        "committed": {"short": BM25_SHORT, "long": BM25_LONG},
        "points": points,
        "selection": selection,
    }


def render(result: dict[str, Any]) -> list[str]:
    lines = [f"bm25 ({len(result['points'])} points; committed {result['committed']})"]
    for point in result["points"]:
        lines.append(
            f"  short {point['short']} long {point['long']}: "
            + " | ".join(
                f"{name} " + "/".join(f"{point[name][s]:.3f}" for s in SPLITS)
                for name in SURFACES
            )
        )
    for pick in result["selection"]:
        lines.append(
            f"  best on {pick['chosen_on']}: short {pick['short']} long {pick['long']}"
            f" ({pick['gain_there']:+.3f} summed MRR there); on {pick['read_on']} vs"
            " committed: " + ", ".join(f"{name} {pick[name]:+.3f}" for name in SURFACES)
        )
    return lines

"""Figures of a ranked-retrieval run: pure functions, no Django, no node."""

from __future__ import annotations

import random
import statistics
from collections import Counter
from collections.abc import Sequence

CUTOFFS = (1, 5, 10)


def reciprocal_rank(ranked: Sequence[int], relevant: int) -> float:
    """1/rank of ``relevant`` in ``ranked`` (0 when absent)."""
    try:
        return 1.0 / (list(ranked).index(relevant) + 1)
    except ValueError:
        return 0.0


def summary(reciprocals: Sequence[float]) -> dict[str, float]:
    """MRR and Recall@1/5/10 from reciprocal ranks (rank ≤ k ⇔ rr ≥ 1/k)."""
    n = len(reciprocals)
    if not n:
        return {"n": 0, "mrr": 0.0, **{f"recall@{k}": 0.0 for k in CUTOFFS}}
    return {
        "n": n,
        "mrr": round(sum(reciprocals) / n, 4),
        **{
            f"recall@{k}": round(sum(rr >= 1 / k - 1e-9 for rr in reciprocals) / n, 4)
            for k in CUTOFFS
        },
    }


def paired_bootstrap(
    ours: Sequence[float],
    base: Sequence[float],
    *,
    clusters: Sequence[object] | None = None,
    resamples: int = 2000,
    seed: int = 11,
) -> dict[str, float]:
    """Difference of means (ours − base) with a 95% percentile interval, resampling
    queries in pairs; ``clusters`` keeps queries of one link together."""
    if len(ours) != len(base):
        raise ValueError("paired figures need as many values on both sides")
    if not ours:
        return {"diff": 0.0, "ci_low": 0.0, "ci_high": 0.0}
    keys = list(clusters) if clusters is not None else list(range(len(ours)))
    groups: dict[object, list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    members = list(groups.values())
    rng = random.Random(seed)  # noqa: S311 - reproducible resampling, not secrets
    diffs = []
    for _ in range(resamples):
        picked = [i for _ in members for i in rng.choice(members)]
        diffs.append(
            sum(ours[i] - base[i] for i in picked) / len(picked) if picked else 0.0
        )
    diffs.sort()
    low = diffs[int(0.025 * (resamples - 1))]
    high = diffs[int(0.975 * (resamples - 1))]
    diff = sum(ours) / len(ours) - sum(base) / len(base)
    return {"diff": round(diff, 4), "ci_low": round(low, 4), "ci_high": round(high, 4)}


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def latency(values_ms: Sequence[float]) -> dict[str, float]:
    """p50/p95/mean of per-call latencies in milliseconds."""
    if not values_ms:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "mean_ms": 0.0, "calls": 0}
    return {
        "p50_ms": round(percentile(values_ms, 50), 1),
        "p95_ms": round(percentile(values_ms, 95), 1),
        "mean_ms": round(statistics.fmean(values_ms), 1),
        "calls": len(values_ms),
    }


def diversity(
    lists: dict[int, Sequence[int]], linked: dict[int, set[int]], *, top: int = 5
) -> dict[str, object]:
    """Share of non-empty lists in which the most frequent single result appears
    (appearances next to a question it is linked to do not count)."""
    counts: Counter[int] = Counter()
    shown = 0
    empty = 0
    for query, ranked in lists.items():
        ranked = list(ranked)[:top]
        if not ranked:
            empty += 1
            continue
        shown += 1
        for result in set(ranked):
            if result not in linked.get(query, set()):
                counts[result] += 1
    if not counts or not shown:
        return {"lists": shown, "empty_lists": empty, "top_share": 0.0, "top_id": None}
    top_id, top_count = counts.most_common(1)[0]
    return {
        "lists": shown,
        "empty_lists": empty,
        "top_share": round(top_count / shown, 4),
        "top_id": top_id,
    }

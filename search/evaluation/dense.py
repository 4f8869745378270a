"""A dense-vector retriever fused with ours, measured (``search_eval --sections
dense``; not run by ``make eval``, and not used by the site: it did not help).

The model is WordLlama's ``l2_supercat`` at 256 dimensions, which ships inside
its package (``pip install '.[dense]'``): a static token-embedding table (32,000
× 256) averaged over a text's tokens, on the CPU, nothing downloaded. A question
is its title and the first 2,000 characters of its body. Neighbours are exact
cosine over every visible question in numpy (what Elasticsearch's exact kNN
would return; approximate HNSW can only lose to it), fused with our own lists
by reciprocal rank fusion.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from kb.qa.models import Question
from kb.qa.selectors import question_similar
from search.queries import SearchParams
from search.services import search_content

from . import dataset, methods, metrics
from .dataset import SPLITS
from .methods import BODY_CHARS, DEPTH, Probe

MODEL = "l2_supercat"
DIMS = 256
POOL = 20  # how deep each list goes into the fusion (the similar query's cap)
# Reciprocal rank fusion: (k, weight of the dense list; ours weighs 1). The
# usual k = 60 with equal weights, and the lightest variant tried on the tune half.
FUSIONS = {"rrf": (60, 1.0), "rrf_light": (10, 0.25)}


@cache
def model() -> Any:
    """The model, loaded from its own package (once per process).

    WordLlama fetches a file it cannot find from a model hub, so it is pointed at
    its package folder (``<dir>/weights/…`` and ``<dir>/tokenizers/…``, both in
    the wheel) with downloads disabled: a missing file is an error, never a
    fetch. (Its own "project root" lookup misses the tokenizer's folder name.)"""
    if importlib.util.find_spec("wordllama") is None:
        raise RuntimeError(
            "The dense section needs the model's package: pip install '.[dense]'."
        )
    import wordllama  # noqa: PLC0415 - optional: pip install '.[dense]'

    return wordllama.WordLlama.load(
        config=MODEL,
        dim=DIMS,
        cache_dir=Path(wordllama.__file__).parent,
        disable_download=True,
    )


def question_text(title: str, body: str = "") -> str:
    return f"{title}\n{(body or '')[:BODY_CHARS]}".strip()


def embed(texts: list[str]) -> np.ndarray:
    """Unit vectors, one row per text (zeros for a text without tokens)."""
    vectors = np.asarray(model().embed(texts, norm=False), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def rrf(lists: Sequence[Sequence[int]], weights: Sequence[float], k: int) -> list[int]:
    """Reciprocal rank fusion: each id scores Σ weight / (k + rank), best first
    (ties keep the first list's order)."""
    scores: dict[int, float] = {}
    for ranked, weight in zip(lists, weights, strict=True):
        for rank, pk in enumerate(ranked, start=1):
            scores[pk] = scores.get(pk, 0.0) + weight / (k + rank)
    return sorted(scores, key=lambda pk: -scores[pk])


class Index:
    """Every visible question's vector, and its nearest neighbours."""

    def __init__(self) -> None:
        rows = list(Question.objects.visible().values_list("pk", "title", "body"))
        self.ids = np.array([pk for pk, _, _ in rows], dtype=np.int64)
        self.vectors = embed([question_text(t, b) for _, t, b in rows])

    def nearest(self, text: str, *, exclude: int, size: int = POOL) -> list[int]:
        scores = self.vectors @ embed([text])[0]
        order = np.argsort(-scores, kind="stable")[: size + 1]
        return [int(self.ids[i]) for i in order if self.ids[i] != exclude][:size]


def section(ctx: Any) -> dict[str, Any]:
    """Per surface and split: our ranking, the dense neighbours alone and fused
    with ours (``FUSIONS``), each against plain BM25 and against ours; and the
    diversity figure of the fused title + body lists."""
    started = time.perf_counter()
    model()
    loaded = time.perf_counter()
    index = Index()
    built = time.perf_counter()
    surfaces: dict[str, tuple[Callable[[Probe], list[int]], ...]] = {
        "similar_title": (
            lambda p: _similar(p, ctx.viewer, with_body=False),
            lambda p: index.nearest(p.title, exclude=p.id),
            methods.bm25_title,
        ),
        "similar_title_body": (
            lambda p: _similar(p, ctx.viewer, with_body=True),
            lambda p: index.nearest(question_text(p.title, p.body), exclude=p.id),
            methods.bm25_title_body,
        ),
        "search_api": (
            lambda p: _search(p, ctx.viewer),
            lambda p: index.nearest(p.title, exclude=p.id),
            methods.bm25_search,
        ),
    }
    out: dict[str, Any] = {
        "model": f"wordllama {MODEL} {DIMS}",
        "fusions": FUSIONS,
        # What vectors would cost the site: loading the model once, a question's
        # vector at index time, a draft's at query time (no Elasticsearch here).
        "cost": {
            "model_load_s": round(loaded - started, 2),
            "questions": len(index.ids),
            "index_ms_per_question": round(
                (built - loaded) * 1000 / max(len(index.ids), 1), 3
            ),
            "query_embed_ms": metrics.latency(
                [_embed_ms(ctx.probes[pk]) for pk in sorted(ctx.probes)]
            ),
        },
    }
    queries = sorted({link.query for link in ctx.links})
    for surface, (ours, dense, bm25) in surfaces.items():
        lists: dict[str, dict[int, list[int]]] = {
            "ours": {},
            "dense": {},
            "bm25": {},
            **{name: {} for name in FUSIONS},
        }
        for pk in queries:
            probe = ctx.probes[pk]
            lists["ours"][pk] = ours(probe)
            lists["dense"][pk] = dense(probe)
            lists["bm25"][pk] = bm25(probe)
            for name, (k, weight) in FUSIONS.items():
                lists[name][pk] = rrf(
                    [lists["ours"][pk], lists["dense"][pk]], [1.0, weight], k
                )
        out[surface] = {split: _figures(ctx, lists, split) for split in SPLITS}
    out["diversity"] = _diversity(ctx, index)
    return out


def _embed_ms(probe: Probe) -> float:
    started = time.perf_counter()
    embed([question_text(probe.title, probe.body)])
    return (time.perf_counter() - started) * 1000


def _similar(probe: Probe, viewer: Any, *, with_body: bool) -> list[int]:
    found = question_similar(
        title=probe.title,
        body=probe.body[:BODY_CHARS] if with_body else "",
        limit=POOL,
        exclude_pk=probe.id,
        viewer=viewer,
    )
    return [q.pk for q in found]


def _search(probe: Probe, viewer: Any) -> list[int]:
    response = search_content(SearchParams(q=probe.title), viewer=viewer, facets=False)
    ranked = [r["id"] for r in response.results if r["kind"] == "question"]
    return [pk for pk in ranked if pk != probe.id][:POOL]


def _figures(ctx: Any, lists: dict[str, dict[int, list[int]]], split: str) -> dict:
    links = [link for link in ctx.links if link.split == split]
    clusters = [link.link for link in links]
    rr = {
        name: [
            metrics.reciprocal_rank(ranked[x.query][:DEPTH], x.target) for x in links
        ]
        for name, ranked in lists.items()
    }
    bm25 = metrics.summary(rr["bm25"])
    figures: dict[str, Any] = {"n": len(links), "bm25_mrr": bm25["mrr"]}
    for name in lists:
        if name == "bm25":
            continue
        summary = metrics.summary(rr[name])
        figures[name] = {
            **summary,
            "gain": round(summary["mrr"] / bm25["mrr"], 3) if bm25["mrr"] else None,
            "diff_vs_bm25": metrics.paired_bootstrap(
                rr[name], rr["bm25"], clusters=clusters
            ),
            "diff_vs_ours": metrics.paired_bootstrap(
                rr[name], rr["ours"], clusters=clusters
            ),
        }
    return figures


def _diversity(ctx: Any, index: Index, top: int = 5) -> dict[str, Any]:
    """The diversity section's figure (same sample) for ours and the fusions."""
    rows = Question.objects.visible().values_list("pk", "title", "body")
    by_id = {pk: (title, body) for pk, title, body in rows}
    sample = dataset.sample(list(by_id), 300)
    linked = ctx.extra.get("linked_local") or ctx.linked()
    lists: dict[str, dict[int, list[int]]] = {"ours": {}, **{n: {} for n in FUSIONS}}
    for pk in sample:
        title, body = by_id[pk]
        probe = Probe(id=pk, title=title, body=body)
        ours = _similar(probe, ctx.viewer, with_body=True)
        dense = index.nearest(question_text(title, body), exclude=pk)
        lists["ours"][pk] = ours[:top]
        for name, (k, weight) in FUSIONS.items():
            lists[name][pk] = rrf([ours, dense], [1.0, weight], k)[:top]
    return {
        name: metrics.diversity(found, linked, top=top) for name, found in lists.items()
    }


def render(result: dict[str, Any]) -> list[str]:
    lines = [
        f"dense ({result['model']}; fusions (k, dense weight): {result['fusions']})"
    ]
    for surface in ("similar_title", "similar_title_body", "search_api"):
        for split, figures in result[surface].items():
            parts = [f"BM25 {figures['bm25_mrr']:.3f}"]
            for name, f in figures.items():
                if not isinstance(f, dict):
                    continue
                d = f["diff_vs_ours"]
                parts.append(
                    f"{name} {f['mrr']:.3f} ({f['gain']}×"
                    + (
                        ""
                        if name == "ours"
                        else f"; vs ours {d['diff']:+.3f} "
                        f"[{d['ci_low']:+.3f}, {d['ci_high']:+.3f}]"
                    )
                    + ")"
                )
            lines.append(f"  {surface} {split} n={figures['n']}: " + " | ".join(parts))
    cost = result["cost"]
    query = cost["query_embed_ms"]
    lines.append(
        f"  cost: model load {cost['model_load_s']} s, "
        f"{cost['index_ms_per_question']} ms per question at index time "
        f"({cost['questions']}), a draft's vector p50 "
        f"{query['p50_ms']} ms p95 {query['p95_ms']} ms"
    )
    for name, figures in result["diversity"].items():
        lines.append(
            f"  diversity {name}: top result in {figures['top_share']:.1%} of "
            f"{figures['lists']} lists"
        )
    return lines

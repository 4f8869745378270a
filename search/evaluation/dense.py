"""A dense-vector retriever beside ours, measured (``search_eval --sections
dense``; not run by ``make eval``). What the site took from it is the rerank of
similar questions from a title (``search.meaning``); the rest did not earn its
cost (README).

The model is all-MiniLM-L6-v2 (a contextual sentence encoder) as an int8 ONNX
file on onnxruntime, with its WordPiece tokenizer; both ship in packages (in
``requirements.lock``), nothing is downloaded. A question is its title and
the first 2,000 characters of its body (the model reads 256 tokens). Neighbours
are exact cosine over every visible question in numpy (what Elasticsearch's
exact kNN would return; approximate HNSW can only lose to it). Two ways of
using them are measured against our own list:

- *fusion* (``FUSIONS``): the dense neighbours and ours by reciprocal rank
  fusion, so the dense list can bring in questions ours missed;
- *rerank* (``RERANKS``): our own list only, re-ordered by fusing it with the
  same questions ordered by cosine (a rescore over stored vectors: no kNN
  index needed).

"Ours" here is the order by words (``SEARCH_MEANING`` off while it is made),
so ``rerank_k10_w025`` on similar questions from a title is what the site
does. Which variant would be chosen is decided on one half and read on the
other, both ways round (``selection``), so a variant that only wins on the half
it is read on shows as such; ``halvings`` reads each variant on all pairs and
over random halvings of them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import numpy as np
from django.test.utils import override_settings

from kb.qa.models import Question
from kb.qa.selectors import question_similar
from search import meaning
from search.queries import SearchParams
from search.services import search_content

from . import dataset, methods, metrics
from .dataset import SPLITS
from .methods import BODY_CHARS, DEPTH, Probe

# all-MiniLM-L6-v2 was trained in mid-2021; pairs asked before may be in its data.
TRAINED = datetime(2021, 7, 1, tzinfo=UTC)
POOL = meaning.POOL  # how deep each list goes into the fusion (the similar query's cap)
# Reciprocal rank fusion: (k, weight of the dense list; ours weighs 1): the
# usual k = 60 with equal weights, and lighter variants.
FUSIONS = {
    "rrf": (60, 1.0),
    "rrf_k60_w03": (60, 0.3),
    "rrf_k10_w05": (10, 0.5),
    "rrf_light": (10, 0.25),
}
# Our own list re-ordered: fused with itself ordered by cosine, (k, weight).
# ``rerank_k10_w025`` is what the site does for similar questions from a title
# (``search.meaning``), so there "ours" already is it.
RERANKS = {
    "rerank_k60_w1": (60, 1.0),
    "rerank_k60_w05": (60, 0.5),
    "rerank_k10_w05": (10, 0.5),
    "rerank_k10_w025": (meaning.RERANK_K, meaning.RERANK_WEIGHT),
}
MODEL, DIMS = meaning.MODEL, meaning.DIMS
model, embed, rrf = meaning.model, meaning.embed, meaning.rrf
question_text = meaning.question_text


class Index:
    """Every visible question's vector, and its nearest neighbours."""

    def __init__(self) -> None:
        rows = list(Question.objects.visible().values_list("pk", "title", "body"))
        self.ids = np.array([pk for pk, _, _ in rows], dtype=np.int64)
        self.vectors = embed([question_text(t, b) for _, t, b in rows])
        self.rows = {int(pk): i for i, pk in enumerate(self.ids)}

    def order(self, text: str, ids: list[int]) -> list[int]:
        """``ids`` (those with a vector) by cosine to ``text``, best first."""
        known = {pk: self.vectors[self.rows[pk]] for pk in ids if pk in self.rows}
        return meaning.by_cosine(embed([text])[0], known) if known else []

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
        "model": f"{MODEL} {DIMS}",
        "fusions": FUSIONS,
        "reranks": RERANKS,
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
            # What similar questions from a title pay for its vector.
            "title_embed_ms": metrics.latency(
                [_embed_ms(ctx.probes[pk], title_only=True) for pk in ctx.probes]
            ),
        },
    }
    queries = sorted({link.query for link in ctx.links})
    every: dict[str, dict[str, dict[int, list[int]]]] = {}
    for surface, (ours, dense, bm25) in surfaces.items():
        lists: dict[str, dict[int, list[int]]] = {
            "ours": {},
            "dense": {},
            "bm25": {},
            **{name: {} for name in FUSIONS},
            **{name: {} for name in RERANKS},
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
            text = probe.title
            if surface == "similar_title_body":
                text = question_text(probe.title, probe.body)
            by_cosine = index.order(text, lists["ours"][pk])
            for name, (k, weight) in RERANKS.items():
                lists[name][pk] = rrf([lists["ours"][pk], by_cosine], [1.0, weight], k)
        every[surface] = lists
        out[surface] = {split: _figures(ctx, lists, split) for split in SPLITS}
        out[surface]["selection"] = selection(out[surface])
        out[surface]["by_date"] = _by_date(ctx, lists)
    out["halvings"] = halvings(ctx, every)
    out["diversity"] = _diversity(ctx, index)
    return out


HALVINGS = 500


def halvings(ctx: Any, every: dict[str, dict[str, dict[int, list[int]]]]) -> dict:
    """Each variant against ours by words on all pairs, the three surfaces' MRR
    summed: the difference with its cluster-bootstrap interval, and the share
    of ``HALVINGS`` random halvings of the links in which it beats ours on a
    half (how often a half held out would have confirmed it)."""
    links = ctx.links

    def summed(name: str) -> list[float]:
        return [
            sum(
                metrics.reciprocal_rank(every[s][name][x.query][:DEPTH], x.target)
                for s in every
            )
            for x in links
        ]

    ours = summed("ours")
    keys = sorted({x.link for x in links})
    rng = np.random.default_rng(HALVINGS)
    halves = []  # the pairs of each random half of the links
    for _ in range(HALVINGS):
        half = {
            k for k, keep in zip(keys, rng.random(len(keys)) < 0.5, strict=True) if keep
        }
        halves.append([i for i, x in enumerate(links) if x.link in half])
    out: dict[str, Any] = {}
    for name in [*FUSIONS, *RERANKS]:
        theirs = summed(name)
        wins = 0
        for picked in halves:
            wins += sum(theirs[i] - ours[i] for i in picked) > 0
        out[name] = {
            **metrics.paired_bootstrap(theirs, ours, clusters=[x.link for x in links]),
            "halves_won": round(wins / HALVINGS, 3),
        }
    return out


def selection(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Choose the best dense variant on one half and read it on the other, both
    ways round: its MRR difference from ours on the half it was not chosen on."""
    variants = [*FUSIONS, *RERANKS]
    picked = []
    for chosen_on, read_on in (SPLITS, SPLITS[::-1]):
        best = max(variants, key=lambda name: figures[chosen_on][name]["mrr"])
        picked.append(
            {
                "chosen_on": chosen_on,
                "variant": best,
                "diff_there": figures[chosen_on][best]["diff_vs_ours"]["diff"],
                "read_on": read_on,
                **figures[read_on][best]["diff_vs_ours"],
            }
        )
    return picked


def _by_date(ctx: Any, lists: dict[str, dict[int, list[int]]]) -> dict[str, Any]:
    """MRR of each list on links whose two questions were both asked before
    ``TRAINED`` (such a pair could be in the model's training data: it learnt in
    mid-2021 from, among others, Stack Exchange duplicate questions) and on the
    rest, both halves together."""
    ids = {x.query for x in ctx.links} | {x.target for x in ctx.links}
    asked = dict(Question.objects.filter(pk__in=ids).values_list("pk", "created_at"))
    out: dict[str, Any] = {}
    for name, early in (("before", True), ("after", False)):
        links = [
            x
            for x in ctx.links
            if x.query in asked
            and x.target in asked
            and (max(asked[x.query], asked[x.target]) < TRAINED) == early
        ]
        out[name] = {"n": len(links)} | {
            method: metrics.summary(
                [
                    metrics.reciprocal_rank(ranked[x.query][:DEPTH], x.target)
                    for x in links
                ]
            )["mrr"]
            for method, ranked in lists.items()
            if method in ("ours", "dense", "bm25")
        }
    return out


def _embed_ms(probe: Probe, *, title_only: bool = False) -> float:
    started = time.perf_counter()
    embed([probe.title if title_only else question_text(probe.title, probe.body)])
    return (time.perf_counter() - started) * 1000


def _similar(probe: Probe, viewer: Any, *, with_body: bool) -> list[int]:
    """Our similar questions by words alone (meaning off: the variants add it)."""
    with override_settings(SEARCH_MEANING=False):
        return _similar_now(probe, viewer, with_body=with_body)


def _similar_now(probe: Probe, viewer: Any, *, with_body: bool) -> list[int]:
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
    lists: dict[str, dict[int, list[int]]] = {
        "ours": {},
        **{n: {} for n in FUSIONS},
        **{n: {} for n in RERANKS},
    }
    for pk in sample:
        title, body = by_id[pk]
        probe = Probe(id=pk, title=title, body=body)
        ours = _similar(probe, ctx.viewer, with_body=True)
        dense = index.nearest(question_text(title, body), exclude=pk)
        lists["ours"][pk] = ours[:top]
        for name, (k, weight) in FUSIONS.items():
            lists[name][pk] = rrf([ours, dense], [1.0, weight], k)[:top]
        by_cosine = index.order(question_text(title, body), ours)
        for name, (k, weight) in RERANKS.items():
            lists[name][pk] = rrf([ours, by_cosine], [1.0, weight], k)[:top]
    return {
        name: metrics.diversity(found, linked, top=top) for name, found in lists.items()
    }


def render(result: dict[str, Any]) -> list[str]:
    lines = [
        f"dense ({result['model']}; (k, dense weight) of the fusions "
        f"{result['fusions']} and reranks {result.get('reranks', {})})"
    ]
    for surface in ("similar_title", "similar_title_body", "search_api"):
        for split in SPLITS:
            figures = result[surface][split]
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
        dated = result[surface].get("by_date")
        if dated:
            lines.append(
                f"  {surface}, both halves, by when the pair was asked (before / after "
                f"{TRAINED:%Y-%m}, n={dated['before']['n']}/{dated['after']['n']}): "
                + ", ".join(
                    f"{m} {dated['before'][m]:.3f}/{dated['after'][m]:.3f}"
                    for m in ("bm25", "ours", "dense")
                )
            )
        for pick in result[surface].get("selection", []):
            lines.append(
                f"  {surface}: best on {pick['chosen_on']} {pick['variant']} "
                f"({pick['diff_there']:+.3f} vs ours there), on {pick['read_on']} "
                f"{pick['diff']:+.3f} [{pick['ci_low']:+.3f}, {pick['ci_high']:+.3f}]"
            )
    for name, h in result.get("halvings", {}).items():
        lines.append(
            f"  all pairs, three surfaces summed, {name} vs ours by words: "
            f"{h['diff']:+.3f} [{h['ci_low']:+.3f}, {h['ci_high']:+.3f}], "
            f"better on {h['halves_won']:.0%} of {HALVINGS} random halves"
        )
    cost = result["cost"]
    query = cost["query_embed_ms"]
    lines.append(
        f"  cost: model load {cost['model_load_s']} s, "
        f"{cost['index_ms_per_question']} ms per question at index time "
        f"({cost['questions']}), a draft's vector p50 "
        f"{query['p50_ms']} ms p95 {query['p95_ms']} ms"
        + (
            f", a title's p50 {cost['title_embed_ms']['p50_ms']} ms p95 "
            f"{cost['title_embed_ms']['p95_ms']} ms"
            if "title_embed_ms" in cost
            else ""
        )
    )
    for name, figures in result["diversity"].items():
        lines.append(
            f"  diversity {name}: top result in {figures['top_share']:.1%} of "
            f"{figures['lists']} lists"
        )
    return lines

"""The evaluation report: one function per section, each taking the run's
``Context`` and returning a JSON-able dict (``SECTIONS`` lists them in order).

A comparing section measures ours against a baseline on the same probes in the
same run, alternating which goes first so that a busy machine slows both alike,
and reports the tune and report splits separately (tune on one, judge on the
other). Adding a section: write ``def section_x(ctx) -> dict`` and add it to
``SECTIONS``; ``render`` prints any section that has ``splits``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.qa.models import Question
from search.client import get_client

from . import bm25, dataset, dense, methods, metrics
from .dataset import SPLITS, Link
from .methods import Method, Probe
from .offtopic import OFF_TOPIC

# What the issue asks on held-out pairs (ratio of MRRs, ours ÷ BM25).
TARGETS = {
    "similar_title_body": {"mrr_gain": 1.3, "ci_above_zero": True},
    "similar_title": {"mrr_gain": 1.2},
    "search_api": {"mrr_gain": 1.25, "p50_ratio": 1.5},
    "diversity": {"top_share": 0.05},
}


@dataclass
class Context:
    """Everything a section needs: the judged links (local ids), the questions and
    who searches."""

    dump: Path
    links: list[Link]
    probes: dict[int, Probe]
    viewer: Any
    extra: dict[str, Any] = field(default_factory=dict)
    # (what, done, total, unit=): how far a section is, for a long run on a
    # large site (``runner.RunProgress``).
    progress: Callable[..., None] = lambda *args, **kwargs: None
    section: str = ""  # the section running, named in its progress

    def linked(self) -> dict[int, set[int]]:
        """For each question, every question linked to it (either direction)."""
        out: dict[int, set[int]] = {}
        for link in self.links:
            out.setdefault(link.query, set()).add(link.target)
            out.setdefault(link.target, set()).add(link.query)
        return out


@contextmanager
def es_took() -> Iterator[list[float]]:
    """Record Elasticsearch's own time (``took``, ms) of every search request
    sent meanwhile: what a ranking change costs inside the node, apart from
    Django and the network."""
    client = get_client()
    took: list[float] = []
    if client is None:
        yield took
        return
    original = client.search

    def search(*args: Any, **kwargs: Any) -> Any:
        response = original(*args, **kwargs)
        took.append(float(response.get("took", 0)))
        return response

    client.search = search  # type: ignore[method-assign]
    try:
        yield took
    finally:
        del client.search


def _timed(method: Method, probe: Probe) -> tuple[list[int], float, float]:
    """The ranking, the call's wall time and its requests' Elasticsearch time."""
    with es_took() as took:
        started = time.perf_counter()
        ranked = method(probe)
        elapsed = (time.perf_counter() - started) * 1000
    return ranked, elapsed, sum(took)


def compare(ctx: Context, ours: Method, base: Method) -> dict[str, Any]:
    """Rank every linked probe with both methods; figures per split, the paired
    bootstrap interval of the MRR difference and both methods' latency."""
    lists: dict[str, dict[int, list[int]]] = {"ours": {}, "bm25": {}}
    times: dict[str, list[float]] = {"ours": [], "bm25": []}
    took: dict[str, list[float]] = {"ours": [], "bm25": []}
    queries = sorted({link.query for link in ctx.links})
    for i, query in enumerate(queries):
        ctx.progress(ctx.section or "probes", i, len(queries), unit="question")
        probe = ctx.probes[query]
        order = [("ours", ours), ("bm25", base)]
        for name, method in order if i % 2 == 0 else order[::-1]:
            ranked, ms, es_ms = _timed(method, probe)
            lists[name][query] = ranked
            times[name].append(ms)
            took[name].append(es_ms)
    ctx.progress(ctx.section or "probes", len(queries), len(queries), unit="question")
    splits = {}
    for split in SPLITS:
        links = [link for link in ctx.links if link.split == split]
        rr = {
            name: [
                metrics.reciprocal_rank(lists[name][x.query], x.target) for x in links
            ]
            for name in lists
        }
        ours_s, base_s = metrics.summary(rr["ours"]), metrics.summary(rr["bm25"])
        gain = round(ours_s["mrr"] / base_s["mrr"], 3) if base_s["mrr"] else None
        splits[split] = {
            "ours": ours_s,
            "bm25": base_s,
            "mrr_gain": gain,
            "mrr_diff": metrics.paired_bootstrap(
                rr["ours"], rr["bm25"], clusters=[x.link for x in links]
            ),
            "links": len({x.link for x in links}),
        }
    ours_lat, base_lat = metrics.latency(times["ours"]), metrics.latency(times["bm25"])
    return {
        "splits": splits,
        "latency": {
            "ours": ours_lat,
            "bm25": base_lat,
            "p50_ratio": round(ours_lat["p50_ms"] / max(base_lat["p50_ms"], 0.1), 2),
            # Elasticsearch's own time per call (sum of ``took``): the query's
            # cost without Django, the database re-check or the network.
            "es_took": {
                "ours": metrics.latency(took["ours"]),
                "bm25": metrics.latency(took["bm25"]),
            },
        },
        "empty_lists": sum(not v for v in lists["ours"].values()),
        "_lists": lists,
    }


def section_similar_title(ctx: Context) -> dict[str, Any]:
    """Similar questions from the title alone (what the Ask page sends while typing)."""
    return compare(
        ctx, methods.similar(viewer=ctx.viewer, with_body=False), methods.bm25_title
    )


def section_similar_title_body(ctx: Context) -> dict[str, Any]:
    """Similar questions from title and body (the Ask form, "Related questions")."""
    return compare(
        ctx, methods.similar(viewer=ctx.viewer, with_body=True), methods.bm25_title_body
    )


def section_search_api(ctx: Context) -> dict[str, Any]:
    """The search API with a question's title as ``q``."""
    return compare(ctx, methods.search_api(viewer=ctx.viewer), methods.bm25_search)


def section_diversity(ctx: Context, *, size: int = 300, top: int = 5) -> dict[str, Any]:
    """Share of "similar questions" lists (title + body, the 5 shown) in which the
    most frequent single result appears, over a sample of all questions."""
    ids = list(Question.objects.visible().values_list("pk", flat=True))
    sample = dataset.sample(ids, size)
    probes = {
        q.pk: Probe(id=q.pk, title=q.title, body=q.body)
        for q in Question.objects.filter(pk__in=sample)
    }
    ours = methods.similar(viewer=ctx.viewer, with_body=True)
    linked = ctx.extra.get("linked_local") or ctx.linked()
    out: dict[str, Any] = {}
    for name, method in (("ours", ours), ("bm25", methods.bm25_title_body)):
        lists = {pk: method(probe)[:top] for pk, probe in probes.items()}
        figures = metrics.diversity(lists, linked, top=top)
        top_id = figures["top_id"]
        if top_id is not None:
            figures["top_title"] = Question.objects.get(pk=top_id).title
            # Where it was listed, so a person can judge whether it is noise
            # or a question many others are really like.
            figures["top_listed_for"] = [
                {"title": probes[pk].title, "rank": ranked.index(top_id) + 1}
                for pk, ranked in lists.items()
                if top_id in ranked and top_id not in linked.get(pk, set())
            ]
        out[name] = figures
    return out


def section_off_topic(ctx: Context, *, top: int = 5) -> dict[str, Any]:
    """How many "similar questions" lists (the 5 shown) are not empty for drafts
    about something else than the site (``offtopic.OFF_TOPIC``), from a title
    and from a title and body: every question listed for them is noise."""
    out: dict[str, Any] = {"drafts": len(OFF_TOPIC)}
    drafts = [Probe(id=0, title=t, body=b) for t, b in OFF_TOPIC]
    for name, with_body, base in (
        ("title", False, methods.bm25_title),
        ("title_body", True, methods.bm25_title_body),
    ):
        method = methods.similar(viewer=ctx.viewer, with_body=with_body, limit=top)
        lists = [method(draft) for draft in drafts]
        base_lists = [base(draft)[:top] for draft in drafts]
        titles = dict(
            Question.objects.filter(
                pk__in={pk for ranked in lists for pk in ranked}
            ).values_list("pk", "title")
        )
        out[name] = {
            "lists_shown": sum(bool(ranked) for ranked in lists),
            "questions_shown": sum(len(ranked) for ranked in lists),
            "bm25": {
                "lists_shown": sum(bool(ranked) for ranked in base_lists),
                "questions_shown": sum(len(ranked) for ranked in base_lists),
            },
            # What was shown, so a person can judge it.
            "shown": [
                {"draft": title, "listed": [titles[pk] for pk in ranked]}
                for (title, _body), ranked in zip(OFF_TOPIC, lists, strict=True)
                if ranked
            ],
        }
    return out


Section = Callable[[Context], dict[str, Any]]
SECTIONS: dict[str, Section] = {
    "similar_title": section_similar_title,
    "similar_title_body": section_similar_title_body,
    "search_api": section_search_api,
    "diversity": section_diversity,
    "off_topic": section_off_topic,
}
# Run only when named (``search_eval --sections dense``), not by ``make eval``:
# the dense retriever needs an optional package and did not help, and the BM25
# grid takes minutes and found the committed values (README).
OPTIONAL_SECTIONS: dict[str, Section] = {"dense": dense.section, "bm25": bm25.section}


def verdicts(results: dict[str, Any], split: str = "report") -> dict[str, bool]:
    """Which of the issue's targets the ``split`` figures meet."""
    out = {}
    for name, target in TARGETS.items():
        result = results.get(name)
        if not result:
            continue
        if name == "diversity":
            out[name] = result["ours"]["top_share"] <= target["top_share"]
            continue
        figures = result["splits"][split]
        ok = (figures["mrr_gain"] or 0) >= target["mrr_gain"]
        if target.get("ci_above_zero"):
            ok = ok and figures["mrr_diff"]["ci_low"] > 0
        if "p50_ratio" in target:
            ok = ok and result["latency"]["p50_ratio"] <= target["p50_ratio"]
        out[name] = ok
    return out


def render(name: str, result: dict[str, Any]) -> list[str]:
    """Lines for the terminal."""
    if name == "dense":
        return dense.render(result)
    if name == "bm25":
        return bm25.render(result)
    lines = [f"{name}"]
    if "splits" in result:
        for split in SPLITS:
            s = result["splits"][split]
            o, b, d = s["ours"], s["bm25"], s["mrr_diff"]
            lines.append(
                f"  {split:<6} n={o['n']:<4} ours MRR {o['mrr']:.3f} "
                f"R@1/5/10 {o['recall@1']:.2f}/{o['recall@5']:.2f}/{o['recall@10']:.2f}"
                f" | BM25 MRR {b['mrr']:.3f} "
                f"R@1/5/10 {b['recall@1']:.2f}/{b['recall@5']:.2f}/{b['recall@10']:.2f}"
                f" | gain {s['mrr_gain']}× diff {d['diff']:+.3f} "
                f"[{d['ci_low']:+.3f}, {d['ci_high']:+.3f}]"
            )
        lat = result["latency"]
        lines.append(
            f"  latency ours p50 {lat['ours']['p50_ms']} ms p95 {lat['ours']['p95_ms']}"
            f" ms | BM25 p50 {lat['bm25']['p50_ms']} ms p95 {lat['bm25']['p95_ms']} ms"
            f" | p50 ratio {lat['p50_ratio']}× | empty lists {result['empty_lists']}"
        )
        es = lat.get("es_took")
        if es:
            lines.append(
                f"  Elasticsearch took ours p50 {es['ours']['p50_ms']} ms p95 "
                f"{es['ours']['p95_ms']} ms | BM25 p50 {es['bm25']['p50_ms']} ms "
                f"p95 {es['bm25']['p95_ms']} ms"
            )
    elif name == "diversity":
        for method in ("ours", "bm25"):
            r = result[method]
            lines.append(
                f"  {method:<5} top result in {r['top_share']:.1%} of "
                f"{r['lists']} lists"
                f" ({r.get('top_title', '-')!s:.60}); empty lists {r['empty_lists']}"
            )
        listed = result["ours"].get("top_listed_for") or []
        lines.extend(
            f"    listed for: {row['title']!s:.70} (#{row['rank']})" for row in listed
        )
    elif name == "off_topic":
        for surface, label in (("title", "title only"), ("title_body", "title + body")):
            r = result[surface]
            lines.append(
                f"  {label:<12} a list for {r['lists_shown']} of {result['drafts']} "
                f"drafts on other subjects, {r['questions_shown']} questions "
                f"| BM25 {r['bm25']['lists_shown']}, {r['bm25']['questions_shown']}"
            )
    else:
        lines.append(f"  {result}")
    return lines


def run(ctx: Context, names: list[str] | None = None, *, log=print) -> dict[str, Any]:
    """Run the sections (all by default) and return their JSON-able results."""
    results: dict[str, Any] = {}
    for name in names or list(SECTIONS):
        started = time.monotonic()
        ctx.section = name
        result = {**SECTIONS, **OPTIONAL_SECTIONS}[name](ctx)
        result.pop("_lists", None)
        result["seconds"] = round(time.monotonic() - started, 1)
        results[name] = result
        for line in render(name, result):
            log(line)
    return results

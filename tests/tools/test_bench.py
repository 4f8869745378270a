"""The benchmark's own arithmetic and corpus (no node; one test reads the
outbox, as every built query does)."""

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from search.queries import SearchParams, build_search
from tools import bench
from tools.management.commands.search_bench import markdown

DEMO_DUMP = "kb/imports/demo_data/cardano"
ROOT = Path(__file__).resolve().parents[2]


def test_zipf_fit_recovers_the_exponent():
    counts = [round(1_000_000 * rank**-1.2) for rank in range(1, 6000)]
    s, _ = bench.zipf_fit(counts)
    assert abs(s - 1.2) < 0.02


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert bench.percentile(values, 50) == 50
    assert bench.percentile(values, 95) == 95
    assert bench.percentile([7.0], 99) == 7.0


def _people():
    users = [
        SimpleNamespace(pk=i, username=f"u{i}", get_display_name=lambda: "U")
        for i in range(1, 4)
    ]
    community = SimpleNamespace(pk=9, slug="platform", title="Platform")
    return bench.People(users, community)


def test_generated_documents_do_not_depend_on_how_they_are_batched():
    from pathlib import Path

    from django.conf import settings

    profile = bench.Profile(Path(settings.BASE_DIR) / DEMO_DUMP, tail_factor=2)
    people = _people()
    whole = list(bench.synthetic_documents(profile, people, start=990, stop=1010))
    parts = [
        *bench.synthetic_documents(profile, people, start=990, stop=1001),
        *bench.synthetic_documents(profile, people, start=1001, stop=1010),
    ]
    assert [d["object_id"] for d in whole] == [d["object_id"] for d in parts]
    assert [d["body"] for d in whole] == [d["body"] for d in parts]
    kinds = {d["kind"] for d in whole}
    assert kinds == {"question", "entry"}
    for doc in whole:
        if doc["kind"] == "entry":
            assert "public" not in doc["readers"]  # journal entries are never public
        else:
            assert doc["readers"] == ["public"]
            assert doc["answer_count"] == len(doc["answers"])


def test_targets_pass_and_miss():
    def level(docs, api_p50, floor_p50):
        return {
            "documents": docs,
            "latency": {
                "search_api": {"c1": {"p50_ms": api_p50}, "c8": {"p95_ms": 60}},
                "bm25_floor": {"c1": {"p50_ms": floor_p50}},
                "similar": {"c1": {"p50_ms": 10}},
            },
        }

    small, big = level(50_000, 10, 8), level(1_000_000, 40, 20)
    rows = {r["target"]: r["result"] for r in bench.check_targets(small, [small, big])}
    assert rows["search API p95 at c=8"] == "MISS"
    assert rows["search API p50 at c=1"] == "PASS"
    assert rows["similar questions p50"] == "PASS"
    assert rows["experts p50"] == "n/a"
    assert rows["search API p50 ÷ plain BM25 p50 (c=1)"] == "PASS"  # 1.25×
    growth = [r for t, r in rows.items() if t.startswith("search_api p50 grows")]
    assert growth == ["PASS"]  # 4× for 20× the documents


@pytest.mark.django_db
def test_query_variants_take_out_one_cost_each():
    from django.contrib.auth.models import AnonymousUser

    body = build_search(
        SearchParams(q="staking pool"), viewer=AnonymousUser()
    ).to_dict()
    variants = bench.query_variants(body)
    text = {name: json.dumps(v) for name, v in variants.items()}
    assert '"fuzziness"' not in text["raw_no_fuzziness"]
    assert '"aggs"' not in text["raw_no_facets"]
    assert "function_score" not in text["raw_no_function_score"]
    assert variants["raw_bare"]["track_total_hits"] is False
    moved = variants["raw_permission_in_query"]
    assert "post_filter" not in moved
    assert moved["query"]["bool"]["filter"] == [body["post_filter"]]
    assert moved["query"]["bool"]["must"] == body["query"]["bool"]["must"]
    # The permission filter is never what gets taken out.
    assert all('"readers"' in t for t in text.values())


def test_settle_waits_until_no_merge_runs_for_three_polls_then_flushes():
    running = iter([2, 0, 1, 0, 0, 0, 5])
    flushed: list[str] = []

    def stats(**kwargs):
        return {"_all": {"total": {"merges": {"current": next(running)}}}}

    def flush(*, index):
        flushed.append(index)

    client = SimpleNamespace(indices=SimpleNamespace(stats=stats, flush=flush))
    assert bench.settle(client, "content", poll=0) < 1
    # A quiet answer between two merges is not enough: three in a row are.
    assert next(running) == 5
    assert flushed == ["content"]
    busy = SimpleNamespace(
        indices=SimpleNamespace(
            stats=lambda **kwargs: {"_all": {"total": {"merges": {"current": 1}}}},
            flush=flush,
        )
    )
    assert bench.settle(busy, "content", timeout=0.05, poll=0.01) >= 0.05


def test_side_by_side_sends_each_input_to_every_way_in_rotating_order():
    calls: list[tuple[str, str]] = []
    sends = {
        name: (lambda q, name=name: calls.append((name, q)))
        for name in ("api", "raw", "bm25")
    }
    figures = bench.side_by_side(sends, ["a", "b"], count=3, max_seconds=60)
    assert calls == [
        ("api", "a"), ("raw", "a"), ("bm25", "a"),
        ("raw", "b"), ("bm25", "b"), ("api", "b"),
        ("bm25", "a"), ("api", "a"), ("raw", "a"),
    ]  # fmt: skip
    assert {name: f["requests"] for name, f in figures.items()} == {
        "api": 3,
        "raw": 3,
        "bm25": 3,
    }


@pytest.mark.django_db
def test_similar_bodies_differ_only_in_where_the_floor_looks():
    from django.contrib.auth.models import AnonymousUser

    bodies = bench.similar_bodies(
        "How do I check if a pool is saturated?", viewer=AnonymousUser()
    )
    words, three = bodies["similar_raw"], bodies["similar_raw_three_fields"]
    *rest, floor = words["post_filter"]["bool"]["filter"]
    *rest_three, floor_three = three["post_filter"]["bool"]["filter"]
    assert rest == rest_three and '"readers"' in json.dumps(rest)
    # As the API asks an English title: one subject word under meaning.
    (loose,) = floor["bool"]["filter"]
    assert loose == {
        "match": {
            "words_en": {"query": "check pool saturated", "minimum_should_match": "1"}
        }
    }
    (loose_three,) = floor_three["bool"]["filter"]
    assert loose_three["multi_match"]["fields"] == ["title.en", "body.en", "answers.en"]
    assert loose_three["multi_match"]["type"] == "cross_fields"
    assert {k: v for k, v in words.items() if k != "post_filter"} == {
        k: v for k, v in three.items() if k != "post_filter"
    }


def test_each_size_of_a_curve_gets_its_own_inputs_while_they_last():
    items = list(range(7))
    assert bench.nth_share(items, 0, 3) == [0, 1, 2]
    assert bench.nth_share(items, 1, 3) == [3, 4, 5]
    assert bench.nth_share(items, 2, 3) == [6, 0, 1]  # wraps around
    assert bench.nth_share(items[:2], 1, 3) == [1, 0]  # as many as there are
    assert bench.nth_share([], 0, 3) == []


def test_the_warm_up_never_asks_what_is_measured():
    measured = ["stake pool", "wallet sync"]
    pool = ["wallet sync", "plutus script", "stake pool", "ledger", "mint nft"]
    assert bench.warm_inputs(pool, avoid=measured, n=2) == ["plutus script", "ledger"]
    assert bench.warm_inputs(pool, avoid=measured, n=10) == [
        "plutus script",
        "ledger",
        "mint nft",
    ]
    assert bench.warm_inputs(pool, avoid=pool, n=3) == []
    assert bench.warm_inputs(pool, avoid=[], n=0) == []


def test_the_report_shows_the_second_pass_beside_the_side_by_side_figures():
    # A real report of this session's runs, with a second pass added.
    path = ROOT / "bench-results/2026-11-30-session16-no-title-highlight.json"
    report = json.loads(path.read_text())
    figures = {"p50_ms": 21.0, "p95_ms": 30.1, "requests": 60}
    report["curve"][0]["again"] = {"similar": figures, "bm25_floor": figures}
    text = markdown(report)
    side = text.index("The same titles sent in turn")
    again = text.index("Measured again after all the others")
    assert side < again
    assert "| similar questions API | 21.0 | 30.1 | 60 |" in text[again:]
    assert "| plain BM25 multi_match straight to ES | 11.6 |" in text[side:again]

"""The expert ranking itself (pure: hits and people records in, people out):
topic evidence smoothed against overall volume, so a specialist's few on-topic
answers beat a prolific generalist's, recent activity as the prior, and the
evidence each person keeps. The same ranking against a real node is in
``test_experts.py``."""

import itertools
from dataclasses import replace

from search.evaluation.experts import GRID
from search.expertise import DEFAULT_PARAMS, candidates, rank_experts, ranked_names


def _hit(n: int, score: float, *, accepted: str = "", answerers=(), tags=("x",)):
    return {
        "_score": score,
        "_source": {
            "kind": "question",
            "object_id": str(n),
            "url": f"/q/{n}/",
            "title": f"Question {n}",
            "accepted_answerer": accepted or None,
            "answerers": [accepted, *answerers] if accepted else list(answerers),
            "tags": list(tags),
        },
    }


def _record(*, accepted: int, answers: int, activity: float) -> dict:
    return {
        "accepted": accepted,
        "answers": answers,
        "pages": 0,
        "entries": 0,
        "activity": activity,
    }


def _names(hits, records, params=DEFAULT_PARAMS) -> list[str]:
    return [p["username"] for p in rank_experts(hits, records, params)]


def test_a_specialist_with_few_on_topic_answers_outranks_a_prolific_generalist():
    # The generalist answered three matching questions (one more than the
    # specialist, and as well matched) but 300 others, and is more active.
    hits = [
        _hit(1, 10.0, accepted="generalist"),
        _hit(2, 9.5, accepted="specialist"),
        _hit(3, 9.0, accepted="generalist"),
        _hit(4, 8.5, accepted="specialist"),
        _hit(5, 8.0, accepted="generalist"),
    ]
    records = {
        "generalist": _record(accepted=120, answers=180, activity=12.0),
        "specialist": _record(accepted=2, answers=1, activity=3.0),
    }

    assert _names(hits, records) == ["specialist", "generalist"]


def test_recent_activity_orders_people_with_the_same_evidence():
    hits = [_hit(1, 5.0, accepted="away"), _hit(2, 5.0, accepted="around")]
    records = {
        "away": _record(accepted=5, answers=5, activity=0.05),
        "around": _record(accepted=5, answers=5, activity=4.0),
    }

    assert _names(hits, records) == ["around", "away"]


def test_one_lucky_match_does_not_outweigh_a_record_on_the_topic():
    # Smoothing: a single weak match from someone with one answer does not beat
    # three strong accepted answers from a steady contributor, even from someone
    # more active (without smoothing, 0.3 / 1 answer would beat 8.1 / 20).
    hits = [
        _hit(1, 10.0, accepted="steady"),
        _hit(2, 9.0, accepted="steady"),
        _hit(3, 8.0, accepted="steady"),
        _hit(4, 3.0, answerers=["once"]),
    ]
    records = {
        "steady": _record(accepted=10, answers=10, activity=2.0),
        "once": _record(accepted=0, answers=1, activity=3.0),
    }

    assert _names(hits, records) == ["steady", "once"]


def test_each_expert_keeps_the_evidence_that_made_them_one():
    hits = [
        _hit(1, 10.0, accepted="ann", tags=("wallet", "node")),
        _hit(2, 7.0, accepted="bob", answerers=["ann"], tags=("wallet",)),
        _hit(3, 6.0, accepted="ann", tags=("node",)),
        _hit(4, 5.0, accepted="ann"),
        _hit(5, 4.0, accepted="ann"),
    ]
    records = {
        "ann": _record(accepted=4, answers=1, activity=2.0),
        "bob": _record(accepted=1, answers=0, activity=2.0),
    }

    ann = next(p for p in rank_experts(hits, records) if p["username"] == "ann")

    assert ann["counts"] == {"accepted": 4, "answers": 5, "pages": 0, "entries": 0}
    assert ann["tags"]["wallet"] == 2 and ann["tags"]["node"] == 2
    # The best-matching documents first, at most ``evidence_items`` of them;
    # an accepted answer counts more than a plain one.
    assert [(i["title"], i["role"]) for i in ann["items"]] == [
        ("Question 1", "accepted"),
        ("Question 3", "accepted"),
        ("Question 4", "accepted"),
    ]


def test_someone_not_yet_in_the_people_index_is_ranked_on_what_was_found():
    # The people index is rebuilt every quarter-hour: a newcomer's answers are
    # in the content index first, and count as recent.
    hits = [_hit(1, 10.0, accepted="newcomer"), _hit(2, 9.0, accepted="old")]
    records = {"old": _record(accepted=3, answers=3, activity=0.01)}

    ranked = rank_experts(hits, records)

    assert [p["username"] for p in ranked] == ["newcomer", "old"]
    assert ranked[0]["score"] > 0


def test_someone_rarely_accepted_ranks_below_someone_as_active_who_is():
    # Same matching answers, as much written, as active: the forecast names who
    # gets accepted, so the accepted-answer rate decides (the tie would
    # otherwise go to the first name).
    hits = [_hit(1, 5.0, answerers=["alex", "zoe"]), _hit(2, 4.0, answerers=["alex"])]
    hits.append(_hit(3, 4.0, answerers=["zoe"]))
    records = {
        "alex": _record(accepted=1, answers=19, activity=3.0),
        "zoe": _record(accepted=14, answers=6, activity=3.0),
    }

    assert _names(hits, records) == ["zoe", "alex"]


def test_the_past_week_counts_more_than_the_past_month():
    # Equal evidence; "earlier" was busier over the month, "now" this week.
    hits = [_hit(1, 5.0, accepted="earlier"), _hit(2, 5.0, accepted="now")]
    records = {
        "earlier": _record(accepted=5, answers=5, activity=6.0) | {"activity_7d": 0.2},
        "now": _record(accepted=5, answers=5, activity=2.0) | {"activity_7d": 1.5},
    }

    assert _names(hits, records) == ["now", "earlier"]


def test_the_tuning_grid_scores_gathered_candidates_as_the_ranking_orders_them():
    """``tune`` gathers each case's candidates once and scores them per grid
    point (``ranked_names``): the order must be ``rank_experts``' own, ties
    and people missing from the people index included."""
    hits = [
        _hit(n, 10.0 - n, accepted=f"p{n % 4}", answerers=(f"p{(n + 1) % 5}",))
        for n in range(12)
    ]
    records = {
        "p0": _record(accepted=30, answers=60, activity=4.0),
        "p1": _record(accepted=2, answers=1, activity=0.5),
        "p2": _record(accepted=0, answers=9, activity=2.0),
        "p3": {**_record(accepted=5, answers=5, activity=1.0), "activity_7d": 0.2},
    }  # p4 has no record yet
    names = list(GRID)
    for values in itertools.product(*(GRID[n] for n in names)):
        params = replace(DEFAULT_PARAMS, **dict(zip(names, values, strict=True)))
        people = candidates(hits[: params.docs], records, params)
        assert ranked_names(people, params, 10) == _names(hits, records, params)[:10]

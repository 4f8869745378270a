"""The expert forecast's bookkeeping on a tiny dump: what counts as before the
cut, which later questions are cases, the two baselines and the hit rates."""

import gzip
from datetime import UTC, datetime
from xml.sax.saxutils import quoteattr

from search.evaluation.experts import (
    Case,
    Dump,
    diversity,
    hits_at,
    hits_by_record,
    report,
    summary_lines,
    tune,
    tuning_report,
)
from search.expertise import DEFAULT_PARAMS


def _write(folder, name, rows):
    body = "".join(
        "<row " + " ".join(f"{k}={quoteattr(str(v))}" for k, v in row.items()) + " />"
        for row in rows
    )
    with gzip.open(folder / f"{name}.xml.gz", "wt") as handle:
        handle.write(f"<{name.lower()}>{body}</{name.lower()}>")


def _dump(tmp_path):
    folder = tmp_path / "tiny"
    folder.mkdir()
    q = {"PostTypeId": "1", "Title": "T", "Tags": "<wallet>"}
    a = {"PostTypeId": "2"}
    _write(
        folder,
        "Posts",
        [
            {
                **q,
                "Id": 1,
                "CreationDate": "2021-01-01T00:00:00",
                "AcceptedAnswerId": 2,
                "OwnerUserId": 9,
            },
            {
                **a,
                "Id": 2,
                "ParentId": 1,
                "CreationDate": "2021-01-02T00:00:00",
                "OwnerUserId": 5,
            },
            {
                **q,
                "Id": 3,
                "CreationDate": "2021-01-03T00:00:00",
                "AcceptedAnswerId": 4,
                "OwnerUserId": 9,
                "Tags": "|node|",  # the dumps of 2024 on write tags so
            },
            # answered before the cut, accepted only after it: not accepted at T
            {
                **a,
                "Id": 4,
                "ParentId": 3,
                "CreationDate": "2021-01-04T00:00:00",
                "OwnerUserId": 6,
            },
            {
                **q,
                "Id": 5,
                "CreationDate": "2021-02-01T00:00:00",
                "AcceptedAnswerId": 6,
                "Title": "Later wallet question",
                "OwnerUserId": 9,
            },
            {
                **a,
                "Id": 6,
                "ParentId": 5,
                "CreationDate": "2021-02-02T00:00:00",
                "OwnerUserId": 6,
            },
            {
                **q,
                "Id": 7,
                "CreationDate": "2021-02-03T00:00:00",
                "AcceptedAnswerId": 8,
                "OwnerUserId": 9,
            },
            {
                **a,
                "Id": 8,
                "ParentId": 7,
                "CreationDate": "2021-02-04T00:00:00",
                "OwnerUserId": 77,
            },  # never answered before: not a case
        ],
    )
    _write(
        folder,
        "Votes",
        [
            {
                "Id": 1,
                "PostId": 4,
                "VoteTypeId": 1,
                "CreationDate": "2021-01-20T00:00:00",
            },
            {
                "Id": 2,
                "PostId": 6,
                "VoteTypeId": 2,
                "CreationDate": "2021-02-05T00:00:00",
            },
        ],
    )
    _write(folder, "Users", [{"Id": 5}, {"Id": 6}, {"Id": 9}, {"Id": 77}])
    return Dump(folder)


def test_cases_are_later_questions_answered_by_someone_known_before(tmp_path):
    dump = _dump(tmp_path)
    cut = datetime(2021, 1, 10, tzinfo=UTC)

    cases = dump.cases(cut)

    assert [(c.question, c.expert) for c in cases] == [(5, "se-tiny-6")]


def test_baselines_count_only_what_was_accepted_before_the_cut(tmp_path):
    dump = _dump(tmp_path)
    cut = datetime(2021, 1, 10, tzinfo=UTC)

    overall, per_tag = dump.baselines(cut)

    assert overall == ["se-tiny-5"]
    assert per_tag(dump.cases(cut)[0]) == ["se-tiny-5"]
    # Either way a dump writes them, tags are read one by one.
    assert dump.posts[1].tags == ("wallet",) and dump.posts[3].tags == ("node",)


def test_the_dump_at_the_cut_holds_nothing_from_after_it(tmp_path):
    dump = _dump(tmp_path)
    cut = datetime(2021, 1, 10, tzinfo=UTC)

    before = Dump(dump.write_before(cut, tmp_path / "out" / "tiny"))

    assert sorted(before.posts) == [1, 2, 3, 4]
    assert before.posts[1].accepted == 2
    assert before.posts[3].accepted is None  # accepted on 20 January
    assert before.accept_votes == {}


def test_hit_rates_and_diversity():
    cases = [
        Case(
            question=n,
            title="",
            tags=(),
            created=datetime(2021, 1, 1, tzinfo=UTC),
            expert=name,
        )
        for n, name in enumerate(["a", "b", "c"])
    ]
    lists = [["a", "x"], ["x", "y", "z", "w", "v", "b"], ["x"]]

    figures = hits_at(lists, cases)

    assert figures == {
        "n": 3,
        "top1": 0.333,
        "top5": 0.333,
        "top10": 0.667,
        "mrr10": round((1 + 1 / 6) / 3, 3),
    }
    assert diversity(lists) == 1.0


def test_hits_are_told_apart_by_the_experts_earlier_answers(tmp_path):
    dump = _dump(tmp_path)
    cut = datetime(2021, 1, 10, tzinfo=UTC)
    answers = dump.answers_before(cut)
    assert answers == {"se-tiny-5": 1, "se-tiny-6": 1}  # answer 6 is after T
    cases = [
        Case(question=n, title="", tags=(), created=cut, expert=name)
        for n, name in enumerate(["se-tiny-6", "prolific", "prolific", "steady"])
    ]
    answers.update({"prolific": 25, "steady": 7})
    lists = [["x"] * 10 + ["se-tiny-6"], ["prolific"], ["x"], ["steady"]]

    bands = hits_by_record(lists, cases, answers)

    assert bands == {
        "1": {"cases": 1, "top10": 0},  # eleventh: not in the top 10
        "2-4": {"cases": 0, "top10": 0},
        "5-19": {"cases": 1, "top10": 1},
        "20+": {"cases": 2, "top10": 1},
    }


def test_tuning_cases_stop_at_the_cut(tmp_path):
    dump = _dump(tmp_path)
    origin = datetime(2021, 1, 10, tzinfo=UTC)

    assert dump.cases(origin, until=datetime(2021, 2, 1, tzinfo=UTC)) == []
    assert [c.question for c in dump.cases(origin, until=dump.cut(1.0))] == [5]


def test_tuning_forecasts_before_the_cut_and_the_report_after_it(tmp_path):
    dump = _dump(tmp_path)
    origin = datetime(2021, 1, 10, tzinfo=UTC)
    cut = datetime(2021, 2, 3, tzinfo=UTC)  # question 5 is before it, 7 after
    asked: list[str] = []

    def fetch(title: str, docs: int):
        asked.append(title)
        hit = {
            "_score": 1.0,
            "_source": {
                "kind": "question",
                "object_id": "1",
                "url": "/q/1/",
                "title": "T",
                "accepted_answerer": "se-tiny-6",
                "answerers": ["se-tiny-6"],
                "tags": ["wallet"],
            },
        }
        return [hit], {}

    prepared: list[datetime] = []

    steps: list[tuple[str, int, int]] = []

    tuning = tuning_report(
        dump=dump,
        windows=[(origin, cut)],
        fetch=fetch,
        prepare=prepared.append,
        out=str,
        progress=lambda what, done, total, unit: steps.append((what, done, total)),
    )

    assert prepared == [origin]  # the site as it was at the window's origin
    assert asked == ["Later wallet question"]
    assert tuning["cases"] == 1 and tuning["best_on_tune"]["top1"] == 1.0
    assert tuning["defaults_on_tune"]["top1"] == 1.0
    assert tuning["defaults_are_best"] is True  # the defaults win ties
    assert tuning["candidates"] == {"100": 1.0, "200": 1.0}
    points = tuning["grid_points"]
    assert steps[-1] == ("tuning grid", points, points)  # the grid says how far

    result = report(dump=dump, cut=cut, api=lambda title: [], tuning=tuning, out=str)

    # Question 7's answerer never answered before the cut: no case after it.
    assert result["cases"] == 0 and result["held_out"]["hallway"]["n"] == 0
    assert result["held_out"]["by_answers_before_t"]["hallway"]["1"]["cases"] == 0
    assert result["tuning"]["defaults_are_best"] is True


def test_a_dump_without_cases_keeps_the_defaults_and_says_why():
    """A young site may have no accepted answer by an earlier answerer in a
    window: the tuning keeps the defaults instead of failing on empty
    figures, and the report says why its table is empty."""
    best, figures = tune([], [])
    assert best == DEFAULT_PARAMS
    assert figures["n"] == 0 and figures["top10"] is None
    empty = {"n": 0, "top1": None, "top5": None, "top10": None, "mrr10": None}
    part = {
        "hallway": empty,
        "most_accepted_before_t": empty,
        "most_accepted_in_tags_before_t": empty,
        "diversity_top5": {"hallway": None, "most_accepted_in_tags_before_t": None},
        "by_answers_before_t": {"hallway": {}, "most_accepted_before_t": {}},
    }
    lines = summary_lines(
        {
            "dump": "young",
            "cut": "2021-10-25T00:00:00",
            "questions_before_cut": 3,
            "questions_after_cut": 1,
            "cases": 0,
            "held_out": part,
            "held_out_late": part,
        }
    )
    assert any("no case to forecast" in line for line in lines)
    assert lines[0].startswith("Expert forecast on young: cut 2021-10-25")
    # A large site's slice names the dump it was cut from.
    sliced = summary_lines(
        {
            "dump": "var/eval-slices/big-0123456789ab/big",
            "slice": {"dump": "/data/big", "questions": 90000, "kept": 20000},
            "cut": "2021-10-25T00:00:00",
            "questions_before_cut": 16000,
            "questions_after_cut": 4000,
            "cases": 0,
            "held_out": part,
            "held_out_late": part,
        }
    )
    assert sliced[0].startswith(
        "Expert forecast on the newest 20000 of 90000 questions of /data/big:"
    )

"""Query builders, checked without a node through ``to_dict()`` (with a
database: the permission filter leaves out documents whose outbox change has
not landed)."""

import json
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from search.documents import SUMMARY_CHARS, index_source, summary_of
from search.expertise import _as_source, expert_query
from search.models import OutboxEntry
from search.queries import (
    FULL_FLOOR,
    SUBJECT_BOOST,
    SearchParams,
    build_autocomplete,
    build_correction_probe,
    build_facet_sample,
    build_search,
    build_similar,
    crosses_languages,
    facet_counts,
    visibility_filter,
)

pytestmark = pytest.mark.django_db


def _member(pk=7):
    return SimpleNamespace(is_authenticated=True, pk=pk)


def test_anonymous_readers_only_match_public_documents():
    body = build_search(SearchParams(q="deploy"), viewer=AnonymousUser()).to_dict()
    # After scoring: hits, totals, rescore and snippets, never a non-reader's.
    assert body["post_filter"] == {"terms": {"readers": ["public"]}}
    assert "filter" not in body["query"]["bool"]


def test_members_read_as_themselves_and_signed_in(monkeypatch):
    monkeypatch.setattr("search.queries.community_ids_for", lambda user: {3, 1})
    body = build_search(SearchParams(q="x"), viewer=_member()).to_dict()
    readers = body["post_filter"]["terms"]["readers"]
    assert readers == ["public", "members", "user:7", "community:1", "community:3"]


def test_facets_and_filters_sit_inside_the_permission_filtered_query(monkeypatch):
    monkeypatch.setattr("search.queries.community_ids_for", lambda user: set())
    params = SearchParams(
        q="x", kind="question", tag="Deploy", community="platform", language="nl"
    )
    body = build_search(params, viewer=_member()).to_dict()
    filters = body["query"]["bool"]["filter"]
    assert {"term": {"kind": "question"}} in filters
    assert {"term": {"language": "nl"}} in filters
    assert {"term": {"tags": "deploy"}} in filters
    assert {"term": {"community": "platform"}} in filters
    # With words, facets count the best matches of the same query, fetched
    # lean beside it (no aggregation in the search itself).
    assert "aggs" not in body
    sample = build_facet_sample(build_search(params, viewer=_member())).to_dict()
    assert sample["query"] == body["query"]
    assert sample["post_filter"] == body["post_filter"]  # the reader's filter
    facets = {"kind", "tags", "community", "language"}
    assert set(sample["docvalue_fields"]) == facets
    assert sample["_source"] is False and sample["track_total_hits"] is False
    assert "rescore" not in sample and "highlight" not in sample
    browse = build_search(SearchParams(q=""), viewer=_member()).to_dict()
    assert set(browse["aggs"]) == facets
    assert "aggs" not in build_search(params, viewer=_member(), facets=False).to_dict()


def test_text_queries_pay_only_for_what_they_use():
    body = build_search(SearchParams(q="deploy"), viewer=AnonymousUser()).to_dict()
    assert "fuzziness" not in str(body["query"])
    assert "function_score" not in str(body["query"])
    answers, quality = body["rescore"]
    assert answers["window_size"] == 200 and quality["window_size"] == 50
    assert body["track_total_hits"] == 1000
    fuzzy = build_search(SearchParams(q="deploy"), viewer=AnonymousUser(), fuzzy=True)
    assert "fuzziness" in str(fuzzy.to_dict()["query"])
    far = build_search(SearchParams(q="deploy", page=4), viewer=AnonymousUser())
    assert [r["window_size"] for r in far.to_dict()["rescore"]] == [200]
    assert (
        "rescore"
        not in build_search(
            SearchParams(q="deploy", page=11), viewer=AnonymousUser()
        ).to_dict()
    )


def test_answers_count_among_the_best_hits_not_over_every_document():
    body = build_search(SearchParams(q="deploy"), viewer=AnonymousUser()).to_dict()
    fields = body["query"]["bool"]["must"][0]["multi_match"]["fields"]
    assert fields == ["title.en^2", "body.en"]
    answers = body["rescore"][0]
    assert answers["query"]["rescore_query"] == {
        "match": {"answers.en": {"query": "deploy"}}
    }
    assert answers["query"]["score_mode"] == "total"
    assert body["rescore"][1]["query"]["score_mode"] == "multiply"
    # The second pass (too few hits) also finds documents by their answers.
    fuzzy = build_search(SearchParams(q="deploy"), viewer=AnonymousUser(), fuzzy=True)
    assert "answers.en" in str(fuzzy.to_dict()["query"])


def test_highlights_are_html_encoded():
    body = build_search(SearchParams(q="x"), viewer=AnonymousUser()).to_dict()
    assert body["highlight"]["encoder"] == "html"


def test_empty_query_lists_recent_content():
    body = build_search(SearchParams(q=""), viewer=AnonymousUser()).to_dict()
    assert body["sort"][0] == {"updated_at": {"order": "desc"}}


def test_page_size_is_capped():
    body = build_search(
        SearchParams(q="x", page=3, page_size=500), viewer=AnonymousUser()
    ).to_dict()
    assert body["size"] == 50 and body["from"] == 100


def test_autocomplete_is_limited_by_the_same_principals():
    body = build_autocomplete("depl", viewer=AnonymousUser()).to_dict()
    assert body["post_filter"] == {"terms": {"readers": ["public"]}}


def test_dutch_sub_fields_join_only_when_the_query_needs_them():
    english = build_search(
        SearchParams(q="How do I delegate stake to a pool"), viewer=AnonymousUser()
    ).to_dict()
    fields = english["query"]["bool"]["must"][0]["multi_match"]["fields"]
    assert not any(f.startswith(("title.nl", "body.nl")) for f in fields)
    dutch = build_search(
        SearchParams(q="Waar dien ik een laptopaanvraag in?"), viewer=AnonymousUser()
    ).to_dict()
    fields = dutch["query"]["bool"]["must"][0]["multi_match"]["fields"]
    assert "title.nl^0.5" in fields and "body.nl^0.5" in fields
    for text in ("verloven", "vakantiedagen", "laptop aanvragen", "wachtwoord"):
        assert crosses_languages(text), text
    assert not crosses_languages("Installing cardano-node on an M1 Mac")


def test_expert_evidence_reads_doc_values_not_sources():
    body = expert_query(q="staking", viewer=AnonymousUser(), size=300)
    assert body["_source"] is False
    assert body["post_filter"] == {"terms": {"readers": ["public"]}}
    hit = _as_source(
        {
            "_score": 1.0,
            "fields": {
                "kind": ["question"],
                "object_id": ["4"],
                "title": ["Stake"],
                "answerers": ["ann", "bob"],
                "accepted_answerer": ["bob"],
            },
        }
    )
    assert hit["_source"]["title"] == "Stake"
    assert hit["_source"]["accepted_answerer"] == "bob"
    assert hit["_source"]["answerers"] == ["ann", "bob"]
    assert hit["_source"]["tags"] == [] and hit["_source"]["author"] is None


def test_snippets_are_highlighted_in_the_short_summary_not_whole_bodies():
    body = build_search(SearchParams(q="deploy"), viewer=AnonymousUser()).to_dict()
    # Titles are shown as they are: highlighting them cost a third of the query.
    assert set(body["highlight"]["fields"]) == {"summary"}
    assert body["highlight"]["highlight_query"] == {"match": {"summary": "deploy"}}
    # The source sends what a result shows: no body, summary, answers or vector.
    sent = set(body["_source"]["includes"])
    assert not sent & {"summary", "body", "answers", "meaning", "readers"}


def test_the_summary_is_the_start_of_the_body_cut_between_words():
    long = "word " * 400
    summary = summary_of(long)
    assert len(summary) <= SUMMARY_CHARS
    assert long.startswith(summary) and summary.endswith("word")
    assert summary_of("short body") == "short body"
    doc = index_source({"title": "T", "body": long, "readers": ["public"]})
    assert doc["summary"] == summary and doc["title_suggest"]["input"] == ["T"]


def test_the_subject_words_of_a_draft_count_extra_in_similar_questions(
    monkeypatch,
):
    monkeypatch.setattr("search.queries.read_alias", lambda: "content")
    # Search pays no extra clause for them (measured: twice the node's time).
    body = build_search(
        SearchParams(q="How do I check if a pool is saturated?"),
        viewer=AnonymousUser(),
    ).to_dict()
    assert "should" not in json.dumps(body)
    # Similar questions score them in the rescore, and filter by the floor
    # after scoring, in the one field of every word.
    similar = build_similar(
        title="How do I check if a pool is saturated?", viewer=AnonymousUser()
    ).to_dict()
    (text,) = similar["query"]["bool"]["must"]
    answers, bonus = similar["rescore"][0]["query"]["rescore_query"]["bool"]["should"]
    assert bonus["multi_match"]["query"] == "check pool saturated"
    assert bonus["multi_match"]["boost"] == 1 + SUBJECT_BOOST
    floor = similar["post_filter"]["bool"]["filter"][-1]
    # Named: each hit says whether it met it (see the next test).
    assert floor == {
        "bool": {
            "_name": FULL_FLOOR,
            "filter": [
                {
                    "match": {
                        "words_en": {
                            "query": "check pool saturated",
                            "minimum_should_match": "2<50%",
                        }
                    }
                }
            ],
        }
    }


def test_under_meaning_the_floor_asks_one_word_of_what_meaning_reads(monkeypatch):
    """Hits meaning will judge (English, or of unknown language) need one
    subject word, others the full floor, and so does the bonus."""
    monkeypatch.setattr("search.queries.read_alias", lambda: "content")
    similar = build_similar(
        title="How do I check if a pool is saturated?",
        viewer=AnonymousUser(),
        meaning_reads=("", "en"),
    ).to_dict()
    floor = similar["post_filter"]["bool"]["filter"][-1]["bool"]
    (loose,) = floor["filter"]
    assert loose["match"]["words_en"]["minimum_should_match"] == "1"
    # Hits in a language meaning does not read need the full floor ...
    (others,) = floor["must_not"]
    assert others["bool"]["filter"] == [{"terms": {"language": ["nl"]}}]
    (full,) = others["bool"]["must_not"]
    assert full["match"]["words_en"]["minimum_should_match"] == "2<50%"
    # ... and every hit says whether it met it (an optional, named clause).
    (named,) = floor["should"]
    assert named == {"bool": {"filter": [full], "_name": FULL_FLOOR}}
    _answers, bonus = similar["rescore"][0]["query"]["rescore_query"]["bool"]["should"]
    assert bonus["multi_match"]["minimum_should_match"] == "1"


def test_documents_with_a_missed_change_are_left_out_of_every_query():
    assert visibility_filter(AnonymousUser()).to_dict() == {
        "terms": {"readers": ["public"]}
    }
    OutboxEntry.objects.create(kind="entry", object_id="5", attempts=1)
    OutboxEntry.objects.create(kind="question", object_id="9")  # not tried yet
    OutboxEntry.objects.create(
        kind="entry", object_id="6", attempts=1, done_at="2026-11-28T00:00Z"
    )
    query = visibility_filter(AnonymousUser()).to_dict()
    assert query["bool"]["must_not"] == [{"ids": {"values": ["entry-5"]}}]
    assert query["bool"]["filter"] == [{"terms": {"readers": ["public"]}}]


def test_facet_counts_take_each_value_once_per_hit_most_frequent_first():
    hits = [
        {"fields": {"kind": ["question"], "tags": ["vpn", "wifi", "vpn"]}},
        {"fields": {"kind": ["question"], "tags": ["vpn"], "language": ["nl"]}},
        {"fields": {"kind": ["entry"]}},
        {},
    ]
    counts = facet_counts(hits)
    assert counts["kind"] == {"question": 2, "entry": 1}
    assert list(counts["tags"].items()) == [("vpn", 2), ("wifi", 1)]
    assert counts["language"] == {"nl": 1} and counts["community"] == {}


def test_no_request_filters_by_permission_after_aggregating(monkeypatch):
    """A post_filter does not narrow aggregations: any request that aggregates
    must carry the permission filter in its query."""
    monkeypatch.setattr("search.queries.community_ids_for", lambda user: set())
    viewer = _member()
    bodies = [
        build_search(SearchParams(q=q, kind=kind), viewer=viewer, facets=facets)
        for q in ("", "deploy")
        for kind in ("", "question")
        for facets in (True, False)
    ]
    bodies += [build_facet_sample(b) for b in bodies[4:]]
    bodies += [
        build_autocomplete("depl", viewer=viewer),
        build_similar(title="vault", viewer=viewer),
        build_correction_probe("depoly", viewer=viewer),
    ]
    dicts = [b.to_dict() for b in bodies]
    dicts.append(expert_query(q="staking", viewer=viewer, size=10))
    for body in dicts:
        text = json.dumps(body)
        assert '"readers"' in text
        if "aggs" in body:
            assert "post_filter" not in body
            assert '"readers"' in json.dumps(body["query"])


def test_similar_questions_leave_out_stale_documents_too(user):
    """A question whose narrowing failed to reach the node takes no slot in
    anyone's similar list (before, only search, autocomplete and experts left
    it out; its hits were re-checked, but it could push a good one off)."""
    OutboxEntry.objects.create(kind="question", object_id="5", attempts=1)
    body = build_similar(title="vault", viewer=user, readers=["public"]).to_dict()
    permission = body["post_filter"]["bool"]["filter"][0]
    assert permission["bool"]["must_not"] == [{"ids": {"values": ["question-5"]}}]
    assert permission["bool"]["filter"] == [{"terms": {"readers": ["public"]}}]

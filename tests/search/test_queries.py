"""Query builders, checked without a node through ``to_dict()``."""

from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser

from search.queries import SearchParams, build_autocomplete, build_search


def _member(pk=7):
    return SimpleNamespace(is_authenticated=True, pk=pk)


def test_anonymous_readers_only_match_public_documents():
    body = build_search(SearchParams(q="deploy"), viewer=AnonymousUser()).to_dict()
    assert {"terms": {"readers": ["public"]}} in body["query"]["bool"]["filter"]


def test_members_read_as_themselves_and_signed_in(monkeypatch):
    monkeypatch.setattr("search.queries.community_ids_for", lambda user: {3, 1})
    body = build_search(SearchParams(q="x"), viewer=_member()).to_dict()
    readers = body["query"]["bool"]["filter"][0]["terms"]["readers"]
    assert readers == ["public", "members", "user:7", "community:1", "community:3"]


def test_facets_and_filters_sit_inside_the_permission_filtered_query(monkeypatch):
    monkeypatch.setattr("search.queries.community_ids_for", lambda user: set())
    params = SearchParams(q="x", kind="question", tag="Deploy", community="platform")
    body = build_search(params, viewer=_member()).to_dict()
    filters = body["query"]["bool"]["filter"]
    assert {"term": {"kind": "question"}} in filters
    assert {"term": {"tags": "deploy"}} in filters
    assert {"term": {"community": "platform"}} in filters
    assert set(body["aggs"]) == {"kind", "tags", "community"}
    assert "post_filter" not in body


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
    assert body["query"]["bool"]["filter"] == [{"terms": {"readers": ["public"]}}]

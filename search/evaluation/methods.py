"""What is compared: each surface as a user meets it, and the plain BM25 query a
default search backend would send instead, on the same index in the same run.

A method takes a question (its title, body and id) and returns the ids of the
questions it ranks, best first, never the question itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from elasticsearch_dsl import Q, Search

from kb.qa.selectors import question_similar
from search.client import get_client
from search.index import read_alias
from search.queries import SearchParams
from search.services import search_content

DEPTH = 10
BODY_CHARS = 2000  # what the Ask page and the question page send


@dataclass(frozen=True)
class Probe:
    """A question used as a query: the judged links point from it."""

    id: int
    title: str
    body: str


Method = Callable[[Probe], list[int]]


def bm25(text: str, *, exclude: int | None, questions_only: bool = True) -> list[int]:
    """Plain BM25: one ``multi_match`` over title and body, nothing else."""
    query = Q("multi_match", query=text, fields=["title", "body"])
    filters = [Q("term", kind="question")] if questions_only else []
    search = (
        Search(index=read_alias())
        .query(Q("bool", must=[query], filter=filters))
        .extra(size=DEPTH + 1)
        .source(["object_id", "kind"])
    )
    hits = search.using(get_client()).execute()
    ranked = [int(h.object_id) for h in hits if h.kind == "question"]
    return [pk for pk in ranked if pk != exclude][:DEPTH]


def bm25_title(probe: Probe) -> list[int]:
    return bm25(probe.title, exclude=probe.id)


def bm25_title_body(probe: Probe) -> list[int]:
    return bm25(f"{probe.title}\n{probe.body[:BODY_CHARS]}", exclude=probe.id)


def bm25_search(probe: Probe) -> list[int]:
    """What a default backend answers for the title typed into the search box."""
    return bm25(probe.title, exclude=probe.id, questions_only=False)


def similar(*, viewer, with_body: bool, limit: int = DEPTH) -> Method:
    """The similar-questions selector, as the Ask page and the question page use it."""

    def run(probe: Probe) -> list[int]:
        found = question_similar(
            title=probe.title,
            body=probe.body[:BODY_CHARS] if with_body else "",
            limit=limit,
            exclude_pk=probe.id,
            viewer=viewer,
        )
        return [q.pk for q in found]

    return run


def search_api(*, viewer) -> Method:
    """The search service behind ``/api/v1/search`` with the title as ``q`` (first
    page of 20, no facets, as the API answers by default); the question itself is
    dropped."""

    def run(probe: Probe) -> list[int]:
        response = search_content(
            SearchParams(q=probe.title), viewer=viewer, facets=False
        )
        ranked = [r["id"] for r in response.results if r["kind"] == "question"]
        return [pk for pk in ranked if pk != probe.id][:DEPTH]

    return run

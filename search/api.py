"""Search API: full-text search, autocomplete and "who knows about X"."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from .analytics import search_log_response
from .expertise import expert_list
from .queries import SearchParams
from .services import autocomplete, search_content

router = Router(tags=["search"])


class SearchQuery(Schema):
    q: str = Field("", max_length=200)
    kind: Literal["", "question", "page", "journal", "entry", "idea"] = ""
    tag: str = Field("", max_length=50)
    community: str = Field("", max_length=80)
    author: str = Field("", max_length=150)
    language: Literal["", "en", "nl"] = ""
    page: int = Field(1, ge=1, le=500)
    page_size: int = Field(20, ge=1, le=50)
    facets: bool = False


class ResultOut(Schema):
    kind: str
    id: int
    title: str
    url: str
    snippet: str
    score: int | float
    author: str | None
    tags: list[str]
    community: str | None
    created_at: datetime | None


class SearchOut(Schema):
    total: int
    results: list[ResultOut]
    facets: dict[str, dict[str, int]]
    suggestion: str | None
    took_ms: int


class SuggestionOut(Schema):
    title: str
    url: str
    kind: str


class AutocompleteOut(Schema):
    results: list[SuggestionOut]


class EvidenceItemOut(Schema):
    role: Literal["accepted", "answers", "pages", "entries"]
    kind: str
    title: str
    url: str


class EvidenceOut(Schema):
    answers: int
    accepted: int
    pages: int
    entries: int
    top_tags: list[str]
    items: list[EvidenceItemOut]


class ExpertOut(Schema):
    username: str
    display_name: str
    score: float
    reachable: bool
    evidence: EvidenceOut


class ExpertsOut(Schema):
    results: list[ExpertOut]


def _kind(kind: str) -> str:
    # The API speaks of "journal"; the index calls journal entries "entry".
    return "entry" if kind == "journal" else kind


@router.get("/search", response=SearchOut)
def search(request: HttpRequest, filters: Query[SearchQuery]):
    """Search everything the caller may read; ``facets=true`` adds counts per kind,
    tag and community (with words: among the best 500 matches)."""
    data = filters.dict()
    with_facets = data.pop("facets")
    params = SearchParams(**{**data, "kind": _kind(filters.kind)})
    response = search_content(params, viewer=request.user, facets=with_facets)
    search_log_response(params=params, response=response, viewer=request.user)
    body = response.as_dict()
    for row in body["results"]:
        row["kind"] = "journal" if row["kind"] == "entry" else row["kind"]
    body["facets"]["kind"] = {
        ("journal" if k == "entry" else k): v for k, v in body["facets"]["kind"].items()
    }
    return body


@router.get("/search/autocomplete", response=AutocompleteOut)
def search_autocomplete(request: HttpRequest, q: str = Query("", max_length=100)):
    """Title suggestions for a prefix, only from what the caller may read."""
    return {"results": autocomplete(q, viewer=request.user)}


@router.get("/experts", response=ExpertsOut)
def experts_list(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=200),
    limit: int = Query(10, ge=1, le=50),
):
    """Who knows about ``q``, with the evidence the caller may read (empty without
    a search node). ``reachable`` is false for imported and former accounts:
    their work counts, but they cannot be asked."""
    found = expert_list(q=q, viewer=request.user, limit=limit) or []
    for person in found:
        person["evidence"]["items"] = [
            {**item, "kind": "journal" if item["kind"] == "entry" else item["kind"]}
            for item in person["evidence"]["items"]
        ]
    return {"results": found}

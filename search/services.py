"""Running searches: on Elasticsearch when it answers, else on the database with
the same permission rule (and a notice), so search never crashes."""

from __future__ import annotations

import hashlib
import logging
import re
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import nh3
from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _
from elasticsearch.exceptions import ApiError, TransportError
from elasticsearch_dsl import MultiSearch

from hallway.languages import detect_language
from kb.communities.selectors import knowledge_pages_visible

from . import meaning
from .client import get_client
from .documents import WORDS, document_id
from .index import has_field, read_alias
from .queries import (
    FACET_FIELDS,
    SearchParams,
    build_autocomplete,
    build_correction_probe,
    build_facet_sample,
    build_search,
    build_similar,
    crosses_languages,
    facet_counts,
    similar_row,
    viewer_principals,
)
from .timed_cache import TimedCache
from .visibility import only_readable, readable_keys

if TYPE_CHECKING:
    import numpy as np

logger = logging.getLogger(__name__)


@dataclass
class SearchResponse:
    """What the search page and API render."""

    total: int = 0
    results: list[dict[str, Any]] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(
        default_factory=lambda: {
            "kind": {},
            "tags": {},
            "community": {},
            "language": {},
        }
    )
    suggestion: str | None = None
    took_ms: int = 0
    backend: str = "elasticsearch"
    notice: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "results": self.results,
            "facets": self.facets,
            "suggestion": self.suggestion,
            "took_ms": self.took_ms,
        }


def _snippet(hit) -> str:
    """The hit's summary with the query's words marked (empty without a body)."""
    highlight = getattr(hit.meta, "highlight", None)
    fragments = getattr(highlight, "summary", None) if highlight else None
    if not fragments:
        return ""
    # Highlights are HTML-encoded by Elasticsearch; keep only <mark>.
    return nh3.clean(" … ".join(fragments), tags={"mark"}, attributes={})


def search_content(
    params: SearchParams, *, viewer, facets: bool = True
) -> SearchResponse:
    """Search everything ``viewer`` may read (``facets`` only where they are shown)."""
    client = get_client()
    if client is None:
        return database_search(
            params,
            viewer=viewer,
            notice=_("Search runs on its simple database fallback (no search node)."),
        )
    started = time.monotonic()
    try:
        response, sample = _search_with_facets(
            client, params, viewer=viewer, facets=facets
        )
        if _needs_second_pass(params, response):
            # Typo tolerance costs several times a plain query: only when the
            # words as typed find too little.
            response, sample = _search_with_facets(
                client, params, viewer=viewer, facets=facets, fuzzy=True
            )
    except (TransportError, ApiError, ConnectionError) as error:
        logger.warning("Elasticsearch search failed, using the fallback: %s", error)
        return database_search(
            params,
            viewer=viewer,
            notice=_("The search service is unavailable; showing simple matches."),
        )
    results = [
        {
            "kind": hit.kind,
            "id": int(hit.object_id),
            "title": hit.title,
            "url": hit.url,
            "snippet": _snippet(hit),
            "score": getattr(hit, "score", None) or 0,
            "author": hit.author,
            "author_name": getattr(hit, "author_name", None) or hit.author,
            "tags": list(getattr(hit, "tags", []) or []),
            "community": getattr(hit, "community", None),
            "created_at": getattr(hit, "created_at", None),
        }
        for hit in response
    ]
    shown = only_readable(results, viewer=viewer)
    hidden = len(results) - len(shown)
    if sample is not None:
        counts = facet_counts(sample.to_dict()["hits"]["hits"])
    else:
        aggregations = response.aggregations
        counts = {
            name: {b.key: b.doc_count for b in aggregations[name].buckets}
            if name in aggregations
            else {}
            for name in FACET_FIELDS
        }
    total = max(response.hits.total.value - hidden, 0)
    suggestion = None
    if params.q and total < 3:
        suggestion = did_you_mean(params.q, viewer=viewer, client=client)
    return SearchResponse(
        total=total,
        results=shown,
        facets=counts,
        suggestion=suggestion,
        took_ms=int((time.monotonic() - started) * 1000),
    )


# Fewer hits than this on the first page of a text search: try again with typos.
SECOND_PASS_BELOW = 3


def _search_with_facets(
    client, params: SearchParams, *, viewer, facets: bool, fuzzy=False
):
    """The search's response and, for a search with words whose facets are
    shown, its facet sample's (both in one ``_msearch``; else ``None``)."""
    search = build_search(params, viewer=viewer, facets=facets, fuzzy=fuzzy)
    if not (facets and params.q.strip()):
        return search.using(client).execute(), None
    sample = build_facet_sample(search)
    both = MultiSearch(index=read_alias()).add(search).add(sample)
    response, sample_response = both.using(client).execute(raise_on_error=True)
    return response, sample_response


def _needs_second_pass(params: SearchParams, response) -> bool:
    return bool(
        params.q.strip()
        and params.page == 1
        and response.hits.total.value < SECOND_PASS_BELOW
    )


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (short words only)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            )
        previous = current
    return previous[-1]


_WORD = re.compile(r"\w+", re.UNICODE)


def did_you_mean(q: str, *, viewer, client=None) -> str | None:
    """A spelling correction built only from words in documents ``viewer`` may read."""
    client = client or get_client()
    words = _WORD.findall(q.lower())
    if client is None or not words or len(words) > 6:
        return None
    try:
        response = build_correction_probe(q, viewer=viewer).using(client).execute()
    except (TransportError, ApiError, ConnectionError):
        return None
    seen: dict[str, int] = {}
    hits = list(response)
    readable = readable_keys([(hit.kind, hit.object_id) for hit in hits], viewer=viewer)
    for hit in hits:
        if (hit.kind, str(hit.object_id)) not in readable:
            continue
        highlight = getattr(hit.meta, "highlight", None)
        for name in ("title", "body"):
            for fragment in getattr(highlight, name, []) if highlight else []:
                for marked in re.findall("\u27e6(.*?)\u27e7", fragment):
                    word = marked.lower()
                    seen[word] = seen.get(word, 0) + 1
    if not seen:
        return None
    corrected = []
    for word in words:
        if word in seen or len(word) < 3:
            corrected.append(word)
            continue
        candidates = [
            (_distance(word, known), -count, known)
            for known, count in seen.items()
            if abs(len(known) - len(word)) <= 2
        ]
        best = min(candidates, default=None)
        corrected.append(best[2] if best and 0 < best[0] <= 2 else word)
    suggestion = " ".join(corrected)
    return suggestion if suggestion != " ".join(words) else None


def autocomplete(prefix: str, *, viewer) -> list[dict[str, str]]:
    """Title suggestions for the header box: ``[{"title", "url", "kind"}]``."""
    prefix = prefix.strip()[:100]
    client = get_client()
    if not prefix:
        return []
    if client is None:
        return [
            {"title": r["title"], "url": r["url"], "kind": r["kind"]}
            for r in database_search(
                SearchParams(q=prefix, page_size=8), viewer=viewer
            ).results
        ]
    try:
        response = build_autocomplete(prefix, viewer=viewer).using(client).execute()
    except (TransportError, ApiError, ConnectionError):
        return []
    hits = [
        {"kind": hit.kind, "id": hit.object_id, "title": hit.title, "url": hit.url}
        for hit in response
    ]
    return [
        {"title": hit["title"], "url": hit["url"], "kind": hit["kind"]}
        for hit in only_readable(hits, viewer=viewer)
    ]


# -- database fallback ------------------------------------------------------------


def _model(label: str):
    return apps.get_model(label)


def _plain_snippet(html: str, text: str) -> str:
    plain = " ".join(strip_tags(html or "").split())
    at = plain.lower().find(text.lower()) if text else -1
    start = max(at - 60, 0) if at >= 0 else 0
    return escape(plain[start : start + 180])


def database_search(
    params: SearchParams, *, viewer, notice: str = ""
) -> SearchResponse:
    """A plain ``icontains`` search with the same permission rule as the index."""
    started = time.monotonic()
    text = params.q.strip()
    rows: list[dict[str, Any]] = []
    limit = max(1, min(params.page_size, 50)) * max(params.page, 1)
    question = _model("qa.Question")
    if params.kind in ("", "question"):
        qs = question.objects.visible_to(viewer).select_related("author", "community")
        if text:
            qs = qs.filter(Q(title__icontains=text) | Q(body__icontains=text))
        if params.tag:
            qs = qs.filter(tags__name=params.tag.lower())
        if params.language and hasattr(qs.model, "language"):
            qs = qs.filter(language=params.language)
        if params.community:
            qs = qs.filter(community__slug=params.community)
        if params.author:
            qs = qs.filter(author__username=params.author)
        for q in qs.order_by("-last_activity_at")[:limit]:
            rows.append(
                {
                    "kind": "question",
                    "id": q.pk,
                    "title": q.title,
                    "url": q.get_absolute_url(),
                    "snippet": _plain_snippet(q.body_html, text),
                    "score": q.score,
                    "author": q.author.username,
                    "tags": [],
                    "community": q.community.slug if q.community_id else None,
                    "created_at": q.created_at,
                }
            )
    if params.kind in ("", "page") and not params.author:
        qs = knowledge_pages_visible()
        if text:
            qs = qs.filter(Q(title__icontains=text) | Q(summary__icontains=text))
        if params.tag:
            qs = qs.filter(tags__name=params.tag.lower())
        if params.language and hasattr(qs.model, "language"):
            qs = qs.filter(language=params.language)
        for p in qs.order_by("-last_published_at")[:limit]:
            rows.append(
                {
                    "kind": "page",
                    "id": p.pk,
                    "title": p.title,
                    "url": p.url,
                    "snippet": escape(p.summary[:180]),
                    "score": 0,
                    "author": None,
                    "tags": [],
                    "community": None,
                    "created_at": p.first_published_at,
                }
            )
    entry = _model("journals.Entry")
    if params.kind in ("", "entry"):
        qs = entry.objects.visible_to(viewer).select_related("author")
        if text:
            qs = qs.filter(Q(title__icontains=text) | Q(body__icontains=text))
        if params.tag:
            qs = qs.filter(tags__name=params.tag.lower())
        if params.language and hasattr(qs.model, "language"):
            qs = qs.filter(language=params.language)
        if params.author:
            qs = qs.filter(author__username=params.author)
        for e in qs.order_by("-created_at")[:limit]:
            rows.append(
                {
                    "kind": "entry",
                    "id": e.pk,
                    "title": e.title or "",
                    "url": e.get_absolute_url(),
                    "snippet": _plain_snippet(e.body_html, text),
                    "score": 0,
                    "author": e.author.username,
                    "tags": [],
                    "community": None,
                    "created_at": e.created_at,
                }
            )
    idea = _model("ideas.Idea")
    if idea is not None and params.kind in ("", "idea"):
        qs = idea.objects.visible_to(viewer).listed().select_related("author")
        if text:
            qs = qs.filter(Q(title__icontains=text) | Q(body__icontains=text))
        if params.tag:
            qs = qs.filter(tags__name=params.tag.lower())
        if params.community:
            qs = qs.filter(campaign__community__slug=params.community)
        if params.author:
            qs = qs.filter(author__username=params.author)
        for i in qs.order_by("-created_at")[:limit]:
            rows.append(
                {
                    "kind": "idea",
                    "id": i.pk,
                    "title": i.title,
                    "url": i.get_absolute_url(),
                    "snippet": _plain_snippet(i.body_html, text),
                    "score": i.vote_count,
                    "author": i.author.username,
                    "tags": [],
                    "community": None,
                    "created_at": i.created_at,
                }
            )
    size = max(1, min(params.page_size, 50))
    start = (max(params.page, 1) - 1) * size
    kinds: dict[str, int] = {}
    for row in rows:
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + 1
    return SearchResponse(
        total=len(rows),
        results=rows[start : start + size],
        facets={"kind": kinds, "tags": {}, "community": {}, "language": {}},
        took_ms=int((time.monotonic() - started) * 1000),
        backend="database",
        notice=notice,
    )


# -- similar questions and experts -------------------------------------------------


def meaning_judges(*, title: str, body: str = "", kind: str = "question") -> bool:
    """Whether the sentence model orders or floors a draft's similar list: for
    questions, when it is on, and for a draft in its language (it judges only
    the hits in that language too)."""
    return (
        kind == "question"
        and meaning.enabled()
        and meaning.reads(draft_language(f"{title}\n{body}"))
    )


def meaning_floor(*, with_body: bool) -> float:
    """The cosine to the draft below which a similar question is left out (0:
    none). A title's vector is a handful of words; a title and body's says
    more, and is held to more (``SEARCH_MEANING_FLOOR_BODY``)."""
    name = "SEARCH_MEANING_FLOOR_BODY" if with_body else "SEARCH_MEANING_FLOOR"
    return float(getattr(settings, name, 0.0) or 0.0)


def similar_questions(
    *,
    title: str,
    body: str = "",
    viewer,
    limit: int = 5,
    exclude_id: int | None = None,
    community: str = "",
    kind: str = "question",
) -> list[dict[str, Any]] | None:
    """Questions (or documents of another ``kind``) like this one above the
    relevance floor (possibly none), or ``None`` when no node answers."""
    client = get_client()
    if client is None or not (title.strip() or body.strip()):
        return None
    readers = viewer_principals(viewer)
    # From a title alone, the best matches by words are re-ordered by meaning;
    # with a floor set, questions too far from the draft in meaning go.
    by_meaning = meaning_judges(title=title, body=body, kind=kind)
    rerank = by_meaning and not body.strip()
    floor = meaning_floor(with_body=bool(body.strip())) if by_meaning else 0.0
    vectors_wanted = rerank or floor > 0
    key = None
    seconds = getattr(settings, "SEARCH_RELATED_SECONDS", RELATED_SECONDS)
    if exclude_id is not None and seconds > 0:
        # A stored question's related list: the same for every view of that
        # version of it by readers with the same principals.
        text = hashlib.sha256(f"{title}\0{body}".encode()).hexdigest()
        key = (kind, exclude_id, text, tuple(readers), community, limit)
    similar = _related.get(key) if key else None
    if similar is None:
        search = build_similar(
            title=title,
            body=body,
            viewer=viewer,
            limit=meaning.pool(limit) if rerank else limit,
            exclude_id=exclude_id,
            community=community,
            kind=kind,
            readers=readers,
            with_meaning=vectors_wanted,
            floor_in_words=has_field(client, WORDS),
            # Hits the floor of meaning will judge need fewer of the words.
            meaning_reads=meaning.languages_read() if floor > 0 else (),
        )
        query_vector = (
            _draft_vector(
                title=title,
                body=body,
                exclude_id=exclude_id,
                kind=kind,
                viewer=viewer,
                client=client,
            )
            if vectors_wanted
            else None
        )
        try:
            # Drafts are typed and re-sent; the permission filter is part of the
            # request, so cached answers are per set of readers.
            response = search.params(request_cache=True).using(client).execute()
        except (TransportError, ApiError, ConnectionError):
            return None
        rows = [similar_row(hit) for hit in response]
        stored = {
            row["id"]: row.pop("meaning")
            for row in rows
            if meaning.reads(row.pop("language"))
        }
        full_floor = {row["id"] for row in rows if row.pop("full_floor")}
        similar = rows
        # Awaited once: if the encoder failed, the list keeps its order by
        # words and the full floor of words (logged once, not per use).
        vector = meaning.resolved(query_vector) if query_vector is not None else None
        vectors = _decoded(stored) if vector is not None else {}
        if floor > 0:
            # Meaning judges the hits it has a vector for; the others (another
            # language, no vector, the encoder failed) stand on the full floor
            # of words, as without meaning.
            close = (
                set(meaning.above_floor(list(vectors), vectors, vector, floor))
                if vector is not None
                else set()
            )
            similar = [
                row
                for row in rows
                if (
                    row["id"] in close
                    if row["id"] in vectors
                    else row["id"] in full_floor
                )
            ]
        if rerank and vector is not None and vectors:
            similar = _by_meaning(similar, vectors, vector)
        if key:
            _related.put(key, similar, seconds=seconds)
    # Cached or not, every hit is re-checked against the database now.
    return only_readable(similar, viewer=viewer, kind=kind)[:limit]


def draft_language(text: str) -> str:
    """The language a draft is written in, as ranking needs it: Dutch when the
    detector says so and the text holds Dutch words (a short English title such
    as "Sync DB mainnet stuck" is called Dutch by the detector alone: 7 of
    Cardano's 1,042 titles), else English, a text too short to tell included."""
    if detect_language(text, fallback="en") == "nl" and crosses_languages(text):
        return "nl"
    return "en"


def _draft_vector(
    *, title: str, body: str, exclude_id: int | None, kind: str, viewer, client
) -> Future[np.ndarray]:
    """The draft's vector, started now so that it is made while the node
    answers by words: the title's when there is no body; else a stored
    question's own, read back, when the reader may read that question (an
    API caller chooses ``exclude``: another's private question must not steer
    the list), or one made from the title and body."""
    if not body.strip():
        return meaning.vector_soon(title)
    text = meaning.question_text(title, body)
    if exclude_id is not None and readable_keys([(kind, exclude_id)], viewer=viewer):
        doc_id = document_id(kind, str(exclude_id))
        return meaning.stored_vector_soon(doc_id, text, client=client)
    return meaning.vector_soon(text)


def _decoded(stored: dict[int, str]) -> dict[int, np.ndarray]:
    """The hits' stored vectors, decoded (hits without one left out)."""
    vectors = {}
    for pk, value in stored.items():
        vector = meaning.decode(value or "")
        if vector is not None:
            vectors[pk] = vector
    return vectors


def _by_meaning(
    similar: list[dict], vectors: dict[int, np.ndarray], query: np.ndarray
) -> list[dict]:
    """``similar`` re-ordered by the cosine of each hit's vector to the
    ``query`` vector (``search.meaning``)."""
    by_id = {row["id"]: row for row in similar}
    order = meaning.rerank(list(by_id), vectors, query)
    return [by_id[pk] for pk in order]


# Related questions of question pages: the node's answer for one version of a
# question (its title and body are in the key, so an edit asks again) and one set
# of reader principals, kept RELATED_SECONDS in each process. Its query sends the
# title and up to 2,000 characters of the body through three fields and the
# subject floor: the costliest request on a question page (62 ms title only,
# 156 ms with the body, took p50 at 200,000 documents, load average 7). Only ids
# and the node's titles are kept; hits are re-checked against the database at
# every view and the page reads the questions from the database, so what a
# reader may no longer see never shows. A question posted meanwhile joins the
# list within RELATED_SECONDS (``settings.SEARCH_RELATED_SECONDS``; 0: not kept).
RELATED_SECONDS = 300.0
_related = TimedCache(size=4096, copy=lambda rows: [dict(row) for row in rows])


def similar_pages(*, title: str, viewer, limit: int = 3) -> list[dict[str, Any]] | None:
    """Knowledge pages on the subject of a draft's ``title`` that ``viewer`` may
    read (what is already written down), or ``None`` when no node answers."""
    return similar_questions(title=title, viewer=viewer, limit=limit, kind="page")

"""Search queries. The reader's permissions are a filter inside every query,
aggregation and suggestion: nothing a reader may not see can reach a result, a
count, a facet, a highlight or an autocomplete entry.

Query builders return ``elasticsearch_dsl.Search`` objects so they can be tested
with ``to_dict()`` without a node.
"""

from dataclasses import dataclass

from elasticsearch_dsl import Q, Search
from elasticsearch_dsl.query import Query

from kb.communities.selectors import community_ids_for

from .index import read_alias
from .sources import MEMBERS, PUBLIC, community_principal, user_principal

KINDS = ("question", "page", "entry")
MAX_PAGE_SIZE = 50


def viewer_principals(user) -> list[str]:
    """Everything ``user`` may read as: public, signed-in members, self, communities."""
    if not getattr(user, "is_authenticated", False):
        return [PUBLIC]
    return [
        PUBLIC,
        MEMBERS,
        user_principal(user.pk),
        *(community_principal(cid) for cid in sorted(community_ids_for(user))),
    ]


def visibility_filter(user) -> Query:
    """The permission filter: documents readable by one of the viewer's principals."""
    return Q("terms", readers=viewer_principals(user))


@dataclass(frozen=True)
class SearchParams:
    """What a reader asked for; validated by the view or API."""

    q: str = ""
    kind: str = ""
    tag: str = ""
    community: str = ""
    author: str = ""
    page: int = 1
    page_size: int = 20


def _relevance(text: str) -> Query:
    """Folded words with typo tolerance, stemmed English/Dutch, and phrase shingles."""
    return Q(
        "bool",
        should=[
            Q(
                "multi_match",
                query=text,
                fields=[
                    "title^4", "tags^3", "accepted_answer^1.5", "body^1.2", "answers",
                ],
                type="best_fields",
                fuzziness="AUTO",
                prefix_length=1,
                tie_breaker=0.3,
            ),
            Q(
                "multi_match",
                query=text,
                fields=[
                    "title.en^3", "title.nl^2", "accepted_answer.en", "body.en",
                    "body.nl", "answers.en",
                ],
                type="most_fields",
            ),
            Q(
                "multi_match",
                query=text,
                fields=["title.shingles^3"],
                type="best_fields",
            ),
        ],
        minimum_should_match=1,
    )  # fmt: skip


def _quality(query: Query, *, recency: bool = True) -> Query:
    """Reward votes, accepted answers, verified pages (and recency) without ever
    letting them swamp relevance: the factors add up, then scale the text score."""
    functions: list[dict] = [
        {"weight": 1.0},
        {
            "field_value_factor": {
                "field": "popularity", "modifier": "log2p", "missing": 0
            }
        },
        {"filter": {"term": {"has_accepted": True}}, "weight": 0.5},
        {"filter": {"term": {"verified": True}}, "weight": 0.6},
    ]  # fmt: skip
    if recency:
        functions.append(
            {"gauss": {"updated_at": {"scale": "365d", "offset": "30d", "decay": 0.5}},
             "weight": 0.5}
        )  # fmt: skip
    return Q(
        "function_score",
        query=query,
        functions=functions,
        score_mode="sum",
        boost_mode="multiply",
    )


def build_search(params: SearchParams, *, viewer) -> Search:
    """The search request: permission filter, filters, scoring, facets, snippets."""
    search = Search(index=read_alias())
    filters = [visibility_filter(viewer)]
    if params.kind:
        filters.append(Q("term", kind=params.kind))
    if params.tag:
        filters.append(Q("term", tags=params.tag.lower()))
    if params.community:
        filters.append(Q("term", community=params.community))
    if params.author:
        filters.append(Q("term", author=params.author))
    text = params.q.strip()
    base = _relevance(text) if text else Q("match_all")
    search = search.query(Q("bool", must=[_quality(base)], filter=filters))
    if not text:
        search = search.sort("-updated_at", "-score")
    search.aggs.bucket("kind", "terms", field="kind", size=10)
    search.aggs.bucket("tags", "terms", field="tags", size=20)
    search.aggs.bucket("community", "terms", field="community", size=20)
    search = (
        search.highlight_options(
            encoder="html",
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            fragment_size=180,
            number_of_fragments=1,
            no_match_size=180,
        )
        .highlight("title", number_of_fragments=0)
        .highlight("body")
    )
    if text:
        # Highlighting with the full scoring query (fuzzy, stemmed, shingled
        # sub-fields) is slow; a plain match on the shown fields marks the words.
        search = search.highlight_options(
            highlight_query=Q(
                "multi_match", query=text, fields=["title", "body"]
            ).to_dict()
        )
    size = max(1, min(params.page_size, MAX_PAGE_SIZE))
    start = (max(params.page, 1) - 1) * size
    search = search.extra(from_=start, size=size, track_total_hits=True)
    return search.source(
        excludes=["body", "answers", "accepted_answer", "title_suggest"]
    )


def build_autocomplete(prefix: str, *, viewer, size: int = 8) -> Search:
    """Titles that start words with what was typed, only from readable documents."""
    query = Q(
        "bool",
        should=[
            Q("match", **{"title.autocomplete": {"query": prefix, "operator": "and"}}),
            Q("match_bool_prefix", title={"query": prefix, "boost": 2}),
        ],
        minimum_should_match=1,
        filter=[visibility_filter(viewer)],
    )
    return (
        Search(index=read_alias())
        .query(query)
        .extra(size=size)
        .source(["title", "url", "kind", "object_id"])
    )


def build_similar(
    *, title: str, body: str = "", viewer, limit: int = 5, exclude_id: int | None = None
) -> Search:
    """Questions similar to a draft: title terms weigh most, the body helps."""
    should = [
        Q("match", title={"query": title, "boost": 3, "fuzziness": "AUTO"}),
        Q("match", **{"title.en": {"query": title, "boost": 2}}),
        Q("match", **{"title.shingles": {"query": title, "boost": 2}}),
        Q("match", body={"query": title, "boost": 0.8}),
        Q("match", tags={"query": title.lower(), "boost": 1.5}),
    ]
    if body.strip():
        should += [
            Q("match", body={"query": body[:2000], "boost": 0.6}),
            Q("match", **{"body.en": {"query": body[:2000], "boost": 0.4}}),
            Q("match", answers={"query": body[:2000], "boost": 0.3}),
        ]
    filters = [visibility_filter(viewer), Q("term", kind="question")]
    must_not = [Q("term", object_id=str(exclude_id))] if exclude_id else []
    query = Q("bool", should=should, minimum_should_match=1, filter=filters,
              must_not=must_not)  # fmt: skip
    search = Search(index=read_alias()).query(_quality(query, recency=False))
    return search.extra(size=max(1, min(limit, 20))).source(
        ["object_id", "title", "url", "score", "is_answered"]
    )


def build_expert_evidence(*, q: str, viewer, size: int = 200) -> Search:
    """The readable content matching ``q`` whose contributors count as evidence."""
    query = Q("bool", must=[_relevance(q)], filter=[visibility_filter(viewer)])
    return (
        Search(index=read_alias())
        .query(query)
        .extra(size=size)
        .source(["kind", "author", "answerers", "accepted_answerer", "tags"])
    )


def build_correction_probe(q: str, *, viewer) -> Search:
    """Fuzzy matches of the query in readable documents; their highlighted words
    are the only source of "did you mean" (so it can never reveal hidden text)."""
    query = Q(
        "bool",
        should=[
            Q("match", title={"query": q, "fuzziness": "AUTO", "prefix_length": 1}),
            Q("match", body={"query": q, "fuzziness": "AUTO", "prefix_length": 1}),
        ],
        minimum_should_match=1,
        filter=[visibility_filter(viewer)],
    )
    return (
        Search(index=read_alias())
        .query(query)
        .extra(size=10)
        .source(["kind", "object_id"])
        .highlight_options(
            pre_tags=["\u27e6"], post_tags=["\u27e7"], number_of_fragments=5,
            fragment_size=60, encoder="default",
        )
        .highlight("title")
        .highlight("body")
    )  # fmt: skip

"""Search queries. The reader's permissions are a filter inside every query,
aggregation and suggestion: nothing a reader may not see can reach a result, a
count, a facet, a highlight or an autocomplete entry.

Query builders return ``elasticsearch_dsl.Search`` objects so they can be tested
with ``to_dict()`` without a node.
"""

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import Q as Q_db
from elasticsearch_dsl import Q, Search
from elasticsearch_dsl.query import Query

from kb.communities.selectors import community_ids_for

from .documents import WORDS, document_id
from .index import read_alias
from .lexicon import (
    bilingual_synonyms,
    dutch_compound_parts,
    dutch_plurals,
    split_compound,
)
from .models import OutboxEntry
from .sources import MEMBERS, PUBLIC, community_principal, user_principal

KINDS = ("question", "page", "entry", "idea")
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


# At most this many stale documents are left out of every query by id; more
# means the node has been unreachable for long, and most requests fall back.
STALE_LIMIT = 1000


def stale_document_ids() -> list[str]:
    """Documents the index may hold an out-of-date copy of: a change Elasticsearch
    has not taken yet although it was tried (the node was down, slow or refused
    it; parked rows too). Such a change may narrow who may read the document, so
    until it lands the document is left out of results, counts and facets alike
    (the hits shown are re-checked against the database as well, but counts and
    facets are not hits). Usually none: one indexed query."""
    rows = (
        OutboxEntry.objects.filter(done_at__isnull=True)
        .filter(Q_db(attempts__gt=0) | Q_db(parked_at__isnull=False))
        .values_list("kind", "object_id")
        .distinct()[:STALE_LIMIT]
    )
    return [document_id(kind, object_id) for kind, object_id in rows]


def visibility_filter(user, *, principals: list[str] | None = None) -> Query:
    """The permission filter: documents readable by one of the viewer's
    principals (``principals`` when the caller has them already), less those
    whose indexed copy may be stale."""
    readable = Q("terms", readers=principals or viewer_principals(user))
    stale = stale_document_ids()
    if not stale:
        return readable
    return Q("bool", filter=[readable], must_not=[Q("ids", values=stale)])


@dataclass(frozen=True)
class SearchParams:
    """What a reader asked for; validated by the view or API."""

    q: str = ""
    kind: str = ""
    tag: str = ""
    community: str = ""
    author: str = ""
    # Only content written in this language ("en", "nl"); empty: any.
    language: str = ""
    page: int = 1
    page_size: int = 20


# Where the words of a query are looked for, and how much each place counts:
# stemmed titles twice, then stemmed bodies and answers (an answer often uses the
# words the next asker will use). Chosen with `make eval` on the tune half of the
# Stack Exchange links: the folded copies of title and body and the Dutch
# sub-fields on every query cost 2-3x the time of these three and did not help
# (tune MRR 0.287/0.352/0.271 for similar title, title + body, search API with
# these three against 0.271/0.337/0.255 with all seven); shingles and fuzziness
# on every field did not earn their cost either.
TEXT_FIELDS = ["title.en^2", "body.en", "answers.en"]
# The Dutch sub-fields find Dutch plurals and compound parts, and with the
# Dutch–English equivalents (search time) a query in one language finds
# documents in the other. They are the costliest fields to query (the Dutch
# search analysis splits and translates every word), so they join only when the
# query holds a word the bilingual lexicon knows, a Dutch word or a compound.
DUTCH_FIELDS = ["title.nl^0.5", "body.nl^0.5", "answers_nl^0.5"]
# Dutch function words that are not also English words.
DUTCH_CUES = frozenset(
    """de het een en ik je jij hoe wat waar wie welke niet mijn voor naar kan kun
    kunnen moet moeten zijn bij ook maar nog deze dit dat heb hebben krijg wordt
    worden graag waarom wanneer""".split()  # noqa: SIM905
)
_QUERY_WORDS = re.compile(r"\w+", re.UNICODE)


@cache
def _lexicon_words() -> tuple[frozenset[str], tuple[str, ...]]:
    """Dutch words of the equivalents (with plurals; not those that are English
    words too, which the English fields already match as typed), Dutch function
    words and the parts Dutch compounds are split into."""
    dutch: set[str] = set()
    english: set[str] = set()
    for rule in bilingual_synonyms():
        first, *rest = (term.strip().lower() for term in rule.split(","))
        plurals = dutch_plurals(first)
        dutch.add(first)
        dutch.update(t for t in rest if t in plurals)
        english.update(t for t in rest if t not in plurals)
    words = {w for w in dutch - english if " " not in w}
    # A compound part on its own (laptop, contract) may be the part of a Dutch
    # compound the reader is after (laptopaanvraag).
    parts = tuple(dutch_compound_parts())
    return frozenset(words | set(parts) | DUTCH_CUES), parts


def crosses_languages(text: str) -> bool:
    """Whether ``text`` may need the Dutch sub-fields: a Dutch word of the
    lexicon, a Dutch function word, a compound part or a word built on one."""
    known, parts = _lexicon_words()
    for word in _QUERY_WORDS.findall(text.lower()):
        if word in known:
            return True
        if len(word) >= 8 and any(
            len(word) >= len(part) + 4
            and (word.startswith(part) or word.endswith(part))
            for part in parts
        ):
            return True
    return False


def with_compound_parts(text: str) -> str:
    """``text`` with the parts of its Dutch compounds added (laptopaanvraag →
    laptop aanvraag), so each part also meets its English equivalent: the Dutch
    fields split compounds themselves, but after the equivalents apply."""
    parts = [
        part
        for word in _QUERY_WORDS.findall(text)
        if len(word) >= 8
        for part in split_compound(word)
    ]
    return f"{text} {' '.join(parts)}" if parts else text


# Search finds its candidates in titles and bodies; the words in answers add to
# the score of the best ANSWERS_WINDOW of them (a rescore, so those hits score as
# over all three fields). Answers are the longest field: matching them over every
# document cost a third of the node's time per search at 200,000 documents (took
# p50 18 -> 12 ms, BM25 6 ms; 2026-11-28 18:07, load average 3.4). ``make eval``
# search API, MRR tune / report: 0.274 / 0.419 before, 0.272 / 0.419 with a
# window of 200 (0.272 / 0.405 at 100, 0.268 / 0.406 at 50; 18:00-18:06).
# Read again with the links hidden (2026-11-29 16:58, ``search_eval --sections
# search_api``): tune 0.225 at 200 and at 100; at 200,000 documents the node
# took p50 6.0-7.5 ms at 200 and 6.0 at 100 (a throw-away probe): too little
# to change what search ranks by. Similar questions rescore 100.
ANSWER_FIELD = "answers.en"
ANSWERS_WINDOW = 200


RESCORE_WINDOW = 50
TOTAL_HITS_CAP = 1000
# With words, facets count the fields of the best FACET_SAMPLE matches, read
# from a second, lean request sent with the search in one ``_msearch`` (no
# rescore, highlights or totals, doc values only). A ``sampler`` aggregation
# inside the search did the same count but made the node score every match
# exhaustively: the search page cost 84 instead of 34 ms at 200,000 documents.
FACET_SAMPLE = 200
FACET_FIELDS = ("kind", "tags", "community", "language")


def _text_query(text: str, *, answers: bool = True, dutch: bool | None = None) -> Query:
    """The words of ``text`` over ``TEXT_FIELDS`` (search and similar questions;
    without answers when ``answers`` is false). ``dutch``: whether ``text``
    crosses languages, when the caller already knows."""
    if dutch is None:
        dutch = crosses_languages(text)
    fields = [
        f
        for f in TEXT_FIELDS + (DUTCH_FIELDS if dutch else [])
        if answers or f.split("^")[0] != ANSWER_FIELD
    ]
    # A word that splits into Dutch parts also crosses languages, so the Dutch
    # fields are in ``fields`` whenever parts are added.
    return Q(
        "multi_match",
        query=with_compound_parts(text),
        fields=fields,
        type="most_fields",
    )


def _relevance(text: str, *, fuzzy: bool = False) -> Query:
    """Every field's match adds up (``most_fields``; answers in the rescore);
    typo tolerance and answers as a place to find documents only when asked (a
    second pass, when the first finds too little)."""
    query = _text_query(text, answers=fuzzy)
    if not fuzzy:
        return query
    return Q(
        "bool",
        should=[
            query,
            Q("match", title={"query": text, "fuzziness": "AUTO", "prefix_length": 1}),
        ],
        minimum_should_match=1,
    )


def _quality_functions(*, recency: bool = True) -> list[dict]:
    """Votes, accepted answers, verified pages (and recency): the factors add up,
    then scale the text score, so they never swamp relevance."""
    functions: list[dict] = [
        {"weight": 1.0},
        {
            "field_value_factor": {
                "field": "popularity",
                "modifier": "log2p",
                "missing": 0,
            }
        },
        {"filter": {"term": {"has_accepted": True}}, "weight": 0.5},
        {"filter": {"term": {"verified": True}}, "weight": 0.6},
    ]
    if recency:
        functions.append(
            {
                "gauss": {
                    "updated_at": {"scale": "365d", "offset": "30d", "decay": 0.5}
                },
                "weight": 0.5,
            }
        )
    return functions


def _quality(query: Query, *, recency: bool = True) -> Query:
    """The quality factors times the text score, over every match."""
    return Q(
        "function_score",
        query=query,
        functions=_quality_functions(recency=recency),
        score_mode="sum",
        boost_mode="multiply",
    )


def _quality_rescore(*, recency: bool = True) -> dict:
    """The quality factors over the best ``RESCORE_WINDOW`` hits only: the text
    score finds the candidates, quality orders them, and no other hit pays."""
    return {
        "window_size": RESCORE_WINDOW,
        "query": {
            "rescore_query": Q(
                "function_score",
                query=Q("match_all"),
                functions=_quality_functions(recency=recency),
                score_mode="sum",
                boost_mode="replace",
            ).to_dict(),
            "query_weight": 1.0,
            "rescore_query_weight": 1.0,
            "score_mode": "multiply",
        },
    }


def _answers_rescore(
    text: str, *, also: list[Query] | None = None, window: int = ANSWERS_WINDOW
) -> dict:
    """The words of ``text`` in answers (and the scores of ``also``), added to
    the best ``window`` hits."""
    answers = Q("match", **{ANSWER_FIELD: {"query": text}})
    query = Q("bool", should=[answers, *also]) if also else answers
    return {
        "window_size": window,
        "query": {
            "rescore_query": query.to_dict(),
            "query_weight": 1.0,
            "rescore_query_weight": 1.0,
            "score_mode": "total",
        },
    }


# How many values of each facet are counted.
FACET_SIZES = {"kind": 10, "tags": 20, "community": 20, "language": 5}


def _matching(params: SearchParams, *, viewer, fuzzy: bool) -> Search:
    """What ``params`` matches among what ``viewer`` may read, scored by the
    words when there are any (shared by the search and its facet sample)."""
    filters = [visibility_filter(viewer)]
    if params.kind:
        filters.append(Q("term", kind=params.kind))
    if params.tag:
        filters.append(Q("term", tags=params.tag.lower()))
    if params.community:
        filters.append(Q("term", community=params.community))
    if params.author:
        filters.append(Q("term", author=params.author))
    if params.language:
        filters.append(Q("term", language=params.language))
    text = params.q.strip()
    if not text:
        # Browsing counts facets with aggregations: the permission filter must
        # sit in the query itself (a post_filter does not narrow aggregations).
        return Search(index=read_alias()).query(Q("bool", filter=filters))
    # No subject-word bonus here (similar questions have one): as a ``should``
    # clause it doubled the node's time at 200k documents (43.7 -> 85.5 ms p50,
    # bench 2026-11-28 11:35) for +0.003 held-out MRR (0.419 -> 0.422); in the
    # answers' rescore of the best 200, as similar questions now score it, the
    # tune half's MRR fell from 0.225 to 0.199 / 0.197 / 0.198 at x3 / x4 / x6
    # (``search_eval --sections search_api``, 2026-11-29 16:35); as a ``should``
    # match of them on stemmed titles alone, to 0.203 / 0.205 at x1 / x2 (17:15).
    scored = Search(index=read_alias()).query(
        Q("bool", must=[_relevance(text, fuzzy=fuzzy)], filter=filters[1:])
    )
    return permitted(scored, filters[0])


def permitted(search: Search, permission: Query) -> Search:
    """``search`` with its hits limited to what the reader may see by a
    ``post_filter``, for requests without aggregations.

    Applied after scoring, the filter still narrows every hit, the total, the
    rescore window, highlights and ``docvalue_fields``, but not aggregations,
    so a request that aggregates keeps its permission filter in the query
    (browsing; ``tests/search/test_queries.py`` checks every builder). Inside
    the query it doubled the node's time: Lucene then scores the words a
    document at a time instead of skipping what cannot reach the top. At
    200,000 documents our query took p50 15.0 ms with it in the query and
    11.3 ms as a post_filter (plain BM25 7.0); at 8 concurrent searches
    63.2 vs 34.5 ms p50 and 113 vs 206 searches a second (``make bench``,
    2026-11-28 22:12)."""
    return search.post_filter(permission)


def build_facet_sample(search: Search) -> Search:
    """The facets of a search with words: the facet fields of the best
    ``FACET_SAMPLE`` matches of ``search``'s query (its permission filter and
    all; no rescore, highlights or totals), sent with it in one ``_msearch``."""
    body = search.to_dict()
    return Search(index=read_alias()).update_from_dict(
        {
            "query": body["query"],
            # The permission filter, where the search has it after scoring.
            **({"post_filter": body["post_filter"]} if "post_filter" in body else {}),
            "size": FACET_SAMPLE,
            "track_total_hits": False,
            "_source": False,
            "docvalue_fields": list(FACET_FIELDS),
        }
    )


def facet_counts(hits: list[dict]) -> dict[str, dict[str, int]]:
    """Each facet's values with how many ``hits`` (raw, with doc-value
    ``fields``) carry them, most frequent first, ``FACET_SIZES`` of each."""
    counts: dict[str, Counter] = {name: Counter() for name in FACET_FIELDS}
    for hit in hits:
        fields = hit.get("fields", {})
        for name in FACET_FIELDS:
            counts[name].update(set(fields.get(name, [])))
    return {
        name: dict(
            sorted(counter.items(), key=lambda item: (-item[1], item[0]))[
                : FACET_SIZES[name]
            ]
        )
        for name, counter in counts.items()
    }


# What a search result shows (``services.search_content``), and all the node
# sends of each hit's source. Leaving out only the long fields sent the rest,
# the stored sentence vector among them: 40 KB for 20 hits, half of it vectors,
# against 13 KB now. At 200,000 documents (one segment, 270 titles, each way
# in turn; throw-away probe) the client had its answer in 7.32 ms p50 against
# 7.77 before.
RESULT_FIELDS = (
    "kind",
    "object_id",
    "title",
    "url",
    "score",
    "author",
    "author_name",
    "tags",
    "community",
    "created_at",
)


def build_search(
    params: SearchParams, *, viewer, fuzzy: bool = False, facets: bool = True
) -> Search:
    """The search request: permission filter, filters, scoring, snippets.

    Text queries score on the words in titles and bodies, then the best hits
    are rescored (the words in answers add, the quality factors multiply);
    totals are counted up to ``TOTAL_HITS_CAP``; ``fuzzy`` adds typo tolerance
    on titles (the service's second pass). ``facets``: browsing without words
    counts them here over everything; with words they come from
    ``build_facet_sample``.
    """
    search = _matching(params, viewer=viewer, fuzzy=fuzzy)
    text = params.q.strip()
    if not text:
        search = search.sort("-updated_at", "-score")
        if facets:  # browsing without words counts everything
            for name, size in FACET_SIZES.items():
                search.aggs.bucket(name, "terms", field=name, size=size)
    search = (
        search.highlight_options(
            encoder="html",
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            fragment_size=180,
            number_of_fragments=1,
            no_match_size=180,
        )
        # The snippet comes from the stored summary (the body's first
        # characters), not the whole body: highlighting whole bodies was most of
        # a search's time inside Elasticsearch (issue #12). Titles are shown as
        # they are, so they are not highlighted: it cost a third of the node's
        # time at 200,000 documents and served only as the snippet of a
        # document without a body (took p50 12.0 -> 8.5 ms, 80 titles x 2,
        # 2026-11-30 02:25).
        .highlight("summary")
    )
    size = max(1, min(params.page_size, MAX_PAGE_SIZE))
    start = (max(params.page, 1) - 1) * size
    extra: dict = {"from_": start, "size": size, "track_total_hits": TOTAL_HITS_CAP}
    if text:
        # Highlighting with the full scoring query (stemmed sub-fields) is slow; a
        # plain match on the summary marks the words.
        search = search.highlight_options(
            highlight_query=Q("match", summary=text).to_dict()
        )
        # In order: answers add to the text score, then quality scales it.
        rescore = [_answers_rescore(text)] if start < ANSWERS_WINDOW else []
        if start < RESCORE_WINDOW:
            rescore.append(_quality_rescore())
        if rescore:
            extra["rescore"] = rescore
    search = search.extra(**extra)
    return search.source(includes=list(RESULT_FIELDS))


def build_autocomplete(prefix: str, *, viewer, size: int = 8) -> Search:
    """Titles that start words with what was typed, only from readable documents."""
    query = Q(
        "bool",
        should=[
            Q("match", **{"title.autocomplete": {"query": prefix, "operator": "and"}}),
            Q("match_bool_prefix", title={"query": prefix, "boost": 2}),
        ],
        minimum_should_match=1,
    )
    return permitted(
        Search(index=read_alias())
        .query(query)
        .extra(size=size)
        .source(["title", "url", "kind", "object_id"]),
        visibility_filter(viewer),
    )


# The relevance floor of similar questions: a candidate must contain (in its
# title, body or answers) at least this share of the draft title's words, so a
# list shows nothing rather than questions that share one common word. Half
# (was 40%): a question with a long build log in its body met 40% of almost
# any draft about building and sat in 5.8% of the eval's similar lists (4.8%
# at half; tune-half MRR -0.014 title + body, -0.003 title only; ``make eval``).
SIMILAR_FLOOR = "2<50%"
# Grouped by analyzer: English or Dutch words (when the draft crosses
# languages), whichever meets the floor.
# Answers stay in the floor although they cost (tried 2026-11-28 22:30 without
# them: tune-half MRR title only 0.300 -> 0.224, title + body 0.365 -> 0.286,
# diversity 4.8% -> 5.4%). What made them cheap (2026-11-29): the floor is a
# filter after scoring on ``words_en``, one field of every word without
# frequencies, and the subject words score in the rescore of the best
# ``SIMILAR_RESCORE_WINDOW``. On the bench's 200,000 documents (a throw-away
# probe of 80 titles, one segment) the node took p50 23 ms for a title's
# similar query with the floor as a scored clause over the three fields and
# 8 ms so; ``make bench`` measures the filter on ``words_en`` against the
# filter over the three fields (``similar_raw``); ``make eval``'s similar
# and diversity figures were identical, tune and report halves.
# Where the floor of meaning judges the hits too (an English draft, its hits
# in English or of unknown language; ``services.similar_questions``), the floor
# of words asks only one of the title's subject words, and so does the
# subject-word bonus: meaning keeps the noise out. Once the floor of meaning
# was in place (2026-11-29), the floor of words had become the stricter of the
# two. Tune half of ``make eval`` (2026-11-30 04:30-05:00, a throw-away sweep
# over the harness's sections; MRR title only / title + body, the top result's
# share of similar lists): as before 0.232 / 0.291, 4.5%; the floor at 40%
# 0.235 / 0.312, 5.5%; at one word 0.236 / 0.327, 4.7%; the bonus at one word
# too 0.247 / 0.341, 5.0%. The floors of meaning then rose to 0.25 from a title
# and 0.3 with a body (``SEARCH_MEANING_FLOOR``, ``_BODY``): 0.243 / 0.343,
# 4.4%, and the 30 off-topic drafts of ``make eval`` (``off_topic``) get a
# list no more often than before (title 20 of 30, as before; title + body 9,
# was 12); at 0.2 from a title, 25. At 0.3 / 0.35 the lists empty and MRR
# falls (0.227 / 0.301).
SIMILAR_FLOOR_UNDER_MEANING = "1"
FULL_FLOOR = "full_floor"  # the name of the full floor of words in a request


def floor_under_meaning() -> str:
    """``SIMILAR_FLOOR_UNDER_MEANING``, unless the site sets another
    (``settings.SEARCH_SIMILAR_WORDS_UNDER_MEANING``)."""
    return getattr(
        settings, "SEARCH_SIMILAR_WORDS_UNDER_MEANING", SIMILAR_FLOOR_UNDER_MEANING
    )


SIMILAR_FLOOR_FIELDS = ["title.en", "body.en", "answers.en"]
SIMILAR_FLOOR_DUTCH = ["title.nl", "body.nl", "answers_nl"]
# The body's first characters a draft is matched by (tune half of ``make eval``,
# title + body MRR 0.290 at 2,000, 0.284 at 1,000, 0.287 at 600, diversity
# 5.1% / 5.5% / 5.5%; 2026-11-29 17:05).
SIMILAR_BODY_CHARS = 2000
# How many of the best by words similar questions rescore (answers and subject
# words). The tune half of ``make eval`` read the same at 200, 100 and 50
# (title only 0.232 each, title + body 0.290 / 0.290 / 0.291, diversity 5.1%;
# ``search_eval --sections similar_title,similar_title_body,diversity``,
# 2026-11-29 16:50); the node's time falls with the window, and on a site larger
# than Cardano's 1,042 questions a small window is likelier to miss a
# question found by its answers, so the middle one.
SIMILAR_RESCORE_WINDOW = 100
# What a match on the title's subject words (phrasing words such as "how do I"
# dropped; at least SIMILAR_FLOOR of them) adds, on top of the same words in the
# ranking query, in similar questions (search dropped it: it doubled the
# node's time at 200k documents). Measured as a scored clause of the query
# (now in the rescore, with the same figures). Tune half of ``make eval``
# (2026-11-28), MRR of similar title only / title + body / search API:
# 0.278 / 0.343 / 0.274 without, 0.302 / 0.365 / 0.291 at x3 (x1: 0.288 /
# 0.359; x2: 0.299 / 0.361 / 0.287; x5 search API 0.291); Elasticsearch time p50
# unchanged within a millisecond; diversity 4.8% as before. Tried and left out
# (same tune half, title + body unless said): the body as its own clause by
# its 25 most telling words (``more_like_this``: 0.356 at 5 instead of 9 ms,
# but a long build log then sat in 5.4% of similar lists, over the 5% target);
# the whole body as its own clause (0.352-0.362, 5.4%); tags predicted from the
# best hits as a boost (0.326-0.345); pseudo-relevance feedback from the top 3
# (0.317-0.336, twice the time); titles x3 or x1.5 (title only 0.261 / 0.287).
SUBJECT_BOOST = 3.0
# Words of a question's phrasing, not of its subject (English and Dutch): they
# would meet any floor, so the floor counts only the other words.
PHRASING_WORDS = frozenset(
    """a about after all am an and any are as at be been being but by can could
    did do does doing for from get gets getting had has have having how i if in
    into is it its me my no not of on or our should so some than that the their
    them then there these they this those to use used using was we were what when
    where which who why will with would you your
    aan al alle als ben bij dan dat de deze die dit doe doen een en er het hoe
    ik in is je kan kun kunnen maar met mijn moet naar niet nog of om ook op te
    van voor waar wat we welke wie wij zijn
    ga gaan gaat graag heb hebben heeft iemand krijg krijgen mag mogen moeten
    vraag vragen waarom wanneer weet weten wil willen word wordt worden zou
    zouden""".split()  # noqa: SIM905
)
# The Dutch words are the English list's kind (can, get, have, should, will) and
# "vraag"/"vragen" (ask, question: "hoe vraag ik verlof aan"): left in, a
# three-word subject met the floor with "vraag" alone, which the bilingual
# lexicon also reads as "question", so a Dutch leave question listed five
# unrelated English ones as related (the demo, 2026-11-29).
_WORDS = re.compile(r"\w+", re.UNICODE)


def subject_words(title: str) -> str:
    """The words of ``title`` that say what it is about (phrasing words dropped)."""
    return " ".join(w for w in _WORDS.findall(title) if w.lower() not in PHRASING_WORDS)


def _subject_match(
    subject: str, *, dutch: bool, boost: float = 1.0, share: str = SIMILAR_FLOOR
) -> list[Query]:
    """A title's ``subject`` words (``subject_words``), at least ``share`` of
    them across the fields (the Dutch ones too when the draft crosses
    languages), scored (the bonus of similar questions); none without any."""
    if not subject:
        return []
    extra = {"boost": boost} if boost != 1.0 else {}
    return [
        Q(
            "multi_match",
            query=subject,
            fields=SIMILAR_FLOOR_FIELDS + (SIMILAR_FLOOR_DUTCH if dutch else []),
            type="cross_fields",
            minimum_should_match=share,
            **extra,
        )
    ]


def subject_floor(
    subject: str,
    *,
    dutch: bool,
    in_words: bool = True,
    meaning_reads: Sequence[str] = (),
) -> list[Query]:
    """The relevance floor of similar questions as a filter: at least
    ``SIMILAR_FLOOR`` of a title's ``subject`` words in the title, body or
    answers (English, or Dutch when the draft crosses languages); none without
    any. ``in_words``: the English words are looked up in the one field that
    holds them all (``words_en``), else across the three (an index built before
    that field existed). ``meaning_reads``: the languages (``""``: not known)
    of hits the floor of meaning will judge after this query; such a hit needs
    only ``floor_under_meaning()`` of the words, and says whether it met the
    full floor too (``FULL_FLOOR``), for when meaning cannot judge it after all
    (no vector, or the encoder failed).

    Under meaning the floor reads "one word, and the full floor unless in a
    language meaning reads": a hit in another language is the rare case,
    so the full floor is looked up for those hits only; the name asks nothing
    of the others (an optional clause of a filter), and the node reports it
    for the hits it returns. At 200,000 documents (a throw-away probe, 150
    titles alternated, 2026-11-30 05:10) the floor as "one word, and either
    a language meaning reads or the full floor" took p50 12.0 ms, this form
    10.0, the full floor alone 11.0."""
    if not subject:
        return []
    full = _words_floor(subject, dutch=dutch, in_words=in_words, share=SIMILAR_FLOOR)
    # Named, so each hit says whether it met the full floor (``similar_row``).
    named = Q("bool", filter=[full], _name=FULL_FLOOR)
    if not meaning_reads:
        return [named]
    loose = _words_floor(
        subject, dutch=dutch, in_words=in_words, share=floor_under_meaning()
    )
    unread = [code for code, _name in settings.LANGUAGES if code not in meaning_reads]
    others = (
        [Q("bool", filter=[Q("terms", language=unread)], must_not=[full])]
        if unread
        else []
    )
    return [Q("bool", filter=[loose], must_not=others, should=[named])]


def _words_floor(subject: str, *, dutch: bool, in_words: bool, share: str) -> Query:
    """At least ``share`` of ``subject`` in the words (see ``subject_floor``)."""
    if not in_words:
        return _subject_match(subject, dutch=dutch, share=share)[0]
    english = Q("match", **{WORDS: {"query": subject, "minimum_should_match": share}})
    if not dutch:
        return english
    dutch_words = Q(
        "multi_match",
        query=subject,
        fields=SIMILAR_FLOOR_DUTCH,
        type="cross_fields",
        minimum_should_match=share,
    )
    return Q("bool", should=[english, dutch_words], minimum_should_match=1)


def build_similar(
    *,
    title: str,
    body: str = "",
    viewer,
    limit: int = 5,
    exclude_id: int | None = None,
    community: str = "",
    kind: str = "question",
    readers: list[str] | None = None,
    with_meaning: bool = False,
    floor_in_words: bool = True,
    meaning_reads: Sequence[str] = (),
) -> Search:
    """Documents of ``kind`` (questions unless told) like a draft: its title and
    body matched like a search (stemmed titles count twice), above a relevance
    floor on the title's subject words, the draft itself excluded, the asker's
    ``community`` first. The best ``SIMILAR_RESCORE_WINDOW`` by those words
    are rescored: the words in answers add, as in search, and so do the subject
    words over title, body and answers (x ``1 + SUBJECT_BOOST``). ``readers``:
    the viewer's principals when the caller already has them;
    ``with_meaning``: the hits carry their sentence vector (``search.meaning``);
    ``floor_in_words`` and ``meaning_reads``: see ``subject_floor``.

    The floor is a filter applied after scoring (with the permission), so the
    node ranks by the words alone and skips what cannot reach the top; as a
    scored clause beside them it had made Lucene score every match of both."""
    text = f"{title}\n{body[:SIMILAR_BODY_CHARS]}".strip()
    permission = visibility_filter(viewer, principals=readers)
    must_not = [Q("term", object_id=str(exclude_id))] if exclude_id else []
    # What the title says and whether the draft crosses languages, read once
    # for the words, the bonus and the floor.
    dutch = crosses_languages(text)
    # A Dutch compound counts by its parts too (laptopaanvraag: laptop,
    # aanvraag), as its English twin says them apart.
    subject = subject_words(with_compound_parts(title) if dutch else title)
    query: Query = Q(
        "bool",
        must=[_text_query(text, answers=False, dutch=dutch)],
        must_not=must_not,
    )
    if community:
        query = Q(
            "function_score",
            query=query,
            functions=[{"filter": {"term": {"community": community}}, "weight": 1.5}],
            boost_mode="multiply",
        )
    # Stored fields and doc values, not each hit's whole ``_source`` (a
    # question's holds all its answers). At 200,000 documents it made no
    # difference the bench could see (similar questions API p50 42.1 ms reading
    # sources, 44.2 ms stored fields, 20 hits each; 2026-11-29 09:30 / 09:41).
    search = (
        Search(index=read_alias())
        .query(query)
        .source(False)
        .extra(
            size=max(1, min(limit, 20)),
            rescore=[
                _answers_rescore(
                    text,
                    also=_subject_match(
                        subject,
                        dutch=dutch,
                        boost=1 + SUBJECT_BOOST,
                        share=floor_under_meaning() if meaning_reads else SIMILAR_FLOOR,
                    ),
                    window=SIMILAR_RESCORE_WINDOW,
                )
            ],
            stored_fields=["title"] + (["meaning"] if with_meaning else []),
            docvalue_fields=list(SIMILAR_VALUES),
        )
    )
    floor = subject_floor(
        subject, dutch=dutch, in_words=floor_in_words, meaning_reads=meaning_reads
    )
    return permitted(
        search, Q("bool", filter=[permission, Q("term", kind=kind), *floor])
    )


# What a similar-questions hit is read from (doc values), besides its stored title.
SIMILAR_VALUES = ("object_id", "url", "score", "is_answered", "community", "language")


def similar_row(hit: Any) -> dict[str, Any]:
    """A hit of ``build_similar`` as a row: id, title, url, score, whether it is
    answered, its language, its stored vector (``meaning``, empty unless asked
    for) and whether it met the full floor of words (``full_floor``)."""

    def first(name: str, default: Any = None) -> Any:
        values = getattr(hit, name, None)
        return values[0] if values else default

    return {
        "id": int(first("object_id")),
        "title": first("title", ""),
        "url": first("url", ""),
        "score": first("score", 0) or 0,
        "is_answered": bool(first("is_answered", False)),
        "language": first("language", ""),
        "meaning": first("meaning", ""),
        # Whether it met the full floor of words (see ``subject_floor``).
        "full_floor": FULL_FLOOR in (getattr(hit.meta, "matched_queries", None) or []),
    }


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
    )
    return permitted(
        Search(index=read_alias())
        .query(query)
        .extra(size=10)
        .source(["kind", "object_id"])
        .highlight_options(
            pre_tags=["\u27e6"],
            post_tags=["\u27e7"],
            number_of_fragments=5,
            fragment_size=60,
            encoder="default",
        )
        .highlight("title")
        .highlight("body"),
        visibility_filter(viewer),
    )

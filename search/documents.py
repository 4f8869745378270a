"""The content index: one mapping for questions, knowledge pages and journal entries.

Documents carry everything needed to render a result (no database trip) and
``readers``, the principals allowed to see them, which every query filters on.

Text fields are analysed three ways: a folded default (``title``), English and
Dutch stemmed sub-fields (``title.en``, ``title.nl``), and edge n-grams on
titles for search-as-you-type. (Title shingles were dropped: they rewarded
phrasing such as "how to check if" over topic words, see ``make eval``.) The analyzer
*names* are fixed; what they do depends on the node (see ``analysis_settings``).
"""

from elasticsearch import Elasticsearch
from elasticsearch_dsl import (
    Binary,
    Boolean,
    Completion,
    Date,
    Document,
    Integer,
    Keyword,
    Text,
)

from .lexicon import bilingual_synonyms, dutch_compound_parts

PLUGIN = "hallway-analysis"


# BM25's parameters for the stemmed sub-fields that rank (``title.en`` and the
# like), short texts apart from long ones; the folded base fields keep
# Elasticsearch's defaults (k1 1.2, b 0.75). Changing them needs no reindex:
# the index is closed, its settings updated and reopened (``set_bm25``).
BM25_SHORT = {"k1": 1.2, "b": 0.75}
BM25_LONG = {"k1": 1.2, "b": 0.75}


def similarity_settings(
    short: dict[str, float] | None = None, long: dict[str, float] | None = None
) -> dict:
    """The index's named similarities (``hallway_short`` for titles,
    ``hallway_long`` for bodies and answers)."""
    return {
        "hallway_short": {"type": "BM25", **(short or BM25_SHORT)},
        "hallway_long": {"type": "BM25", **(long or BM25_LONG)},
    }


# The field the floor of similar questions reads (``ContentDocument.words_en``).
WORDS = "words_en"


def _text(
    *,
    languages: tuple[str, ...] = ("en", "nl"),
    autocomplete: bool = False,
    store: bool = False,
    similarity: str = "hallway_long",
    copy_to: tuple[str, ...] = (),
) -> Text:
    """A folded text field with the sub-fields it is worth paying for at index time.

    ``store`` keeps the field apart from ``_source``: highlighting a shown field
    then reads it alone instead of parsing each hit's whole document (answers
    included). ``copy_to``: fields its text is also indexed in."""
    fields: dict[str, Text] = {
        lang: Text(
            analyzer=f"hallway_{lang}",
            search_analyzer=f"hallway_{lang}_search",
            similarity=similarity,
        )
        for lang in languages
    }
    if autocomplete:
        fields["autocomplete"] = Text(
            analyzer="hallway_autocomplete", search_analyzer="hallway_text"
        )
    # Offsets in the postings let the highlighter skip re-analysing long texts.
    return Text(
        analyzer="hallway_text",
        search_analyzer="hallway_text_search",
        index_options="offsets",
        store=store,
        fields=fields,
        **({"copy_to": list(copy_to)} if copy_to else {}),
    )


class ContentDocument(Document):
    """A question (with its answers), a knowledge page or a journal entry."""

    kind = Keyword()
    object_id = Keyword()
    # The language the content is written in ("en", "nl"; empty when unknown).
    language = Keyword()
    title = _text(
        autocomplete=True, store=True, similarity="hallway_short", copy_to=(WORDS,)
    )
    body = _text(store=True, copy_to=(WORDS,))
    # The first SUMMARY_CHARS of the body, stored: the snippet is highlighted in
    # this short text instead of the whole body (highlighting whole bodies was
    # most of a search's time inside Elasticsearch, issue #12).
    summary = _text(languages=(), store=True)
    # Answers are the bulk of the text: English stemming only, to keep indexing fast.
    answers = _text(languages=("en",), copy_to=(WORDS,))
    # Every word of the title, body and answers again, English analysis, in one
    # field without frequencies or norms (copied at index time, never stored):
    # the relevance floor of similar questions is a filter on it
    # (``search.queries.subject_floor``): one list of documents per word to
    # check instead of three (``make bench``: ``similar_raw``).
    words_en = Text(
        analyzer="hallway_en",
        search_analyzer="hallway_en_search",
        index_options="docs",
        norms=False,
    )
    # The Dutch answers again, with Dutch analysis (plurals, compounds, the
    # Dutch-English equivalents): a Dutch answer under an English question is
    # found as Dutch, and the English answers pay nothing for it.
    answers_nl = Text(
        analyzer="hallway_nl",
        search_analyzer="hallway_nl_search",
        similarity="hallway_long",
    )
    accepted_answer = _text(languages=("en",))
    tags = Keyword()
    community = Keyword()
    community_title = Keyword(index=False)
    author = Keyword()
    author_name = Keyword(index=False)
    answerers = Keyword()
    accepted_answerer = Keyword()
    score = Integer()
    # Never negative, so a logarithmic boost is always defined (scores can be < 0).
    popularity = Integer()
    answer_count = Integer()
    is_answered = Boolean()
    has_accepted = Boolean()
    status = Keyword()
    verified = Boolean()
    needs_review = Boolean()
    visibility = Keyword()
    created_at = Date()
    updated_at = Date()
    url = Keyword(index=False)
    readers = Keyword()
    # A question's sentence vector (float16, base64; search/meaning.py): read
    # back, as a stored field, with the hits it re-orders; never searched.
    meaning = Binary(store=True)
    # What it was made from (``search.meaning.text_key``): kept when unchanged.
    meaning_key = Keyword(index=False, doc_values=False)
    title_suggest = Completion(contexts=[{"name": "readers", "type": "category"}])

    class Index:
        name = (
            "hallway-content"  # the real, prefixed and versioned name is set per index
        )


def analysis_level(client: Elasticsearch) -> str:
    """What the node can analyse: ``plugin`` (hallway-analysis), ``builtin``
    (a full distribution's analysis-common) or ``basic`` (core only)."""
    info = client.nodes.info(metric="plugins")
    nodes = list(info.get("nodes", {}).values())
    if nodes and all(any(p["name"] == PLUGIN for p in n["plugins"]) for n in nodes):
        return "plugin"
    if nodes and all(
        any(m["name"] == "analysis-common" for m in n.get("modules", [])) for n in nodes
    ):
        return "builtin"
    return "basic"


_FILTERS = {
    "plugin": {
        "decompound": "hallway_decompound",
        "fold": ["hallway_asciifolding"],
        "en": ["hallway_english_stop", "hallway_english_stem"],
        "nl": ["hallway_dutch_stop", "hallway_dutch_stem"],
        "stop": ["hallway_english_stop", "hallway_dutch_stop"],
        "edge": "hallway_edge_ngram",
        "synonyms": "hallway_synonyms",
    },
    "builtin": {
        "decompound": "dictionary_decompounder",
        "fold": ["asciifolding"],
        "en": ["hallway_en_stop", "hallway_en_stem"],
        "nl": ["hallway_nl_stop", "hallway_nl_stem"],
        "stop": ["hallway_en_stop", "hallway_nl_stop"],
        "edge": "edge_ngram",
        "synonyms": "synonym_graph",
    },
}


def analysis_settings(level: str, synonyms: list[str]) -> dict:
    """Index analysis settings: the same analyzer names at every level."""
    if level not in _FILTERS:
        plain = {"tokenizer": "standard", "filter": ["lowercase"]}
        names = ["text", "en", "en_search", "nl", "nl_search"]
        analyzers = {f"hallway_{name}": plain for name in names}
        analyzers["hallway_text_search"] = {
            "tokenizer": "standard",
            "filter": ["lowercase", "hallway_basic_stop"],
        }
        analyzers["hallway_autocomplete"] = plain
        return {
            "filter": {
                "hallway_basic_stop": {"type": "stop", "stopwords": "_english_"},
            },
            "analyzer": analyzers,
        }
    f = _FILTERS[level]
    filters: dict[str, dict] = {
        "hallway_edge": {"type": f["edge"], "min_gram": 2, "max_gram": 15},
    }
    if level == "builtin":
        filters |= {
            "hallway_en_stop": {"type": "stop", "stopwords": "_english_"},
            "hallway_en_stem": {"type": "stemmer", "language": "english"},
            "hallway_nl_stop": {"type": "stop", "stopwords": "_dutch_"},
            "hallway_nl_stem": {"type": "stemmer", "language": "dutch"},
        }
    # Leads' synonyms, then Dutch–English equivalents: a query in one language
    # also finds what was written in the other (search time only).
    rules = [*synonyms, *bilingual_synonyms()]
    filters["hallway_synonym_rules"] = {"type": f["synonyms"], "synonyms": rules}
    synonym_filter = ["hallway_synonym_rules"]
    # Dutch compounds also index their parts: laptopaanvraag → laptop, aanvraag.
    filters["hallway_nl_compounds"] = {
        "type": f["decompound"],
        "word_list": list(dutch_compound_parts()),
        **({"min_subword_size": 4} if level == "builtin" else {}),
    }
    base = ["lowercase", *f["fold"]]

    def chain(*extra: str) -> dict:
        return {"tokenizer": "standard", "filter": [*base, *extra]}

    return {
        "filter": filters,
        "analyzer": {
            "hallway_text": chain(),
            # Queries drop stop words on the folded fields too: "how do I" matches
            # nearly every document and costs most of a query's time.
            "hallway_text_search": chain(*synonym_filter, *f["stop"]),
            "hallway_en": chain(*f["en"]),
            "hallway_en_search": chain(*synonym_filter, *f["en"]),
            "hallway_nl": chain("hallway_nl_compounds", *f["nl"]),
            "hallway_nl_search": chain(
                *synonym_filter, "hallway_nl_compounds", *f["nl"]
            ),
            "hallway_autocomplete": chain("hallway_edge"),
        },
    }


def document_id(kind: str, object_id: str) -> str:
    """The Elasticsearch ``_id`` of a content document."""
    return f"{kind}-{object_id}"


SUMMARY_CHARS = 600


def summary_of(text: str) -> str:
    """The start of ``text`` (at most ``SUMMARY_CHARS``, cut between words)."""
    text = text or ""
    if len(text) <= SUMMARY_CHARS:
        return text
    cut = text[:SUMMARY_CHARS]
    space = cut.rfind(" ")
    return cut[:space] if space > SUMMARY_CHARS // 2 else cut


def index_source(doc: dict) -> dict:
    """What is sent to the index for ``doc``: with its snippet summary and the
    completion input (every write path goes through here)."""
    return with_suggest({**doc, "summary": summary_of(doc.get("body") or "")})


def with_suggest(doc: dict) -> dict:
    """Add the completion input, scoped by the same readers as the document."""
    if doc.get("title"):
        doc = {
            **doc,
            "title_suggest": {
                "input": [doc["title"]],
                "contexts": {"readers": doc["readers"]},
            },
        }
    return doc

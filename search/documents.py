"""The content index: one mapping for questions, knowledge pages and journal entries.

Documents carry everything needed to render a result (no database trip) and
``readers``, the principals allowed to see them, which every query filters on.
"""

from elasticsearch_dsl import (
    Boolean,
    Completion,
    Date,
    Document,
    Integer,
    Keyword,
    Text,
    analyzer,
    token_filter,
)

shingle = token_filter(
    "hallway_shingle", "shingle", min_shingle_size=2, max_shingle_size=3
)
# Built only from what every Elasticsearch build ships (the integ-test-zip lacks
# the analysis-common module, so no stemmers or ASCII folding there).
text_analyzer = analyzer("hallway_text", tokenizer="standard", filter=["lowercase"])
shingle_analyzer = analyzer(
    "hallway_shingles", tokenizer="standard", filter=["lowercase", shingle]
)


def _text(**kwargs) -> Text:
    return Text(
        analyzer=text_analyzer,
        fields={"shingles": Text(analyzer=shingle_analyzer)},
        **kwargs,
    )


class ContentDocument(Document):
    """A question (with its answers), a knowledge page or a journal entry."""

    kind = Keyword()
    object_id = Keyword()
    title = _text()
    body = _text()
    answers = _text()
    accepted_answer = _text()
    tags = Keyword()
    community = Keyword()
    community_title = Keyword(index=False)
    author = Keyword()
    author_name = Keyword(index=False)
    answerers = Keyword()
    accepted_answerer = Keyword()
    score = Integer()
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
    title_suggest = Completion(contexts=[{"name": "readers", "type": "category"}])

    class Index:
        name = "hallway-content"  # replaced by the prefixed, versioned name
        settings = {
            "number_of_shards": 1,
            "number_of_replicas": 0,
            "refresh_interval": "1s",
        }


def document_id(kind: str, object_id: str) -> str:
    """The Elasticsearch ``_id`` of a content document."""
    return f"{kind}-{object_id}"


def with_suggest(doc: dict) -> dict:
    """Add the autocomplete input, scoped by the same readers as the document."""
    if doc.get("title"):
        doc = {
            **doc,
            "title_suggest": {
                "input": [doc["title"]],
                "contexts": {"readers": doc["readers"]},
            },
        }
    return doc

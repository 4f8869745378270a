"""The people index: what each person answered and wrote, for "who knows about X".

Only content every signed-in member may read goes in (questions and answers,
published public knowledge pages, organisation-wide journal entries), so a
person's document can never reveal a private or community-only entry. Expert
queries run for signed-in readers only; the per-reader evidence shown next to
each person still comes from the permission-filtered content index.
"""

from collections import defaultdict
from datetime import UTC, datetime

from django.apps import apps
from django.conf import settings
from django.utils.html import strip_tags
from elasticsearch import Elasticsearch, helpers
from elasticsearch_dsl import Document, Integer, Keyword, Text

from .documents import analysis_level, analysis_settings
from .index import indices_behind, swap_alias

MAX_TEXT = 20_000  # characters of evidence per kind and person


class PersonDocument(Document):
    """A person and the text of what they contributed, by kind of evidence."""

    username = Keyword()
    display_name = Text(analyzer="hallway_text")
    department = Keyword()
    office = Keyword()
    accepted_text = Text(analyzer="hallway_en", search_analyzer="hallway_en_search")
    answers_text = Text(analyzer="hallway_en", search_analyzer="hallway_en_search")
    pages_text = Text(analyzer="hallway_en", search_analyzer="hallway_en_search")
    entries_text = Text(analyzer="hallway_en", search_analyzer="hallway_en_search")
    tags = Keyword()
    accepted = Integer()
    answers = Integer()
    pages = Integer()
    entries = Integer()

    class Index:
        name = "hallway-people"


def people_alias() -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-people"


def _plain(html: str) -> str:
    return " ".join(strip_tags(html or "").split())


def people_documents():
    """One document per active person with any contribution (a few queries in all)."""
    user_model = apps.get_model("people", "User")
    answer = apps.get_model("qa", "Answer")
    evidence: dict[int, dict] = defaultdict(
        lambda: {"accepted": [], "answers": [], "pages": [], "entries": [], "tags": {}}
    )
    answers = (
        answer.objects.filter(is_deleted=False, question__is_deleted=False)
        .select_related("question")
        .prefetch_related("question__tags")
        .only(
            "author_id", "body_html", "question__title", "question__accepted_answer_id"
        )
        .order_by("-created_at")
        .iterator(chunk_size=2000)
    )
    for a in answers:
        person = evidence[a.author_id]
        is_accepted = a.question.accepted_answer_id == a.pk
        person["accepted" if is_accepted else "answers"].append(
            f"{a.question.title} {_plain(a.body_html)}"
        )
        for tag in a.question.tags.all():
            person["tags"][tag.name] = person["tags"].get(tag.name, 0) + (
                3 if is_accepted else 1
            )
    page_model = apps.get_model("communities", "KnowledgePage")
    for page in page_model.objects.live().public().prefetch_related("tags"):
        if page.owner_id:
            evidence[page.owner_id]["pages"].append(f"{page.title} {page.summary}")
            for tag in page.tags.all():
                tags = evidence[page.owner_id]["tags"]
                tags[tag.name] = tags.get(tag.name, 0) + 2
    entry_model = apps.get_model("journals", "Entry")
    public_entries = entry_model.objects.filter(visibility="organisation").only(
        "author_id", "title", "body_html"
    )
    for entry in public_entries.iterator(chunk_size=2000):
        evidence[entry.author_id]["entries"].append(
            f"{entry.title} {_plain(entry.body_html)}"
        )
    people = user_model.objects.filter(pk__in=list(evidence), is_active=True)
    profile_model = apps.get_model("people", "Profile")
    profiles = {p.user_id: p for p in profile_model.objects.filter(user__in=people)}
    for user in people:
        data = evidence[user.pk]
        profile = profiles.get(user.pk)
        yield {
            "username": user.username,
            "display_name": user.get_display_name(),
            "department": getattr(profile, "department", "") or None,
            "office": getattr(profile, "office", "") or None,
            **{
                f"{kind}_text": " ".join(data[kind])[:MAX_TEXT]
                for kind in ("accepted", "answers", "pages", "entries")
            },
            "tags": [t for t, _ in sorted(data["tags"].items(), key=lambda i: -i[1])][
                :20
            ],
            **{
                kind: len(data[kind])
                for kind in ("accepted", "answers", "pages", "entries")
            },
        }


def people_reindex(client: Elasticsearch) -> int:
    """Rebuild the people index and swap its alias; return the number of people."""
    client = client.options(request_timeout=120)
    alias = people_alias()
    name = f"{alias}-{datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"
    from .models import synonym_rules

    client.indices.create(
        index=name,
        settings={
            "number_of_shards": 1,
            "number_of_replicas": settings.ELASTICSEARCH_REPLICAS,
            "analysis": analysis_settings(analysis_level(client), synonym_rules()),
        },
        mappings=PersonDocument._doc_type.mapping.to_dict(),
    )
    try:
        actions = (
            {"_index": name, "_id": doc["username"], "_source": doc}
            for doc in people_documents()
        )
        count, _ = helpers.bulk(client, actions, chunk_size=500)
        client.indices.refresh(index=name)
    except BaseException:
        client.options(ignore_status=404).indices.delete(index=name)
        raise
    swap_alias(client, alias, name)
    return count


def people_scores(client: Elasticsearch, q: str, *, size: int = 50) -> dict[str, float]:
    """Normalised (0–1] expertise per username for ``q`` from the people index."""
    if not indices_behind(client, people_alias()):
        return {}
    response = client.search(
        index=people_alias(),
        size=size,
        query={
            "multi_match": {
                "query": q,
                "fields": [
                    "accepted_text^3", "pages_text^2", "tags^2", "answers_text",
                    "entries_text^0.5",
                ],
                "type": "most_fields",
            }
        },
        source=["username"],  # type: ignore[arg-type]
    )  # fmt: skip
    hits = response["hits"]["hits"]
    top = max((h["_score"] for h in hits), default=0) or 1
    return {h["_source"]["username"]: h["_score"] / top for h in hits}

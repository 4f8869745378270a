"""The people index: what each person answered and wrote, for "who knows about X".

Only content every signed-in member may read goes in (questions and answers,
published public knowledge pages, organisation-wide journal entries), so a
person's document can never reveal a private or community-only entry. Expert
queries run for signed-in readers only; the per-reader evidence shown next to
each person still comes from the permission-filtered content index.
"""

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils.html import strip_tags
from elasticsearch import Elasticsearch, helpers
from elasticsearch_dsl import Boolean, Document, Float, Integer, Keyword, Text

from .documents import analysis_level, analysis_settings
from .index import indices_behind, swap_alias
from .models import synonym_rules

MAX_TEXT = 20_000  # characters of evidence per kind and person
# Recent activity, each contribution halved in worth every half-life: a month
# (``activity``) and a week (``activity_7d``, what the expert ranking reads:
# who answers *now* forecasts the next accepted answerer better, ``make eval``).
ACTIVITY_HALF_LIVES = {"activity": timedelta(days=30), "activity_7d": timedelta(days=7)}
# Expertise changes slowly: the index is rebuilt every quarter-hour by a task.
PEOPLE_REFRESH = timedelta(minutes=15)


class PersonDocument(Document):
    """A person and the text of what they contributed, by kind of evidence."""

    username = Keyword()
    user_id = Integer()
    # An active account: may be notified and asked. Imported and former accounts
    # still count as evidence of who knows what.
    reachable = Boolean()
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
    activity = Float()
    activity_7d = Float()

    class Index:
        name = "hallway-people"


def people_alias() -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-people"


def _plain(html: str) -> str:
    return " ".join(strip_tags(html or "").split())


def _activity(
    dates: list[datetime], newest: datetime | None, half_life: timedelta
) -> float:
    """Contributions, each worth less the older it is (halved every
    ``half_life``): who is still around to know things."""
    if newest is None:
        return 0.0
    return sum(0.5 ** ((newest - d) / half_life) for d in dates)


def people_documents():
    """One document per person with any contribution, imported or former accounts
    included (their work is evidence; ``reachable`` says who may be asked)."""
    user_model = apps.get_model("people", "User")
    answer = apps.get_model("qa", "Answer")
    page_model = apps.get_model("communities", "KnowledgePage")
    entry_model = apps.get_model("journals", "Entry")
    profile_model = apps.get_model("people", "Profile")
    evidence: dict[int, dict] = defaultdict(
        lambda: {
            "accepted": [],
            "answers": [],
            "pages": [],
            "entries": [],
            "tags": {},
            "dates": [],
        }
    )
    answers = (
        answer.objects.filter(is_deleted=False, question__is_deleted=False)
        .select_related("question")
        .prefetch_related("question__tags")
        .only(
            "author_id",
            "body_html",
            "created_at",
            "question__title",
            "question__accepted_answer_id",
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
        person["dates"].append(a.created_at)
        for tag in a.question.tags.all():
            person["tags"][tag.name] = person["tags"].get(tag.name, 0) + (
                3 if is_accepted else 1
            )
    for page in page_model.objects.live().public().prefetch_related("tags"):
        if page.owner_id:
            evidence[page.owner_id]["pages"].append(f"{page.title} {page.summary}")
            if page.last_published_at:
                evidence[page.owner_id]["dates"].append(page.last_published_at)
            for tag in page.tags.all():
                tags = evidence[page.owner_id]["tags"]
                tags[tag.name] = tags.get(tag.name, 0) + 2
    public_entries = entry_model.objects.filter(visibility="organisation").only(
        "author_id", "title", "body_html"
    )
    for entry in public_entries.iterator(chunk_size=2000):
        evidence[entry.author_id]["entries"].append(
            f"{entry.title} {_plain(entry.body_html)}"
        )
    # Activity counts public answers and pages only (it ranks people for anonymous
    # readers too), measured back from the newest one rather than from today, so
    # an imported site (or a quiet month) ranks the same as a busy live one.
    newest = max((d for data in evidence.values() for d in data["dates"]), default=None)
    # An erased person is nobody's expert: their name and evidence are gone.
    people = user_model.objects.filter(pk__in=list(evidence), erased_at__isnull=True)
    profiles = {
        p.user_id: p for p in profile_model.objects.filter(user_id__in=list(evidence))
    }
    for user in people.iterator(chunk_size=2000):
        data = evidence[user.pk]
        profile = profiles.get(user.pk)
        yield {
            "username": user.username,
            "user_id": user.pk,
            "display_name": user.get_display_name(),
            "reachable": user.is_active,
            **{
                name: round(_activity(data["dates"], newest, half_life), 4)
                for name, half_life in ACTIVITY_HALF_LIVES.items()
            },
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


def people_expected() -> int:
    """People who should have a document: authors of live answers, public pages
    and organisation-wide entries, whether or not their account is active."""
    answer = apps.get_model("qa", "Answer")
    page_model = apps.get_model("communities", "KnowledgePage")
    entry_model = apps.get_model("journals", "Entry")
    ids = set(
        answer.objects.filter(is_deleted=False, question__is_deleted=False)
        .values_list("author_id", flat=True)
        .distinct()
    )
    ids |= set(
        page_model.objects.live()
        .public()
        .filter(owner__isnull=False)
        .values_list("owner_id", flat=True)
    )
    ids |= set(
        entry_model.objects.filter(visibility="organisation")
        .values_list("author_id", flat=True)
        .distinct()
    )
    erased = apps.get_model("people", "User").objects.filter(erased_at__isnull=False)
    return len(ids - set(erased.values_list("pk", flat=True)))


def people_reindex(client: Elasticsearch) -> int:
    """Rebuild the people index and swap its alias; return the number of people."""
    client = client.options(request_timeout=120)
    alias = people_alias()
    name = f"{alias}-{datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"
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


VOLUME_FIELDS = [
    "user_id",
    "reachable",
    "accepted",
    "answers",
    "pages",
    "entries",
    *ACTIVITY_HALF_LIVES,
]


def people_records(
    client: Elasticsearch, *, usernames: list[str], members: bool
) -> dict[str, dict]:
    """Each named person's overall record (counts of what they contributed and
    their recent activity), in one unscored request.

    ``members``: the reader is signed in, so organisation-wide journal entries
    may count; anonymous readers are ranked on public content only. (A match of
    the query against a person's whole record was a factor once; the forecast
    never chose it, so the request no longer scores text.)
    """
    if not usernames:
        return {}
    response = client.options(ignore_status=404).search(
        index=people_alias(),
        size=len(usernames),
        query={"bool": {"filter": [{"ids": {"values": usernames}}]}},
        source_includes=VOLUME_FIELDS,
        track_total_hits=False,
    )
    hits = response.get("hits", {}).get("hits", [])
    records = {}
    for hit in hits:
        record = dict(hit["_source"])
        if not members:
            record["entries"] = 0
        records[hit["_id"]] = record
    return records


def _built_at(index: str) -> datetime | None:
    try:
        stamp = index.rsplit("-", 1)[-1]
        return datetime.strptime(f"{stamp}+0000", "%Y%m%d%H%M%S%f%z")
    except ValueError:
        return None


def _people_verdict(
    *, people: int, expected: int, built_at: datetime | None
) -> tuple[str, str]:
    if people == 0 and expected == 0:
        return "nobody", (
            "Nobody has answered or written anything everyone may read yet, "
            "so there is no one to rank."
        )
    if people == 0:
        return "empty", (
            f"{expected} people contributed but the people index holds none: "
            "run `manage.py search_reindex`."
        )
    if people != expected:
        return "stale", (
            f"{expected} people contributed, {people} are in the people index: it "
            f"is rebuilt every {PEOPLE_REFRESH.seconds // 60} minutes while a task "
            "worker runs, and by `manage.py search_reindex`."
        )
    age = datetime.now(UTC) - built_at if built_at else None
    if age is not None and age > 2 * PEOPLE_REFRESH:
        return "stale", (
            f"Last rebuilt {int(age.total_seconds() // 60)} minutes ago: is the task "
            "worker running?"
        )
    return "ok", ""


def people_status(client: Elasticsearch | None) -> dict[str, Any]:
    """Is the people index there, complete and recent? With the reason when not.

    ``state`` is ``ok``, ``nobody`` (no one has contributed yet: nothing to
    index), ``missing``, ``empty`` (people contributed but the index has none)
    or ``stale`` (count differs from the database, or not rebuilt for twice the
    refresh period); ``reason`` says why in a sentence an operator can act on.
    """
    expected = people_expected()
    report: dict[str, Any] = {
        "alias": people_alias(),
        "index": None,
        "people": None,
        "reachable": None,
        "expected": expected,
        "built_at": None,
        "state": "missing",
        "reason": "",
    }
    if client is None:
        report["reason"] = "No search node is configured."
        return report
    indices = indices_behind(client, people_alias())
    if not indices:
        report["reason"] = (
            "The people index does not exist: run `manage.py search_reindex`."
        )
        return report
    response = client.search(
        index=people_alias(),
        size=0,
        track_total_hits=True,
        aggs={"reachable": {"filter": {"term": {"reachable": True}}}},
    )
    people = response["hits"]["total"]["value"]
    built_at = _built_at(indices[0])
    report |= {
        "index": indices[0],
        "people": people,
        "built_at": built_at,
        "reachable": response["aggregations"]["reachable"]["doc_count"],
    }
    report["state"], report["reason"] = _people_verdict(
        people=people, expected=expected, built_at=built_at
    )
    return report

"""What gets indexed: each searchable kind, how to load it and how to map it.

Mappers are pure functions from a model instance to a document dict (or
``None``: the document must not exist, e.g. deleted, unpublished or readable by
nobody). Who may read a document is never decided here: each kind takes its
app's one visibility rule, as principals for the index (``readers``) and as a
queryset for re-checking hits against the database (``visible_to``). Content
models are imported lazily so that search never forces an import order on the
apps it indexes.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Model, QuerySet
from django.utils.html import strip_tags

from journals.selectors import entry_principals
from kb.communities.selectors import knowledge_page_principals, knowledge_pages_visible
from kb.ideas.selectors import idea_principals
from kb.qa.selectors import question_principals

PUBLIC = "public"  # anyone, signed in or not
MEMBERS = "members"  # anyone signed in


def user_principal(user_id: int) -> str:
    return f"user:{user_id}"


def community_principal(community_id: int) -> str:
    return f"community:{community_id}"


def readers_from(rule: dict) -> list[str]:
    """An app's visibility rule (``public``, ``everyone``, ``user_ids``,
    ``community_ids``) as index principals; empty means nobody may read it."""
    if rule.get("public"):
        return [PUBLIC]
    readers = [MEMBERS] if rule.get("everyone") else []
    readers += [user_principal(uid) for uid in rule.get("user_ids", [])]
    readers += [community_principal(cid) for cid in rule.get("community_ids", [])]
    return readers


# A heading's end, where the snippet would otherwise run it into the next
# sentence ("Before you deploy The pipeline is green").
_HEADING_END = re.compile(r"(?<=[^\s.:?!])\s*</h[1-6]>", re.IGNORECASE)


def _text(html: str) -> str:
    """Rendered HTML as one line of plain text; a heading ends with a colon."""
    return " ".join(strip_tags(_HEADING_END.sub(":</h>", html or "")).split())


@dataclass(frozen=True)
class Source:
    """A searchable kind: its model, a bulk loader and a mapper."""

    kind: str
    model_label: str
    load: Callable[[], QuerySet]
    to_document: Callable[[Any], dict | None]
    # Other models whose change means "re-index this object": label -> ids getter.
    triggers: dict[str, Callable[[Model], list[Any]]] = field(default_factory=dict)
    # Rows that should have a document (for search_status), counted in the database.
    indexable: Callable[[], QuerySet] | None = None
    # Who may read a row, as principals (the app's rule; empty: nobody).
    readers: Callable[[Any], list[str]] = lambda row: []
    # The same rule as a queryset of what a viewer may read, to re-check hits.
    visible_to: Callable[[Any], QuerySet] | None = None
    # For trigger models: whether the trigger row's text is shown in this kind's
    # document (a deleted answer's text must leave its question's document).
    trigger_shown: dict[str, Callable[[Model], bool]] = field(default_factory=dict)
    # Whether ``visible_to`` keeps no data in its SQL (only the viewer's identity
    # and live subqueries), so its compiled statement may be reused: see
    # ``visibility.py``. A rule that reads rows first (a list of ids) must not.
    recheck_compiled: bool = False
    # Whether its documents carry a sentence vector (``search.meaning``), added
    # to a batch of built documents by the indexer and the rebuild.
    vectors: bool = False

    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    def fetch(self, ids: Iterable[Any]) -> dict[str, Any]:
        """Current rows for ``ids``; absent ones mean: delete their documents."""
        rows = self.load().filter(pk__in=list(ids))
        return {str(row.pk): row for row in rows}


# -- questions ----------------------------------------------------------------


def _load_questions() -> QuerySet:
    question = apps.get_model("qa.Question")
    return (
        question.objects.select_related(  # type: ignore[misc]
            "author", "community", "accepted_answer__author"
        )
        .prefetch_related("tags", "answers__author")
        .order_by("pk")
    )


def question_readers(question) -> list[str]:
    """Who may read a question: Q&A's own rule."""
    return readers_from(question_principals(question))


def question_to_document(question) -> dict | None:
    """A question with its answers' text, as one search document."""
    readers = question_readers(question)
    if not readers:
        return None
    answers = [a for a in question.answers.all() if not a.is_deleted]
    accepted = question.accepted_answer
    return {
        "kind": "question",
        "language": question.language,
        "object_id": str(question.pk),
        "title": question.title,
        "body": _text(question.body_html),
        "answers": [_text(a.body_html) for a in answers],
        "answers_nl": [_text(a.body_html) for a in answers if a.language == "nl"],
        "accepted_answer": _text(accepted.body_html) if accepted else "",
        "tags": sorted(t.name for t in question.tags.all()),
        "community": question.community.slug if question.community_id else None,
        "community_title": question.community.title if question.community_id else None,
        "author": question.author.username,
        "author_name": question.author.get_display_name(),
        "answerers": sorted({a.author.username for a in answers}),
        "accepted_answerer": accepted.author.username if accepted else None,
        "score": question.score,
        "popularity": max(question.score, 0),
        "answer_count": question.answer_count,
        "is_answered": accepted is not None or question.answer_count > 0,
        "has_accepted": accepted is not None,
        "status": question.status,
        "created_at": question.created_at,
        "updated_at": question.last_activity_at,
        "url": question.get_absolute_url(),
        "readers": readers,
    }


# -- knowledge pages ------------------------------------------------------------


def _load_pages() -> QuerySet:
    page = apps.get_model("communities.KnowledgePage")
    return page.objects.select_related("owner").prefetch_related("tags").order_by("pk")


def _community_of(page):
    """The community a (possibly nested) knowledge page lives in."""
    community_page = apps.get_model("communities.CommunityPage")
    return community_page.objects.ancestor_of(page).order_by("-depth").first()


def page_readers(page) -> list[str]:
    """Who may find a knowledge page outside the page itself: the communities
    app's rule (live, unrestricted, nothing unpublished above it)."""
    return readers_from(knowledge_page_principals(page))


def page_to_document(page) -> dict | None:
    """A published, unrestricted knowledge page with the text of every block."""
    readers = page_readers(page)
    if not readers:
        return None
    community = _community_of(page)
    body = " ".join(_text(str(block.render())) for block in page.body)
    return {
        "kind": "page",
        "language": page.language,
        "object_id": str(page.pk),
        "title": page.title,
        "body": f"{page.summary} {body}".strip(),
        "tags": sorted(t.name for t in page.tags.all()),
        "community": community.slug if community else None,
        "community_title": community.title if community else None,
        "author": page.owner.username if page.owner_id else None,
        "author_name": page.owner.get_display_name() if page.owner_id else None,
        "verified": bool(getattr(page, "verified_at", None)),
        "needs_review": bool(getattr(page, "needs_review", False)),
        "created_at": page.first_published_at,
        "updated_at": page.last_published_at,
        "url": page.url,
        "readers": readers,
    }


# -- journal entries -------------------------------------------------------------


def _load_entries() -> QuerySet:
    entry = apps.get_model("journals.Entry")
    return (
        entry.objects.select_related("author", "community")  # type: ignore[misc]
        .prefetch_related("tags")
        .order_by("pk")
    )


def entry_readers(entry) -> list[str]:
    """Who may read an entry, as principals: the journal's own visibility rule."""
    return readers_from(entry_principals(entry))


def entry_to_document(entry) -> dict | None:
    """A journal entry, carrying exactly who may read it."""
    return {
        "kind": "entry",
        "language": entry.language,
        "object_id": str(entry.pk),
        "title": entry.title or "",
        "body": _text(entry.body_html),
        "tags": sorted(t.name for t in entry.tags.all()),
        "community": entry.community.slug if entry.community_id else None,
        "community_title": entry.community.title if entry.community_id else None,
        "author": entry.author.username,
        "author_name": entry.author.get_display_name(),
        "visibility": entry.visibility,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
        "url": entry.get_absolute_url(),
        "readers": entry_readers(entry),
    }


# -- ideas ---------------------------------------------------------------------


def _load_ideas() -> QuerySet:
    idea = apps.get_model("ideas.Idea")
    return (
        idea.objects.select_related(  # type: ignore[misc]
            "author", "campaign", "campaign__community"
        )
        .prefetch_related("tags")
        .order_by("pk")
    )


def idea_readers(idea) -> list[str]:
    """Who may read an idea, as principals: the ideas app's own scope rule."""
    rule = idea_principals(idea)
    readers = [user_principal(uid) for uid in rule["user_ids"]]
    readers += [community_principal(cid) for cid in rule["community_ids"]]
    if rule["everyone"]:
        readers.append(MEMBERS)
    return readers


def idea_to_document(idea) -> dict | None:
    """An idea (not hidden, not merged away), readable by its campaign's scope."""
    readers = idea_readers(idea)
    if not readers:
        return None
    community = idea.campaign.community
    return {
        "kind": "idea",
        "language": idea.language,
        "object_id": str(idea.pk),
        "title": idea.title,
        "body": _text(idea.body_html),
        "tags": sorted(t.name for t in idea.tags.all()),
        "community": community.slug if community else None,
        "community_title": community.title if community else None,
        "author": idea.author.username,
        "author_name": idea.author.get_display_name(),
        "score": idea.vote_count,
        "popularity": max(idea.vote_count, 0),
        "status": idea.status,
        "created_at": idea.created_at,
        "updated_at": idea.updated_at,
        "url": idea.get_absolute_url(),
        "readers": readers,
    }


def _ideas_of_campaign(campaign) -> list[int]:
    return list(campaign.ideas.values_list("pk", flat=True))


def _ideas_of_community(community) -> list[int]:
    idea = apps.get_model("ideas.Idea")
    return list(
        idea.objects.filter(campaign__community_id=community.pk).values_list(
            "pk", flat=True
        )
    )


SOURCES: dict[str, Source] = {
    "question": Source(
        kind="question",
        model_label="qa.Question",
        load=_load_questions,
        to_document=question_to_document,
        triggers={"qa.Answer": lambda answer: [answer.question_id]},  # type: ignore[attr-defined]
        trigger_shown={"qa.Answer": lambda answer: not answer.is_deleted},  # type: ignore[attr-defined]
        indexable=lambda: apps.get_model("qa.Question").objects.visible(),
        readers=question_readers,
        visible_to=lambda viewer: apps.get_model("qa.Question").objects.visible_to(
            viewer
        ),
        recheck_compiled=True,
        vectors=True,
    ),
    "page": Source(
        kind="page",
        model_label="communities.KnowledgePage",
        load=_load_pages,
        to_document=page_to_document,
        indexable=knowledge_pages_visible,
        readers=page_readers,
        visible_to=lambda viewer: knowledge_pages_visible(),
        recheck_compiled=True,
    ),
    "entry": Source(
        kind="entry",
        model_label="journals.Entry",
        load=_load_entries,
        to_document=entry_to_document,
        readers=entry_readers,
        visible_to=lambda viewer: apps.get_model("journals.Entry").objects.visible_to(
            viewer
        ),
        recheck_compiled=True,
    ),
    "idea": Source(
        kind="idea",
        model_label="ideas.Idea",
        load=_load_ideas,
        to_document=idea_to_document,
        # A campaign or community changing scope re-checks its ideas' readers.
        triggers={
            "ideas.Campaign": _ideas_of_campaign,
            "communities.CommunityPage": _ideas_of_community,
        },
        indexable=lambda: apps.get_model("ideas.Idea").objects.filter(
            is_hidden=False, merged_into__isnull=True
        ),
        # Not compiled once: the ideas rule reads the viewer's communities first.
        visible_to=lambda viewer: apps.get_model("ideas.Idea").objects.visible_to(
            viewer
        ),
    ),
}


def available_sources() -> list[Source]:
    """Every searchable kind."""
    return list(SOURCES.values())

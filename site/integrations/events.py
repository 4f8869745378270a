"""The events endpoints can subscribe to: what each carries and who may receive it.

Each event has a builder that loads the object by id and returns an
``Occurrence`` (or ``None`` when the object is gone or nobody outside may see
it). The audience is decided by the owning app's own visibility rule, never
here: an endpoint scoped to the organisation only gets what every member may
read; one scoped to a community also gets what only that community may read.
To add an event, write a builder and add it to ``EVENTS``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from journals.models import Entry
from journals.selectors import entry_principals
from kb.communities.models import CommunityPage, KnowledgePage
from kb.ideas.models import Idea
from kb.qa.models import Answer, Question

EXCERPT_CHARS = 280


@dataclass(frozen=True)
class Occurrence:
    """One thing that happened, with its payload and its audience."""

    data: dict[str, Any]
    title: str
    url: str
    community_id: int | None
    everyone: bool
    community_title: str = ""
    # Communities whose members (and so whose scoped endpoints) may read it.
    community_ids: frozenset[int] = field(default_factory=frozenset)

    def may_reach(self, *, community_id: int | None) -> bool:
        """Whether an endpoint scoped to ``community_id`` (None: all) may get it."""
        if community_id is None:
            return self.everyone
        return self.community_id == community_id and (
            self.everyone or community_id in self.community_ids
        )


@dataclass(frozen=True)
class EventSpec:
    name: str
    label: Any
    build: Callable[[int], Occurrence | None]
    # The chat line per language code, formatted with ``title`` and ``community``
    # (written here rather than in a catalogue: chat goes out in the community's
    # language whatever the site's).
    chat_text: dict[str, str] = field(default_factory=dict)


def absolute(path: str) -> str:
    """An absolute link to a path on this site."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _excerpt(html: str) -> str:
    text = " ".join(strip_tags(html or "").split())
    return Truncator(text).chars(EXCERPT_CHARS)


def _person(user) -> dict:
    return {"username": user.username, "name": user.get_display_name()}


def _community(community) -> dict | None:
    if community is None:
        return None
    return {"id": community.pk, "slug": community.slug, "title": community.title}


def _post(post, *, title: str, url: str) -> dict:
    """The fields every tagged post's payload starts with (question, entry, idea)."""
    return {
        "id": post.pk,
        "title": title,
        "url": url,
        "excerpt": _excerpt(post.body_html),
        "tags": sorted(tag.name for tag in post.tags.all()),
    }


def _occurrence(
    data: dict,
    *,
    title: str,
    url: str,
    community,
    everyone: bool = True,
    community_ids: frozenset[int] = frozenset(),
) -> Occurrence:
    """An occurrence in ``community`` (or none): readable by every member when
    ``everyone``, else only by the members of ``community_ids``."""
    return Occurrence(
        data=data,
        title=title,
        url=url,
        community_id=community.pk if community else None,
        everyone=everyone,
        community_ids=community_ids,
        community_title=community.title if community else "",
    )


# -- Q&A ----------------------------------------------------------------------


def _question_data(question) -> dict:
    url = absolute(question.get_absolute_url())
    return {
        **_post(question, title=question.title, url=url),
        "community": _community(question.community),
        "author": _person(question.author),
        "created_at": question.created_at.isoformat(),
        "answer_count": question.answer_count,
    }


def _visible_question(question_id: int):

    return (
        Question.objects.visible()
        .select_related("author", "community")
        .prefetch_related("tags")
        .filter(pk=question_id)
        .first()
    )


def _question_occurrence(question, data: dict) -> Occurrence:
    # Questions are readable by every member (kb.qa: ``visible_to``).
    return _occurrence(
        data,
        title=question.title,
        url=absolute(question.get_absolute_url()),
        community=question.community,
    )


def question_created(question_id: int) -> Occurrence | None:
    """A new question."""
    question = _visible_question(question_id)
    if question is None:
        return None
    return _question_occurrence(question, {"question": _question_data(question)})


def _answer_event(answer_id: int) -> Occurrence | None:

    answer = (
        Answer.objects.visible().select_related("author").filter(pk=answer_id).first()
    )
    if answer is None:
        return None
    question = _visible_question(answer.question_id)
    if question is None:
        return None
    data = {
        "answer": {
            "id": answer.pk,
            "url": absolute(answer.get_absolute_url()),
            "excerpt": _excerpt(answer.body_html),
            "author": _person(answer.author),
            "created_at": answer.created_at.isoformat(),
            "accepted": question.accepted_answer_id == answer.pk,
        },
        "question": _question_data(question),
    }
    return _question_occurrence(question, data)


def answer_created(answer_id: int) -> Occurrence | None:
    """A new answer."""
    return _answer_event(answer_id)


def answer_accepted(answer_id: int) -> Occurrence | None:
    """An answer accepted (only while it still is)."""
    occurrence = _answer_event(answer_id)
    if occurrence is None or not occurrence.data["answer"]["accepted"]:
        return None
    return occurrence


def question_unanswered(question_id: int) -> Occurrence | None:
    """A question still without an answer after the escalation time."""
    question = _visible_question(question_id)
    if question is None or question.answer_count:
        return None
    return _question_occurrence(question, {"question": _question_data(question)})


# -- knowledge pages ------------------------------------------------------------


def page_published(page_id: int) -> Occurrence | None:
    """A knowledge page published (not one behind a view restriction)."""

    page = (
        KnowledgePage.objects.live()
        .public()
        .select_related("owner")
        .filter(pk=page_id)
        .first()
    )
    if page is None:
        return None
    community = CommunityPage.objects.ancestor_of(page).order_by("-depth").first()
    url = absolute(page.get_url() or page.url_path)
    data = {
        "page": {
            "id": page.pk,
            "title": page.title,
            "url": url,
            "summary": page.summary,
            "community": _community(community),
            "owner": _person(page.owner) if page.owner_id else None,
            "published_at": page.last_published_at.isoformat()
            if page.last_published_at
            else None,
        }
    }
    return _occurrence(data, title=page.title, url=url, community=community)


# -- journals -------------------------------------------------------------------


def entry_published(entry_id: int) -> Occurrence | None:
    """A journal entry, to exactly the audience its visibility allows."""

    entry = (
        Entry.objects.select_related("author", "community")
        .prefetch_related("tags")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        return None
    rule = entry_principals(entry)
    if not rule["everyone"] and not rule["community_ids"]:
        return None  # private: nobody else, so no endpoint either
    url = absolute(entry.get_absolute_url())
    data = {
        "entry": {
            **_post(entry, title=entry.display_title, url=url),
            "visibility": entry.visibility,
            "community": _community(entry.community),
            "author": _person(entry.author),
            "created_at": entry.created_at.isoformat(),
        }
    }
    return _occurrence(
        data,
        title=entry.display_title,
        url=url,
        community=entry.community,
        everyone=rule["everyone"],
        community_ids=frozenset(rule["community_ids"]),
    )


# -- ideas ----------------------------------------------------------------------


def _listed_idea(idea_id: int):
    return (
        Idea.objects.listed()
        .select_related("author", "campaign", "campaign__community")
        .prefetch_related("tags")
        .filter(pk=idea_id)
        .first()
    )


def _idea_occurrence(idea) -> Occurrence:
    """An idea reaches whoever is in its campaign's scope (kb.ideas: ``visible_to``):
    everyone for an organisation-wide campaign, else that community only."""
    campaign = idea.campaign
    community = campaign.community
    url = absolute(idea.get_absolute_url())
    data = {
        "idea": {
            **_post(idea, title=idea.title, url=url),
            "status": idea.status,
            "status_label": str(idea.get_status_display()),
            "status_note": idea.status_note,
            "author": _person(idea.author),
            "created_at": idea.created_at.isoformat(),
        },
        "campaign": {
            "id": campaign.pk,
            "title": campaign.title,
            "url": absolute(campaign.get_absolute_url()),
            "community": _community(community),
        },
    }
    return _occurrence(
        data,
        title=idea.title,
        url=url,
        community=community,
        everyone=community is None,
        community_ids=frozenset({community.pk}) if community else frozenset(),
    )


def idea_event(idea_id: int) -> Occurrence | None:
    """A new idea or its status moving on (the sponsor's answer): the idea as it
    is now, unless it was hidden or merged away since."""
    idea = _listed_idea(idea_id)
    return _idea_occurrence(idea) if idea is not None else None


EVENTS: dict[str, EventSpec] = {
    spec.name: spec
    for spec in [
        EventSpec(
            "question.created",
            _("New question"),
            question_created,
            {
                "en": "New question in %(community)s: %(title)s",
                "nl": "Nieuwe vraag in %(community)s: %(title)s",
            },
        ),
        EventSpec(
            "question.unanswered",
            _("Question still unanswered"),
            question_unanswered,
            {
                "en": "Still unanswered in %(community)s: %(title)s",
                "nl": "Nog onbeantwoord in %(community)s: %(title)s",
            },
        ),
        EventSpec(
            "answer.created",
            _("New answer"),
            answer_created,
            {
                "en": "New answer in %(community)s: %(title)s",
                "nl": "Nieuw antwoord in %(community)s: %(title)s",
            },
        ),
        EventSpec(
            "answer.accepted",
            _("Answer accepted"),
            answer_accepted,
            {
                "en": "Answer accepted in %(community)s: %(title)s",
                "nl": "Antwoord geaccepteerd in %(community)s: %(title)s",
            },
        ),
        EventSpec(
            "page.published",
            _("Knowledge page published"),
            page_published,
            {
                "en": "New knowledge page in %(community)s: %(title)s",
                "nl": "Nieuwe kennispagina in %(community)s: %(title)s",
            },
        ),
        EventSpec(
            "journal.entry.published",
            _("Journal entry published"),
            entry_published,
            {
                "en": "New journal entry in %(community)s: %(title)s",
                "nl": "Nieuw journaalbericht in %(community)s: %(title)s",
            },
        ),
        EventSpec(
            "idea.created",
            _("New idea"),
            idea_event,
            {
                "en": "New idea in %(community)s: %(title)s",
                "nl": "Nieuw idee in %(community)s: %(title)s",
            },
        ),
        EventSpec(
            "idea.status_changed",
            _("Idea answered (status changed)"),
            idea_event,
            {
                "en": "An idea in %(community)s has an answer: %(title)s",
                "nl": "Een idee in %(community)s heeft een antwoord: %(title)s",
            },
        ),
    ]
}

# What a team chat channel posts by default.
CHAT_EVENTS = ["question.created", "question.unanswered", "page.published"]


def event_choices() -> list[tuple[str, Any]]:
    """``(name, label)`` for every event, for forms and the admin."""
    return [(spec.name, spec.label) for spec in EVENTS.values()]

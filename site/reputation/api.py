"""API endpoint for public profiles (mounted at /api/v1/people)."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from hallway.ratelimit import rate_limit_check
from people.selectors import people_suggest, person_get

from .selectors import profile_context

profiles_router = Router(tags=["people"])


class BadgeOut(Schema):
    kind: str
    label: str
    awarded_at: str


class MembershipOut(Schema):
    slug: str
    title: str
    role: str


class TagOut(Schema):
    tag: str
    answers: int
    accepted: int


class ProfileOut(Schema):
    username: str
    display_name: str
    is_active: bool
    photo_url: str | None = None
    office: str = ""
    department: str = ""
    languages: list[str] = []
    bio: str = ""
    reputation: int | None = None
    participation_level: str | None = None
    badges: list[BadgeOut] = []
    communities: list[MembershipOut] = []
    top_tags: list[TagOut] = []
    answer_count: int = 0
    question_count: int = 0
    journal_url: str | None = None
    profile_url: str


class PersonSuggestionOut(Schema):
    username: str
    display_name: str


class PersonSuggestionsOut(Schema):
    results: list[PersonSuggestionOut]


@profiles_router.get("/suggest", response=PersonSuggestionsOut)
def people_suggest_get(
    request: HttpRequest,
    q: str = Query("", max_length=150),
    limit: int = Query(8, ge=1, le=20),
):
    """People an ``@mention`` may name, by the start of a username or name
    (the editor's suggestions; signed in, rate-limited)."""
    rate_limit_check(user=request.user, action="suggest")
    people = people_suggest(prefix=q, limit=limit)
    return {
        "results": [
            {"username": p.username, "display_name": p.get_display_name()}
            for p in people
        ]
    }


@profiles_router.get("/{username}", response=ProfileOut)
def profile_get(request: HttpRequest, username: str):
    """A person's public profile (nothing private: no e-mail, no private entries)."""
    person = person_get(username=username)
    if person is None:
        raise HttpError(404, _("No such person."))
    context = profile_context(person=person, viewer=request.user)
    data = {
        "username": person.username,
        "display_name": person.get_display_name(),
        "is_active": person.is_active,
        "answer_count": context["answer_count"],
        "question_count": context["question_count"],
        "profile_url": reverse("people:profile", args=[person.username]),
    }
    if not person.is_active:
        return data
    profile = context["profile"]
    data.update(
        {
            "photo_url": profile.photo.url if profile.photo else None,
            "office": profile.office,
            "department": profile.department,
            "languages": profile.languages or [],
            "bio": profile.bio,
            "reputation": context["reputation"],
            "participation_level": context["participation"].level,
            "badges": [
                {
                    "kind": badge.kind,
                    "label": str(badge.get_kind_display()),
                    "awarded_at": badge.awarded_at.isoformat(),
                }
                for badge in context["badges"]
            ],
            "communities": [
                {
                    "slug": m.community.slug,
                    "title": m.community.title,
                    "role": m.role,
                }
                for m in context["communities"]
            ],
            "top_tags": context["top_tags"],
            "journal_url": reverse("journals:person", args=[person.username]),
        }
    )
    return data

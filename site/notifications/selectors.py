"""Reads: someone's notifications, unread count, preferences and follows."""

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from journals.models import Entry, PersonFollow, TagFollow
from kb.communities.models import KnowledgePage, Membership
from kb.communities.selectors import community_ids_for, knowledge_pages_visible
from kb.qa.models import Answer, Question, QuestionFollow

from .models import (
    DEFAULT_DELIVERY,
    CommunityFollow,
    EmailPreference,
    Kind,
    Notification,
    NotificationQuerySet,
)

LIST_LIMIT = 50


# Kinds whose target has a visibility rule; other notifications always count.
CHECKED_KINDS = ("question", "answer", "entry", "page")


def _about_what_they_may_read(
    rows: NotificationQuerySet, *, user, kinds: set[str] | None = None
):
    """Only notifications whose target ``user`` may still read, by each kind's own
    visibility rule (an entry made private or a deleted question takes its
    notifications off the list at once, whatever the worker is doing).

    Each rule is a correlated ``EXISTS`` on the notification's own target, so the
    database checks only these rows, never every question, answer, entry and
    page a reader may see; ``kinds`` (when given) builds only the rules of those
    target kinds (building and compiling all four costs more than running them)."""
    target = OuterRef("target_id")
    wanted = set(CHECKED_KINDS) if kinds is None else kinds
    # Other kinds always count; each checked kind only with its rule.
    rules: Any = ~Q(target_kind__in=CHECKED_KINDS)
    if "question" in wanted or "answer" in wanted:
        questions = Question.objects.visible_to(user)
    if "question" in wanted:
        rules |= Q(target_kind="question") & Exists(questions.filter(pk=target))
    if "answer" in wanted:
        rules |= Q(target_kind="answer") & Exists(
            Answer.objects.visible()
            .filter(pk=target)
            .filter(Exists(questions.filter(pk=OuterRef("question_id"))))
        )
    if "entry" in wanted:
        rules |= Q(target_kind="entry") & Exists(
            Entry.objects.visible_to(user).filter(pk=target)
        )
    if "page" in wanted:
        rules |= Q(target_kind="page") & Exists(
            knowledge_pages_visible().filter(pk=target)
        )
        # Owners hear about their own pages (due for review) even when restricted.
        rules |= Q(target_kind="page") & Exists(_owned_pages(user).filter(pk=target))
    return rows.filter(rules)


def _owned_pages(user):
    return KnowledgePage.objects.filter(owner=user)


def visible_notifications(*, user) -> NotificationQuerySet:
    """``user``'s notifications about things they may still read."""
    return _about_what_they_may_read(Notification.objects.for_user(user), user=user)


def notification_list(
    *,
    user,
    unread_only: bool = False,
    kinds: list[str] | None = None,
    limit: int = LIST_LIMIT,
) -> NotificationQuerySet:
    """``user``'s notifications, newest (or most recently bumped) first."""
    rows = visible_notifications(user=user).select_related("actor__profile")
    if unread_only:
        rows = rows.unread()
    if kinds is not None:
        rows = rows.filter(kind__in=kinds)
    return rows.order_by("-created_at", "-pk")[:limit]


def notification_get(*, user, notification_id: int) -> Notification:
    """One of ``user``'s notifications, or ``Http404``."""
    row = visible_notifications(user=user).filter(pk=notification_id).first()
    if row is None:
        raise Http404("No such notification.")
    return row


def unread_count(*, user) -> int:
    """How many unread (grouped) notifications ``user`` may still read: one small
    query for their unread rows, and one more, over those rows and only the kinds
    among them, when any is about content with a visibility rule (the header
    bell runs this on every page)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    rows = list(
        Notification.objects.for_user(user).unread().values_list("pk", "target_kind")
    )
    checked = {pk: kind for pk, kind in rows if kind in CHECKED_KINDS}
    if not checked:
        return len(rows)
    readable = _about_what_they_may_read(
        Notification.objects.filter(pk__in=list(checked)),
        user=user,
        kinds=set(checked.values()),
    ).count()
    return len(rows) - len(checked) + readable


def preferences_for(*, user) -> list[dict]:
    """Every kind with its label and ``user``'s e-mail delivery."""
    chosen = dict(
        EmailPreference.objects.filter(user=user).values_list("kind", "delivery")
    )
    return [
        {
            "kind": kind.value,
            "label": kind.label,
            "delivery": chosen.get(kind.value, DEFAULT_DELIVERY[kind.value]),
        }
        for kind in Kind
    ]


def follows_for(*, user) -> dict:
    """Tags, people and communities ``user`` follows (journals' follows reused)."""

    return {
        "tags": list(
            TagFollow.objects.filter(follower=user)
            .order_by("tag_name")
            .values_list("tag_name", flat=True)
        ),
        "people": [
            follow.followed
            for follow in PersonFollow.objects.filter(follower=user)
            .select_related("followed")
            .order_by("followed__username")
        ],
        "communities": [
            follow.community
            for follow in CommunityFollow.objects.filter(user=user)
            .select_related("community")
            .order_by("community__title")
        ],
        "member_of": [
            membership.community
            for membership in Membership.objects.filter(user=user)
            .select_related("community")
            .order_by("community__title")
        ],
    }


def follow_keys(*, user) -> dict[str, list]:
    """What ``user`` follows, as names, slugs and ids (for the API)."""

    return {
        "tags": sorted(
            TagFollow.objects.filter(follower=user).values_list("tag_name", flat=True)
        ),
        "people": sorted(
            PersonFollow.objects.filter(follower=user).values_list(
                "followed__username", flat=True
            )
        ),
        "communities": sorted(
            CommunityFollow.objects.filter(user=user).values_list(
                "community__slug", flat=True
            )
        ),
        "questions": sorted(
            QuestionFollow.objects.filter(user=user).values_list(
                "question_id", flat=True
            )
        ),
    }


def followed_community_ids(*, user) -> set[int]:
    """Communities ``user`` hears about: memberships and explicit follows."""
    return community_ids_for(user) | set(
        CommunityFollow.objects.filter(user=user).values_list("community_id", flat=True)
    )

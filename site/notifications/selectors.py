"""Reads: someone's notifications, unread count, preferences and follows."""

from django.db.models import Q
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


def _about_what_they_may_read(rows: NotificationQuerySet, *, user):
    """Only notifications whose target ``user`` may still read, by each kind's own
    visibility rule (an entry made private or a deleted question takes its
    notifications off the list at once, whatever the worker is doing)."""
    questions = Question.objects.visible_to(user)
    return rows.filter(
        Q(target_kind="question", target_id__in=questions.values("pk"))
        | Q(
            target_kind="answer",
            target_id__in=Answer.objects.visible()
            .filter(question__in=questions)
            .values("pk"),
        )
        | Q(
            target_kind="entry",
            target_id__in=Entry.objects.visible_to(user).values("pk"),
        )
        | Q(target_kind="page", target_id__in=knowledge_pages_visible().values("pk"))
        # Owners hear about their own pages (due for review) even when restricted.
        | Q(target_kind="page", target_id__in=_owned_pages(user))
        | ~Q(target_kind__in=["question", "answer", "entry", "page"])
    )


def _owned_pages(user):
    return KnowledgePage.objects.filter(owner=user).values("pk")


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
    """How many unread (grouped) notifications ``user`` has: one query."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return visible_notifications(user=user).unread().count()


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

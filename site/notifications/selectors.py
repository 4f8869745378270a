"""Reads: someone's notifications, unread count, preferences and follows."""

from journals.models import PersonFollow, TagFollow
from kb.communities.models import Membership
from kb.communities.selectors import community_ids_for
from kb.qa.models import QuestionFollow

from .models import (
    DEFAULT_DELIVERY,
    CommunityFollow,
    EmailPreference,
    Kind,
    Notification,
    NotificationQuerySet,
)

LIST_LIMIT = 50


def notification_list(
    *, user, unread_only: bool = False, limit: int = LIST_LIMIT
) -> NotificationQuerySet:
    """``user``'s notifications, newest (or most recently bumped) first."""
    rows = Notification.objects.for_user(user).select_related("actor")
    if unread_only:
        rows = rows.unread()
    return rows.order_by("-created_at", "-pk")[:limit]


def unread_count(*, user) -> int:
    """How many unread (grouped) notifications ``user`` has: one query."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.for_user(user).unread().count()


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

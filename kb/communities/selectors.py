"""Reads about communities, for every app (the public surface of this app)."""

from django.db.models import QuerySet

from .models import CommunityPage, Membership

CURATOR_ROLES = (Membership.Role.LEAD, Membership.Role.TEAM)


def community_list() -> QuerySet[CommunityPage]:
    """Live communities, by title."""
    return CommunityPage.objects.live().order_by("title")


def community_get(*, slug: str) -> CommunityPage | None:
    """The live community with this slug, or ``None``."""
    return community_list().filter(slug=slug).first()


def default_community() -> CommunityPage | None:
    """Where content goes when no community is named: the first one created."""
    return CommunityPage.objects.live().order_by("pk").first()


def community_ids_for(user) -> set[int]:
    """Ids of the communities ``user`` belongs to (any role); empty for anonymous."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Membership.objects.filter(user=user).values_list("community_id", flat=True)
    )


def is_member(user, community: CommunityPage) -> bool:
    """Whether ``user`` belongs to ``community`` (any role)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, community=community).exists()


def is_curator(user, community: CommunityPage) -> bool:
    """Whether ``user`` leads (or is on the team of) ``community``, or is an admin."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user, community=community, role__in=CURATOR_ROLES
    ).exists()


def curated_community_ids(user) -> set[int]:
    """Ids of the communities ``user`` may curate and moderate."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        return set(CommunityPage.objects.values_list("pk", flat=True))
    return set(
        Membership.objects.filter(user=user, role__in=CURATOR_ROLES).values_list(
            "community_id", flat=True
        )
    )

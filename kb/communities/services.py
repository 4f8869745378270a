"""Writes about communities: joining, leaving, roles."""

from django.db import transaction

from .models import CommunityPage, Membership


@transaction.atomic
def membership_join(
    *, community: CommunityPage, user, role: str = Membership.Role.MEMBER
) -> Membership:
    """Add ``user`` to ``community`` (or change their role); idempotent."""
    membership, created = Membership.objects.get_or_create(
        community=community, user=user, defaults={"role": role}
    )
    if not created and membership.role != role and role != Membership.Role.MEMBER:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def membership_leave(*, community: CommunityPage, user) -> bool:
    """Remove ``user`` from ``community``; return whether they were a member."""
    deleted, _ = Membership.objects.filter(community=community, user=user).delete()
    return bool(deleted)

"""Who may do what with campaigns and ideas: one place, asked by services,
selectors, views and the API alike."""

from kb.communities.models import CommunityPage, Membership
from kb.communities.selectors import is_curator, is_member

from .models import Campaign


def signed_in(user) -> bool:
    """An active, logged-in person."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_lead_of(user, community: CommunityPage) -> bool:
    """A lead (not team) of ``community``, or an administrator."""
    if not signed_in(user):
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user, community=community, role=Membership.Role.LEAD
    ).exists()


def can_create_campaign(*, user, community: CommunityPage | None) -> bool:
    """Leads in their community; administrators organisation-wide (and anywhere)."""
    if not signed_in(user):
        return False
    if community is None:
        return bool(user.is_superuser)
    return is_lead_of(user, community)


def can_respond(*, user, campaign: Campaign) -> bool:
    """Who sets statuses and merges: the sponsor, the leads and team of the
    campaign's community, or administrators for organisation-wide campaigns."""
    if not signed_in(user):
        return False
    if campaign.sponsor_id == user.pk:
        return True
    if campaign.community_id is None:
        return bool(user.is_superuser)
    return is_curator(user, campaign.community)


def can_moderate(*, user, campaign: Campaign) -> bool:
    """Who hides ideas: leads and team of the campaign's community; administrators
    for organisation-wide campaigns."""
    if not signed_in(user):
        return False
    if campaign.community_id is None:
        return bool(user.is_superuser)
    return is_curator(user, campaign.community)


def in_scope(*, user, campaign: Campaign) -> bool:
    """Whether ``user`` may see and take part in ``campaign`` (the same rule as
    ``Campaign.objects.visible_to``)."""
    if not signed_in(user):
        return False
    if campaign.community_id is None:
        return True
    return campaign.community.live and is_member(user, campaign.community)

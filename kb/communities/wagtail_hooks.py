"""Admin hooks: the creator of a community leads it."""

from wagtail import hooks

from .models import CommunityPage, Membership
from .services import community_setup, membership_join


@hooks.register("after_create_page")
def make_creator_lead(request, page):
    """Whoever creates a community in the admin becomes its first lead."""
    if isinstance(page.specific, CommunityPage):
        community = page.specific
        community_setup(community=community)
        membership_join(
            community=community, user=request.user, role=Membership.Role.LEAD
        )

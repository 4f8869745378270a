"""Admin hooks: the creator of a community leads it; a link to the lead dashboard."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .models import CommunityPage, Membership
from .selectors import curated_community_ids
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


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(curated_community_ids(request.user))


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return DashboardMenuItem(
        _("Lead dashboard"),
        reverse("communities:dashboard"),
        icon_name="tasks",
        order=150,
    )

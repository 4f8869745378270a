"""Admin hook: a link to the lead dashboard for leads and teams."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from kb.communities.selectors import curated_community_ids


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(curated_community_ids(request.user))


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return DashboardMenuItem(
        _("Lead dashboard"),
        reverse("curation:dashboard"),
        icon_name="tasks",
        order=150,
    )

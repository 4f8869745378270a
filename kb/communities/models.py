"""Communities (Wagtail pages) and who belongs to them.

A community is a page so that its knowledge pages live under it in the tree and
inherit its permissions; membership is a plain model because it is high-volume
user data, not content.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class CommunityIndexPage(Page):
    """The "Knowledge" section: lists every community."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["communities.CommunityPage"]
    max_count = 1
    template = "communities/community_index_page.html"


class CommunityPage(Page):
    """A community of practice: a goal, leads with a team, and members."""

    goal = models.TextField(
        help_text=_("Why this community exists. A community without a goal drifts.")
    )
    description = models.TextField(blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("goal"),
        FieldPanel("description"),
    ]
    parent_page_types = ["communities.CommunityIndexPage"]
    template = "communities/community_page.html"

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")


class Membership(models.Model):
    """A person's place in a community: member, team (helps the lead) or lead."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        TEAM = "team", _("Team")
        LEAD = "lead", _("Lead")

    community = models.ForeignKey(
        CommunityPage, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="one_membership")
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.community} ({self.role})"

"""Communities (Wagtail pages) and who belongs to them.

A community is a page so that its knowledge pages live under it in the tree and
inherit its permissions; membership is a plain model because it is high-volume
user data, not content.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from hallway.languages import detect_language

from .blocks import KnowledgeBodyBlock


class HidesChildrenWhenUnpublished:
    """An unpublished page hides every page below it (Wagtail would still serve
    live pages under an unpublished community)."""

    def route(self, request, path_components):
        if path_components and not self.live:
            raise Http404
        return super().route(request, path_components)


class CommunityIndexPage(HidesChildrenWhenUnpublished, Page):
    """The "Knowledge" section: lists every community."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["communities.CommunityPage"]
    max_count = 1
    template = "communities/community_index_page.html"


class CommunityPage(HidesChildrenWhenUnpublished, Page):
    """A community of practice: a goal, leads with a team, and members."""

    class JoinPolicy(models.TextChoices):
        """Who becomes a member (members read the community's journal entries)."""

        OPEN = "open", _("Open: anyone may join")
        REQUEST = "request", _("Request to join: a lead approves each request")
        INVITE = "invite", _("Invite only: leads add members")

    goal = models.TextField(
        help_text=_("Why this community exists. A community without a goal drifts.")
    )
    description = models.TextField(blank=True)
    join_policy = models.CharField(
        _("who may join"),
        max_length=10,
        choices=JoinPolicy.choices,
        default=JoinPolicy.REQUEST,
        help_text=_("Members read the journal entries shared with this community."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("goal"),
        FieldPanel("description"),
        FieldPanel("join_policy"),
    ]
    parent_page_types = ["communities.CommunityIndexPage"]
    subpage_types = ["communities.KnowledgePage"]
    template = "communities/community_page.html"
    api_fields = [APIField("goal"), APIField("description")]

    def get_context(self, request, *args, **kwargs):
        # Wagtail's page hook; selectors import these models, so not at the top.
        from .selectors import community_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(community_page_context(community=self, viewer=request.user))
        return context

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


class MembershipRequest(models.Model):
    """Someone asked to join a community whose leads approve new members."""

    community = models.ForeignKey(
        CommunityPage, on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "user"], name="one_join_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.community}"


class CommunityGroup(models.Model):
    """The Wagtail group that carries one role's permissions in one community."""

    community = models.ForeignKey(
        CommunityPage, on_delete=models.CASCADE, related_name="role_groups"
    )
    role = models.CharField(max_length=10, choices=Membership.Role.choices)
    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="community_role"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "role"], name="one_group_per_role"
            )
        ]

    def __str__(self) -> str:
        return self.group.name


class KnowledgePageTag(TaggedItemBase):
    """Tags on knowledge pages."""

    content_object = ParentalKey(
        "communities.KnowledgePage",
        on_delete=models.CASCADE,
        related_name="tagged_items",
    )


class KnowledgePage(HidesChildrenWhenUnpublished, Page):
    """A curated, reviewed page of knowledge inside a community."""

    summary = models.TextField(
        help_text=_("One or two sentences: what will the reader learn?")
    )
    body = StreamField(KnowledgeBodyBlock(), blank=True)
    # The language the text is written in (the editor picks it; detected from
    # the summary when left empty); rendered as ``lang``, filtered on in search.
    language = models.CharField(
        _("language"), max_length=8, blank=True, choices=settings.LANGUAGES
    )
    tags = ClusterTaggableManager(through=KnowledgePageTag, blank=True)
    owners = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="owned_knowledge_pages"
    )
    review_interval_days = models.PositiveIntegerField(
        default=182,
        help_text=_("After this many days without verification the page needs review."),
    )
    # Verification is set by the verify action, never by the editor form, and
    # survives publishing older revisions (see ``with_content_json``).
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("language"),
        FieldPanel("body"),
    ]
    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel(
            [
                FieldPanel("tags"),
                FieldPanel("owners"),
                FieldPanel("review_interval_days"),
            ],
            heading=_("Ownership and freshness"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    api_fields = [
        APIField("summary"),
        APIField("body_html"),
        APIField("tags"),
        APIField("verification"),
        APIField("needs_review"),
    ]
    # Knowledge pages nest (a folder of Markdown files imports as a tree).
    parent_page_types = ["communities.CommunityPage", "communities.KnowledgePage"]
    subpage_types = ["communities.KnowledgePage"]
    template = "communities/knowledge_page.html"

    class Meta:
        verbose_name = _("knowledge page")
        verbose_name_plural = _("knowledge pages")

    def clean(self) -> None:
        """An empty language is detected from the title and summary."""
        super().clean()
        if not self.language:
            self.language = detect_language(f"{self.title}\n{self.summary}")

    def get_context(self, request, *args, **kwargs):
        # Wagtail's page hook; selectors import these models, so not at the top.
        from .selectors import knowledge_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(knowledge_page_context(page=self, viewer=request.user))
        return context

    def with_content_json(self, content):
        """Keep verification when a revision is published or restored."""
        obj = super().with_content_json(content)
        obj.verified_by_id = self.verified_by_id
        obj.verified_at = self.verified_at
        return obj

    @property
    def community(self) -> CommunityPage | None:
        """The community this page belongs to."""
        return CommunityPage.objects.ancestor_of(self).first()

    @property
    def body_html(self) -> str:
        """The body rendered to HTML (blocks sanitise their own output)."""
        return str(self.body.render_as_block()) if self.body else ""

    @property
    def verification(self) -> dict:
        """Who verified the page and when (for the API)."""
        return {
            "verified": self.verified_at is not None,
            "verified_at": self.verified_at.isoformat() if self.verified_at else None,
            "verified_by": self.verified_by.get_display_name()
            if self.verified_by_id
            else None,
        }

    @property
    def last_checked_at(self):
        """The later of the last verification and the last publication."""
        moments = [m for m in (self.verified_at, self.last_published_at) if m]
        return max(moments) if moments else None

    @property
    def review_due_at(self):
        """When the page next needs review (``None`` before it is first published)."""
        checked = self.last_checked_at
        return checked + timedelta(days=self.review_interval_days) if checked else None

    @cached_property
    def changed_sources(self) -> list["KnowledgeSource"]:
        """Sources that changed after the page was last checked."""
        checked = self.last_checked_at
        return [
            source
            for source in self.sources.all()
            if source.changed_at and (checked is None or source.changed_at > checked)
        ]

    @property
    def needs_review(self) -> bool:
        """Past its review interval, or a source changed after the last check."""
        due = self.review_due_at
        if due is not None and due <= timezone.now():
            return True
        return bool(self.changed_sources)


class KnowledgeSource(models.Model):
    """Where a knowledge page's content came from (answer, journal entry or URL).

    A plain model, not part of page revisions: attribution and change tracking
    must not be rolled back when an older revision is published.
    """

    class Kind(models.TextChoices):
        ANSWER = "answer", _("Answer")
        ENTRY = "entry", _("Journal entry")
        URL = "url", _("Web page")

    page = models.ForeignKey(
        KnowledgePage, on_delete=models.CASCADE, related_name="sources"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    title = models.CharField(max_length=300)
    authors = models.CharField(max_length=500, blank=True)
    source_updated_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the source last changed at curation.")
    )
    changed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the source changed after curation.")
    )
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "object_id"])]
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class PageFeedback(models.Model):
    """One reader's "Was this helpful?" answer for a knowledge page."""

    page = models.ForeignKey(
        KnowledgePage, on_delete=models.CASCADE, related_name="feedback"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    helpful = models.BooleanField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "user"], name="one_feedback")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.page}: {self.helpful}"

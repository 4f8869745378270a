"""Idea campaigns, ideas, votes, comments, status history and the moderation log.

Plain models (high-volume user posts). Who may see what is decided in one
place, ``CampaignQuerySet.visible_to`` / ``IdeaQuerySet.visible_to``; search
documents and notifications reuse it through ``selectors.idea_principals``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from kb.communities.selectors import community_ids_for, curated_community_ids

DEFAULT_RESPONSE_DAYS = 14


def _in_scope(user, prefix: str = "") -> Q:
    """Organisation-wide, or a live community ``user`` belongs to."""
    return Q(**{f"{prefix}community__isnull": True}) | Q(
        **{
            f"{prefix}community_id__in": community_ids_for(user),
            f"{prefix}community__live": True,
        }
    )


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


class CampaignQuerySet(models.QuerySet):
    """Reusable read filters for campaigns."""

    def visible_to(self, user) -> "CampaignQuerySet":
        """The one scope rule: organisation-wide to every member, a community's
        campaigns (and idea box) to that community's members; nothing anonymous."""
        if not _signed_in(user):
            return self.none()
        return self.filter(_in_scope(user))

    def open(self) -> "CampaignQuerySet":
        now = timezone.now()
        return self.filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))


class Campaign(models.Model):
    """A question to the organisation (or one community) that ideas answer.

    A community's *idea box* is a campaign with ``is_idea_box`` set: always
    open, no sponsor (the community's leads answer), one per community.
    """

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    description_html = models.TextField(editable=False, default="")
    # Null: the whole organisation.
    community = models.ForeignKey(
        "communities.CommunityPage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="idea_campaigns",
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sponsored_campaigns",
    )
    # Null for idea boxes (they open themselves).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    votes_per_person = models.PositiveIntegerField(
        _("votes per person"), null=True, blank=True
    )
    response_days = models.PositiveIntegerField(default=DEFAULT_RESPONSE_DAYS)
    is_idea_box = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community"],
                condition=Q(is_idea_box=True),
                name="ideas_one_idea_box_per_community",
            ),
            models.CheckConstraint(
                condition=Q(is_idea_box=False) | Q(community__isnull=False),
                name="ideas_idea_box_has_a_community",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:campaign-detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.closes_at is not None and self.closes_at <= timezone.now()


class IdeaTag(TaggedItemBase):
    """Tags on ideas (taggit's shared tags, our own through table)."""

    content_object = models.ForeignKey(
        "Idea", on_delete=models.CASCADE, related_name="tagged_items"
    )


class IdeaQuerySet(models.QuerySet):
    """Reusable read filters for ideas."""

    def visible_to(self, user) -> "IdeaQuerySet":
        """Ideas of campaigns in ``user``'s scope; hidden ones only to their
        authors and to those who may moderate them."""
        if not _signed_in(user):
            return self.none()
        qs = self.filter(_in_scope(user, "campaign__"))
        moderated = Q(campaign__community_id__in=curated_community_ids(user))
        if user.is_superuser:
            moderated |= Q(campaign__community__isnull=True)
        return qs.filter(Q(is_hidden=False) | Q(author=user) | moderated)

    def listed(self) -> "IdeaQuerySet":
        """What lists show: not hidden, not merged into another idea."""
        return self.filter(is_hidden=False, merged_into__isnull=True)


class Idea(models.Model):
    """An idea posted to a campaign; visible at once, no approval queue."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        UNDER_REVIEW = "under_review", _("Under review")
        SELECTED = "selected", _("Selected")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined")
        NOT_NOW = "not_now", _("Not now")
        MERGED = "merged", _("Merged")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="ideas"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    body_html = models.TextField(editable=False)
    # The language the text is written in (detected when saved, the author may
    # choose it); rendered as ``lang`` (#13).
    language = models.CharField(
        _("language"), max_length=8, blank=True, choices=settings.LANGUAGES
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas"
    )
    tags = TaggableManager(through=IdeaTag, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default="new")
    status_note = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # The first answer from the sponsor or a lead (status change or comment).
    responded_at = models.DateTimeField(null=True, blank=True)
    vote_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    # Distinct people who opened the idea (for "hidden gems").
    view_count = models.PositiveIntegerField(default=0)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    builds_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="built_on_by",
    )
    # A done idea can point at the knowledge page describing what was built.
    knowledge_page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # "Turn into an idea" from a journal entry (journals is a sibling app).
    source_entry_id = models.PositiveBigIntegerField(null=True, blank=True)
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["campaign", "-vote_count", "-created_at"]),
            models.Index(fields=["campaign", "-created_at"]),
            models.Index(fields=["campaign", "view_count"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:idea-detail", kwargs={"pk": self.pk})

    @property
    def is_closed_status(self) -> bool:
        return self.status in CLOSED_STATUSES


CLOSED_STATUSES = {Idea.Status.DONE, Idea.Status.DECLINED, Idea.Status.NOT_NOW}
REASON_REQUIRED = {Idea.Status.DECLINED, Idea.Status.NOT_NOW}


class IdeaCredit(models.Model):
    """Someone credited for an idea, with when they first posted it.

    Every idea credits its author; a merge copies the merged idea's credits,
    so credit (and the first-posted time) is never lost.
    """

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="credits")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    first_posted_at = models.DateTimeField()
    original = models.ForeignKey(
        Idea, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["first_posted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "user"], name="ideas_one_credit_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.idea_id}"


class IdeaVote(models.Model):
    """One person's vote on one idea: every vote weighs the same."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_votes"
    )
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idea"], name="ideas_one_vote_per_idea"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.idea_id}"


class VoteBudget(models.Model):
    """Votes a person has spent in one campaign (checked with a guarded UPDATE)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="budgets"
    )
    spent = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "campaign"], name="ideas_one_budget_per_campaign"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.spent} in {self.campaign_id}"


class IdeaView(models.Model):
    """Someone opened an idea (counted once per person)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="views")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idea"], name="ideas_one_view_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} saw {self.idea_id}"


class IdeaComment(models.Model):
    """A plain-text comment on an idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False)
    # The language the text is written in (detected when saved, the author may
    # choose it); rendered as ``lang`` (#13).
    language = models.CharField(
        _("language"), max_length=8, blank=True, choices=settings.LANGUAGES
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:50]


class IdeaFollow(models.Model):
    """Someone wants to hear when an idea's status changes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_follows"
    )
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idea"], name="ideas_one_follow_per_idea"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.idea_id}"


class StatusChange(models.Model):
    """One step of an idea's public status history."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="status_changes"
    )
    old_status = models.CharField(max_length=20, choices=Idea.Status.choices)
    new_status = models.CharField(max_length=20, choices=Idea.Status.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.old_status} → {self.new_status}"


class ModerationEntry(models.Model):
    """The public moderation log: what was hidden or shown again, by whom, why."""

    class Action(models.TextChoices):
        HIDDEN = "hidden", _("Hidden")
        UNHIDDEN = "unhidden", _("Shown again")

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="moderation_entries"
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="moderation_entries"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = _("moderation entries")

    def __str__(self) -> str:
        return f"{self.action} {self.idea_id}"

"""Journal entries, their reactions and comments, follows and per-user settings."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from kb.communities.models import Membership

BODY_MAX_LENGTH = 20_000
TITLE_MAX_LENGTH = 200


class EntryTag(TaggedItemBase):
    """Tags on journal entries (taggit's shared tags, our own through table)."""

    content_object = models.ForeignKey(
        "Entry", on_delete=models.CASCADE, related_name="tagged_items"
    )


class EntryQuerySet(models.QuerySet):
    """Reusable read filters for entries."""

    def visible_to(self, user) -> "EntryQuerySet":
        """The one visibility rule: what ``user`` may see (nothing when anonymous)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()

        # A subquery, not a list: one query whether or not it is combined.
        member_of = Membership.objects.filter(user=user).values("community_id")
        return self.filter(
            Q(author=user)
            | Q(visibility=Entry.Visibility.ORGANISATION)
            | Q(visibility=Entry.Visibility.COMMUNITY, community_id__in=member_of)
        )

    def for_listing(self) -> "EntryQuerySet":
        """Everything a list row shows, in a constant number of queries."""
        return (
            self.select_related("author", "community")
            .prefetch_related("tags")
            .annotate(
                helpful_count=_count(Reaction, kind="helpful"),
                thanks_count=_count(Reaction, kind="thanks"),
                me_too_count=_count(Reaction, kind="me_too"),
                comment_count=_count(EntryComment),
            )
        )


def _count(model, **filters):
    """A correlated ``COUNT`` subquery (avoids JOIN fan-out between annotations)."""
    rows = (
        model.objects.filter(entry=models.OuterRef("pk"), **filters)
        .order_by()
        .values("entry")
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return Coalesce(models.Subquery(rows, output_field=models.IntegerField()), 0)


class Entry(models.Model):
    """A short working-out-loud note."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", _("Private (only me)")
        COMMUNITY = "community", _("Community (members of one community)")
        ORGANISATION = "organisation", _("Organisation (everyone)")

    class Prompt(models.TextChoices):
        WORKING_ON = "working_on", _("Working on")
        LEARNED = "learned", _("Learned")
        STUCK = "stuck", _("Stuck on")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="journal_entries",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH, blank=True)
    body = models.TextField(_("body"), max_length=BODY_MAX_LENGTH)
    body_html = models.TextField(editable=False, default="")
    # The language the text is written in (detected when saved, the author may
    # change it); pages render it as ``lang`` and search filters on it.
    language = models.CharField(
        _("language"), max_length=8, blank=True, choices=settings.LANGUAGES
    )
    prompt = models.CharField(
        _("prompt"), max_length=20, choices=Prompt.choices, blank=True
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.PRIVATE,
    )
    # SET_NULL keeps a community entry visible to its author only.
    community = models.ForeignKey(
        "communities.CommunityPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="journal_entries",
        verbose_name=_("community"),
    )
    tags = TaggableManager(through=EntryTag, blank=True)
    # The Q&A app may not be installed; resolved lazily by ``selectors``.
    question_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        indexes = [
            models.Index(fields=["author", "-created_at"]),
            models.Index(fields=["visibility", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.title or self.body[:60]

    def get_absolute_url(self) -> str:
        return reverse("journals:entry-detail", kwargs={"pk": self.pk})

    @property
    def display_title(self) -> str:
        return self.title or self.body.strip().splitlines()[0][:80]

    @property
    def is_stuck(self) -> bool:
        return self.prompt == self.Prompt.STUCK


class Reaction(models.Model):
    """ "Helpful", "thanks" or "me too": one of each per person and entry."""

    class Kind(models.TextChoices):
        HELPFUL = "helpful", _("Helpful")
        THANKS = "thanks", _("Thanks")
        ME_TOO = "me_too", _("Me too")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "user", "kind"], name="journals_one_reaction_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.entry_id}"


class EntryComment(models.Model):
    """A comment on an entry."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(max_length=2000)
    body_html = models.TextField(editable=False, default="")
    # The language the text is written in (detected when saved, the author may
    # choose it); rendered as ``lang`` (#13).
    language = models.CharField(
        _("language"), max_length=8, blank=True, choices=settings.LANGUAGES
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class PersonFollow(models.Model):
    """``follower`` reads ``followed``'s entries in their feed."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="journal_follows",
    )
    followed = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="journal_followers",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["follower", "followed"], name="journals_one_follow_per_person"
            ),
            models.CheckConstraint(
                condition=~Q(follower=models.F("followed")),
                name="journals_no_self_follow",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} → {self.followed_id}"


class TagFollow(models.Model):
    """``follower`` reads entries with this tag in their feed."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="journal_tag_follows",
    )
    tag_name = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["follower", "tag_name"], name="journals_one_follow_per_tag"
            )
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} → #{self.tag_name}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class JournalSettings(models.Model):
    """Per-person preferences: default visibility and the Atom feed token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="journal_settings",
    )
    default_visibility = models.CharField(
        _("default visibility"),
        max_length=20,
        choices=Entry.Visibility.choices,
        default=Entry.Visibility.PRIVATE,
    )
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)

    class Meta:
        verbose_name = _("journal settings")
        verbose_name_plural = _("journal settings")

    def __str__(self) -> str:
        return f"journal settings of {self.user_id}"

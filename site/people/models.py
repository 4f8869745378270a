"""People: the user account (API tokens are Wagtail's ``APIToken``)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person in the organisation. ``display_name`` is what others see."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_display_name()

    def get_display_name(self) -> str:
        """The name to show: display name, else full name, else username."""
        return self.display_name or self.get_full_name() or self.username

    @cached_property
    def reputation(self) -> int:
        """The sum of this person's reputation ledger (lists annotate it)."""
        from .selectors import reputation_of

        return reputation_of(user=self)


def _photo_path(instance: "Profile", filename: str) -> str:
    return f"people/photos/{instance.user_id}.jpg"


class Profile(models.Model):
    """What a person tells others about themselves (created on first edit)."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="profile", primary_key=True
    )
    photo = models.ImageField(_("photo"), upload_to=_photo_path, blank=True)
    office = models.CharField(_("office or location"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    bio = models.TextField(_("bio"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["office"]),
            models.Index(fields=["department"]),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user_id}"


class ReputationEvent(models.Model):
    """One append-only line of the reputation ledger (never updated or deleted).

    ``actor`` is who caused it (the voter, the reactor); together with ``user``,
    ``kind`` and the source it identifies the fact the points stand for. Undoing
    a fact appends a reversing line (``reverses``) with the opposite points.
    """

    class Kind(models.TextChoices):
        ANSWER_UPVOTED = "answer_upvoted", _("Answer upvoted")
        ANSWER_DOWNVOTED = "answer_downvoted", _("Answer downvoted")
        QUESTION_UPVOTED = "question_upvoted", _("Question upvoted")
        ANSWER_ACCEPTED = "answer_accepted", _("Answer accepted")
        ACCEPTED_AN_ANSWER = "accepted_an_answer", _("Accepted an answer")
        PAGE_VERIFIED = "page_verified", _("Knowledge page verified")
        ENTRY_HELPFUL = "entry_helpful", _("Journal entry marked helpful")
        PAGE_CURATED = "page_curated", _("Curated page published")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="reputation_events"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    points = models.IntegerField()
    source_kind = models.CharField(max_length=30)
    source_id = models.PositiveBigIntegerField()
    actor_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["source_kind", "source_id"]),
            models.Index(fields=["user", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.points:+d}"


class Badge(models.Model):
    """A meaningful milestone, awarded once per person."""

    class Kind(models.TextChoices):
        FIRST_ANSWER = "first_answer", _("First answer")
        FIRST_ACCEPTED = "first_accepted", _("First accepted answer")
        HELPFUL_10 = "helpful_10", _("10 helpful journal entries")
        CURATED_PAGE = "curated_page", _("Curated a knowledge page")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="badges")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["awarded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="people_one_badge")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"

"""The reputation ledger (append-only events) and badges.

Both tables were created by the ``people`` app and keep their names.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reputation_events",
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
        db_table = "people_reputationevent"  # moved from people, table kept
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

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badges"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "people_badge"  # moved from people, table kept
        ordering = ["awarded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="people_one_badge")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"

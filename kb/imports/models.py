"""What was imported from where: idempotency keys, attribution, related questions."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ImportedObject(models.Model):
    """One external row mapped to one local row; re-imports skip what is here.

    ``site`` is the Stack Exchange site name (``cardano``) or ``markdown:<slug>``
    for Markdown folders; ``kind`` is user, question, answer, comment, postlink,
    page or image; ``external_id`` is the dump's Id (or the relative path).
    """

    site = models.CharField(max_length=100)
    kind = models.CharField(max_length=20)
    external_id = models.CharField(max_length=500)
    local_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["site", "kind", "external_id"], name="imports_one_per_external"
            )
        ]
        indexes = [models.Index(fields=["kind", "local_id"])]

    def __str__(self) -> str:
        return f"{self.site}/{self.kind}/{self.external_id} -> {self.local_id}"


class Attribution(models.Model):
    """Where an imported question or answer came from, and under which licence."""

    question = models.OneToOneField(
        "qa.Question",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attribution",
    )
    answer = models.OneToOneField(
        "qa.Answer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attribution",
    )
    site = models.CharField(_("site"), max_length=100)
    site_url = models.URLField(_("site URL"))
    license = models.CharField(_("licence"), max_length=50, default="CC BY-SA 4.0")
    url = models.URLField(_("original URL"))
    author_name = models.CharField(_("original author"), max_length=150, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(question__isnull=False) & Q(answer__isnull=True))
                | (Q(question__isnull=True) & Q(answer__isnull=False)),
                name="imports_attribution_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.url} ({self.license})"

    @property
    def license_url(self) -> str:
        """The licence deed for ``license`` (CC BY-SA 2.5, 3.0 or 4.0)."""
        version = self.license.rsplit(" ", 1)[-1]
        if version not in {"2.5", "3.0", "4.0"}:
            version = "4.0"
        return f"https://creativecommons.org/licenses/by-sa/{version}/"


class RelatedQuestion(models.Model):
    """A "related" link between two questions (Stack Exchange PostLinks type 1)."""

    from_question = models.ForeignKey(
        "qa.Question", on_delete=models.CASCADE, related_name="related_links"
    )
    to_question = models.ForeignKey(
        "qa.Question", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_question", "to_question"], name="imports_one_related_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_question_id} -> {self.to_question_id}"

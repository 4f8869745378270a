"""The indexing outbox: every change to searchable content, written in the same
database transaction as the change, and kept until Elasticsearch acknowledged it."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class OutboxQuerySet(models.QuerySet["OutboxEntry"]):
    def pending(self) -> "OutboxQuerySet":
        """Rows not yet acknowledged by Elasticsearch (parked rows excluded)."""
        return self.filter(done_at__isnull=True, parked_at__isnull=True)

    def parked(self) -> "OutboxQuerySet":
        """Rows Elasticsearch refused too often: set aside, shown in the health."""
        return self.filter(done_at__isnull=True, parked_at__isnull=False)

    def due(self) -> "OutboxQuerySet":
        """Pending rows whose back-off has passed."""
        return self.pending().filter(next_attempt_at__lte=timezone.now())


class OutboxEntry(models.Model):
    """One search document to (re)build or delete: ``kind`` + ``object_id``."""

    kind = models.CharField(max_length=20)
    object_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # Times Elasticsearch answered but refused this document (not outages).
    rejections = models.PositiveIntegerField(default=0)
    parked_at = models.DateTimeField(null=True, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due",
                condition=models.Q(done_at__isnull=True),
            ),
        ]
        verbose_name_plural = "outbox entries"

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class SearchLog(models.Model):
    """One search, for content-gap reports. No personal data beyond a salted hash."""

    query = models.CharField(max_length=200, db_index=True)
    filters = models.JSONField(default=dict, blank=True)
    result_count = models.PositiveIntegerField()
    backend = models.CharField(max_length=20, default="elasticsearch")
    user_hash = models.CharField(max_length=64, blank=True)
    # The first results as shown, so a click can be attributed and redirected safely.
    shown = models.JSONField(default=list, blank=True)
    clicked_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    clicked_kind = models.CharField(max_length=20, blank=True)
    clicked_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.query!r} ({self.result_count})"


SYNONYM_RULE = re.compile(r"^[\w .'-]+(,[\w .'-]+)*(\s*=>\s*[\w .'-]+(,[\w .'-]+)*)?$")


def validate_synonyms(text: str) -> None:
    """One rule per line: ``a, b, c`` (equivalent) or ``a, b => c`` (replace)."""
    for number, line in enumerate(text.splitlines(), start=1):
        rule = line.strip()
        if rule and not rule.startswith("#") and not SYNONYM_RULE.match(rule):
            raise ValidationError(
                f"Line {number} is not a synonym rule: {rule!r}. Write words separated "
                "by commas (k8s, kubernetes) or a => b."
            )


@register_setting(icon="search")
class SearchSettings(BaseGenericSetting):
    """Search settings community leads edit in the admin (applied by a reindex)."""

    synonyms = models.TextField(
        blank=True,
        validators=[validate_synonyms],
        help_text=(
            "One rule per line: 'k8s, kubernetes' makes words equivalent; "
            "'pr => pull request' rewrites. Lines starting with # are comments. "
            "Changes apply after the next reindex (python manage.py search_reindex)."
        ),
    )

    panels = [FieldPanel("synonyms")]

    class Meta:
        verbose_name = "search settings"


def synonym_rules() -> list[str]:
    """The current synonym rules, lowercased, without comments or blank lines."""
    settings = SearchSettings.objects.first()
    if settings is None:
        return []
    return [
        line.strip().lower()
        for line in settings.synonyms.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]

"""The indexing outbox: every change to searchable content, written in the same
database transaction as the change, and kept until Elasticsearch acknowledged it."""

from django.db import models
from django.utils import timezone


class OutboxQuerySet(models.QuerySet["OutboxEntry"]):
    def pending(self) -> "OutboxQuerySet":
        """Rows not yet acknowledged by Elasticsearch."""
        return self.filter(done_at__isnull=True)

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

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

"""An uploaded file and the posts that use it (access follows those posts)."""

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UploadsStorage(FileSystemStorage):
    """Editor uploads live outside ``MEDIA_ROOT`` (``HALLWAY_UPLOADS_ROOT``), so
    no static or media route can serve them: only the access-checked view."""

    @property
    def base_location(self):  # type: ignore[override]
        return settings.HALLWAY_UPLOADS_ROOT

    @property
    def location(self):  # type: ignore[override]
        return os.path.abspath(self.base_location)


def _upload_path(instance: "Attachment", filename: str) -> str:
    # Never the uploader's file name on disk: the key and the checked extension.
    return f"{instance.key.hex[:2]}/{instance.key.hex}{instance.extension}"


class Attachment(models.Model):
    """A file someone uploaded from the editor (an image pasted or dropped, a
    document attached). Its type was read from its bytes, never from the
    browser; only its uploader and readers of a post that uses it may fetch it."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(
        upload_to=_upload_path, storage=UploadsStorage(), max_length=200
    )
    name = models.CharField(_("file name"), max_length=150)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    is_image = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When a post first linked it. A file no post ever linked is deleted after
    # a grace period (``unused_uploads_delete``); once linked it stays, so a
    # restored answer or a reverted page finds its files again.
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("uploads:attachment", args=[self.key.hex, self.name])


class AttachmentUse(models.Model):
    """A post whose text links an attachment. ``kind``/``object_id`` name what a
    reader must be allowed to read (an answer's question, say); ``source`` names
    the post itself, so an edit or a deletion can drop its uses."""

    attachment = models.ForeignKey(
        Attachment, on_delete=models.CASCADE, related_name="uses"
    )
    source = models.CharField(max_length=40)
    kind = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attachment", "source"], name="one_use_per_source"
            )
        ]
        indexes = [models.Index(fields=["source"])]

    def __str__(self) -> str:
        return f"{self.attachment} in {self.source}"

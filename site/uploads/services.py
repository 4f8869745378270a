"""Writes for uploads: store a checked file, record which posts use it."""

import io
import re
import warnings
import zipfile
from collections.abc import Collection
from datetime import datetime, timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from hallway.errors import ValidationFailed
from hallway.ratelimit import rate_limit_check
from kb.communities.selectors import knowledge_page_revisions_linking

from .models import Attachment, AttachmentUse

# Raster images shown inline (never SVG: it can carry script).
IMAGE_FORMATS = {
    "PNG": ("image/png", ".png"),
    "JPEG": ("image/jpeg", ".jpg"),
    "GIF": ("image/gif", ".gif"),
    "WEBP": ("image/webp", ".webp"),
}
_OOXML = "application/vnd.openxmlformats-officedocument."
# Documents, always served as downloads: extension -> (content type, check).
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": _OOXML + "wordprocessingml.document",
    ".xlsx": _OOXML + "spreadsheetml.sheet",
    ".pptx": _OOXML + "presentationml.presentation",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
}
IMAGE_MAX_PIXELS = 40_000_000
KEY_IN_TEXT = re.compile(r"/uploads/([0-9a-f]{32})/")


def _safe_name(name: str, extension: str) -> str:
    """The uploader's file name, reduced to letters, digits, ``.-_`` and the
    checked extension."""
    stem = PurePath(name or "").stem
    stem = re.sub(r"[^\w.-]+", "-", stem, flags=re.ASCII).strip(".-_")[:100]
    return f"{stem or 'file'}{extension}"


def _too_many_pixels() -> ValidationFailed:
    return ValidationFailed(
        _("The image is too large: at most %(mp)d megapixels.")
        % {"mp": IMAGE_MAX_PIXELS // 1_000_000},
        field="file",
    )


def _image_type(file) -> tuple[str, str] | None:
    """``(content type, extension)`` of a raster image we show inline, or
    ``None`` when the bytes are not one; a clear error for a decompression bomb."""
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own pixel limit; ours below is stricter.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(file)
        with image:
            kind = IMAGE_FORMATS.get(image.format or "")
            if kind is None:
                return None
            width, height = image.size
            if width * height > IMAGE_MAX_PIXELS:
                raise _too_many_pixels()
            image.verify()
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    return kind


def _document_type(data: bytes, extension: str) -> str | None:
    """The content type of an allowed document whose bytes match its extension."""
    kind = DOCUMENT_TYPES.get(extension)
    if kind is None:
        return None
    if extension == ".pdf":
        return kind if data.startswith(b"%PDF-") else None
    if extension in {".docx", ".xlsx", ".pptx"}:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        return kind if "[Content_Types].xml" in names else None
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return kind


def attachment_create(*, file: UploadedFile, by) -> Attachment:
    """Store an uploaded file after checking its size and reading its type from
    its bytes: raster images (PNG, JPEG, GIF, WebP) or documents (PDF, Word,
    Excel, PowerPoint, text, Markdown, CSV); anything else is refused."""
    rate_limit_check(user=by, action="upload")
    limit = settings.HALLWAY_ATTACHMENT_MAX_BYTES
    if file.size is None or file.size > limit:
        raise ValidationFailed(
            _("The file is too large: at most %(mb)d MB.")
            % {"mb": limit // (1024 * 1024)},
            field="file",
        )
    if not file.size:
        raise ValidationFailed(_("The file is empty."), field="file")
    file.seek(0)
    data = file.read()
    file.seek(0)
    image = _image_type(io.BytesIO(data))
    if image is not None:
        content_type, extension = image
    else:
        extension = PurePath(file.name or "").suffix.lower()
        content_type = _document_type(data, extension) or ""
        if not content_type:
            raise ValidationFailed(
                _(
                    "This kind of file cannot be attached. Attach a PNG, JPEG, GIF "
                    "or WebP image, or a PDF, Word, Excel, PowerPoint, text, "
                    "Markdown or CSV file."
                ),
                field="file",
            )
    attachment = Attachment(
        name=_safe_name(file.name or "", extension),
        extension=extension,
        content_type=content_type,
        size=len(data),
        is_image=image is not None,
        uploaded_by=by,
    )
    attachment.file.save(attachment.name, file, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_uses_sync(
    *,
    source: str,
    kind: str,
    object_id: int,
    text: str,
    author_id: int | None,
    co_author_ids: Collection[int] = (),
) -> int:
    """Record which attachments the post ``source`` links in ``text``: only its
    author's own uploads, or its co-authors' (a knowledge page's revision
    authors), so linking someone else's file never widens who may read it.
    Earlier uses of ``source`` go; returns how many it now has."""
    AttachmentUse.objects.filter(source=source).delete()
    keys = set(KEY_IN_TEXT.findall(text or ""))
    authors = {*co_author_ids, *([author_id] if author_id is not None else [])}
    if not keys or not authors:
        return 0
    attachments = list(
        Attachment.objects.filter(key__in=keys, uploaded_by_id__in=authors).values_list(
            "pk", flat=True
        )
    )
    uses = [
        AttachmentUse(attachment_id=pk, source=source, kind=kind, object_id=object_id)
        for pk in attachments
    ]
    AttachmentUse.objects.bulk_create(uses)
    Attachment.objects.filter(pk__in=attachments, used_at=None).update(
        used_at=timezone.now()
    )
    return len(uses)


def attachment_uses_drop(*, source: str) -> None:
    """Forget every use by the post ``source`` (deleted)."""
    AttachmentUse.objects.filter(source=source).delete()


def unused_uploads_delete(*, now: datetime | None = None, batch: int = 500) -> int:
    """Delete files no post ever linked, uploaded more than
    ``HALLWAY_UNUSED_UPLOAD_DAYS`` ago (a draft abandoned in the editor, a
    paste undone); their bytes go with their rows. Files a knowledge page's
    unpublished draft links stay until it is published. Returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(
        days=settings.HALLWAY_UNUSED_UPLOAD_DAYS
    )
    unused = Attachment.objects.filter(used_at=None, created_at__lt=cutoff)
    deleted = 0
    last = 0
    while True:
        rows = list(
            unused.filter(pk__gt=last).order_by("pk").values_list("pk", "key")[:batch]
        )
        if not rows:
            return deleted
        last = rows[-1][0]
        drafted = knowledge_page_revisions_linking({key.hex for _, key in rows})
        gone = [pk for pk, key in rows if key.hex not in drafted]
        # One delete a batch; each file's bytes go on commit (signal_handlers).
        deleted += (
            Attachment.objects.filter(pk__in=gone)
            .delete()[1]
            .get(Attachment._meta.label, 0)
        )


def attachment_summary(attachment: Attachment) -> dict[str, object]:
    """What an upload answers: the address, name, size, whether it is an image,
    and the Markdown that links it (an image shows inline)."""
    url = attachment.get_absolute_url()
    label = attachment.name.replace("[", "").replace("]", "")
    markdown = f"![{label}]({url})" if attachment.is_image else f"[{label}]({url})"
    return {
        "url": url,
        "name": attachment.name,
        "size": attachment.size,
        "is_image": attachment.is_image,
        "markdown": markdown,
    }

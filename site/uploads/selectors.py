"""Reads for uploads: who may fetch an attachment."""

import uuid

from search.visibility import readable_keys

from .models import Attachment


def attachment_readable(*, key: str, viewer) -> Attachment | None:
    """The attachment ``key`` if ``viewer`` uploaded it or may read a post that
    uses it (each post kind's own visibility rule, asked now), else ``None``."""
    try:
        parsed = uuid.UUID(hex=key)
    except ValueError:
        return None
    attachment = Attachment.objects.filter(key=parsed).first()
    if attachment is None:
        return None
    if getattr(viewer, "is_authenticated", False) and (
        attachment.uploaded_by_id == viewer.pk
    ):
        return attachment
    uses = [(use.kind, use.object_id) for use in attachment.uses.all()]
    if uses and readable_keys(uses, viewer=viewer):
        return attachment
    return None

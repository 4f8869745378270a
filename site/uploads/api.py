"""JSON API for attachments (mounted by hallway.api at /api/v1/): the same
upload the editor's paperclip makes, so API clients can attach files to
questions, answers, entries, pages and ideas by linking the returned Markdown."""

from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from . import services

router = Router(tags=["uploads"])


class UploadOut(Schema):
    url: str
    name: str
    size: int
    is_image: bool
    markdown: str


@router.post("/uploads", response={201: UploadOut})
def upload(request: HttpRequest, file: File[UploadedFile]):
    """Store one file (multipart field ``file``): its type is read from its
    bytes. Link the returned ``markdown`` in a post's body; until then only you
    may fetch it, afterwards readers of the posts that link it."""
    attachment = services.attachment_create(file=file, by=request.user)
    return Status(201, services.attachment_summary(attachment))

"""A person's uploads: listed in their export, removed when they are erased."""

from functools import partial
from typing import Any

from journals.models import Entry
from kb.communities.models import KnowledgePage
from kb.ideas.models import Idea
from kb.qa.models import Answer, Question
from people.signals import ExportSection, person_erasing, personal_data_requested

from .models import Attachment, AttachmentUse


def export(sender: Any, *, user, **kwargs: Any) -> list[ExportSection]:
    """Every file this person uploaded (the bytes too, named by their key),
    with where each is used."""
    uploads = (
        Attachment.objects.filter(uploaded_by=user)
        .prefetch_related("uses")
        .order_by("pk")
    )
    # Opened one at a time while the archive is written; a file gone from disk
    # is left out there, and the list below still names it.
    files = [
        (f"{upload.key.hex}{upload.extension}", partial(upload.file.open, "rb"))
        for upload in uploads
    ]
    return [
        {
            "name": "uploads",
            "files": files,
            "items": [
                {
                    "id": upload.key.hex,
                    "name": upload.name,
                    "content_type": upload.content_type,
                    "size": upload.size,
                    "created_at": upload.created_at,
                    "url": upload.get_absolute_url(),
                    "used_in": sorted(use.source for use in upload.uses.all()),
                }
                for upload in uploads
            ],
        }
    ]


def _shared_sources(sources: set[str]) -> set[str]:
    """Of ``kind:pk`` sources, those that are still posts other people read."""
    ids: dict[str, set[int]] = {}
    for source in sources:
        kind, _sep, pk = source.partition(":")
        if pk.isdigit():
            ids.setdefault(kind, set()).add(int(pk))
    alive = {
        "question": Question.objects.filter(is_deleted=False),
        "answer": Answer.objects.filter(is_deleted=False),
        "entry": Entry.objects.exclude(visibility=Entry.Visibility.PRIVATE),
        "idea": Idea.objects.all(),
        "page": KnowledgePage.objects.live(),
    }
    shared: set[str] = set()
    for kind, pks in ids.items():
        rows = alive.get(kind)
        if rows is not None:
            found = rows.filter(pk__in=pks).values_list("pk", flat=True)
            shared |= {f"{kind}:{pk}" for pk in found}
    return shared


def erase(sender: Any, *, user, remove_content: bool, **kwargs: Any) -> None:
    """Files no shared post uses always go (pasted into a private note, or never
    posted); with ``remove_content`` every file goes, as the posts do."""
    uploads = Attachment.objects.filter(uploaded_by=user)
    if not remove_content:
        uses = AttachmentUse.objects.filter(attachment__uploaded_by=user)
        shared = _shared_sources(set(uses.values_list("source", flat=True)))
        kept = uses.filter(source__in=shared).values("attachment_id")
        uploads = uploads.exclude(pk__in=kept)
    # Their bytes go with the rows, once committed (``uploads.files``).
    uploads.delete()


def connect() -> None:
    """Wire the handlers (from ``UploadsConfig.ready``)."""
    personal_data_requested.connect(export, dispatch_uid="uploads.personal_data")
    person_erasing.connect(erase, dispatch_uid="uploads.erase")

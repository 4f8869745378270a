"""A person's journal: export and erasure."""

from typing import Any

from hallway.signals import content_changed
from people.signals import ExportSection, person_erasing, personal_data_requested

from .models import Entry, EntryComment, JournalSettings, PersonFollow, TagFollow
from .services import entry_delete


def export(sender: Any, *, user, **kwargs: Any) -> list[ExportSection]:
    """Every entry (private ones too), comment and follow of this person."""
    entries = (
        Entry.objects.filter(author=user)
        .select_related("community")
        .prefetch_related("tags")
        .order_by("pk")
    )
    comments = EntryComment.objects.filter(author=user).order_by("pk")
    follows = PersonFollow.objects.filter(follower=user).select_related("followed")
    return [
        {
            "name": "journal-entries",
            "items": [
                {
                    "id": e.pk,
                    "title": e.title,
                    "body": e.body,
                    "prompt": e.prompt,
                    "visibility": e.visibility,
                    "community": e.community.title if e.community else "",
                    "tags": sorted(t.name for t in e.tags.all()),
                    "created_at": e.created_at,
                    "url": e.get_absolute_url(),
                }
                for e in entries
            ],
        },
        {
            "name": "journal-comments",
            "items": [
                {
                    "id": c.pk,
                    "entry_id": c.entry_id,
                    "body": c.body,
                    "created_at": c.created_at,
                }
                for c in comments
            ],
        },
        {
            "name": "follows",
            "items": [
                {"id": f.pk, "person": f.followed.username, "created_at": f.created_at}
                for f in follows.order_by("pk")
            ]
            + [
                {"id": f"tag-{t.pk}", "tag": t.tag_name, "created_at": t.created_at}
                for t in TagFollow.objects.filter(follower=user).order_by("pk")
            ],
        },
    ]


def erase(sender: Any, *, user, by, remove_content: bool, **kwargs: Any) -> None:
    """Private entries, follows and the feed token always go (no one else has a
    claim on them); shared entries and comments too with ``remove_content``."""
    entries = Entry.objects.filter(author=user)
    if not remove_content:
        entries = entries.filter(visibility=Entry.Visibility.PRIVATE)
    for entry in entries:
        entry_delete(entry=entry, by=user)
    if remove_content:
        EntryComment.objects.filter(author=user).delete()
    for pk in Entry.objects.filter(author=user).values_list("pk", flat=True):
        content_changed.send(sender=Entry, model=Entry, pk=pk)  # the new name
    PersonFollow.objects.filter(follower=user).delete()
    PersonFollow.objects.filter(followed=user).delete()
    TagFollow.objects.filter(follower=user).delete()
    JournalSettings.objects.filter(user=user).delete()


def connect() -> None:
    """Wire the handlers (from ``JournalsConfig.ready``)."""
    personal_data_requested.connect(export, dispatch_uid="journals.personal_data")
    person_erasing.connect(erase, dispatch_uid="journals.erase")

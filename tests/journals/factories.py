"""Journal entries for tests (written straight to the table: no rate limits)."""

from datetime import datetime

from hallway.markdown import render_markdown
from journals.models import Entry, EntryComment, Reaction


def make_entry(
    author,
    *,
    body: str = "Today I tuned a slow query.",
    title: str = "",
    visibility: str = Entry.Visibility.ORGANISATION,
    community=None,
    tags=(),
    prompt: str = "",
    created_at: datetime | None = None,
) -> Entry:
    """An entry as ``entry_create`` would store it."""
    extra = {"created_at": created_at} if created_at else {}
    entry = Entry.objects.create(
        author=author,
        title=title,
        body=body,
        body_html=render_markdown(body),
        visibility=visibility,
        community=community,
        prompt=prompt,
        **extra,
    )
    if tags:
        entry.tags.set(list(tags))
    return entry


def make_reaction(entry, user, kind: str = "helpful") -> Reaction:
    return Reaction.objects.create(entry=entry, user=user, kind=kind)


def make_comment(entry, author, body: str = "Nice one.") -> EntryComment:
    return EntryComment.objects.create(
        entry=entry, author=author, body=body, body_html=body
    )

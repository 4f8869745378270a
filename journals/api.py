"""JSON API endpoints of this app (mounted by hallway.api at /api/v1/journal)."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from . import selectors, services
from .models import Entry, EntryComment

router = Router(tags=["journal"])

PAGE_SIZE = 20


class AuthorOut(Schema):
    username: str
    display_name: str


class EntryOut(Schema):
    id: int
    author: AuthorOut
    title: str
    body: str
    body_html: str
    tags: list[str]
    visibility: str
    community: str | None
    created_at: datetime
    updated_at: datetime
    url: str
    question_id: int | None


class EntryListOut(Schema):
    count: int
    results: list[EntryOut]


class EntryIn(Schema):
    # Optional here so a missing body gets the service's clear "body" error.
    body: str = ""
    title: str = ""
    tags: list[str] | str = []
    visibility: str | None = None
    community: str | int | None = None
    prompt: str = ""


class EntryPatch(Schema):
    body: str | None = None
    title: str | None = None
    tags: list[str] | str | None = None
    visibility: str | None = None
    community: str | int | None = None
    prompt: str | None = None


class ReactionIn(Schema):
    kind: str


class ReactionsOut(Schema):
    counts: dict[str, int]
    mine: list[str]


class CommentIn(Schema):
    body: str = ""
    language: str | None = Field(
        None, description="en or nl; detected from the text when left out"
    )


class CommentOut(Schema):
    id: int
    author: AuthorOut
    body: str
    body_html: str
    language: str
    created_at: datetime


class CommentListOut(Schema):
    count: int
    results: list[CommentOut]


class Detail(Schema):
    detail: str


def _author(user) -> dict:
    return {"username": user.username, "display_name": user.get_display_name()}


def entry_to_dict(entry: Entry, request: HttpRequest | None = None) -> dict:
    """The API shape of an entry (tags, author and community already loaded)."""
    url = entry.get_absolute_url()
    return {
        "id": entry.pk,
        "author": _author(entry.author),
        "title": entry.title,
        "body": entry.body,
        "body_html": entry.body_html,
        "tags": sorted(tag.name for tag in entry.tags.all()),
        "visibility": entry.visibility,
        "community": entry.community.slug if entry.community_id else None,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
        "url": request.build_absolute_uri(url) if request else url,
        "question_id": entry.question_id,
    }


def _comment_to_dict(comment: EntryComment) -> dict:
    return {
        "id": comment.pk,
        "author": _author(comment.author),
        "body": comment.body,
        "body_html": comment.body_html,
        "language": comment.language,
        "created_at": comment.created_at,
    }


def _reload(request: HttpRequest, pk: int) -> dict:
    entry = selectors.entry_get_visible(viewer=request.user, pk=pk)
    return entry_to_dict(entry, request)


@router.post("/entries", response={201: EntryOut})
def create_entry(request: HttpRequest, payload: EntryIn):
    """Write an entry (visibility defaults to your preference, initially private)."""
    entry = services.entry_create(author=request.user, **payload.dict())
    return Status(201, _reload(request, entry.pk))


@router.get("/entries", response=EntryListOut)
def list_entries(request: HttpRequest, author: str = "", tag: str = "", page: int = 1):
    """Entries you may see, newest first; filter by author username and tag."""
    entries = selectors.entry_list_visible(viewer=request.user).order_by(
        "-created_at", "-pk"
    )
    if author:
        person = get_user_model().objects.filter(username=author).first()
        entries = entries.filter(author=person) if person else entries.none()
    if tag:
        entries = entries.filter(pk__in=selectors.entry_ids_tagged([tag]))
    paginator = Paginator(entries, PAGE_SIZE)
    number = max(1, page)
    rows = paginator.page(number).object_list if number <= paginator.num_pages else []
    return {
        "count": paginator.count,
        "results": [entry_to_dict(entry, request) for entry in rows],
    }


@router.get("/entries/{entry_id}", response=EntryOut)
def get_entry(request: HttpRequest, entry_id: int):
    """One entry (404 when you may not see it)."""
    return _reload(request, entry_id)


@router.patch("/entries/{entry_id}", response=EntryOut)
def update_entry(request: HttpRequest, entry_id: int, payload: EntryPatch):
    """Change your entry; send only the fields that change."""
    entry = selectors.entry_get_visible(viewer=request.user, pk=entry_id)
    changes = payload.dict(exclude_unset=True)
    if changes.get("visibility") is None:
        changes.pop("visibility", None)
    services.entry_update(entry=entry, by=request.user, **changes)
    return _reload(request, entry_id)


@router.delete("/entries/{entry_id}", response={204: None})
def delete_entry(request: HttpRequest, entry_id: int):
    """Delete your entry for good."""
    entry = selectors.entry_get_visible(viewer=request.user, pk=entry_id)
    services.entry_delete(entry=entry, by=request.user)
    return Status(204, None)


@router.get("/entries/{entry_id}/reactions", response=ReactionsOut)
def list_reactions(request: HttpRequest, entry_id: int):
    """Reaction counts per kind, and yours."""
    entry = selectors.entry_get_visible(viewer=request.user, pk=entry_id)
    summary = selectors.reaction_summary(entry=entry, viewer=request.user)
    return {"counts": summary["counts"], "mine": summary["mine"]}


@router.post("/entries/{entry_id}/reactions", response={201: ReactionsOut})
def add_reaction(request: HttpRequest, entry_id: int, payload: ReactionIn):
    """React: helpful, thanks or me_too (one of each per person; repeats are no-ops)."""
    entry = selectors.entry_get_visible(viewer=request.user, pk=entry_id)
    services.reaction_set(entry=entry, user=request.user, kind=payload.kind)
    summary = selectors.reaction_summary(entry=entry, viewer=request.user)
    return Status(201, {"counts": summary["counts"], "mine": summary["mine"]})


@router.delete("/entries/{entry_id}/reactions/{kind}", response=ReactionsOut)
def remove_reaction(request: HttpRequest, entry_id: int, kind: str):
    """Take back one of your reactions."""
    entry = selectors.entry_get_visible(viewer=request.user, pk=entry_id)
    services.reaction_set(entry=entry, user=request.user, kind=kind, on=False)
    summary = selectors.reaction_summary(entry=entry, viewer=request.user)
    return {"counts": summary["counts"], "mine": summary["mine"]}


@router.get("/entries/{entry_id}/comments", response=CommentListOut)
def list_comments(request: HttpRequest, entry_id: int):
    """Comments on an entry you may see, oldest first."""
    entry = selectors.entry_get_visible(viewer=request.user, pk=entry_id)
    comments = selectors.comment_list(entry=entry)
    return {
        "count": len(comments),
        "results": [_comment_to_dict(comment) for comment in comments],
    }


@router.post("/entries/{entry_id}/comments", response={201: CommentOut})
def add_comment(request: HttpRequest, entry_id: int, payload: CommentIn):
    """Comment on an entry you may see."""
    entry = selectors.entry_get_visible(viewer=request.user, pk=entry_id)
    comment = services.comment_create(
        entry=entry,
        author=request.user,
        body=payload.body,
        language=payload.language,
    )
    return Status(201, _comment_to_dict(comment))

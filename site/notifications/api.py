"""JSON API of this app (mounted by hallway.api at /api/v1/)."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from . import selectors, services

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    count: int
    actor: str | None
    target_kind: str
    target_id: int
    created_at: datetime
    read_at: datetime | None
    unread: bool


class NotificationListOut(Schema):
    unread_count: int
    results: list[NotificationOut]


class FollowsOut(Schema):
    tags: list[str]
    people: list[str]
    communities: list[str]
    questions: list[int]


class FollowIn(Schema):
    kind: str
    key: str


class ReadAllOut(Schema):
    marked: int
    unread_count: int


def _out(row) -> dict:
    return {
        "id": row.pk,
        "kind": row.kind,
        "text": row.display_text,
        "url": row.url,
        "count": row.count,
        "actor": row.actor.username if row.actor_id else None,
        "target_kind": row.target_kind,
        "target_id": row.target_id,
        "created_at": row.created_at,
        "read_at": row.read_at,
        "unread": row.read_at is None,
    }


@router.get("/notifications", response=NotificationListOut)
def notification_list(request: HttpRequest, unread: bool = False, limit: int = 50):
    """My notifications, newest first (grouped: one row per unread group)."""
    rows = selectors.notification_list(
        user=request.user, unread_only=unread, limit=max(1, min(limit, 100))
    )
    return {
        "unread_count": selectors.unread_count(user=request.user),
        "results": [_out(row) for row in rows],
    }


@router.post("/notifications/read-all", response=ReadAllOut)
def notification_read_all(request: HttpRequest):
    """Mark all my notifications read."""
    marked = services.notification_mark_all_read(user=request.user)
    return {"marked": marked, "unread_count": 0}


@router.post("/notifications/{notification_id}/read", response=NotificationOut)
def notification_read(request: HttpRequest, notification_id: int):
    """Mark one of my notifications read (404 if it is not mine)."""
    row = services.notification_mark_read(
        user=request.user, notification_id=notification_id
    )
    return _out(row)


@router.get("/follows", response=FollowsOut)
def follow_list(request: HttpRequest):
    """Tags, people, communities and questions I follow."""
    return selectors.follow_keys(user=request.user)


@router.post("/follows", response=FollowsOut)
def follow_add(request: HttpRequest, payload: FollowIn):
    """Follow a tag (name), person (username), community (slug) or question (id)."""
    services.follow_set(user=request.user, kind=payload.kind, key=payload.key)
    return selectors.follow_keys(user=request.user)


@router.delete("/follows/{kind}/{key}", response=FollowsOut)
def follow_remove(request: HttpRequest, kind: str, key: str):
    """Stop following something."""
    services.follow_set(user=request.user, kind=kind, key=key, follow=False)
    return selectors.follow_keys(user=request.user)

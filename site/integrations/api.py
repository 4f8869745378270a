"""JSON API of this app (mounted by hallway.api at /api/v1/): webhooks."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema

from hallway.errors import ValidationFailed
from kb.communities.selectors import community_get

from . import selectors, services
from .models import Webhook

router = Router(tags=["webhooks"])

HALLWAY = [Webhook.Kind.HALLWAY]


class WebhookIn(Schema):
    url: str
    events: list[str]
    secret: str | None = None
    community: str | None = None


class WebhookCreatedOut(Schema):
    id: int
    url: str
    events: list[str]
    secret: str
    community: str | None


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    community: str | None
    active: bool
    disabled_reason: str
    created_at: datetime


class AttemptOut(Schema):
    attempted_at: datetime
    status_code: int | None
    response_ms: int | None
    error: str
    succeeded: bool


class DeliveryOut(Schema):
    id: str
    event: str
    event_id: str
    status: str
    attempts: int
    status_code: int | None
    response_ms: int | None
    error: str
    created_at: datetime
    finished_at: datetime | None
    next_attempt_at: datetime | None
    log: list[AttemptOut]


def _admin(request: HttpRequest) -> None:
    if not services.can_manage_webhooks(request.user):
        raise PermissionDenied("Only administrators manage webhooks.")


def _webhook_out(webhook: Webhook) -> dict:
    return {
        "id": webhook.pk,
        "url": webhook.url,
        "events": webhook.events,
        "community": webhook.community.slug if webhook.community_id else None,
        "active": webhook.is_active,
        "disabled_reason": webhook.disabled_reason,
        "created_at": webhook.created_at,
    }


@router.post("/webhooks", response={201: WebhookCreatedOut})
def webhook_create(request: HttpRequest, payload: WebhookIn):
    """Register a webhook; the secret is returned once (generated if not given)."""
    _admin(request)
    community = None
    if payload.community:
        community = community_get(slug=payload.community)
        if community is None:
            raise ValidationFailed({"community": ["Unknown community."]})
    webhook = services.webhook_create(
        by=request.user,
        url=payload.url,
        events=payload.events,
        secret=payload.secret,
        community=community,
    )
    return 201, {
        "id": webhook.pk,
        "url": webhook.url,
        "events": webhook.events,
        "secret": webhook.secret,
        "community": community.slug if community else None,
    }


@router.get("/webhooks", response=list[WebhookOut])
def webhook_list(request: HttpRequest):
    """All webhooks (not chat channels), without their secrets."""
    _admin(request)
    return [_webhook_out(webhook) for webhook in selectors.webhook_list(kinds=HALLWAY)]


def _get(pk: int) -> Webhook:
    webhook = selectors.webhook_get(pk=pk, kinds=HALLWAY)
    if webhook is None:
        raise Http404("No such webhook.")
    return webhook


@router.delete("/webhooks/{webhook_id}", response={204: None})
def webhook_delete(request: HttpRequest, webhook_id: int):
    """Remove a webhook and its delivery log."""
    _admin(request)
    services.webhook_delete(webhook=_get(webhook_id), by=request.user)
    return 204, None


@router.get("/webhooks/{webhook_id}/deliveries", response=list[DeliveryOut])
def webhook_deliveries(request: HttpRequest, webhook_id: int):
    """The latest 50 deliveries, newest first, each with its attempts."""
    _admin(request)
    webhook = _get(webhook_id)
    return [
        {
            "id": str(row.delivery_id),
            "event": row.event,
            "event_id": str(row.event_id),
            "status": row.status,
            "attempts": row.attempts,
            "status_code": row.last_status_code,
            "response_ms": row.last_response_ms,
            "error": row.last_error,
            "created_at": row.created_at,
            "finished_at": row.finished_at,
            "next_attempt_at": row.next_attempt_at
            if row.status == row.Status.PENDING
            else None,
            "log": [
                {
                    "attempted_at": attempt.attempted_at,
                    "status_code": attempt.status_code,
                    "response_ms": attempt.response_ms,
                    "error": attempt.error,
                    "succeeded": attempt.succeeded,
                }
                for attempt in row.attempt_log.all()
            ],
        }
        for row in selectors.delivery_list(webhook=webhook)
    ]

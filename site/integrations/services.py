"""Writes for webhooks and chat channels, dispatch of events, and delivery."""

import hashlib
import hmac
import logging
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hallway.errors import ValidationFailed
from kb.communities.selectors import community_leads, is_curator

from . import formats, transport
from .events import CHAT_EVENTS, EVENTS
from .models import Delivery, DeliveryAttempt, Webhook

log = logging.getLogger(__name__)

RETRY_FOR = timedelta(hours=24)
FIRST_RETRY = timedelta(seconds=10)
MAX_RETRY_GAP = timedelta(hours=1)
SECRET_MIN, SECRET_MAX = 16, 200
USER_AGENT = "Hallway-Webhooks/1"


# -- endpoints ------------------------------------------------------------------


def _clean_url(url: str | None, errors: dict) -> str:
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["url"] = [_("Enter a full http:// or https:// URL.")]
        return url
    try:
        transport.check_url(url)
    except transport.AddressRefused as error:
        errors["url"] = [str(error)]
    return url


def _clean_events(events: Iterable[str] | None, errors: dict) -> list[str]:
    names = []
    for name in events or []:
        if name not in names:
            names.append(str(name))
    unknown = [name for name in names if name not in EVENTS]
    if unknown:
        errors["events"] = [
            _("Unknown event(s): %(names)s. Known: %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(EVENTS)}
        ]
    elif not names:
        errors["events"] = [_("Choose at least one event.")]
    return names


def _clean_secret(secret: str | None, errors: dict) -> str | None:
    if secret is None or secret == "":
        return None
    if not SECRET_MIN <= len(secret) <= SECRET_MAX:
        errors["secret"] = [
            _("A secret is %(min)d to %(max)d characters.")
            % {"min": SECRET_MIN, "max": SECRET_MAX}
        ]
    return secret


def can_manage_webhooks(user) -> bool:
    """Administrators manage webhooks."""
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


def can_manage_chat(user, community) -> bool:
    """Leads (and team) of a community connect it to chat; administrators too."""
    return community is not None and is_curator(user, community)


def webhook_create(
    *,
    by,
    url: str,
    events: Iterable[str] | None,
    secret: str | None = None,
    community=None,
) -> Webhook:
    """Register a signed webhook (administrators only)."""
    if not can_manage_webhooks(by):
        raise PermissionDenied(_("Only administrators manage webhooks."))
    errors: dict[str, list[str]] = {}
    url = _clean_url(url, errors)
    names = _clean_events(events, errors)
    secret = _clean_secret(secret, errors)
    if errors:
        raise ValidationFailed(errors)
    webhook = Webhook(
        kind=Webhook.Kind.HALLWAY,
        url=url,
        events=names,
        community=community,
        created_by=by,
    )
    if secret:
        webhook.secret = secret
    webhook.save()
    return webhook


def chat_channel_connect(
    *,
    by,
    community,
    kind: str,
    url: str,
    language: str,
    events: Iterable[str] | None = None,
    secret: str | None = None,
) -> Webhook:
    """Connect a community to a team chat channel by its incoming-webhook URL."""
    if not can_manage_chat(by, community):
        raise PermissionDenied(_("Only the community's leads connect it to chat."))
    errors: dict[str, list[str]] = {}
    if kind not in Webhook.CHAT_KINDS:
        errors["kind"] = [_("Choose Slack, Microsoft Teams, Mattermost or JSON.")]
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Unknown language.")]
    url = _clean_url(url, errors)
    names = _clean_events(events if events is not None else CHAT_EVENTS, errors)
    secret = _clean_secret(secret, errors)
    if errors:
        raise ValidationFailed(errors)
    channel = Webhook(
        kind=kind,
        url=url,
        events=names,
        community=community,
        language=language,
        created_by=by,
    )
    if secret:
        channel.secret = secret
    channel.save()
    return channel


def webhook_delete(*, webhook: Webhook, by) -> None:
    """Remove a webhook or chat channel with its delivery log."""
    allowed = can_manage_webhooks(by) or (
        webhook.is_chat and can_manage_chat(by, webhook.community)
    )
    if not allowed:
        raise PermissionDenied(_("You may not remove this webhook."))
    webhook.delete()


def webhook_enable(*, webhook: Webhook) -> Webhook:
    """Switch a disabled webhook back on (its failure streak starts over)."""
    webhook.is_active = True
    webhook.disabled_reason = ""
    webhook.failing_since = None
    webhook.save(update_fields=["is_active", "disabled_reason", "failing_since"])
    return webhook


def webhook_disable(*, webhook: Webhook, reason: str) -> Webhook:
    """Switch a webhook off, give up its pending deliveries, tell administrators."""
    now = timezone.now()
    with transaction.atomic():
        updated = Webhook.objects.filter(pk=webhook.pk, is_active=True).update(
            is_active=False, disabled_reason=reason[:300]
        )
        webhook.refresh_from_db()
        webhook.deliveries.pending().update(
            status=Delivery.Status.FAILED,
            finished_at=now,
            last_error=_("The webhook was switched off."),
        )
    if updated:
        _notify_disabled(webhook)
    return webhook


def _notify_disabled(webhook: Webhook) -> None:
    recipients = {
        user.email: user
        for user in get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
    }
    if webhook.community is not None:
        # community_leads gives memberships (leads, then team)
        recipients |= {
            membership.user.email: membership.user
            for membership in community_leads(community=webhook.community)
            if membership.user.email and membership.user.is_active
        }
    log.warning("Webhook %s switched off: %s", webhook.pk, webhook.disabled_reason)
    # One e-mail per language, each in its recipients' language.
    by_language: dict[str, list[str]] = {}
    for email, user in recipients.items():
        by_language.setdefault(user.interface_language(), []).append(email)
    for language, emails in sorted(by_language.items()):
        with translation.override(language):
            subject = _("Hallway switched off a webhook that kept failing")
            body = _(
                "The %(kind)s endpoint %(url)s failed for %(hours)d hours and was "
                "switched off.\n\nLast error: %(reason)s\n\nSwitch it back on in the "
                "admin (Settings → Webhooks) once the receiver works again."
            ) % {
                "kind": webhook.get_kind_display(),
                "url": webhook.url,
                "hours": RETRY_FOR.total_seconds() // 3600,
                "reason": webhook.disabled_reason,
            }
        try:
            send_mail(subject, body, None, sorted(emails))
        except Exception:  # the switch-off stands even if the mail server is down
            log.exception("Could not e-mail the notice about webhook %s", webhook.pk)


# -- dispatch -------------------------------------------------------------------


def event_dispatch(
    *, event: str, object_id: int, occurred_at: datetime | None = None
) -> list[int]:
    """Freeze one event into a delivery per endpoint that may get it; their ids
    (the caller, ``dispatch_event_task``, enqueues them)."""
    spec = EVENTS.get(event)
    if spec is None:
        return []
    endpoints = [
        webhook
        for webhook in Webhook.objects.filter(is_active=True).select_related(
            "community"
        )
        if event in webhook.events
    ]
    if not endpoints:
        return []
    occurrence = spec.build(object_id)
    if occurrence is None:
        return []
    occurred = (occurred_at or timezone.now()).isoformat()
    event_id = str(uuid.uuid4())
    deliveries = []
    for webhook in endpoints:
        if not occurrence.may_reach(community_id=webhook.community_id):
            continue
        community_title = (
            webhook.community.title
            if webhook.community is not None
            else occurrence.community_title or "Hallway"
        )
        body = formats.render(
            kind=webhook.kind,
            event=event,
            event_id=event_id,
            occurred_at=occurred,
            occurrence=occurrence,
            community=community_title,
            language=webhook.language,
        )
        deliveries.append(
            Delivery(
                webhook=webhook,
                event=event,
                event_id=event_id,
                body=body.decode(),
            )
        )
    created = Delivery.objects.bulk_create(deliveries)
    return [delivery.pk for delivery in created]


# -- delivery -------------------------------------------------------------------


def signature(*, secret: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of body with secret>``."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def retry_gap(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed try: 10 s, 30 s, 90 s … up to 1 h."""
    gap = FIRST_RETRY * (3 ** max(attempts - 1, 0))
    return min(gap, MAX_RETRY_GAP)


def _headers(delivery: Delivery, body: bytes) -> dict[str, str]:
    webhook = delivery.webhook
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Hallway-Event": delivery.event,
        "X-Hallway-Delivery": str(delivery.delivery_id),
    }
    if webhook.secret:
        headers["X-Hallway-Signature"] = signature(secret=webhook.secret, body=body)
    return headers


def delivery_attempt(
    *, delivery_id: int, now: datetime | None = None
) -> Delivery | None:
    """Try to send one delivery once; log it and plan the next try or give up."""
    delivery = Delivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Delivery.Status.PENDING:
        return delivery
    webhook = delivery.webhook
    if not webhook.is_active:
        return delivery
    body = delivery.body.encode()
    status_code = elapsed = None
    error = ""
    permanent = False
    try:
        response = transport.post(
            webhook.url, body=body, headers=_headers(delivery, body)
        )
        status_code, elapsed = response.status, response.elapsed_ms
        if not 200 <= response.status < 300:
            error = f"HTTP {response.status}"
    except transport.AddressRefused as refused:
        error, permanent = str(refused), True
    except (OSError, ValueError) as failure:  # timeouts, refused connections, TLS
        error = f"{type(failure).__name__}: {failure}"
    now = now or timezone.now()
    succeeded = not error
    DeliveryAttempt.objects.create(
        delivery=delivery,
        attempted_at=now,
        status_code=status_code,
        response_ms=elapsed,
        error=error[:500],
        succeeded=succeeded,
    )
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_response_ms = elapsed
    delivery.last_error = error[:500]
    if succeeded:
        delivery.status = Delivery.Status.SUCCEEDED
        delivery.finished_at = now
        if webhook.failing_since is not None:
            Webhook.objects.filter(pk=webhook.pk).update(failing_since=None)
    elif permanent or now - delivery.created_at >= RETRY_FOR:
        delivery.status = Delivery.Status.FAILED
        delivery.finished_at = now
    else:
        delivery.next_attempt_at = now + retry_gap(delivery.attempts)
    delivery.save(
        update_fields=[
            "attempts",
            "last_status_code",
            "last_response_ms",
            "last_error",
            "status",
            "finished_at",
            "next_attempt_at",
        ]
    )
    if not succeeded:
        _record_failure(webhook, delivery, now)
    return delivery


def _record_failure(webhook: Webhook, delivery: Delivery, now: datetime) -> None:
    if webhook.failing_since is None:
        Webhook.objects.filter(pk=webhook.pk, failing_since__isnull=True).update(
            failing_since=now
        )
        webhook.failing_since = now
    if now - webhook.failing_since >= RETRY_FOR:
        webhook_disable(
            webhook=webhook,
            reason=_("Failed for 24 hours; last error: %(error)s")
            % {"error": delivery.last_error},
        )


def deliveries_lost(*, now: datetime | None = None) -> list[int]:
    """Due deliveries whose task was lost (queue outage, restart): their ids."""
    now = now or timezone.now()
    stale = now - timedelta(minutes=5)
    return list(
        Delivery.objects.pending()
        .filter(next_attempt_at__lte=stale, webhook__is_active=True)
        .values_list("pk", flat=True)[:500]
    )

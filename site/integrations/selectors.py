"""Reads about webhooks, chat channels and their deliveries."""

from django.db.models import Prefetch, QuerySet

from .models import Delivery, DeliveryAttempt, Webhook

DELIVERY_PAGE = 50


def webhook_list(*, kinds=None) -> QuerySet[Webhook]:
    """Webhooks (optionally of some kinds), oldest first, with their scope."""
    rows = Webhook.objects.select_related("community")
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    return rows.order_by("pk")


def webhook_get(*, pk: int, kinds=None) -> Webhook | None:
    """One webhook by id, or ``None``."""
    return webhook_list(kinds=kinds).filter(pk=pk).first()


def chat_channels_for(*, community) -> QuerySet[Webhook]:
    """The chat channels a community is connected to."""
    return webhook_list(kinds=Webhook.CHAT_KINDS).filter(community=community)


def delivery_list(*, webhook: Webhook, limit: int = DELIVERY_PAGE) -> list[Delivery]:
    """The latest deliveries of a webhook, each with its attempts (two queries)."""
    return list(
        webhook.deliveries.order_by("-created_at", "-pk").prefetch_related(
            Prefetch("attempt_log", queryset=DeliveryAttempt.objects.order_by("pk"))
        )[:limit]
    )

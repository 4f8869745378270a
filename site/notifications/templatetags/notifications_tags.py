"""The header bell: ``{% load notifications_tags %}{% notification_bell %}``."""

from django import template

from ..selectors import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell_tag.html", takes_context=True)
def notification_bell(context) -> dict:
    """The bell with my unread count (one query; nothing when logged out)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return {"user": user, "unread": unread_count(user=user) if user else 0}

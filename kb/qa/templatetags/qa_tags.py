"""Template helpers for question pages."""

from datetime import timedelta

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def duration(value: timedelta | None) -> str:
    """A short human duration: "5 minutes", "3 hours", "2 days"."""
    if value is None:
        return ""
    seconds = max(0, int(value.total_seconds()))
    if seconds < 3600:
        n = max(1, seconds // 60)
        return ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}
    if seconds < 86400:
        n = seconds // 3600
        return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}
    n = seconds // 86400
    return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}

"""Template helpers for question pages (and other apps' pages showing questions)."""

from datetime import timedelta

from django import template
from django.utils.translation import ngettext

from ..selectors import question_list

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


@register.simple_tag(takes_context=True)
def community_open_questions(context, community, limit: int = 5) -> list:
    """``{% community_open_questions page as open_questions %}``: newest unanswered."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    questions = question_list(viewer=viewer, community=community).open().unanswered()
    return list(questions[:limit])

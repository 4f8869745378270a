"""Template tags other apps' pages use to show what search knows."""

from django import template

from ..analytics import search_report

register = template.Library()


@register.simple_tag
def failed_searches(days: int = 30, limit: int = 10) -> list[dict]:
    """``{% failed_searches as rows %}``: the top searches that found nothing."""
    return search_report(days=days, limit=limit)["no_results"]

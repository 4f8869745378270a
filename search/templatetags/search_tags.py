"""Template tags other apps' pages use to show what search knows."""

from django import template
from django.utils.translation import gettext as _

from hallway.charts import chart_data

from ..analytics import search_gap_weeks, search_report

register = template.Library()


@register.simple_tag
def failed_searches(days: int = 30, limit: int = 10) -> list[dict]:
    """``{% failed_searches as rows %}``: the top searches that found nothing."""
    return search_report(days=days, limit=limit)["no_results"]


@register.inclusion_tag("search/_gap_chart.html")
def search_gap_chart() -> dict:
    """Search gaps opened and closed per week over twelve weeks, drawn in the
    browser, with the numbers (and how many stayed open) in a table."""
    rows = search_gap_weeks()
    return {
        "rows": rows,
        "chart": chart_data(
            rows,
            label_key="week",
            series=[("opened", _("New gaps")), ("closed", _("Gaps closed"))],
        ),
        "chart_id": "search-gaps",
        "empty": not any(row["opened"] or row["still_open"] for row in rows),
    }

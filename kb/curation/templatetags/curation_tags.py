"""Charts for leads: questions per week, drawn in the browser with a table."""

from django import template
from django.utils.translation import gettext as _

from hallway.charts import chart_data, chart_scope
from kb.communities.selectors import review_weeks
from kb.curation.selectors import question_weeks

register = template.Library()


@register.inclusion_tag("curation/_question_charts.html")
def question_charts(communities, heading_level: int = 2) -> dict:
    """Questions asked per week and the median wait for a first answer, over
    twelve weeks, in these communities (one query)."""
    ids, chart_id = chart_scope(communities, "chart")
    rows = question_weeks(community_ids=ids)
    for row in rows:
        row["answered"] = row["asked"] - row["unanswered"]
    return {
        "rows": rows,
        "asked": chart_data(
            rows,
            label_key="week",
            series=[("answered", _("Answered")), ("unanswered", _("Still unanswered"))],
            stacked=True,
        ),
        "waits": chart_data(
            rows,
            label_key="week",
            series=[("median_hours", _("Median hours to first answer"))],
            unit=_("hours"),
        ),
        "heading_level": heading_level,
        "chart_id": chart_id,
    }


@register.inclusion_tag("curation/_review_chart.html")
def review_chart(communities, heading_level: int = 2) -> dict:
    """Knowledge pages due for review and reviewed, per week over twelve weeks,
    in these communities (for their leads: it counts restricted pages too)."""
    ids, chart_id = chart_scope(communities, "review")
    rows = review_weeks(community_ids=ids)
    return {
        "rows": rows,
        "chart": chart_data(
            rows,
            label_key="week",
            series=[("due", _("Due for review")), ("reviewed", _("Reviewed"))],
        ),
        "heading_level": heading_level,
        "chart_id": chart_id,
        "empty": not any(row["due"] or row["reviewed"] for row in rows),
    }

"""Charts for leads: questions per week, drawn on the server as SVG with a table."""

from django import template
from django.utils.formats import date_format

from kb.curation.charts import bar_chart
from kb.curation.selectors import question_weeks

register = template.Library()


@register.inclusion_tag("curation/_question_charts.html")
def question_charts(communities, heading_level: int = 2) -> dict:
    """Questions asked per week and the median wait for a first answer, over
    twelve weeks, in these communities (one query)."""
    if hasattr(communities, "pk"):  # one community
        communities = [communities]
    ids = {community.pk for community in communities}
    rows = question_weeks(community_ids=ids)
    for row in rows:
        row["label"] = date_format(row["week"], "j M")  # in the reader's language
    return {
        "rows": rows,
        "asked": bar_chart(rows, key="asked", label_key="label"),
        "waits": bar_chart(rows, key="median_hours", label_key="label"),
        "heading_level": heading_level,
        "chart_id": "chart-" + "-".join(str(i) for i in sorted(ids))[:40],
    }

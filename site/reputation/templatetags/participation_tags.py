"""The participation chart for leads: who created, contributed or read, per week."""

from django import template
from django.utils.formats import date_format

from kb.curation.charts import stacked_bar_chart
from reputation.selectors import participation_weeks

register = template.Library()

SERIES = ["creators", "contributors", "readers"]


@register.inclusion_tag("people/_participation_chart.html")
def participation_chart(communities, heading_level: int = 2) -> dict:
    """The members of these communities by participation level, per week over
    twelve weeks, as stacked SVG bars with the numbers in a table."""
    if hasattr(communities, "pk"):  # one community
        communities = [communities]
    ids = {community.pk for community in communities}
    rows = participation_weeks(community_ids=ids)
    for row in rows:
        row["label"] = date_format(row["week"], "j M")  # in the reader's language
    return {
        "rows": rows,
        "chart": stacked_bar_chart(rows, keys=SERIES, label_key="label"),
        "heading_level": heading_level,
        "chart_id": "participation-" + "-".join(str(i) for i in sorted(ids))[:40],
    }

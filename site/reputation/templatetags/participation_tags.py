"""The participation chart for leads: who created, contributed or read, per week."""

from django import template
from django.utils.translation import gettext as _

from hallway.charts import chart_data, chart_scope
from reputation.selectors import participation_weeks

register = template.Library()


def _series() -> list[tuple[str, str]]:
    return [
        ("creators", _("Created")),
        ("contributors", _("Contributed")),
        ("readers", _("Read at most")),
    ]


@register.inclusion_tag("people/_participation_chart.html")
def participation_chart(communities, heading_level: int = 2) -> dict:
    """The members of these communities by participation level, per week over
    twelve weeks, as stacked bars (drawn in the browser) with the numbers in a
    table."""
    ids, chart_id = chart_scope(communities, "participation")
    rows = participation_weeks(community_ids=ids)
    return {
        "rows": rows,
        "chart": chart_data(
            rows, label_key="week", series=_series(), stacked=True, legend=False
        ),
        "heading_level": heading_level,
        "chart_id": chart_id,
    }

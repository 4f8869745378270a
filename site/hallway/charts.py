"""Chart data for the pages that draw charts (lead dashboard, community pages).

The server only shapes the numbers; ``static/js/charts.js`` draws them with
Chart.js (vendored in ``static/vendor/``), and every chart has its numbers in a
table beside it for screen readers and for anyone who prefers to read them.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format


def _label(value: Any) -> str:
    """A bar's label: a week's Monday as "23 Nov" in the reader's language."""
    return date_format(value, "j M") if isinstance(value, date) else str(value)


def chart_data(
    rows: list[dict[str, Any]],
    *,
    label_key: str,
    series: list[tuple[str, str]],
    stacked: bool = False,
    unit: str = "",
    legend: bool = True,
) -> dict[str, Any]:
    """What ``charts.js`` draws: one label per row (a date as day and month in
    the reader's language) and, for each ``(key, name)`` in ``series``, the
    rows' values (``None`` draws nothing); bars side by side, or ``stacked``;
    ``legend`` False where the page writes its own. Safe to embed with
    ``json_script``."""
    return {
        "type": "bar",
        "stacked": stacked,
        "unit": unit,
        "legend": legend,
        "labels": [_label(row[label_key]) for row in rows],
        "datasets": [
            {"key": key, "label": str(name), "data": [row[key] for row in rows]}
            for key, name in series
        ],
    }


@dataclass(frozen=True)
class Week:
    """One week of a chart: Monday's date, and its start and end as aware
    datetimes (the current week ends now, not next Monday)."""

    monday: date
    start: datetime
    end: datetime


def chart_weeks(weeks: int = 12, now: datetime | None = None) -> list[Week]:
    """The last ``weeks`` weeks, Monday to Sunday in the site's time zone,
    oldest first, the current week last."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    first_monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    result = []
    for i in range(weeks):
        monday = first_monday + timedelta(weeks=i)
        start = timezone.make_aware(datetime.combine(monday, time.min))
        end = timezone.make_aware(
            datetime.combine(monday + timedelta(days=7), time.min)
        )
        result.append(Week(monday, start, min(end, now)))
    return result


def chart_scope(communities: Any, prefix: str) -> tuple[set[int], str]:
    """The community ids a chart tag was given (one community or several) and
    an element id for its chart, unique on the page: ``prefix-<ids>``."""
    if hasattr(communities, "pk"):  # one community
        communities = [communities]
    ids = {community.pk for community in communities}
    return ids, f"{prefix}-" + "-".join(str(i) for i in sorted(ids))[:40]

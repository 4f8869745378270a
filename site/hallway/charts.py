"""Chart data for the pages that draw charts (lead dashboard, community pages).

The server only shapes the numbers; ``static/js/charts.js`` draws them with
Chart.js (vendored in ``static/vendor/``), and every chart has its numbers in a
table beside it for screen readers and for anyone who prefers to read them.
"""

from typing import Any


def chart_data(
    rows: list[dict[str, Any]],
    *,
    label_key: str,
    series: list[tuple[str, str]],
    stacked: bool = False,
    unit: str = "",
    legend: bool = True,
) -> dict[str, Any]:
    """What ``charts.js`` draws: one label per row and, for each ``(key,
    name)`` in ``series``, the rows' values (``None`` draws nothing); bars side
    by side, or ``stacked``; ``legend`` False where the page writes its own.
    Safe to embed with ``json_script``."""
    return {
        "type": "bar",
        "stacked": stacked,
        "unit": unit,
        "legend": legend,
        "labels": [str(row[label_key]) for row in rows],
        "datasets": [
            {"key": key, "label": str(name), "data": [row[key] for row in rows]}
            for key, name in series
        ],
    }

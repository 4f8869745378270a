"""Bar charts drawn on the server as plain SVG (no script, no inline style):
the geometry of each bar, so a template only writes the shapes."""

from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 220, 36, 28, 12


@dataclass
class Bar:
    """One bar: where it goes, and what it stands for."""

    x: float
    y: float
    width: float
    height: float
    value: float
    label: str


def _nice_max(value: float) -> float:
    """The smallest of 1, 2, 5 × 10ⁿ at or above ``value`` (at least 1)."""
    step = 1.0
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def bar_chart(rows: list[dict[str, Any]], *, key: str, label_key: str) -> dict:
    """Bars for ``rows[i][key]`` (``None`` draws nothing), labelled by
    ``rows[i][label_key]``, with three gridlines, in a WIDTH × HEIGHT box."""
    values = [row[key] for row in rows]
    top = _nice_max(max([v for v in values if v is not None] or [0]))
    plot_w, plot_h = WIDTH - LEFT, HEIGHT - BOTTOM - TOP
    slot = plot_w / max(len(rows), 1)
    bars = []
    for i, (row, value) in enumerate(zip(rows, values, strict=True)):
        height = 0.0 if value is None else plot_h * value / top
        bars.append(
            Bar(
                x=round(LEFT + i * slot + slot * 0.15, 1),
                y=round(TOP + plot_h - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                value=value,
                label=str(row[label_key]),
            )
        )
    grid = [
        {"y": round(TOP + plot_h - plot_h * f, 1), "value": round(top * f, 1)}
        for f in (0, 0.5, 1)
    ]
    return {
        "bars": bars,
        "grid": grid,
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "label_y": HEIGHT - 8,
        "every": max(1, len(rows) // 6),
    }


@dataclass
class Segment:
    """One part of a stacked bar (``series`` names its CSS class and legend)."""

    y: float
    height: float
    value: float
    series: str


@dataclass
class Stack:
    """One stacked bar: its parts from the bottom up, and its label."""

    x: float
    width: float
    label: str
    segments: list[Segment]


def stacked_bar_chart(
    rows: list[dict[str, Any]], *, keys: list[str], label_key: str
) -> dict:
    """Stacked bars of ``rows[i][k]`` for each ``k`` in ``keys`` (first at the
    bottom), labelled by ``rows[i][label_key]``, with the same box, grid and
    labels as ``bar_chart``."""
    totals = [sum(row[k] or 0 for k in keys) for row in rows]
    top = _nice_max(max(totals or [0]))
    plot_w, plot_h = WIDTH - LEFT, HEIGHT - BOTTOM - TOP
    slot = plot_w / max(len(rows), 1)
    stacks = []
    for i, row in enumerate(rows):
        base, segments = TOP + plot_h, []
        for key in keys:
            value = row[key] or 0
            height = plot_h * value / top
            base -= height
            if height:
                segments.append(
                    Segment(
                        y=round(base, 1),
                        height=round(height, 1),
                        value=value,
                        series=key,
                    )
                )
        stacks.append(
            Stack(
                x=round(LEFT + i * slot + slot * 0.15, 1),
                width=round(slot * 0.7, 1),
                label=str(row[label_key]),
                segments=segments,
            )
        )
    grid = [
        {"y": round(TOP + plot_h - plot_h * f, 1), "value": round(top * f, 1)}
        for f in (0, 0.5, 1)
    ]
    return {
        "stacks": stacks,
        "grid": grid,
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "label_y": HEIGHT - 8,
        "every": max(1, len(rows) // 6),
    }

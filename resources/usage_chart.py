"""The usage trend as a server-rendered line chart: geometry only, drawn by admin/resources/_usage_chart.svg.

Three lines over the last 12 months (resource page views, clicks through, offer page views), told apart by colour,
dash and a legend; the page shows the same figures, and the rest, as a table beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from resources.usage import MonthRow

WIDTH = 720
LEFT = 64  # room for the scale's numbers
RIGHT = 24
TOP = 44  # room for the legend
PLOT_HEIGHT = 220
BOTTOM = 44  # room for the months and years
TICKS = 4

# (MonthRow field, label, colour, dash pattern): colours with at least 4.5:1 contrast on white.
SERIES: list[tuple[str, Promise, str, str]] = [
    ("resource_views", _("resource page views"), "#1d6b45", ""),
    ("resource_opens", _("clicks through to resources"), "#1f4e99", "8 4"),
    ("offer_views", _("offer page views"), "#9c3d0a", "2 4"),
]


@dataclass(frozen=True)
class Line:
    label: str
    colour: str
    dash: str
    points: str  # the polyline's "x,y x,y ..."
    dots: list[tuple[float, float, int]]  # each month's point and value
    legend_x: int


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class MonthLabel:
    x: float
    month: str
    year: str  # under January and the first month only


@dataclass(frozen=True)
class Chart:
    lines: list[Line]
    ticks: list[Tick]
    months: list[MonthLabel]
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int  # the y of the x axis


def nice_step(largest: int) -> int:
    """A round step (1, 2, 5 × 10ⁿ) that divides the scale up to ``largest`` into at most TICKS parts."""
    rough = max(largest, 1) / TICKS
    magnitude = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    return next(int(step * magnitude) for step in (1, 2, 5, 10) if step * magnitude >= rough)


def usage_chart(months: list[MonthRow]) -> Chart:
    largest = max((getattr(row, name) for row in months for name, *_rest in SERIES), default=0)
    step = nice_step(largest)
    scale = step * max(1, math.ceil(largest / step))
    plot_width = WIDTH - LEFT - RIGHT
    gap = plot_width / max(len(months) - 1, 1)
    axis_y = TOP + PLOT_HEIGHT

    def y_of(value: int) -> float:
        return round(axis_y - value / scale * PLOT_HEIGHT, 1)

    lines = []
    for index, (name, label, colour, dash) in enumerate(SERIES):
        dots = [
            (round(LEFT + i * gap, 1), y_of(getattr(row, name)), getattr(row, name)) for i, row in enumerate(months)
        ]
        points = " ".join(f"{x},{y}" for x, y, _value in dots)
        lines.append(Line(str(label), colour, dash, points, dots, LEFT + index * 220))
    ticks = [Tick(value, y_of(value)) for value in range(0, scale + 1, step)]
    labels = [
        MonthLabel(
            round(LEFT + i * gap, 1),
            formats.date_format(row.month, "M"),
            str(row.month.year) if i == 0 or row.month.month == 1 else "",
        )
        for i, row in enumerate(months)
    ]
    return Chart(lines, ticks, labels, WIDTH, axis_y + BOTTOM, LEFT, WIDTH - RIGHT, TOP, axis_y)

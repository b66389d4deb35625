"""A self-assessment's profile as a server-rendered bar chart: geometry only, drawn by the template.

Each dimension is a row: its name on a line of its own, the bar beneath. Horizontal positions are percentages of
the chart's width, so the chart fits any screen and its text stays the page's body size (17 px) instead of
shrinking with the drawing; only the file download has a fixed width.
"""

from __future__ import annotations

from dataclasses import dataclass

from teams.selectors import DimensionScore

FILE_WIDTH = 640  # the downloaded image's width in pixels
FONT_SIZE = 17  # the body text's size (site.css), so labels read as the rest of the page
TOP = 30  # room for the scale's numbers
LABEL_HEIGHT = 24
BAR_HEIGHT = 22
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + 16
SCALE_MAX = 4


def _percent(score: float) -> float:
    return round(100 * score / SCALE_MAX, 2)


@dataclass(frozen=True)
class Bar:
    label: str
    score: float
    label_y: int
    y: int
    width: float  # percent of the chart's width
    earlier_x: float | None  # where the previous round's score falls (percent), as a marker line


@dataclass(frozen=True)
class Tick:
    value: int
    x: float  # percent
    anchor: str  # the first and last numbers stay inside the chart


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    ticks: list[Tick]
    height: int
    bar_height: int
    font_size: int
    file_width: int


def profile_chart(scores: list[DimensionScore]) -> Chart:
    bars = []
    for index, item in enumerate(scores):
        previous = item.earlier[0] if item.earlier and item.earlier[0] > 0 else None
        top = TOP + index * ROW_HEIGHT
        bars.append(
            Bar(
                label=item.dimension.name,
                score=item.score,
                label_y=top + FONT_SIZE,
                y=top + LABEL_HEIGHT,
                width=_percent(item.score),
                earlier_x=_percent(previous) if previous else None,
            )
        )
    ticks = [
        Tick(value, _percent(value), "start" if value == 0 else "end" if value == SCALE_MAX else "middle")
        for value in range(SCALE_MAX + 1)
    ]
    height = TOP + len(scores) * ROW_HEIGHT
    return Chart(bars, ticks, height, BAR_HEIGHT, FONT_SIZE, FILE_WIDTH)

"""A self-assessment's profile as a server-rendered bar chart: geometry only, drawn by the template."""

from __future__ import annotations

from dataclasses import dataclass

from teams.selectors import DimensionScore

WIDTH = 640
LABEL_WIDTH = 220
BAR_HEIGHT = 22
ROW_HEIGHT = 44
TOP = 28
SCALE_MAX = 4


@dataclass(frozen=True)
class Bar:
    label: str
    score: float
    y: int
    width: float
    earlier_x: float | None  # where the previous round's score falls, as a marker line


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    ticks: list[tuple[int, float]]
    width: int
    height: int
    label_width: int
    bar_height: int
    plot_width: int


def profile_chart(scores: list[DimensionScore]) -> Chart:
    plot = WIDTH - LABEL_WIDTH - 20
    bars = []
    for index, item in enumerate(scores):
        previous = item.earlier[0] if item.earlier and item.earlier[0] > 0 else None
        bars.append(
            Bar(
                label=item.dimension.name,
                score=item.score,
                y=TOP + index * ROW_HEIGHT,
                width=round(plot * item.score / SCALE_MAX, 1),
                earlier_x=round(LABEL_WIDTH + plot * previous / SCALE_MAX, 1) if previous else None,
            )
        )
    ticks = [(value, round(LABEL_WIDTH + plot * value / SCALE_MAX, 1)) for value in range(SCALE_MAX + 1)]
    height = TOP + len(scores) * ROW_HEIGHT + 10
    return Chart(bars, ticks, WIDTH, height, LABEL_WIDTH, BAR_HEIGHT, plot)

"""Account Health's charts, drawn on the server as SVG: a metric's daily values as a line,
with its target as a level line across."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 600, 100
PAD = 4         # the line and its dots stay this far inside the box


@dataclass(frozen=True)
class LineChart:
    """Coordinates in a WIDTH x HEIGHT box: `lines` are the runs of days that have a value
    (an SVG polyline's points each), `dots` the days with a value between two without, and
    `target_y` the target's height. `low` and `high` are the values at the bottom and top."""

    lines: tuple[str, ...]
    dots: tuple[tuple[float, float], ...]
    target_y: float
    low: Decimal
    high: Decimal


def line_chart(values: Sequence[Decimal | None], target: Decimal, upper_bound: bool
               ) -> LineChart:
    """A rate that must stay under its target is drawn from 0 up to twice the target (or its
    highest value); one that must stay over it, from as far under the target as 1 is over it
    (or its lowest value) up to 1."""
    known = [v for v in values if v is not None]
    if upper_bound:
        low, high = Decimal(0), max([target * 2, *known])
    else:
        low, high = min([target - (1 - target), *known]), Decimal(1)
    span = (high - low) or Decimal(1)
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)

    def y(value: Decimal) -> float:
        return round(HEIGHT - PAD - float((value - low) / span) * (HEIGHT - 2 * PAD), 1)

    runs: list[list[tuple[float, float]]] = [[]]
    for n, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((round(PAD + n * step, 1), y(value)))
    lines = tuple(" ".join(f"{px},{py}" for px, py in run) for run in runs if len(run) > 1)
    dots = tuple(run[0] for run in runs if len(run) == 1)
    return LineChart(lines, dots, y(target), low, high)

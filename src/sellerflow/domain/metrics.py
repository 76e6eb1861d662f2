"""The seller metrics (L27) over a run of days, from the events each one counts: the value on
each of the last days (Account Health's charts) and the orders that count against it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class MetricEvent:
    """Something a metric counts once per key (an order, a shipment confirmation): when it
    happened and whether it is in the numerator."""

    key: str
    order_id: str
    at: datetime
    counted: bool


def daily(events: Sequence[MetricEvent], window_days: int, now: datetime,
          days: int) -> list[tuple[datetime, int, int]]:
    """The metric over (end - window, end] for `end` at `now` and at the same time on each
    of the `days - 1` days before, oldest first: (end, keys with a numerator event, keys
    with any event). `events` are oldest first and reach back `days - 1 + window_days` days.

    The window slides over the events once: each enters it and leaves it a single time."""
    window = timedelta(days=window_days)
    in_window: Counter[str] = Counter()     # a key's events in the window
    counted: Counter[str] = Counter()       # a key's numerator events in the window
    entered = left = 0
    points = []
    for back in range(days - 1, -1, -1):
        end = now - timedelta(days=back)
        while entered < len(events) and events[entered].at <= end:
            _count(in_window, counted, events[entered], 1)
            entered += 1
        while left < entered and events[left].at <= end - window:
            _count(in_window, counted, events[left], -1)
            left += 1
        points.append((end, len(counted), len(in_window)))
    return points


def _count(in_window: Counter[str], counted: Counter[str], event: MetricEvent,
           change: int) -> None:
    for tally, applies in ((in_window, True), (counted, event.counted)):
        if applies:
            tally[event.key] += change
            if not tally[event.key]:
                del tally[event.key]


def orders_against(events: Sequence[MetricEvent], start: datetime, end: datetime,
                   upper_bound: bool) -> list[str]:
    """The orders that count against the metric in the window (start, end], newest first:
    those in the numerator of a rate that must stay under its target, those outside it of a
    rate that must stay over (a confirmation without a valid tracking number)."""
    found: dict[str, None] = {}
    for event in reversed(events):
        if start < event.at <= end and event.counted == upper_bound:
            found.setdefault(event.order_id)
    return list(found)

"""A metric day by day over a sliding window (L27), and the orders that count against it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sellerflow.domain.metrics import MetricEvent, daily, orders_against

NOW = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)


def _at(days_ago: float) -> datetime:
    return NOW - timedelta(days=days_ago)


def test_L27_each_day_counts_the_events_of_its_own_window_once_per_key() -> None:
    events = sorted([
        MetricEvent("A", "A", _at(10), False),   # released 10 days ago...
        MetricEvent("A", "A", _at(2), True),     # ...canceled by the seller 2 days ago
        MetricEvent("B", "B", _at(6), False),
        MetricEvent("C", "C", _at(7), False),    # exactly 7 days before now: outside (now-7d, now]
    ], key=lambda e: e.at)
    points = daily(events, 7, NOW, 11)
    assert [end for end, _, _ in points] == [_at(n) for n in range(10, -1, -1)]
    by_days_ago = {10 - n: (numerator, denominator)
                   for n, (_, numerator, denominator) in enumerate(points)}
    assert by_days_ago[0] == (1, 2)        # A (canceled in the window) and B
    assert by_days_ago[2] == (1, 3)        # A, B and C; A's cancellation is at the window's end
    # (10 days ago, 3 days ago]: A's release is at the window's open start, its cancellation
    # has not happened yet.
    assert by_days_ago[3] == (0, 2)
    assert by_days_ago[10] == (0, 1)       # only A's release


def test_L27_a_day_without_events_has_nothing_to_count() -> None:
    assert daily([], 30, NOW, 3) == [(_at(2), 0, 0), (_at(1), 0, 0), (NOW, 0, 0)]


def test_the_orders_against_a_rate_under_its_target_are_its_numerator_newest_first() -> None:
    events = [MetricEvent("1", "O1", _at(5), True), MetricEvent("2", "O2", _at(3), False),
              MetricEvent("3", "O3", _at(1), True), MetricEvent("4", "O4", _at(40), True)]
    assert orders_against(events, _at(30), NOW, upper_bound=True) == ["O3", "O1"]
    # A rate that must stay over its target (valid tracking): the confirmations outside it.
    assert orders_against(events, _at(30), NOW, upper_bound=False) == ["O2"]

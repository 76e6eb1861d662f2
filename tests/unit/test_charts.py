"""Account Health's SVG charts: a metric's days as lines, gaps where there was nothing to
count, and the target as a level line."""

from __future__ import annotations

from decimal import Decimal as D

from sellerflow.web.charts import HEIGHT, PAD, WIDTH, line_chart


def test_days_without_a_value_break_the_line_and_a_lone_day_is_a_dot() -> None:
    chart = line_chart([D("0"), D("0.01"), None, D("0.02"), None], D("0.01"), upper_bound=True)
    assert (chart.low, chart.high) == (D("0"), D("0.02"))
    assert chart.lines == ("4.0,96.0 152.0,50.0",)      # 148 apart: 592 wide over 4 gaps
    assert chart.dots == ((PAD + 3 * 148.0, PAD),)
    assert chart.target_y == HEIGHT / 2
    assert all(0 <= x <= WIDTH for x, _ in chart.dots)


def test_a_rate_that_must_stay_over_its_target_is_drawn_up_to_one() -> None:
    chart = line_chart([D("1"), D("0.8")], D("0.95"), upper_bound=False)
    assert (chart.low, chart.high) == (D("0.8"), D("1"))
    assert chart.lines == ("4.0,4.0 596.0,96.0",)


def test_a_metric_with_nothing_to_count_has_no_line_but_its_target() -> None:
    chart = line_chart([None] * 60, D("0.04"), upper_bound=True)
    assert chart.lines == () and chart.dots == ()
    assert chart.target_y == (HEIGHT - 2 * PAD) / 2 + PAD

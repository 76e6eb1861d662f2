"""L27: seller metrics over rolling windows, with Amazon's targets."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from sellerflow.domain.callers import Caller
from sellerflow.domain.errors import NotFound
from sellerflow.service import metrics
from sellerflow.service import orders as order_service
from sellerflow.service.context import Marketplace
from sellerflow.wire import metrics_to_wire
from tests import helpers as h
from tests.helpers import OP


def test_L27_an_empty_denominator_gives_no_value(market: Marketplace, shop: str) -> None:
    found = metrics_to_wire(metrics.seller_metrics(market, OP, shop))
    for metric in found.values():
        assert metric["value"] is None and metric["denominator"] == 0
    assert found["cancelRate"]["windowDays"] == 7
    assert found["lateShipmentRate"]["windowDays"] == 30
    assert found["orderDefectRate"]["windowDays"] == 60


def test_L27_cancel_rate_counts_seller_and_deadline_cancels_over_released_orders(
        market: Marketplace, shop: str) -> None:
    orders = [h.place(market, shop) for _ in range(4)]
    h.advance(market, "30m")
    order_service.seller_cancel(market, OP, orders[0], "NoInventory")
    order_service.buyer_cancel(market, OP, orders[1])                 # a request...
    order_service.seller_cancel(market, OP, orders[1], "BuyerCanceled")  # ...does not count
    rate = metrics_to_wire(metrics.seller_metrics(market, OP, shop))["cancelRate"]
    assert (rate["numerator"], rate["denominator"]) == (1, 4)
    assert rate["value"] == 0.25 and rate["status"] == "bad" and rate["target"] == 0.025


def test_L27_late_shipment_rate_counts_late_confirmations_and_unconfirmed_orders(
        market: Marketplace, shop: str) -> None:
    on_time, late, never = (h.place(market, shop) for _ in range(3))
    h.advance(market, "30m")
    h.ship(market, on_time)
    h.advance(market, "4d")          # past LatestShipDate (Wednesday night)
    h.ship(market, late)
    rate = metrics_to_wire(metrics.seller_metrics(market, OP, shop))["lateShipmentRate"]
    assert (rate["numerator"], rate["denominator"]) == (2, 3)
    assert rate["status"] == "bad"
    assert h.status(market, never) == "Unshipped"


def test_L27_valid_tracking_rate_and_status_bands(market: Marketplace, shop: str) -> None:
    orders = [h.place(market, shop) for _ in range(20)]
    h.advance(market, "30m")
    for order_id in orders[:19]:
        h.ship(market, order_id)
    h.ship(market, orders[19], tracking="bogus")
    rate = metrics_to_wire(metrics.seller_metrics(market, OP, shop))["validTrackingRate"]
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (19, 20, 0.95)
    assert rate["status"] == "bad"      # the target is *over* 95%


def test_L27_order_defect_rate_counts_one_and_two_star_feedback(market: Marketplace,
                                                               shop: str) -> None:
    orders = [h.place(market, shop) for _ in range(4)]
    h.advance(market, "30m")
    for order_id, rating in zip(orders, (1, 2, 5, 4), strict=True):
        h.ship(market, order_id)
        order_service.leave_feedback(market, OP, order_id, rating, "")
    rate = metrics_to_wire(metrics.seller_metrics(market, OP, shop))["orderDefectRate"]
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (2, 4, 0.5)


def test_L27_windows_roll(market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    order_service.seller_cancel(market, OP, order_id, "GeneralAdjustment")
    assert h.metrics(market, shop)["cancelRate"]["numerator"] == 1
    h.advance(market, "7d")
    assert h.metrics(market, shop)["cancelRate"]["denominator"] == 0


@pytest.mark.parametrize(("value", "status"), [("0.01", "ok"), ("0.02", "atRisk"),
                                               ("0.025", "bad")])
def test_L27_status_is_atRisk_within_20_percent_of_an_upper_target(value: str,
                                                                   status: str) -> None:
    numerator = int(Decimal(value) * 1000)
    assert metrics.Metric(numerator, 1000, Decimal("0.025"), 7, upper_bound=True).status == status


@pytest.mark.parametrize(("valid", "status"), [(990, "ok"), (960, "atRisk"), (950, "bad")])
def test_L27_status_is_atRisk_within_20_percent_of_a_lower_target(valid: int,
                                                                  status: str) -> None:
    assert metrics.Metric(valid, 1000, Decimal("0.95"), 30, upper_bound=False).status == status


def test_L27_an_order_canceled_at_the_ship_deadline_counts_one_of_one(market: Marketplace,
                                                                    shop: str) -> None:
    # Given an order released 30 days ago, outside the 7-day window,
    h.released(market, shop)
    # when the ship-confirm deadline cancels it inside the window,
    h.advance(market, "30d")
    # then it is both the numerator and the denominator: 1 / 1, not 1 / 0.
    rate = metrics_to_wire(metrics.seller_metrics(market, OP, shop))["cancelRate"]
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (1, 1, 1.0)
    assert rate["status"] == "bad"



def test_L27_account_health_gives_each_metric_day_by_day_and_the_orders_against_it(
        market: Marketplace, shop: str) -> None:
    canceled, shipped = (h.place(market, shop) for _ in range(2))
    h.advance(market, "30m")
    order_service.seller_cancel(market, OP, canceled, "NoInventory")
    h.ship(market, shipped, tracking="bogus")
    h.advance(market, "3d")
    health = metrics.account_health(market, OP, shop)
    cancel = health.cancel_rate
    assert len(cancel.days) == len(cancel.values) == metrics.HISTORY_DAYS
    assert cancel.days[-1] - cancel.days[0] == timedelta(days=metrics.HISTORY_DAYS - 1)
    # Now: the same figures as the metrics themselves; 4 days ago nothing had happened yet.
    now = metrics.seller_metrics(market, OP, shop)
    assert cancel.now == now.cancel_rate and cancel.values[-1] == Decimal("0.5")
    assert cancel.values[-5] is None
    assert cancel.against == (canceled,) and cancel.against_total == 1
    assert health.valid_tracking_rate.now == now.valid_tracking_rate
    assert health.valid_tracking_rate.against == (shipped,)
    assert health.order_defect_rate.against == () and health.late_shipment_rate.against == ()
    # Once the cancellation is 7 days old, it leaves the window and the list.
    h.advance(market, "5d")
    later = metrics.account_health(market, OP, shop).cancel_rate
    assert later.against == () and later.values[-1] is None and later.values[-6] == Decimal("0.5")


def test_L27_account_health_is_the_sellers_own(market: Marketplace, shop: str) -> None:
    other = h.seller(market, email="other@example.com")
    with pytest.raises(NotFound):
        metrics.account_health(market, Caller.seller(other), shop)


def test_L27_an_order_canceled_at_its_ship_deadline_counts_as_late(market: Marketplace,
                                                                   shop: str) -> None:
    on_time, forgotten = (h.place(market, shop) for _ in range(2))
    h.advance(market, "30m")
    h.ship(market, on_time)
    h.advance(market, "31d")         # L23: the unconfirmed order is canceled at its deadline
    assert h.status(market, forgotten) == "Canceled"
    rate = metrics_to_wire(metrics.seller_metrics(market, OP, shop, late_window=40))[
        "lateShipmentRate"]
    assert (rate["numerator"], rate["denominator"]) == (1, 2)


def test_L23a_an_auto_canceled_order_counts_in_the_cancel_rate_not_as_late(
        market: Marketplace, shop: str) -> None:
    from sellerflow.service import config

    config.set_value(market, OP, "auto-cancel", "amazon-2020")
    on_time, forgotten = (h.place(market, shop) for _ in range(2))
    h.advance(market, "30m")
    h.ship(market, on_time)
    h.advance(market, "12d")         # L23a: the unconfirmed order is auto-canceled
    assert h.status(market, forgotten) == "Canceled"
    found = metrics_to_wire(metrics.seller_metrics(market, OP, shop, late_window=40))
    assert (found["lateShipmentRate"]["numerator"],
            found["lateShipmentRate"]["denominator"]) == (0, 1)
    assert found["cancelRate"]["numerator"] == 1

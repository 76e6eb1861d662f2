"""The seller's performance metrics over rolling windows (now - N days, now] (L27), and
Account Health: each metric on every one of the last 60 days and the orders that count
against it now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sellerflow.domain import metrics as rates
from sellerflow.domain.callers import SELLER_SIDE, Caller
from sellerflow.service.context import Marketplace, Work, check_seller, require_seller
from sellerflow.service.views import AccountHealth, Metric, MetricHistory, SellerMetrics
from sellerflow.store import metrics as counts

CANCEL_RATE_TARGET = Decimal("0.025")
LATE_SHIPMENT_TARGET = Decimal("0.04")
VALID_TRACKING_TARGET = Decimal("0.95")
ON_TIME_DELIVERY_TARGET = Decimal("0.97")
ORDER_DEFECT_TARGET = Decimal("0.01")
HISTORY_DAYS = 60
AGAINST_SHOWN = 50      # the newest orders counting against a metric that Account Health lists


@dataclass(frozen=True)
class _Definition:
    events: counts.Events
    target: Decimal
    upper_bound: bool     # the rate must stay under its target (else over it)


_CANCEL = _Definition(counts.cancel_events, CANCEL_RATE_TARGET, True)
_LATE = _Definition(counts.late_shipment_events, LATE_SHIPMENT_TARGET, True)
_TRACKING = _Definition(counts.tracking_events, VALID_TRACKING_TARGET, False)
_DELIVERY = _Definition(counts.delivery_events, ON_TIME_DELIVERY_TARGET, False)
_DEFECT = _Definition(counts.defect_events, ORDER_DEFECT_TARGET, True)


def seller_metrics(market: Marketplace, caller: Caller, seller_id: str,
                   tracking_window: int = 30, late_window: int = 30) -> SellerMetrics:
    caller.require(*SELLER_SIDE, doing="a seller's metrics")

    def query(work: Work) -> SellerMetrics:
        check_seller(work.conn, caller, seller_id)

        def metric(definition: _Definition, days: int) -> Metric:
            found = counts.counts(work.conn, definition.events, seller_id,
                                  work.now - timedelta(days=days), work.now)
            return Metric(*found, definition.target, days, definition.upper_bound)

        return SellerMetrics(cancel_rate=metric(_CANCEL, 7),
                             late_shipment_rate=metric(_LATE, late_window),
                             valid_tracking_rate=metric(_TRACKING, tracking_window),
                             order_defect_rate=metric(_DEFECT, 60),
                             on_time_delivery_rate=metric(_DELIVERY, 14))

    return market.read(query)


def account_health(market: Marketplace, caller: Caller, seller_id: str) -> AccountHealth:
    """The four metrics as `seller_metrics` gives them by default, each with its value at this
    time of day on each of the last HISTORY_DAYS days and the orders counting against it."""
    caller.require(*SELLER_SIDE, doing="a seller's account health")

    def query(work: Work) -> AccountHealth:
        seller = require_seller(work.conn, caller, seller_id)
        now = work.now

        def history(definition: _Definition, days: int) -> MetricHistory:
            reach = timedelta(days=HISTORY_DAYS - 1 + days)
            events = counts.events(work.conn, definition.events, seller_id, now - reach, now)
            points = rates.daily(events, days, now, HISTORY_DAYS)
            metrics = tuple(Metric(numerator, denominator, definition.target, days,
                                   definition.upper_bound)
                            for _, numerator, denominator in points)
            against = rates.orders_against(events, now - timedelta(days=days), now,
                                           definition.upper_bound)
            return MetricHistory(now=metrics[-1], days=tuple(at for at, _, _ in points),
                                 values=tuple(m.value for m in metrics),
                                 against=tuple(against[:AGAINST_SHOWN]),
                                 against_total=len(against))

        return AccountHealth(order_defect_rate=history(_DEFECT, 60),
                             cancel_rate=history(_CANCEL, 7),
                             late_shipment_rate=history(_LATE, 30),
                             valid_tracking_rate=history(_TRACKING, 30),
                             on_time_delivery_rate=history(_DELIVERY, 14),
                             time_zone=seller.time_zone)

    return market.read(query)

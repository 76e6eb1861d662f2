"""The seller's performance metrics over rolling windows (now - N days, now] (L27)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sellerflow.domain.callers import SELLER_SIDE, Caller
from sellerflow.service.context import Marketplace, Work, require_seller
from sellerflow.service.views import Metric, SellerMetrics
from sellerflow.store import metrics as counts

CANCEL_RATE_TARGET = Decimal("0.025")
LATE_SHIPMENT_TARGET = Decimal("0.04")
VALID_TRACKING_TARGET = Decimal("0.95")
ORDER_DEFECT_TARGET = Decimal("0.01")


def seller_metrics(market: Marketplace, caller: Caller, seller_id: str,
                   tracking_window: int = 30, late_window: int = 30) -> SellerMetrics:
    caller.require(*SELLER_SIDE, doing="a seller's metrics")

    def query(work: Work) -> SellerMetrics:
        require_seller(work.conn, caller, seller_id)
        conn, now = work.conn, work.now

        return SellerMetrics(
            cancel_rate=Metric(*counts.cancel_counts(conn, seller_id, now - timedelta(days=7),
                                                     now), CANCEL_RATE_TARGET, 7, True),
            late_shipment_rate=Metric(*counts.late_shipment_counts(
                conn, seller_id, now - timedelta(days=late_window), now),
                LATE_SHIPMENT_TARGET, late_window, True),
            valid_tracking_rate=Metric(*counts.tracking_counts(
                conn, seller_id, now - timedelta(days=tracking_window), now),
                VALID_TRACKING_TARGET, tracking_window, False),
            order_defect_rate=Metric(*counts.defect_counts(
                conn, seller_id, now - timedelta(days=60), now), ORDER_DEFECT_TARGET, 60, True))

    return market.read(query)

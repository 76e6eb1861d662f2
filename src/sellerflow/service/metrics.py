"""The seller's performance metrics over rolling windows (now - N days, now] (L27)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from sellerflow.domain import reasons
from sellerflow.domain.model import Cause
from sellerflow.service.context import Marketplace, require_seller
from sellerflow.store.schema import feedback, order_history, order_items, orders, shipments

CANCEL_REASONS = (*reasons.CANCELLATION_REASONS, reasons.SHIP_DEADLINE)


@dataclass(frozen=True)
class Metric:
    numerator: int
    denominator: int
    target: Decimal
    window_days: int
    upper_bound: bool   # True: the value must stay under the target; False: over it

    @property
    def value(self) -> Decimal | None:
        if self.denominator == 0:
            return None
        return (Decimal(self.numerator) / Decimal(self.denominator)).quantize(Decimal("0.0001"))

    @property
    def status(self) -> str | None:
        """`bad` past the target; `atRisk` within 20% of it; else `ok`."""
        value = self.value
        if value is None:
            return None
        if self.upper_bound:
            if value >= self.target:
                return "bad"
            return "atRisk" if value >= self.target * Decimal("0.8") else "ok"
        if value <= self.target:
            return "bad"
        miss_allowed = 1 - self.target
        return "atRisk" if (1 - value) >= miss_allowed * Decimal("0.8") else "ok"

    def to_wire(self) -> dict[str, Any]:
        value = self.value
        return {"value": None if value is None else float(value),
                "target": float(self.target), "status": self.status,
                "numerator": self.numerator, "denominator": self.denominator,
                "windowDays": self.window_days}


def seller_metrics(market: Marketplace, seller_id: str, tracking_window: int = 30,
                   late_window: int = 30) -> dict[str, Any]:
    with market.reading() as conn:
        now = market.clock.now(conn)
        require_seller(conn, seller_id)
        return {
            "cancelRate": cancel_rate(conn, seller_id, now).to_wire(),
            "lateShipmentRate": late_shipment_rate(conn, seller_id, now, late_window).to_wire(),
            "validTrackingRate": valid_tracking_rate(conn, seller_id, now,
                                                     tracking_window).to_wire(),
            "orderDefectRate": order_defect_rate(conn, seller_id, now).to_wire(),
        }


def _count(conn: Connection, query: Any) -> int:
    return int(conn.execute(query).scalar_one())


def cancel_rate(conn: Connection, seller_id: str, now: datetime, days: int = 7) -> Metric:
    start = now - timedelta(days=days)
    h = order_history.c
    canceled = _count(conn, select(func.count()).where(
        h.seller_id == seller_id, h.at > start, h.at <= now,
        h.cause.in_([Cause.SELLER.value, Cause.DEADLINE.value]), h.reason.in_(CANCEL_REASONS)))
    o = orders.c
    released = _count(conn, select(func.count()).where(
        o.seller_id == seller_id, o.released_at > start, o.released_at <= now))
    return Metric(canceled, released, Decimal("0.025"), days, upper_bound=True)


def late_shipment_rate(conn: Connection, seller_id: str, now: datetime, days: int) -> Metric:
    """Orders due to ship in the window: late if confirmed after LatestShipDate, still
    unconfirmed past it, or canceled at the ship deadline; seller-canceled ones don't count."""
    start = now - timedelta(days=days)
    o = orders.c
    due = select(o.amazon_order_id, o.latest_ship_date).where(
        o.seller_id == seller_id, o.latest_ship_date > start, o.latest_ship_date <= now
    ).subquery()
    late_confirmation = select(shipments.c.id).where(
        shipments.c.amazon_order_id == due.c.amazon_order_id,
        shipments.c.confirmed_at > due.c.latest_ship_date).exists()
    unconfirmed = select(order_items.c.order_item_id).where(
        order_items.c.amazon_order_id == due.c.amazon_order_id,
        order_items.c.quantity_ordered > order_items.c.quantity_shipped
        + order_items.c.quantity_canceled).exists()
    deadline_cancel = select(order_history.c.id).where(
        order_history.c.amazon_order_id == due.c.amazon_order_id,
        order_history.c.cause == Cause.DEADLINE.value).exists()
    any_shipment = select(shipments.c.id).where(
        shipments.c.amazon_order_id == due.c.amazon_order_id).exists()
    late = or_(late_confirmation, unconfirmed, deadline_cancel)
    numerator = _count(conn, select(func.count()).select_from(due).where(late))
    denominator = _count(conn, select(func.count()).select_from(due)
                         .where(or_(any_shipment, unconfirmed, deadline_cancel)))
    return Metric(numerator, denominator, Decimal("0.04"), days, upper_bound=True)


def valid_tracking_rate(conn: Connection, seller_id: str, now: datetime, days: int) -> Metric:
    start = now - timedelta(days=days)
    s = shipments.c
    window = and_(s.seller_id == seller_id, s.confirmed_at > start, s.confirmed_at <= now)
    total = _count(conn, select(func.count()).where(window))
    valid = _count(conn, select(func.count()).where(window, s.tracking_valid.is_(True)))
    return Metric(valid, total, Decimal("0.95"), days, upper_bound=False)


def order_defect_rate(conn: Connection, seller_id: str, now: datetime, days: int = 60) -> Metric:
    start = now - timedelta(days=days)
    o = orders.c
    placed = and_(o.seller_id == seller_id, o.purchase_date > start, o.purchase_date <= now)
    total = _count(conn, select(func.count()).where(placed))
    defects = _count(conn, select(func.count()).select_from(
        orders.join(feedback, feedback.c.amazon_order_id == o.amazon_order_id))
        .where(placed, feedback.c.rating <= 2))
    return Metric(defects, total, Decimal("0.01"), days, upper_bound=True)

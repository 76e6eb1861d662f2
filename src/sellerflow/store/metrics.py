"""The counts behind the seller metrics (L27), each over a window (start, end]."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select, union

from sellerflow.domain import reasons
from sellerflow.domain.model import Cause, OrderStatus
from sellerflow.store.schema import feedback, order_history, order_items, orders, shipments

# A cancellation the seller answers for: by the seller with an Amazon reason code, or by the
# ship-confirm deadline (L22, L23). A BuyerCanceled after a buyer's request has cause buyer.
_CANCEL_REASONS = (*reasons.CANCELLATION_REASONS, reasons.SHIP_DEADLINE)


def _count(conn: Connection, query: Any) -> int:
    return int(conn.execute(query).scalar_one())


def cancel_counts(conn: Connection, seller_id: str, start: datetime, end: datetime
                  ) -> tuple[int, int]:
    """(orders the seller canceled or let the deadline cancel, orders released or canceled),
    both in the window; every canceled order is in both, so numerator <= denominator."""
    h = order_history.c
    in_window = and_(h.seller_id == seller_id, h.at > start, h.at <= end)
    seller_canceled = and_(in_window, h.cause.in_([Cause.SELLER.value, Cause.DEADLINE.value]),
                           h.reason.in_(_CANCEL_REASONS))
    canceled = select(h.amazon_order_id).where(
        or_(seller_canceled, and_(in_window, h.to_status == OrderStatus.CANCELED.value,
                                  h.from_status.is_not(None))))
    o = orders.c
    released = select(o.amazon_order_id).where(o.seller_id == seller_id, o.released_at > start,
                                               o.released_at <= end)
    numerator = _count(conn, select(func.count(func.distinct(h.amazon_order_id)))
                       .where(seller_canceled))
    either = union(released, canceled).subquery()
    denominator = _count(conn, select(func.count()).select_from(either))
    return numerator, denominator


def late_shipment_counts(conn: Connection, seller_id: str, start: datetime, end: datetime
                         ) -> tuple[int, int]:
    """Orders due to ship in the window: late if confirmed after LatestShipDate, still
    unconfirmed past it, or canceled at the ship deadline; seller-canceled ones don't count."""
    o = orders.c
    due = select(o.amazon_order_id, o.latest_ship_date).where(
        o.seller_id == seller_id, o.latest_ship_date > start, o.latest_ship_date <= end
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
    return numerator, denominator


def tracking_counts(conn: Connection, seller_id: str, start: datetime, end: datetime
                    ) -> tuple[int, int]:
    """(confirmations with a valid tracking number, confirmations) in the window."""
    s = shipments.c
    window = and_(s.seller_id == seller_id, s.confirmed_at > start, s.confirmed_at <= end)
    total = _count(conn, select(func.count()).where(window))
    valid = _count(conn, select(func.count()).where(window, s.tracking_valid.is_(True)))
    return valid, total


def defect_counts(conn: Connection, seller_id: str, start: datetime, end: datetime
                  ) -> tuple[int, int]:
    """(orders placed in the window with 1-2 star feedback, orders placed in the window)."""
    o = orders.c
    placed = and_(o.seller_id == seller_id, o.purchase_date > start, o.purchase_date <= end)
    total = _count(conn, select(func.count()).where(placed))
    defects = _count(conn, select(func.count()).select_from(
        orders.join(feedback, feedback.c.amazon_order_id == o.amazon_order_id))
        .where(placed, feedback.c.rating <= 2))
    return defects, total

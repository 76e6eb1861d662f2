"""What the seller metrics (L27) count, as events over a window (start, end].

Each metric is one query of events: an event has a key (what the metric counts once: an
order, or a shipment confirmation), the order it concerns, its time, and whether it is in the
numerator. A metric over a window is then (keys with a numerator event, keys with any event)
among the events in it. The same query gives the value now (`counts`) and, read once over a
longer span, the value on each past day and the orders behind it (`events`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    case,
    distinct,
    func,
    literal,
    or_,
    select,
    union_all,
)

from sellerflow.domain import reasons
from sellerflow.domain.metrics import MetricEvent
from sellerflow.domain.model import Cause, OrderStatus
from sellerflow.store.schema import feedback, order_history, order_items, orders, shipments

# A cancellation the seller answers for: by the seller with an Amazon reason code, or by the
# ship-confirm deadline (L22, L23, L23a). A BuyerCanceled after a buyer's request has cause
# buyer.
_CANCEL_REASONS = (*reasons.CANCELLATION_REASONS, reasons.SHIP_DEADLINE, reasons.AUTO_CANCEL)

Events = Callable[[str, datetime, datetime], Select[Any]]


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def cancel_events(seller_id: str, start: datetime, end: datetime) -> Select[Any]:
    """Orders released or canceled in the window; in the numerator, those the seller canceled
    or let the deadline cancel (so the numerator is always part of the denominator)."""
    h = order_history.c
    seller_canceled = and_(h.cause.in_([Cause.SELLER.value, Cause.DEADLINE.value]),
                           h.reason.in_(_CANCEL_REASONS))
    canceled = select(h.amazon_order_id.label("key"), h.amazon_order_id.label("order_id"),
                      h.at.label("at"), _flag(seller_canceled).label("counted")).where(
        h.seller_id == seller_id, h.at > start, h.at <= end,
        or_(seller_canceled, and_(h.to_status == OrderStatus.CANCELED.value,
                                  h.from_status.is_not(None))))
    o = orders.c
    released = select(o.amazon_order_id, o.amazon_order_id, o.released_at, literal(0)).where(
        o.seller_id == seller_id, o.released_at > start, o.released_at <= end)
    return union_all(canceled, released)  # type: ignore[return-value]


def late_shipment_events(seller_id: str, start: datetime, end: datetime) -> Select[Any]:
    """Orders due to ship in the window that were confirmed, are still unconfirmed or were
    canceled at the ship deadline (seller-canceled ones don't count, nor those Amazon's
    auto-cancel took, L23a); in the numerator, those confirmed after LatestShipDate,
    unconfirmed past it, or canceled at the deadline."""
    o = orders.c
    due = select(o.amazon_order_id, o.latest_ship_date).where(
        o.seller_id == seller_id, o.latest_ship_date > start, o.latest_ship_date <= end
    ).subquery()
    late_confirmation = select(shipments.c.id).where(
        shipments.c.seller_id == seller_id, shipments.c.amazon_order_id == due.c.amazon_order_id,
        shipments.c.confirmed_at > due.c.latest_ship_date).exists()
    unconfirmed = select(order_items.c.order_item_id).where(
        order_items.c.seller_id == seller_id,
        order_items.c.amazon_order_id == due.c.amazon_order_id,
        order_items.c.quantity_ordered > order_items.c.quantity_shipped
        + order_items.c.quantity_canceled).exists()
    def canceled_for(reason: str) -> Any:
        return select(order_history.c.id).where(
            order_history.c.seller_id == seller_id,
            order_history.c.amazon_order_id == due.c.amazon_order_id,
            order_history.c.cause == Cause.DEADLINE.value,
            order_history.c.reason == reason).exists()

    deadline_cancel = canceled_for(reasons.SHIP_DEADLINE)
    # L23a: Amazon's auto-cancel counts in the cancel rate instead of as a late shipment.
    auto_canceled = canceled_for(reasons.AUTO_CANCEL)
    any_shipment = select(shipments.c.id).where(
        shipments.c.seller_id == seller_id,
        shipments.c.amazon_order_id == due.c.amazon_order_id).exists()
    return select(due.c.amazon_order_id.label("key"), due.c.amazon_order_id.label("order_id"),
                  due.c.latest_ship_date.label("at"),
                  _flag(or_(late_confirmation, unconfirmed, deadline_cancel)).label("counted")
                  ).where(or_(any_shipment, unconfirmed, deadline_cancel), ~auto_canceled)


def tracking_events(seller_id: str, start: datetime, end: datetime) -> Select[Any]:
    """Shipment confirmations in the window; in the numerator, those whose package the
    carrier scans (L30: a number off its carrier's format never is, nor a canceled
    label's)."""
    s = shipments.c
    valid = _flag(s.first_scan_at.is_not(None))
    return select(s.id.label("key"), s.amazon_order_id.label("order_id"),
                  s.confirmed_at.label("at"), valid.label("counted")).where(
        s.seller_id == seller_id, s.confirmed_at > start, s.confirmed_at <= end)


def delivery_events(seller_id: str, start: datetime, end: datetime) -> Select[Any]:
    """Tracked shipments (the carrier scanned them) whose promised delivery date fell in the
    window (L31); in the numerator, those the carrier delivered by it (a lost or late package
    is not). A package never scanned counts against valid tracking instead."""
    s = shipments.c
    on_time = _flag(and_(s.delivered_at.is_not(None), s.delivered_at <= s.deliver_by))
    return select(s.id.label("key"), s.amazon_order_id.label("order_id"),
                  s.deliver_by.label("at"), on_time.label("counted")).where(
        s.seller_id == seller_id, s.deliver_by > start, s.deliver_by <= end,
        s.first_scan_at.is_not(None))


def defect_events(seller_id: str, start: datetime, end: datetime) -> Select[Any]:
    """Orders placed in the window; in the numerator, those with 1-2 star feedback."""
    o = orders.c
    defect = select(feedback.c.amazon_order_id).where(
        feedback.c.seller_id == o.seller_id, feedback.c.amazon_order_id == o.amazon_order_id,
        feedback.c.rating <= 2).exists()
    return select(o.amazon_order_id.label("key"), o.amazon_order_id.label("order_id"),
                  o.purchase_date.label("at"), _flag(defect).label("counted")).where(
        o.seller_id == seller_id, o.purchase_date > start, o.purchase_date <= end)


def counts(conn: Connection, metric: Events, seller_id: str, start: datetime,
           end: datetime) -> tuple[int, int]:
    """(keys with a numerator event, keys with any event) in the window."""
    found = metric(seller_id, start, end).subquery()
    numerator, denominator = conn.execute(select(
        func.count(distinct(found.c.key)).filter(found.c.counted == 1),
        func.count(distinct(found.c.key))).select_from(found)).one()
    return int(numerator), int(denominator)


def events(conn: Connection, metric: Events, seller_id: str, start: datetime,
           end: datetime) -> list[MetricEvent]:
    """The window's events, oldest first."""
    found = metric(seller_id, start, end).subquery()
    return [MetricEvent(str(row.key), row.order_id, row.at, bool(row.counted))
            for row in conn.execute(select(found).order_by(found.c.at, found.c.key))]

"""Reading and writing orders: items, history entries and compare-and-set status writes."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, select, update

from sellerflow.domain.deadlines import DeadlineKind
from sellerflow.domain.errors import ConcurrentUpdate
from sellerflow.domain.lifecycle import HistoryEntry
from sellerflow.domain.model import (
    Address,
    Order,
    OrderItem,
    OrderStatus,
    PromiseDates,
    Verification,
)
from sellerflow.domain.money import Money
from sellerflow.store.driver import InsertRows, batch
from sellerflow.store.schema import deadlines, order_history, order_items, orders

_INSERT_ORDER = InsertRows(orders, [c.name for c in orders.columns])
_INSERT_ITEMS = InsertRows(order_items, [c.name for c in order_items.columns])
_INSERT_HISTORY = InsertRows(order_history, [
    "amazon_order_id", "seller_id", "at", "from_status", "to_status", "cause", "reason"])
_INSERT_DEADLINES = InsertRows(deadlines, ["amazon_order_id", "seller_id", "kind", "due_at"])


def _address(text: str | None) -> Address | None:
    return None if text is None else Address(**json.loads(text))


def _dump(address: Address | None) -> str | None:
    return None if address is None else json.dumps(address.to_wire(), sort_keys=True)


def order_from_rows(row: Row[Any], item_rows: Iterable[Row[Any]]) -> Order:
    m = row._mapping
    promise = None
    if m["latest_ship_date"] is not None:
        promise = PromiseDates(m["earliest_ship_date"], m["latest_ship_date"],
                               m["earliest_delivery_date"], m["latest_delivery_date"])
    items = [OrderItem(order_item_id=i.order_item_id, listing_id=i.listing_id, sku=i.sku,
                       asin=i.asin, title=i.title, quantity_ordered=i.quantity_ordered,
                       unit_price=Money.from_cents(i.unit_price_cents, m["currency"]),
                       unit_shipping=Money.from_cents(i.unit_shipping_cents, m["currency"]),
                       handling_days=i.handling_days, quantity_shipped=i.quantity_shipped,
                       quantity_canceled=i.quantity_canceled) for i in item_rows]
    address = _address(m["shipping_address"])
    assert address is not None
    return Order(
        amazon_order_id=m["amazon_order_id"], seller_id=m["seller_id"], buyer_id=m["buyer_id"],
        purchase_date=m["purchase_date"], ship_service_level=m["ship_service_level"],
        shipping_address=address, items=items,
        status=OrderStatus(m["status"]), verification=Verification(m["verification"]),
        released_at=m["released_at"], promise=promise,
        buyer_cancel_requested=m["buyer_cancel_requested"],
        buyer_cancel_reason=m["buyer_cancel_reason"],
        requested_address=_address(m["requested_address"]),
        charged=Money.from_cents(m["charged_cents"], m["currency"]),
        refunded=Money.from_cents(m["refunded_cents"], m["currency"]),
        last_update=m["last_update"], version=m["version"],
        ship_warning_at=m["ship_warning_at"], ship_deadline_at=m["ship_deadline_at"])


def load_order(conn: Connection, order_id: str, *, lock: bool = False) -> Order | None:
    query = select(orders).where(orders.c.amazon_order_id == order_id)
    if lock:
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        return None
    items = conn.execute(select(order_items).where(order_items.c.amazon_order_id == order_id)
                         .order_by(order_items.c.position)).all()
    return order_from_rows(row, items)


def load_orders(conn: Connection, rows: Sequence[Row[Any]]) -> list[Order]:
    """Orders for already-selected order rows, with their items in one query."""
    if not rows:
        return []
    ids = [r.amazon_order_id for r in rows]
    by_order: dict[str, list[Row[Any]]] = {i: [] for i in ids}
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start:chunk_start + 500]
        for item in conn.execute(select(order_items)
                                 .where(order_items.c.amazon_order_id.in_(chunk))
                                 .order_by(order_items.c.position)):
            by_order[item.amazon_order_id].append(item)
    return [order_from_rows(r, by_order[r.amazon_order_id]) for r in rows]


def _state_values(order: Order) -> dict[str, Any]:
    p = order.promise
    return {
        "status": order.status.value, "verification": order.verification.value,
        "last_update": order.last_update or order.purchase_date,
        "shipping_address": _dump(order.shipping_address),
        "requested_address": _dump(order.requested_address),
        "released_at": order.released_at,
        "earliest_ship_date": p.earliest_ship if p else None,
        "latest_ship_date": p.latest_ship if p else None,
        "earliest_delivery_date": p.earliest_delivery if p else None,
        "latest_delivery_date": p.latest_delivery if p else None,
        "buyer_cancel_requested": order.buyer_cancel_requested,
        "buyer_cancel_reason": order.buyer_cancel_reason,
        "charged_cents": order.charged.cents, "refunded_cents": order.refunded.cents,
    }


def insert_placed(conn: Connection, order: Order, payment_method: str,
                  schedule: Sequence[tuple[DeadlineKind, datetime]],
                  history: Sequence[HistoryEntry]) -> None:
    """A new order with its items, its deadline rows (L28) and its first history entries,
    sent together (one round trip on PostgreSQL): placement is the busiest command."""
    values = {
        "amazon_order_id": order.amazon_order_id, "seller_id": order.seller_id,
        "buyer_id": order.buyer_id, "version": 0, "purchase_date": order.purchase_date,
        "payment_method": payment_method, "ship_service_level": order.ship_service_level,
        "currency": order.charged.currency, "ship_warning_at": order.ship_warning_at,
        "ship_deadline_at": order.ship_deadline_at, **_state_values(order)}
    oid, sid = order.amazon_order_id, order.seller_id
    with batch(conn):
        _INSERT_ORDER.execute(conn, [_INSERT_ORDER.row(values)])
        # Rows in the tables' column order (InsertRows checks the declared order).
        _INSERT_ITEMS.execute(conn, [
            (i.order_item_id, oid, sid, i.listing_id, n, i.sku, i.asin, i.title,
             i.quantity_ordered, i.quantity_shipped, i.quantity_canceled, i.unit_price.cents,
             i.unit_shipping.cents, i.handling_days) for n, i in enumerate(order.items)])
        _INSERT_DEADLINES.execute(conn, [(oid, sid, kind.value, at) for kind, at in schedule])
        _INSERT_HISTORY.execute(conn, _history_rows(order, history))


def save_order(conn: Connection, before: Order, after: Order) -> None:
    """Compare-and-set on status and version: a lost race writes nothing and raises."""
    result = conn.execute(
        update(orders)
        .where(orders.c.amazon_order_id == before.amazon_order_id,
               orders.c.status == before.status.value, orders.c.version == before.version)
        .values(version=before.version + 1, **_state_values(after)))
    if result.rowcount != 1:
        raise ConcurrentUpdate(f"order {before.amazon_order_id} changed while this command ran")
    old_items = {i.order_item_id: i for i in before.items}
    for item in after.items:
        old = old_items[item.order_item_id]
        if (old.quantity_shipped, old.quantity_canceled) != (item.quantity_shipped,
                                                             item.quantity_canceled):
            conn.execute(update(order_items)
                         .where(order_items.c.order_item_id == item.order_item_id)
                         .values(quantity_shipped=item.quantity_shipped,
                                 quantity_canceled=item.quantity_canceled))
    after.version = before.version + 1


def append_history(conn: Connection, order: Order, entries: Sequence[HistoryEntry]) -> None:
    _INSERT_HISTORY.execute(conn, _history_rows(order, entries))


def _history_rows(order: Order, entries: Sequence[HistoryEntry]) -> list[tuple[Any, ...]]:
    return [(order.amazon_order_id, order.seller_id, e.at,
             e.from_status.value if e.from_status else None, e.to_status.value, e.cause.value,
             e.reason) for e in entries]


def history(conn: Connection, order_id: str) -> list[Row[Any]]:
    return list(conn.execute(select(order_history)
                             .where(order_history.c.amazon_order_id == order_id)
                             .order_by(order_history.c.id)))


def seller_orders(conn: Connection, seller_id: str, status: str | None) -> list[Order]:
    """A seller's orders, newest first."""
    query = select(orders).where(orders.c.seller_id == seller_id)
    if status:
        query = query.where(orders.c.status == status)
    return load_orders(conn, conn.execute(query.order_by(orders.c.purchase_date.desc())).all())


def count_orders(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(orders)).scalar_one())


def count_by_status(conn: Connection) -> dict[str, int]:
    return {status: int(n) for status, n in conn.execute(
        select(orders.c.status, func.count()).group_by(orders.c.status))}

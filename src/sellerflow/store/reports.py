"""What the flat-file reports read: a seller's orders in a period, and their buyers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from sellerflow.domain.model import Buyer, Order, OrderStatus
from sellerflow.store.driver import SelectIn
from sellerflow.store.orders import load_orders
from sellerflow.store.schema import buyers, orders


def report_orders(conn: Connection, seller_id: str, kind: str, start: datetime,
                  end: datetime) -> list[Order]:
    """Orders placed in [start, end]; `orders` only those ever released (L7, L18),
    `unshipped` only those with units to ship, `all` every one."""
    query = select(orders).where(orders.c.seller_id == seller_id,
                                 orders.c.purchase_date >= start, orders.c.purchase_date <= end)
    if kind == "orders":
        query = query.where(orders.c.released_at.is_not(None))
    elif kind == "unshipped":
        query = query.where(orders.c.status.in_([OrderStatus.UNSHIPPED.value,
                                                 OrderStatus.PARTIALLY_SHIPPED.value]))
    rows = conn.execute(query.order_by(orders.c.purchase_date, orders.c.amazon_order_id)).all()
    return load_orders(conn, rows)


_BUYERS = SelectIn((buyers.c.buyer_id, buyers.c.email, buyers.c.name), buyers.c.buyer_id,
                   [buyers.c.buyer_id])


def buyers_by_id(conn: Connection, buyer_ids: set[str]) -> dict[str, Buyer]:
    return {buyer_id: Buyer(buyer_id, email, name)
            for buyer_id, email, name in _BUYERS.rows(conn, sorted(buyer_ids))}

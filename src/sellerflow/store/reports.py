"""What the flat-file reports read: a seller's orders in a period, and their buyers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from sellerflow.domain.model import Buyer, Order, OrderStatus
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


def buyers_by_id(conn: Connection, buyer_ids: set[str]) -> dict[str, Buyer]:
    found: dict[str, Buyer] = {}
    ids = sorted(buyer_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in conn.execute(select(buyers).where(buyers.c.buyer_id.in_(chunk))):
            found[row.buyer_id] = Buyer(row.buyer_id, row.email, row.name)
    return found

"""Manage Orders' reads: a seller's orders of some statuses, searched, sorted and a page at a
time, and how many orders each status holds."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, exists, func, or_, select

from sellerflow.domain.model import Order
from sellerflow.store.orders import load_orders
from sellerflow.store.schema import buyers, order_items, orders, shipments

SORTS = ("purchase-desc", "purchase-asc", "ship-by-asc", "ship-by-desc")


def _matching(seller_id: str, statuses: Collection[str], search: str | None
              ) -> ColumnElement[bool]:
    """The seller's orders of these statuses (all when none are given) that the search names
    by order id, SKU, buyer name or tracking number."""
    t = orders.c
    condition = t.seller_id == seller_id
    if statuses:
        condition = and_(condition, t.status.in_(sorted(statuses)))
    if search:
        text = search.strip()
        condition = and_(condition, or_(
            t.amazon_order_id == text,
            exists().where(order_items.c.amazon_order_id == t.amazon_order_id,
                           order_items.c.sku == text),
            exists().where(shipments.c.amazon_order_id == t.amazon_order_id,
                           shipments.c.tracking_number == text),
            t.buyer_id.in_(select(buyers.c.buyer_id).where(
                func.lower(buyers.c.name).contains(text.lower(), autoescape=True)))))
    return condition


def manage_page(conn: Connection, seller_id: str, *, statuses: Collection[str],
                search: str | None, sort: str, offset: int, limit: int
                ) -> tuple[list[Order], int]:
    """One page of the matching orders in the sort asked for, and how many match in all."""
    condition = _matching(seller_id, statuses, search)
    total = int(conn.execute(select(func.count()).select_from(orders).where(condition))
                .scalar_one())
    t = orders.c
    orderings: dict[str, list[Any]] = {
        "purchase-desc": [t.purchase_date.desc(), t.amazon_order_id.desc()],
        "purchase-asc": [t.purchase_date, t.amazon_order_id],
        # Orders with no ship-by date yet (Pending, Canceled before release) come last.
        "ship-by-asc": [t.latest_ship_date.is_(None), t.latest_ship_date, t.amazon_order_id],
        "ship-by-desc": [t.latest_ship_date.is_(None), t.latest_ship_date.desc(),
                         t.amazon_order_id.desc()],
    }
    order_by = orderings[sort]
    rows = conn.execute(select(orders).where(condition).order_by(*order_by)
                        .offset(offset).limit(limit)).all()
    return load_orders(conn, rows), total


def status_counts(conn: Connection, seller_id: str) -> dict[str, int]:
    """How many of the seller's orders hold each status."""
    return {status: int(n) for status, n in conn.execute(
        select(orders.c.status, func.count()).where(orders.c.seller_id == seller_id)
        .group_by(orders.c.status))}


def warned_count(conn: Connection, seller_id: str, statuses: Collection[str],
                 now: datetime) -> int:
    """How many of the seller's orders of these statuses are past their ship-by warning
    time (L24)."""
    return int(conn.execute(select(func.count()).select_from(orders).where(
        orders.c.seller_id == seller_id, orders.c.status.in_(sorted(statuses)),
        orders.c.ship_warning_at <= now)).scalar_one())

"""Deadline rows: scheduled at placement, claimed in due order, marked fired exactly once."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, select, update

from sellerflow.store.keys import by_seller
from sellerflow.store.schema import deadlines, orders

# Ids in an IN list at a time: SQLite's and the drivers' limits on parameters stay far off.
_CHUNK = 500


def _chunks(ids: Collection[Any]) -> Iterator[list[Any]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start:start + _CHUNK]


def due_for_orders(conn: Connection, order_keys: Collection[tuple[str, str]], now: datetime
                   ) -> list[Row[Any]]:
    """These orders' (by seller_id, amazon_order_id) unfired deadlines due by `now`, by order
    and, within one, in due order (the caller holds the orders' locks, which every firing
    takes first)."""
    found: list[Row[Any]] = []
    for seller_id, order_ids in by_seller(order_keys).items():
        for chunk in _chunks(order_ids):
            found.extend(conn.execute(
                select(deadlines)
                .where(deadlines.c.seller_id == seller_id,
                       deadlines.c.amazon_order_id.in_(chunk), deadlines.c.fired_at.is_(None),
                       deadlines.c.due_at <= now)
                .order_by(deadlines.c.amazon_order_id, deadlines.c.due_at, deadlines.c.id)
            ).all())
    return found


def mark_fired(conn: Connection, deadline_keys: Collection[tuple[str, int]], at: datetime
               ) -> int:
    """Mark these deadlines (by seller_id, id) fired; how many were still unfired."""
    return sum(conn.execute(update(deadlines)
                            .where(deadlines.c.seller_id == seller_id,
                                   deadlines.c.id.in_(chunk), deadlines.c.fired_at.is_(None))
                            .values(fired_at=at)).rowcount
               for seller_id, ids in by_seller(deadline_keys).items()
               for chunk in _chunks(ids))


def next_due(conn: Connection, until: datetime) -> datetime | None:
    value: datetime | None = conn.execute(
        select(func.min(deadlines.c.due_at))
        .where(deadlines.c.fired_at.is_(None), deadlines.c.due_at <= until)).scalar()
    return value


def count_unfired_due(conn: Connection, now: datetime) -> int:
    return int(conn.execute(select(func.count()).select_from(deadlines)
                            .where(deadlines.c.fired_at.is_(None),
                                   deadlines.c.due_at <= now)).scalar_one())


def claim_due_orders(conn: Connection, now: datetime, limit: int) -> list[tuple[str, str]]:
    """Up to `limit` orders, by (seller_id, amazon_order_id), with the earliest unfired due
    deadlines. On PostgreSQL their rows are locked with SKIP LOCKED, so concurrent workers
    each take a different batch instead of queueing behind one another."""
    query = (select(deadlines.c.seller_id, deadlines.c.amazon_order_id)
             .where(deadlines.c.fired_at.is_(None), deadlines.c.due_at <= now)
             .order_by(deadlines.c.due_at, deadlines.c.id).limit(limit))
    if conn.dialect.name == "postgresql":
        query = (query.join_from(deadlines, orders,
                                 (orders.c.seller_id == deadlines.c.seller_id)
                                 & (orders.c.amazon_order_id == deadlines.c.amazon_order_id))
                 .with_for_update(of=orders, skip_locked=True))
    # An order with two due deadlines comes twice; the first place counts.
    return list(dict.fromkeys((seller_id, order_id)
                              for seller_id, order_id in conn.execute(query)))

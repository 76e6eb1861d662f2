"""Deadline rows: scheduled at placement, claimed in due order, marked fired exactly once."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, select, update

from sellerflow.store.schema import deadlines, orders


def due_for_order(conn: Connection, order_id: str, now: datetime) -> list[Row[Any]]:
    """An order's unfired deadlines due by `now`, in due order (the caller holds the order's
    lock, which every firing takes first)."""
    return list(conn.execute(
        select(deadlines)
        .where(deadlines.c.amazon_order_id == order_id, deadlines.c.fired_at.is_(None),
               deadlines.c.due_at <= now)
        .order_by(deadlines.c.due_at, deadlines.c.id)).all())


def orders_with_due(conn: Connection, order_ids: Collection[str], now: datetime) -> set[str]:
    """Which of these orders have an unfired deadline due by `now`."""
    ids = sorted(order_ids)
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        found.update(conn.execute(
            select(deadlines.c.amazon_order_id).distinct()
            .where(deadlines.c.amazon_order_id.in_(ids[start:start + 500]),
                   deadlines.c.fired_at.is_(None), deadlines.c.due_at <= now)).scalars())
    return found


def mark_fired(conn: Connection, deadline_id: int, at: datetime) -> bool:
    result = conn.execute(update(deadlines)
                          .where(deadlines.c.id == deadline_id, deadlines.c.fired_at.is_(None))
                          .values(fired_at=at))
    return result.rowcount == 1


def next_due(conn: Connection, until: datetime) -> datetime | None:
    value: datetime | None = conn.execute(
        select(func.min(deadlines.c.due_at))
        .where(deadlines.c.fired_at.is_(None), deadlines.c.due_at <= until)).scalar()
    return value


def count_unfired_due(conn: Connection, now: datetime) -> int:
    return int(conn.execute(select(func.count()).select_from(deadlines)
                            .where(deadlines.c.fired_at.is_(None),
                                   deadlines.c.due_at <= now)).scalar_one())


def next_due_order(conn: Connection, now: datetime) -> str | None:
    """The order with the earliest unfired due deadline. On PostgreSQL its row is locked with
    SKIP LOCKED, so concurrent workers take different orders."""
    query = (select(deadlines.c.amazon_order_id)
             .where(deadlines.c.fired_at.is_(None), deadlines.c.due_at <= now)
             .order_by(deadlines.c.due_at, deadlines.c.id).limit(1))
    if conn.dialect.name == "postgresql":
        query = (query.join_from(deadlines, orders,
                                 orders.c.amazon_order_id == deadlines.c.amazon_order_id)
                 .with_for_update(of=orders, skip_locked=True))
    found: str | None = conn.execute(query).scalar()
    return found

"""The usage plans' token buckets, a row per seller and operation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sellerflow.store.schema import throttle_buckets


def bucket(conn: Connection, seller_id: str, operation: str) -> Any:
    """The bucket, locked for this transaction on PostgreSQL (SQLite's writer holds all)."""
    c = throttle_buckets.c
    query = select(c.tokens, c.counted_at).where(c.seller_id == seller_id,
                                                 c.operation == operation)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def save(conn: Connection, seller_id: str, operation: str, tokens: float, at: datetime, *,
         exists: bool) -> None:
    c = throttle_buckets.c
    if exists:
        conn.execute(update(throttle_buckets).where(c.seller_id == seller_id,
                                                    c.operation == operation)
                     .values(tokens=tokens, counted_at=at))
    else:
        conn.execute(insert(throttle_buckets).values(seller_id=seller_id, operation=operation,
                                                     tokens=tokens, counted_at=at))

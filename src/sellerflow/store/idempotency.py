"""Idempotency keys: a buyer's checkout replayed with the same key answers its first result."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select

from sellerflow.store.schema import idempotency_keys


def find(conn: Connection, buyer_id: str, key: str) -> Row[Any] | None:
    return conn.execute(select(idempotency_keys).where(
        idempotency_keys.c.buyer_id == buyer_id, idempotency_keys.c.key == key)).first()


def remember(conn: Connection, buyer_id: str, key: str, request_hash: str, response: str,
             at: datetime) -> None:
    conn.execute(insert(idempotency_keys).values(buyer_id=buyer_id, key=key,
                                                 request_hash=request_hash, response=response,
                                                 created_at=at))

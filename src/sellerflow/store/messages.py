"""Buyer-seller messages on an order (L19) and the buyer's feedback (L27)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select

from sellerflow.store.schema import feedback, messages


def add_message(conn: Connection, order_id: str, seller_id: str, kind: str,
                body: dict[str, Any], at: datetime) -> None:
    conn.execute(insert(messages).values(amazon_order_id=order_id, seller_id=seller_id,
                                         kind=kind, body=json.dumps(body), at=at))


def of_order(conn: Connection, seller_id: str, order_id: str
             ) -> list[tuple[datetime, dict[str, Any]]]:
    rows = conn.execute(select(messages.c.at, messages.c.body)
                        .where(messages.c.seller_id == seller_id,
                               messages.c.amazon_order_id == order_id).order_by(messages.c.id))
    return [(r.at, json.loads(r.body)) for r in rows]


def feedback_of(conn: Connection, seller_id: str, order_id: str) -> Row[Any] | None:
    return conn.execute(select(feedback).where(feedback.c.seller_id == seller_id,
                                               feedback.c.amazon_order_id == order_id)).first()


def add_feedback(conn: Connection, order_id: str, seller_id: str, rating: int, comment: str,
                 at: datetime) -> None:
    conn.execute(insert(feedback).values(amazon_order_id=order_id, seller_id=seller_id,
                                         rating=rating, comment=comment, at=at))

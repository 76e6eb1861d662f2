"""Buy Shipping's labels (L29), the shipments their packages are (looked up by tracking
number for Shipping v2's getTracking), and Shipping v2's rate answers."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from sellerflow.store.driver import InsertRows
from sellerflow.store.schema import labels, rate_requests, shipments

# A label is bought as often as a shipment is confirmed: straight to the driver (driver.py).
_INSERT = InsertRows(labels, [c.name for c in labels.columns])


def record(conn: Connection, row: dict[str, Any]) -> None:
    """A label, its values by column name."""
    _INSERT.execute(conn, [_INSERT.row(row)])


def get(conn: Connection, seller_id: str, label_id: str, *, lock: bool = False
        ) -> Row[Any] | None:
    query = select(labels).where(labels.c.seller_id == seller_id, labels.c.label_id == label_id)
    return conn.execute(query.with_for_update() if lock else query).first()


def of_orders(conn: Connection, seller_id: str, order_ids: Collection[str]) -> list[Row[Any]]:
    """The labels bought for these orders, oldest first."""
    if not order_ids:
        return []
    return list(conn.execute(select(labels).where(
        labels.c.seller_id == seller_id, labels.c.amazon_order_id.in_(list(order_ids)))
        .order_by(labels.c.created_at, labels.c.label_id)))


def latest_ship_from(conn: Connection, seller_id: str) -> dict[str, str] | None:
    """Where the seller's last label shipped from: the console offers it again."""
    found = conn.execute(select(labels.c.ship_from).where(labels.c.seller_id == seller_id)
                         .order_by(labels.c.created_at.desc()).limit(1)).scalar()
    return None if found is None else dict(json.loads(found))


def cancel(conn: Connection, seller_id: str, label_id: str, at: datetime) -> None:
    """The label is void: its package will never be scanned (L29)."""
    conn.execute(update(labels).where(labels.c.seller_id == seller_id,
                                      labels.c.label_id == label_id).values(canceled_at=at))
    # Never scanned, it is no valid tracking (L27); never delivered, it leaves the on-time
    # delivery rate (L31).
    conn.execute(update(shipments).where(shipments.c.seller_id == seller_id,
                                         shipments.c.label_id == label_id).values(
        first_scan_at=None, delivered_at=None, lost_at=None, deliver_by=None))


def put_rate_request(conn: Connection, token: str, seller_id: str, request: dict[str, Any],
                     at: datetime) -> None:
    conn.execute(insert(rate_requests).values(request_token=token, seller_id=seller_id,
                                              request=json.dumps(request), created_at=at))


def rate_request(conn: Connection, token: str, seller_id: str
                 ) -> tuple[dict[str, Any], datetime] | None:
    row = conn.execute(select(rate_requests).where(
        rate_requests.c.request_token == token, rate_requests.c.seller_id == seller_id)).first()
    return None if row is None else (json.loads(row.request), row.created_at)

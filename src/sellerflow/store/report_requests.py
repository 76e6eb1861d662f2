"""Reports requested through the Reports API and their processing status."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from sellerflow.store.schema import report_requests


def add(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(report_requests).values(**values))


def get(conn: Connection, report_id: str, *, lock: bool = False) -> Row[Any] | None:
    query = select(report_requests).where(report_requests.c.report_id == report_id)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def of_seller(conn: Connection, seller_id: str, *, types: Collection[str] | None,
              statuses: Collection[str] | None, created_since: datetime | None,
              created_until: datetime | None, after: tuple[datetime, str] | None,
              limit: int) -> list[Row[Any]]:
    """A seller's reports, newest first, from after the (created_at, report_id) key given."""
    t = report_requests.c
    query = select(report_requests).where(t.seller_id == seller_id)
    if types:
        query = query.where(t.report_type.in_(list(types)))
    if statuses:
        query = query.where(t.status.in_(list(statuses)))
    if created_since is not None:
        query = query.where(t.created_at >= created_since)
    if created_until is not None:
        query = query.where(t.created_at <= created_until)
    if after is not None:
        at, report_id = after
        query = query.where((t.created_at < at)
                            | ((t.created_at == at) & (t.report_id < report_id)))
    return list(conn.execute(query.order_by(t.created_at.desc(), t.report_id.desc())
                             .limit(limit)))


def queued(conn: Connection) -> list[str]:
    t = report_requests.c
    return list(conn.execute(select(t.report_id).where(t.status.in_(("IN_QUEUE", "IN_PROGRESS")))
                             .order_by(t.created_at, t.report_id)).scalars())


def set_status(conn: Connection, report_id: str, **values: Any) -> None:
    conn.execute(update(report_requests).where(report_requests.c.report_id == report_id)
                 .values(**values))

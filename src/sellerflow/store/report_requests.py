"""Reports requested through the Reports API and their processing status."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from sellerflow.store.requests_page import newest_first
from sellerflow.store.schema import report_requests


def add(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(report_requests).values(**values))


def get(conn: Connection, report_id: str, *, lock: bool = False) -> Row[Any] | None:
    query = select(report_requests).where(report_requests.c.report_id == report_id)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def of_seller(conn: Connection, seller_id: str, **filters: Any) -> list[Row[Any]]:
    """A seller's reports, newest first; `filters` as requests_page.newest_first takes them."""
    return newest_first(conn, report_requests, report_requests.c.report_id,
                        report_requests.c.report_type, seller_id, **filters)


def queued(conn: Connection) -> list[str]:
    t = report_requests.c
    return list(conn.execute(select(t.report_id).where(t.status.in_(("IN_QUEUE", "IN_PROGRESS")))
                             .order_by(t.created_at, t.report_id)).scalars())


def set_status(conn: Connection, report_id: str, **values: Any) -> None:
    conn.execute(update(report_requests).where(report_requests.c.report_id == report_id)
                 .values(**values))

"""Reports requested through the Reports API and their processing status."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from sellerflow.store.requests_page import newest_first
from sellerflow.store.schema import report_requests


def add(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(report_requests).values(**values))


def get(conn: Connection, report_id: str, *, seller_id: str | None = None,
        lock: bool = False) -> Row[Any] | None:
    """The report request, among this seller's when one is given (by its id alone for the
    operator or the worker, on ix_report_requests_report_id)."""
    query = select(report_requests).where(report_requests.c.report_id == report_id)
    if seller_id is not None:
        query = query.where(report_requests.c.seller_id == seller_id)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def of_seller(conn: Connection, seller_id: str, **filters: Any) -> list[Row[Any]]:
    """A seller's reports, newest first; `filters` as requests_page.newest_first takes them."""
    return newest_first(conn, report_requests, report_requests.c.report_id,
                        report_requests.c.report_type, seller_id, **filters)


def queued(conn: Connection) -> list[tuple[str, str]]:
    """The (seller_id, report_id) of the reports waiting to be built, oldest first."""
    t = report_requests.c
    return [(seller_id, report_id) for seller_id, report_id in conn.execute(
        select(t.seller_id, t.report_id).where(t.status.in_(("IN_QUEUE", "IN_PROGRESS")))
        .order_by(t.created_at, t.report_id))]


def set_status(conn: Connection, seller_id: str, report_id: str, **values: Any) -> None:
    conn.execute(update(report_requests).where(report_requests.c.seller_id == seller_id,
                                               report_requests.c.report_id == report_id)
                 .values(**values))

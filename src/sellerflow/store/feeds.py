"""Stored uploads (feeds), their progress and their processing report lines (L21)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from sellerflow.store.schema import feed_results, feeds


def insert_feed(conn: Connection, feed_id: str, seller_id: str, feed_type: str, content: bytes,
                total: int, at: datetime) -> None:
    conn.execute(insert(feeds).values(
        feed_id=feed_id, seller_id=seller_id, feed_type=feed_type, content=content,
        status="IN_QUEUE", created_at=at, next_record=1, total_records=total, processed=0,
        successful=0))


def get_feed(conn: Connection, feed_id: str) -> Row[Any] | None:
    return conn.execute(select(feeds).where(feeds.c.feed_id == feed_id)).first()


def next_record(conn: Connection, feed_id: str) -> int:
    """The first row not yet applied, locked on PostgreSQL so two processes take turns."""
    query = select(feeds.c.next_record).where(feeds.c.feed_id == feed_id)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return int(conn.execute(query).scalar_one())


def record_row(conn: Connection, feed_id: str, seller_id: str, record_number: int, ok: bool,
               problem: dict[str, str] | None) -> bool:
    """The row's report line (if any) and the feed's progress; false if another process
    already recorded this row."""
    if problem is not None:
        conn.execute(insert(feed_results).values(feed_id=feed_id, record_number=record_number,
                                                 seller_id=seller_id, **problem))
    moved = conn.execute(update(feeds).where(feeds.c.feed_id == feed_id,
                                             feeds.c.next_record == record_number)
                         .values(next_record=record_number + 1,
                                 processed=feeds.c.processed + 1,
                                 successful=feeds.c.successful + (1 if ok else 0),
                                 status="IN_PROGRESS"))
    return moved.rowcount == 1


def finish(conn: Connection, feed_id: str, at: datetime) -> None:
    conn.execute(update(feeds).where(feeds.c.feed_id == feed_id, feeds.c.status != "DONE")
                 .values(status="DONE", done_at=at))


def results(conn: Connection, feed_id: str) -> list[Row[Any]]:
    return list(conn.execute(select(feed_results).where(feed_results.c.feed_id == feed_id)
                             .order_by(feed_results.c.record_number)))


def unfinished(conn: Connection) -> list[str]:
    return list(conn.execute(select(feeds.c.feed_id).where(feeds.c.status != "DONE")
                             .order_by(feeds.c.created_at)).scalars())

"""Stored uploads (feeds), their files, their progress and their processing report lines
(L21)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Table, and_, func, insert, select, update
from sqlalchemy.sql import ColumnElement

from sellerflow.store.requests_page import newest_first
from sellerflow.store.schema import feed_documents, feed_results, feeds

REPORT_LINE = ("record_number", "order_id", "order_item_id", "error_code", "error_type",
               "message")


def insert_feed(conn: Connection, feed_id: str, seller_id: str, feed_type: str, content: bytes,
                total: int, at: datetime, status: str = "IN_QUEUE") -> None:
    done_at = at if status in ("DONE", "FATAL") else None
    conn.execute(insert(feeds).values(
        feed_id=feed_id, seller_id=seller_id, feed_type=feed_type, status=status,
        created_at=at, done_at=done_at, next_record=1, total_records=total, processed=0,
        successful=0))
    # The file as a parameter, not a value in the statement: SQLAlchemy's statement cache
    # would otherwise keep the first file it saw for as long as the process lives.
    conn.execute(insert(feed_documents), {"feed_id": feed_id, "content": content,
                                          "seller_id": seller_id})


def get_feed(conn: Connection, feed_id: str, seller_id: str | None = None) -> Row[Any] | None:
    """The feed, among this seller's when one is given (by its id alone for the operator or
    the worker, on ix_feeds_feed_id)."""
    query = select(feeds).where(feeds.c.feed_id == feed_id)
    if seller_id is not None:
        query = query.where(feeds.c.seller_id == seller_id)
    return conn.execute(query).first()


def _feed(table: Table, seller_id: str, feed_id: str) -> ColumnElement[bool]:
    return and_(table.c.seller_id == seller_id, table.c.feed_id == feed_id)


def document_size(conn: Connection, seller_id: str, feed_id: str) -> int:
    return int(conn.execute(select(func.length(feed_documents.c.content))
                            .where(_feed(feed_documents, seller_id, feed_id))).scalar_one())


def document_part(conn: Connection, seller_id: str, feed_id: str, offset: int, size: int
                  ) -> bytes:
    """`size` bytes of the uploaded file from `offset` (0-based): a large file is read a part
    at a time, never whole."""
    return bytes(conn.execute(select(func.substr(feed_documents.c.content, offset + 1, size))
                              .where(_feed(feed_documents, seller_id, feed_id))).scalar_one())


def document(conn: Connection, seller_id: str, feed_id: str) -> bytes:
    """The whole uploaded document (a JSON feed is read whole; flat files a part at a time)."""
    return bytes(conn.execute(select(feed_documents.c.content)
                              .where(_feed(feed_documents, seller_id, feed_id))).scalar_one())


def seller_feeds(conn: Connection, seller_id: str, **filters: Any) -> list[Row[Any]]:
    """A seller's feeds, newest first; `filters` as requests_page.newest_first takes them."""
    return newest_first(conn, feeds, feeds.c.feed_id, feeds.c.feed_type, seller_id, **filters)


def next_record(conn: Connection, seller_id: str, feed_id: str) -> int:
    """The first row not yet applied, locked on PostgreSQL so two processes take turns."""
    query = select(feeds.c.next_record).where(_feed(feeds, seller_id, feed_id))
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return int(conn.execute(query).scalar_one())


def record_rows(conn: Connection, feed_id: str, seller_id: str, first: int, count: int,
                successful: int, lines: Sequence[tuple[Any, ...]]) -> bool:
    """A batch of rows done: their report lines (tuples in REPORT_LINE's order) and the feed's
    progress; false if another process already recorded rows from `first` on."""
    moved = conn.execute(update(feeds).where(_feed(feeds, seller_id, feed_id),
                                             feeds.c.next_record == first)
                         .values(next_record=first + count,
                                 processed=feeds.c.processed + count,
                                 successful=feeds.c.successful + successful,
                                 status="IN_PROGRESS"))
    if moved.rowcount != 1:
        return False
    add_lines(conn, feed_id, seller_id, lines)
    return True


def add_lines(conn: Connection, feed_id: str, seller_id: str,
              lines: Sequence[tuple[Any, ...]]) -> None:
    if lines:
        conn.execute(insert(feed_results), [
            {"feed_id": feed_id, "seller_id": seller_id, **dict(zip(REPORT_LINE, line,
                                                                    strict=True))}
            for line in lines])


def finish(conn: Connection, seller_id: str, feed_id: str, at: datetime) -> None:
    conn.execute(update(feeds).where(_feed(feeds, seller_id, feed_id),
                                     feeds.c.status.in_(("IN_QUEUE", "IN_PROGRESS")))
                 .values(status="DONE", done_at=at))


def cancel(conn: Connection, seller_id: str, feed_id: str, at: datetime) -> bool:
    """A feed not yet started is canceled; False once processing began."""
    done = conn.execute(update(feeds).where(_feed(feeds, seller_id, feed_id),
                                            feeds.c.status == "IN_QUEUE",
                                            feeds.c.processed == 0)
                        .values(status="CANCELLED", done_at=at))
    return bool(done.rowcount)


def results(conn: Connection, seller_id: str, feed_id: str) -> list[Row[Any]]:
    return list(conn.execute(select(feed_results).where(_feed(feed_results, seller_id, feed_id))
                             .order_by(feed_results.c.record_number)))


def unfinished(conn: Connection) -> list[str]:
    return list(conn.execute(select(feeds.c.feed_id)
                             .where(feeds.c.status.in_(("IN_QUEUE", "IN_PROGRESS")))
                             .order_by(feeds.c.created_at)).scalars())

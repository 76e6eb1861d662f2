"""Console sessions (hashed ids) and the sign-in attempts counted per account and client."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from sellerflow.store.driver import SelectRows
from sellerflow.store.schema import console_sessions, sign_in_attempts


def add(conn: Connection, session_hash: str, seller_id: str, now: datetime) -> None:
    conn.execute(insert(console_sessions).values(session_hash=session_hash, seller_id=seller_id,
                                                 created_at=now, last_seen_at=now))


# Every console page reads its session: straight to the driver (driver.py).
_SESSION = SelectRows(select(console_sessions).where(
    console_sessions.c.session_hash == bindparam("session_hash")))


def find(conn: Connection, session_hash: str) -> dict[str, Any] | None:
    """The session's row by column name, or None."""
    return _SESSION.first(conn, {"session_hash": session_hash})


def seen(conn: Connection, session_hash: str, now: datetime) -> None:
    conn.execute(update(console_sessions).where(console_sessions.c.session_hash == session_hash)
                 .values(last_seen_at=now))


def end(conn: Connection, session_hash: str) -> None:
    conn.execute(delete(console_sessions).where(
        console_sessions.c.session_hash == session_hash))


def end_all(conn: Connection, seller_id: str, *, keep: str | None = None) -> int:
    """Ends every session of the seller (but `keep`); returns how many."""
    query = delete(console_sessions).where(console_sessions.c.seller_id == seller_id)
    if keep is not None:
        query = query.where(console_sessions.c.session_hash != keep)
    return int(conn.execute(query).rowcount)


def attempts(conn: Connection, subject: str) -> Any:
    query = select(sign_in_attempts).where(sign_in_attempts.c.subject == subject)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def count_attempt(conn: Connection, subject: str, now: datetime, *, new_window: bool,
                  exists: bool) -> None:
    """One attempt more in the subject's window (a new window starts at `now`)."""
    c = sign_in_attempts.c
    if not exists:
        conn.execute(insert(sign_in_attempts).values(subject=subject, attempts=1,
                                                     window_start=now))
    elif new_window:
        conn.execute(update(sign_in_attempts).where(c.subject == subject)
                     .values(attempts=1, window_start=now))
    else:
        conn.execute(update(sign_in_attempts).where(c.subject == subject)
                     .values(attempts=c.attempts + 1))


def forget_attempts(conn: Connection, subject: str) -> None:
    conn.execute(delete(sign_in_attempts).where(sign_in_attempts.c.subject == subject))

"""The outbox (written with the change that caused it) and the local mailbox it delivers to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Connection, Row, bindparam, func, insert, or_, select, update

from sellerflow.store.schema import mailbox, outbox


class Message(NamedTuple):
    key: str
    kind: str
    recipient: str
    subject: str
    body: str
    at: datetime


@cache
def _enqueue_statement(dialect: str) -> Any:
    # Imported here: the PostgreSQL dialect costs every command some 50 ms to load.
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql as chosen
    else:
        from sqlalchemy.dialects import sqlite as chosen  # type: ignore[no-redef]
    return chosen.insert(outbox).values(
        dedupe_key=bindparam("key"), kind=bindparam("kind"), recipient=bindparam("recipient"),
        subject=bindparam("subject"), body=bindparam("body"), created_at=bindparam("at"),
        attempts=0).on_conflict_do_nothing(index_elements=["dedupe_key"])


def enqueue(conn: Connection, messages: Sequence[Message]) -> None:
    """At most one message per key, whoever enqueues it first."""
    if messages:
        conn.execute(_enqueue_statement(conn.dialect.name), [m._asdict() for m in messages])


# The kinds of the SP-API notifications, which go to destinations rather than mailboxes.
SP_API = "sp-api:"


def deliverable(conn: Connection, now: datetime, limit: int, after_id: int = 0, *,
                sp_api: bool = False) -> list[Row[Any]]:
    """Unsent messages due for an attempt (never tried, or their retry time has come) and not
    set aside, oldest first, from `after_id` on: mail, or with `sp_api` the notifications."""
    o = outbox.c
    kind = o.kind.startswith(SP_API) if sp_api else ~o.kind.startswith(SP_API)
    query = (select(outbox)
             .where(o.sent_at.is_(None), o.failed_at.is_(None), o.id > after_id, kind,
                    or_(o.next_attempt_at.is_(None), o.next_attempt_at <= now))
             .order_by(o.id).limit(limit))
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(conn.execute(query).all())


def waiting(conn: Connection, now: datetime) -> dict[str, int]:
    """Destinations with a notification waiting to be tried again: the oldest such message's
    id by destination. Nothing later for that destination may go first."""
    o = outbox.c
    rows = conn.execute(select(o.recipient, func.min(o.id)).where(
        o.sent_at.is_(None), o.failed_at.is_(None), o.kind.startswith(SP_API),
        o.next_attempt_at > now).group_by(o.recipient))
    return {recipient: int(first) for recipient, first in rows}


def notifications(conn: Connection, *, failed_only: bool, limit: int) -> list[Row[Any]]:
    """SP-API notifications, newest first: all, or those set aside after their last attempt."""
    o = outbox.c
    query = select(outbox).where(o.kind.startswith(SP_API))
    if failed_only:
        query = query.where(o.failed_at.is_not(None))
    return list(conn.execute(query.order_by(o.id.desc()).limit(limit)))


def resend(conn: Connection, outbox_ids: Sequence[int]) -> int:
    """Notifications set aside (or waiting) made due again; returns how many."""
    o = outbox.c
    moved = conn.execute(update(outbox).where(o.id.in_(list(outbox_ids)), o.sent_at.is_(None),
                                              o.kind.startswith(SP_API))
                         .values(failed_at=None, next_attempt_at=None, attempts=0))
    return int(moved.rowcount)


def mark_sent(conn: Connection, outbox_ids: Sequence[int], at: datetime) -> None:
    if outbox_ids:
        conn.execute(update(outbox).where(outbox.c.id.in_(outbox_ids))
                     .values(sent_at=at, attempts=outbox.c.attempts + 1))


def mark_failed(conn: Connection, outbox_id: int, error: str, retry_at: datetime | None,
                at: datetime) -> None:
    """One more failed attempt: retry at `retry_at`, or, when None, set the message aside."""
    conn.execute(update(outbox).where(outbox.c.id == outbox_id)
                 .values(attempts=outbox.c.attempts + 1, last_error=error[:2000],
                         next_attempt_at=retry_at, failed_at=None if retry_at else at))


def set_aside(conn: Connection, recipient: str | None) -> list[Row[Any]]:
    """Messages given up on after their last attempt, oldest first."""
    query = select(outbox).where(outbox.c.failed_at.is_not(None)).order_by(outbox.c.id)
    if recipient:
        query = query.where(outbox.c.recipient == recipient)
    return list(conn.execute(query))


def deliver_locally(conn: Connection, messages: Sequence[Row[Any]], at: datetime) -> None:
    conn.execute(insert(mailbox), [
        {"outbox_id": m.id, "recipient": m.recipient, "subject": m.subject, "body": m.body,
         "kind": m.kind, "sent_at": at} for m in messages])
    mark_sent(conn, [m.id for m in messages], at)


def mailbox_messages(conn: Connection, recipient: str | None) -> list[Row[Any]]:
    query = select(mailbox).order_by(mailbox.c.id)
    if recipient:
        query = query.where(mailbox.c.recipient == recipient)
    return list(conn.execute(query).all())

"""Database-wide settings: the mode (sandbox or live) and the sandbox's simulated clock."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, bindparam, insert, select, update

from sellerflow.clock import CLOCK_KEY
from sellerflow.store.driver import DriverStatement
from sellerflow.store.schema import settings

_GET = select(settings.c.value).where(settings.c.key == bindparam("key"))


def get(conn: Connection, key: str) -> str | None:
    return conn.execute(_GET, {"key": key}).scalar()


def put(conn: Connection, key: str, value: str) -> None:
    if conn.execute(update(settings).where(settings.c.key == key)
                    .values(value=value)).rowcount == 0:
        conn.execute(insert(settings).values(key=key, value=value))


_ALL = DriverStatement(select(settings.c.key, settings.c.value))


def get_all(conn: Connection) -> dict[str, str]:
    """Every setting in one read: the mode, the sandbox clock and the lifecycle numbers. It runs
    at the start of every unit of work, so it goes straight to the driver."""
    return dict(_ALL.execute(conn, {}).fetchall())


def delete(conn: Connection, key: str) -> None:
    conn.execute(settings.delete().where(settings.c.key == key))


def set_clock(conn: Connection, moment: datetime) -> None:
    """Sets a sandbox's simulated clock (clock.SandboxClock reads it)."""
    put(conn, CLOCK_KEY, moment.astimezone(UTC).isoformat())

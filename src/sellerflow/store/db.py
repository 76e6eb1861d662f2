"""Opening a database: SQLite in WAL mode with serialized writers, or PostgreSQL via psycopg 3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from sellerflow.domain.errors import InvalidInput

DEFAULT_URL = "sqlite:///./sellerflow.db"
READ_ONLY = "sellerflow_read_only"


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and send them to psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InvalidInput("--db", f"{url!r} is not a database URL; use sqlite:///PATH or "
                                   "postgresql+psycopg://user@host:port/dbname") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise InvalidInput("--db", f"{parsed.drivername!r} is not supported; use sqlite:///PATH "
                                   "or postgresql+psycopg://user@host:port/dbname")
    return parsed.render_as_string(hide_password=False)


def open_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        parent = Path(database).expanduser().resolve().parent
        if not parent.is_dir():
            raise InvalidInput("--db", f"folder {parent} does not exist; create it first")
    engine = create_engine(url, connect_args={"timeout": 60})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below decide how a transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the lock up front, so two transactions never deadlock upgrading a read
        # lock: on SQLite that is what makes the stock check-and-decrement race-free. Readers
        # (marked READ_ONLY) begin deferred and never wait for writers under WAL.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.connection.driver_connection.execute(
            "BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"

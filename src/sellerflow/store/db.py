"""Opening a database: SQLite in WAL mode with serialized writers, or PostgreSQL via psycopg 3."""

from __future__ import annotations

import importlib.util
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, OperationalError

from sellerflow.domain.errors import InvalidInput

READ_ONLY = "sellerflow_read_only"
NO_WAIT = "sellerflow_no_wait"
# Connections kept open, and how many more a burst of requests may open; a unit of work holds
# one only while it runs. A unit always ends its transaction (commit, or rollback when it
# fails) before the connection goes back, so the pool's own reset would only repeat that.
POOL_SIZE = 10
POOL_OVERFLOW = 20
SMALL_POOL_SIZE, SMALL_POOL_OVERFLOW = 1, 2
# How long a statement waits for a lock another transaction holds (SQLite's write lock, a
# PostgreSQL row lock) before giving up: the command then fails whole, nothing written, and a
# request is answered 503 with Retry-After rather than hang for a minute.
LOCK_WAIT_SECONDS = 5


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and send them to psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InvalidInput("database", f"{url!r} is not a database URL; use sqlite:///PATH or "
                                   "postgresql+psycopg://user@host:port/dbname") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername == "sqlite+sellerflow":
        parsed = parsed.set(drivername="sqlite")
    if parsed.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise InvalidInput("database", f"{parsed.drivername!r} is not supported; use "
                                       "sqlite:///PATH or postgresql+psycopg://user@host:port/dbname")
    if parsed.drivername == "postgresql+psycopg" and importlib.util.find_spec("psycopg") is None:
        raise InvalidInput("database", "PostgreSQL needs the psycopg driver; install it with "
                                       "pip install 'sellerflow[postgresql]'",
                           reason="driver-missing")
    return parsed.render_as_string(hide_password=False)


def open_engine(url: str, *, create: bool = True, small: bool = False) -> Engine:
    """`create`: a SQLite file that does not exist yet may be made (`init` does; every other
    command refuses a path with no database rather than leave an empty file there). `small`:
    one of many databases a server keeps open (a class's trainees'), whose connections to
    PostgreSQL must stay few in all (30 trainees: at most 90, under the server's 100)."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url, create)
    # Sized for a web server's request threads; a connection the server dropped is noticed by
    # the statement that uses it, and Marketplace.run retries the whole command.
    size, overflow = (SMALL_POOL_SIZE, SMALL_POOL_OVERFLOW) if small else (POOL_SIZE,
                                                                           POOL_OVERFLOW)
    return create_engine(url, pool_size=size, max_overflow=overflow, pool_timeout=60,
                         pool_reset_on_return=None, connect_args={
                             "options": f"-c lock_timeout={LOCK_WAIT_SECONDS * 1000}"})


class SellerflowSQLiteDialect(SQLiteDialect_pysqlite):
    """pysqlite, in WAL mode, where sellerflow decides how each transaction starts.

    Writers begin IMMEDIATE, taking the write lock up front, so two transactions never
    deadlock upgrading a read lock: that is what makes the stock check-and-decrement
    race-free on SQLite. Readers (a connection marked READ_ONLY just before it begins) begin
    deferred and never wait for writers. Doing this in the dialect rather than in a "begin"
    event keeps SQLAlchemy's per-statement event dispatch switched off."""

    supports_statement_cache = True

    def on_connect(self) -> Callable[[Any], None]:
        base = super().on_connect()

        def connect(dbapi_connection: Any) -> None:
            base(dbapi_connection)
            dbapi_connection.isolation_level = None   # transactions are begun by do_begin
            # wal_autocheckpoint: the WAL is copied back into the database every 10,000 pages
            # (40 MB) rather than SQLite's 1,000; a page many orders touch is copied once per
            # checkpoint, so checkouts spent an eighth less time committing.
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                           "wal_autocheckpoint=10000",
                           f"busy_timeout={LOCK_WAIT_SECONDS * 1000}"):
                dbapi_connection.execute(f"PRAGMA {pragma}")

        return connect

    def do_begin(self, dbapi_connection: Any) -> None:
        read_only = dbapi_connection.info.pop(READ_ONLY, False)
        no_wait = dbapi_connection.info.pop(NO_WAIT, False)
        driver = dbapi_connection.driver_connection
        if read_only:
            driver.execute("BEGIN")
        elif no_wait:       # the write lock now, or "database is locked" at once
            driver.execute("PRAGMA busy_timeout=0")
            try:
                driver.execute("BEGIN IMMEDIATE")
            finally:
                driver.execute(f"PRAGMA busy_timeout={LOCK_WAIT_SECONDS * 1000}")
        else:
            driver.execute("BEGIN IMMEDIATE")


registry.register("sqlite.sellerflow", __name__, "SellerflowSQLiteDialect")


def analyze(connection: Connection) -> None:
    """PostgreSQL: refresh the planner's statistics of every table, as after any bulk load
    (autovacuum does it in time, where it runs). A planner without statistics takes a
    seller's thousands of rows for a handful, and reads them all where one lookup of each
    order's (seller_id, id) key would do. SQLite's planner is left as it has been tuned: on
    its own heuristics."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("ANALYZE")


def transient(error: Exception) -> bool:
    """A database failure that running the whole unit of work again can get past, raised
    through SQLAlchemy or by the driver itself for a statement run straight on it
    (store/driver.py)."""
    # A unique key already taken: most often a random id drawn twice (an order item's 14
    # digits, among millions of items), which the next attempt draws afresh.
    if isinstance(error, IntegrityError | sqlite3.IntegrityError):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    # A serialization failure, a deadlock or a unique violation from PostgreSQL.
    code = getattr(error.orig if isinstance(error, DBAPIError) else error, "sqlstate", None)
    return code in ("40001", "40P01", "23505")


def lock_wait_ended(error: Exception) -> bool:
    """A statement gave up waiting for a lock (LOCK_WAIT_SECONDS): SQLite's "database is
    locked", PostgreSQL's lock_not_available."""
    original = error.orig if isinstance(error, DBAPIError) else error
    if isinstance(original, sqlite3.OperationalError):
        return "locked" in str(original) or "busy" in str(original)
    return getattr(original, "sqlstate", None) == "55P03"


def lock_wait_given_up() -> OperationalError:
    """The error a writer gets that gave up waiting for its turn (as SQLite's own)."""
    return OperationalError("BEGIN IMMEDIATE", None,
                            sqlite3.OperationalError("database is locked"))


def mark_no_wait(connection: Connection) -> None:
    """The next writing transaction on this connection takes SQLite's write lock at once or
    fails at once (lock_wait_ended) instead of waiting for it."""
    if connection.dialect.name == "sqlite":
        connection.connection.info[NO_WAIT] = True


def mark_read_only(connection: Connection) -> None:
    """The next transaction on this connection only reads (see SellerflowSQLiteDialect)."""
    if connection.dialect.name == "sqlite":
        connection.connection.info[READ_ONLY] = True


def _sqlite_engine(url: str, create: bool) -> Engine:
    parsed = make_url(url)
    database = parsed.database
    if database and database != ":memory:":
        path = Path(database).expanduser().resolve()
        if not path.parent.is_dir():
            raise InvalidInput("database", f"folder {path.parent} does not exist; create it "
                                           "first")
        if not create and not path.is_file():
            raise InvalidInput("database", f"there is no database at {path}",
                               reason="no-database")
    return create_engine(parsed.set(drivername="sqlite+sellerflow"),
                         connect_args={"timeout": LOCK_WAIT_SECONDS}, pool_size=POOL_SIZE,
                         max_overflow=POOL_OVERFLOW, pool_timeout=60, pool_reset_on_return=None)


def public_url(engine: Engine) -> str:
    """The URL as the user wrote it, without the password or the internal driver name."""
    url = engine.url
    if url.drivername == "sqlite+sellerflow":
        url = url.set(drivername="sqlite")
    return url.render_as_string(hide_password=True)

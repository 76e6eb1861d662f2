"""The marketplace a service works on, and how one command runs as one unit of work.

One Marketplace is made per process and shared by every thread. Each unit of work takes a
connection from the pool and gives it back when it ends, and reads the clock and the
lifecycle numbers inside its own transaction, so a `config set` made by another process is
in force for the next command."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from sellerflow.clock import SandboxClock, SystemClock
from sellerflow.domain.callers import Caller, CallerKind, seller_not_found
from sellerflow.domain.errors import (
    Busy,
    ConcurrentUpdate,
    DatabaseUnavailable,
    InvalidInput,
    Refused,
    SellerflowError,
)
from sellerflow.domain.model import Seller
from sellerflow.domain.policy import BusinessCalendar, Policy
from sellerflow.domain.text import Phrase
from sellerflow.payments import ApproveAllVerifier, PaymentVerifier, SandboxVerifier
from sellerflow.service import config
from sellerflow.store import catalog, migrate, order_counts, settings
from sellerflow.store.db import (
    LOCK_WAIT_SECONDS,
    lock_wait_ended,
    lock_wait_given_up,
    mark_no_wait,
    mark_read_only,
    open_engine,
    public_url,
    transient,
)

T = TypeVar("T")
MODE_KEY = "mode"


@dataclass(frozen=True)
class Work:
    """One unit of work: its connection (inside a transaction), the time it runs at and the
    lifecycle numbers in force, all read in that transaction."""

    conn: Connection
    now: datetime
    policy: Policy

    def savepoint(self) -> AbstractContextManager[None]:
        """A part of the unit of work that can fail alone: its rollback undoes all it wrote,
        the Manage Orders count changes included."""
        return order_counts.savepoint(self.conn)


@dataclass
class Marketplace:
    engine: Engine
    sandbox: bool
    verifier: PaymentVerifier
    # Keys made once per database and never changed (signing keys): read once per process.
    kept: dict[str, str] = field(default_factory=dict)
    # On SQLite the process's writers queue here before SQLite's own lock: a waiting thread
    # is woken when the writer before it ends, where SQLite's busy handler polls with growing
    # sleeps and lets late writers overtake one that has waited for seconds (fifty request
    # threads left some waiting past LOCK_WAIT_SECONDS). Other processes meet SQLite's lock.
    writers: threading.RLock = field(default_factory=threading.RLock)

    def _work(self, conn: Connection) -> Work:
        stored = settings.get_all(conn)
        now = (SandboxClock.read(stored) if self.sandbox else SystemClock.read())
        seen = _SEEN_TIMES.get()
        if seen is not None:
            seen.append(now)
        return Work(conn, now, config.from_settings(stored))

    @contextmanager
    def writing(self) -> Iterator[Work]:
        """A writing transaction (on SQLite it holds the write lock from the start; asked
        from the event loop, it takes it at once or not at all: see `without_waiting`)."""
        with self._queued(), self.engine.connect() as conn:
            if _NO_WAIT.get():
                mark_no_wait(conn)
            with conn.begin():
                order_counts.discard(conn)
                yield self._work(conn)
                order_counts.write(conn)
            # Only the first transaction of a call may be given up and the call run again
            # elsewhere: after one has committed, the call goes on here, whatever it waits.
            if _NO_WAIT.get():
                _NO_WAIT.set(False)

    @contextmanager
    def _read_only(self) -> Iterator[Connection]:
        """A read-only transaction: a consistent snapshot that never blocks writers."""
        with self.engine.connect() as conn:
            mark_read_only(conn)
            with conn.begin():
                yield conn

    @contextmanager
    def _queued(self) -> Iterator[None]:
        """This process's turn to write, on SQLite (PostgreSQL locks rows, not the database);
        not had in LOCK_WAIT_SECONDS (at once, from the event loop), a lock wait ended."""
        if self.engine.dialect.name != "sqlite":
            yield
            return
        if not (self.writers.acquire(blocking=False) if _NO_WAIT.get()
                else self.writers.acquire(timeout=LOCK_WAIT_SECONDS)):
            raise lock_wait_given_up()
        try:
            yield
        finally:
            self.writers.release()

    @contextmanager
    def reading(self) -> Iterator[Work]:
        with self._read_only() as conn:
            yield self._work(conn)

    def run(self, command: Callable[[Work], T], attempts: int = 8) -> T:
        """One command, one transaction; a lost compare-and-set, a PostgreSQL serialization
        failure or a connection the server dropped retries the whole command, so nothing is
        ever half-applied."""
        for attempt in range(attempts):
            try:
                with self.writing() as work:
                    return command(work)
            except Exception as error:
                if lock_wait_ended(error):
                    if _NO_WAIT.get():
                        raise WouldWait() from None
                    raise Busy(Phrase("The database is busy with other changes; nothing was "
                                      "done. Try again in a moment.")) from None
                if attempt == attempts - 1 or not _retryable(error):
                    raise
                time.sleep(0.005 * (attempt + 1))
        raise AssertionError("unreachable")

    def read(self, query: Callable[[Work], T]) -> T:
        with self.reading() as work:
            return query(work)

    def look_up(self, query: Callable[[Connection], T]) -> T:
        """A read that needs neither the marketplace's time nor its lifecycle numbers (a
        token, the seller a session names): the settings those come from are not read, which
        every authenticated request would otherwise do twice."""
        with self._read_only() as conn:
            return query(conn)

    def now(self) -> datetime:
        return self.read(lambda work: work.now)

    def policy(self) -> Policy:
        return self.read(lambda work: work.policy)

    def require_sandbox(self, what: str) -> None:
        if not self.sandbox:
            raise Refused("SandboxOnly", f"{what} works only on a sandbox database; this one is "
                                         "live", reason="live-database")

    def close(self) -> None:
        self.engine.dispose()


# The marketplace times the units of work of one request read (`watch_time`): a front door
# reports the sandbox clock from them (it stands still between advances).
_SEEN_TIMES: ContextVar[list[datetime] | None] = ContextVar("seen_times", default=None)


def watch_time() -> list[datetime]:
    """From now on in this context (and the threads it hands work to), every unit of work
    adds the time it read to the list returned."""
    seen: list[datetime] = []
    _SEEN_TIMES.set(seen)
    return seen


# Set while a service call runs on the event loop (`without_waiting`): its first writing
# transaction must not wait for SQLite's write lock.
_NO_WAIT: ContextVar[bool] = ContextVar("sellerflow_no_wait", default=False)


class WouldWait(Exception):
    """A writing transaction asked from the event loop would have waited for the lock:
    nothing was written; the call runs again where waiting holds up nobody."""


def without_waiting(market: Marketplace, call: Callable[[], T]) -> tuple[bool, T | None]:
    """Runs `call` where it is (the event loop) if it needs no lock another transaction
    holds: (True, its answer); else (False, None), nothing written. PostgreSQL's work is
    network I/O, so there it is never run here: (False, None) at once."""
    if market.engine.dialect.name != "sqlite":
        return False, None
    token = _NO_WAIT.set(True)
    try:
        return True, call()
    except WouldWait:
        return False, None
    finally:
        _NO_WAIT.reset(token)


def database_problem(error: Exception) -> SellerflowError | None:
    """What a front door says of a database failure no command expected (a server gone
    away, a file that is not a database); None for any other failure."""
    if not isinstance(error, SQLAlchemyError):
        return None
    problem = SellerflowError(f"database error: {str(getattr(error, 'orig', error)).strip()}"
                              "; check the --db URL and that the server is running")
    problem.code = "DatabaseError"
    return problem


def _retryable(error: Exception) -> bool:
    return isinstance(error, ConcurrentUpdate) or transient(error)


def open_marketplace(url: str, *, small: bool = False) -> Marketplace:
    """`small`: one of many a server keeps open (a class's trainees', store/db.py)."""
    engine = open_engine(url, create=False, small=small)
    try:
        current = migrate.is_current(engine)
    except OperationalError as error:
        engine.dispose()
        raise DatabaseUnavailable(f"cannot open {public_url(engine)}: "
                                  f"{str(error.orig).strip()}; check that the server is running "
                                  "and the URL is right") from None
    if not current:
        engine.dispose()
        raise InvalidInput("database", f"{public_url(engine)} has no up-to-date sellerflow "
                                       "schema; initialise it first", reason="schema-missing")
    with engine.connect() as conn:
        sandbox = settings.get(conn, MODE_KEY) == "sandbox"
    verifier: PaymentVerifier = SandboxVerifier() if sandbox else ApproveAllVerifier()
    return Marketplace(engine, sandbox, verifier)


def require_seller(conn: Connection, caller: Caller, seller_id: str) -> Seller:
    """The seller, if the caller acts for it; another seller is not found, like a missing one."""
    seller = catalog.get_seller(conn, seller_id) if caller.acts_for_seller(seller_id) else None
    if seller is None:
        raise seller_not_found(seller_id)
    return seller


def check_seller(conn: Connection, caller: Caller, seller_id: str) -> None:
    """As require_seller, for a command that needs only the check: a seller acting for itself
    was named by a credential of a seller that exists (sellers are never deleted), so only
    another caller's seller is looked up."""
    if caller.kind is CallerKind.SELLER and caller.account_id == seller_id:
        return
    require_seller(conn, caller, seller_id)


def calendar_for(conn: Connection, seller_id: str) -> BusinessCalendar:
    found = catalog.seller_calendar(conn, seller_id)
    if found is None:
        raise seller_not_found(seller_id)
    return BusinessCalendar.of(*found)


def carrier_days(conn: Connection, seller_id: str) -> BusinessCalendar:
    """The days carriers work for this seller: Monday to Friday in the seller's time zone,
    the seller's holidays not theirs (L30)."""
    return BusinessCalendar(calendar_for(conn, seller_id).time_zone)

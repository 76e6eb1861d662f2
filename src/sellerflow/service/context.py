"""The marketplace a service works on, how one command runs in one retried transaction, and
the lookups every command needs (seller, order, calendar)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from sellerflow.clock import Clock, SandboxClock, SystemClock
from sellerflow.domain.errors import ConcurrentUpdate, InvalidInput, NotFound, Refused
from sellerflow.domain.model import Order, Seller
from sellerflow.domain.policy import BusinessCalendar, Policy
from sellerflow.payments import ApproveAllVerifier, PaymentVerifier, SandboxVerifier
from sellerflow.service import config
from sellerflow.store import catalog, migrate, settings
from sellerflow.store import orders as order_store
from sellerflow.store.db import mark_read_only, open_engine, public_url

T = TypeVar("T")
MODE_KEY = "mode"


@dataclass
class Marketplace:
    engine: Engine
    sandbox: bool
    clock: Clock
    verifier: PaymentVerifier
    policy: Policy = field(default_factory=Policy)
    _local: threading.local = field(default_factory=threading.local, repr=False)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A writing transaction (on SQLite it holds the write lock from the start).

        Each thread keeps one connection for its commands: checking a connection out of the
        pool for every short transaction costs as much as the statements themselves."""
        conn: Connection | None = getattr(self._local, "connection", None)
        if conn is None or conn.closed:
            conn = self._local.connection = self.engine.connect()
        with conn.begin():
            yield conn

    def close(self) -> None:
        conn: Connection | None = getattr(self._local, "connection", None)
        if conn is not None:
            conn.close()
            self._local.connection = None
        self.engine.dispose()

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read-only transaction: a consistent snapshot that never blocks writers."""
        with self.engine.connect() as conn:
            mark_read_only(conn)
            with conn.begin():
                yield conn

    def run(self, command: Callable[[Connection, datetime], T], attempts: int = 8) -> T:
        """One command, one transaction; a lost compare-and-set or a PostgreSQL serialization
        failure retries the whole command, so nothing is ever half-applied."""
        for attempt in range(attempts):
            try:
                with self.transaction() as conn:
                    return command(conn, self.clock.now(conn))
            except (ConcurrentUpdate, IntegrityError, OperationalError) as error:
                if attempt == attempts - 1 or not _retryable(error):
                    raise
                time.sleep(0.005 * (attempt + 1))
        raise AssertionError("unreachable")

    def now(self) -> datetime:
        with self.reading() as conn:
            return self.clock.now(conn)

    def require_sandbox(self, what: str) -> None:
        if not self.sandbox:
            raise Refused("SandboxOnly", f"{what} works only on a sandbox database; this one is "
                                         "live (create a sandbox with `sellerflow init --sandbox`)")


def _retryable(error: Exception) -> bool:
    if isinstance(error, ConcurrentUpdate | IntegrityError):
        return True
    code = getattr(getattr(error, "orig", None), "sqlstate", None)
    return code in ("40001", "40P01")


def open_marketplace(url: str, policy: Policy | None = None) -> Marketplace:
    engine = open_engine(url)
    try:
        current = migrate.is_current(engine)
    except OperationalError as error:
        raise InvalidInput("--db", f"cannot open {public_url(engine)}: "
                                   f"{str(error.orig).strip()}") from None
    if not current:
        raise InvalidInput("--db", f"{public_url(engine)} has no up-to-date sellerflow "
                                   "schema; run `sellerflow init` (or `init --sandbox`) first")
    with engine.connect() as conn:
        sandbox = settings.get(conn, MODE_KEY) == "sandbox"
        stored_policy = config.load(conn)
    clock: Clock = SandboxClock() if sandbox else SystemClock()
    verifier: PaymentVerifier = SandboxVerifier() if sandbox else ApproveAllVerifier()
    return Marketplace(engine, sandbox, clock, verifier, policy or stored_policy)


def require_seller(conn: Connection, seller_id: str) -> Seller:
    seller = catalog.get_seller(conn, seller_id)
    if seller is None:
        raise NotFound(f"seller {seller_id} does not exist; `sellerflow seller create` makes one")
    return seller


def require_order(conn: Connection, order_id: str, *, lock: bool = True) -> Order:
    order = order_store.load_order(conn, order_id, lock=lock)
    if order is None:
        raise NotFound(f"order {order_id} does not exist")
    return order


def calendar_for(conn: Connection, seller_id: str) -> BusinessCalendar:
    found = catalog.seller_calendar(conn, seller_id)
    if found is None:
        raise NotFound(f"seller {seller_id} does not exist")
    return BusinessCalendar.of(*found)

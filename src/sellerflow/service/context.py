"""The marketplace a service works on, how a command runs in one retried transaction, and how a
domain decision is recorded."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Connection, Engine, insert
from sqlalchemy.exc import IntegrityError, OperationalError

from sellerflow.clock import Clock, SandboxClock, SystemClock
from sellerflow.domain.decisions import Decision
from sellerflow.domain.errors import ConcurrentUpdate, InvalidInput, NotFound, Refused
from sellerflow.domain.model import Order, Seller
from sellerflow.domain.policy import BusinessCalendar, Policy
from sellerflow.payments import ApproveAllVerifier, PaymentVerifier, SandboxVerifier
from sellerflow.service import config
from sellerflow.store import catalog, migrate, outbox, settings
from sellerflow.store import orders as order_store
from sellerflow.store.db import READ_ONLY, open_engine
from sellerflow.store.schema import ledger, refunds, shipments

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
            conn = conn.execution_options(**{READ_ONLY: True})
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
        raise InvalidInput("--db", f"cannot open {engine.url.render_as_string()}: "
                                   f"{str(error.orig).strip()}") from None
    if not current:
        raise InvalidInput("--db", f"{engine.url.render_as_string()} has no up-to-date sellerflow "
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


def apply_decision(conn: Connection, before: Order, decision: Decision, at: datetime) -> None:
    """Record a decision about an existing order: the compare-and-set write, then its effects."""
    if decision.order != before:
        order_store.save_order(conn, before, decision.order)
    record_effects(conn, decision, before, at)


def record_effects(conn: Connection, decision: Decision, before: Order | None,
                   at: datetime) -> None:
    order = decision.order
    order_store.append_history(conn, order, decision.history)
    for listing_id in sorted(decision.restock):
        catalog.return_stock(conn, listing_id, decision.restock[listing_id])
    for listing_id in sorted(decision.listings_emptied):
        canceled = sum(i.quantity_canceled for i in order.items if i.listing_id == listing_id)
        if before is not None:
            canceled -= sum(i.quantity_canceled for i in before.items
                            if i.listing_id == listing_id)
        catalog.empty_listing(conn, listing_id, canceled)
    if decision.notifications:
        _enqueue(conn, order, decision, at)
    if decision.ledger:
        conn.execute(insert(ledger), [
            {"seller_id": order.seller_id, "amazon_order_id": order.amazon_order_id,
             "at": e.at, "kind": e.kind, "amount_cents": e.amount.cents}
            for e in decision.ledger])
    if decision.refund is not None:
        r = decision.refund
        conn.execute(insert(refunds).values(
            amazon_order_id=order.amazon_order_id, seller_id=order.seller_id, at=r.at,
            amount_cents=r.amount.cents, reason=r.reason))


def record_shipment(conn: Connection, decision: Decision, upload_key: str | None) -> int:
    s = decision.shipment
    assert s is not None
    order = decision.order
    result = conn.execute(insert(shipments).values(
        amazon_order_id=order.amazon_order_id, seller_id=order.seller_id,
        carrier_code=s.carrier_code, carrier_name=s.carrier_name,
        tracking_number=s.tracking_number, tracking_valid=s.tracking_valid,
        ship_method=s.ship_method, ship_date=s.ship_date, confirmed_at=s.confirmed_at,
        ship_to=json.dumps(s.ship_to.to_wire(), sort_keys=True),
        lines=json.dumps([{"orderItemId": i, "quantity": q} for i, q in s.lines]),
        amount_cents=s.gross.cents, upload_key=upload_key))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _enqueue(conn: Connection, order: Order, decision: Decision, at: datetime) -> None:
    seller = require_seller(conn, order.seller_id)
    buyer = catalog.get_buyer(conn, order.buyer_id)
    for note in decision.notifications:
        recipient = seller.email if note.recipient == "seller" else (buyer.email if buyer else "")
        if recipient:
            outbox.enqueue(conn, note.key, note.kind, recipient, note.subject, note.body, at)

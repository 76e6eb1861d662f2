"""L28: the sweeper fires due deadlines many orders to a transaction, and each order ends
exactly as when each deadline fired on its own at its due time."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import make_url

from sellerflow.clock import SandboxClock
from sellerflow.service.context import Marketplace, open_marketplace
from sellerflow.service.deadlines import sweep
from sellerflow.store import deadlines as deadline_store
from sellerflow.store.schema import metadata
from tests import helpers as h
from tests.conftest import _pg_admin


def _scenario(market: Marketplace) -> None:
    """Two sellers' orders in every state a sweep acts on; the last ones still in their hold,
    so that one sweep releases and then auto-cancels them."""
    sellers = []
    for email in ("one@example.com", "two@example.com"):
        seller_id = h.seller(market, email=email)
        sellers.append(seller_id)
        h.listing(market, seller_id, "MUG", quantity=200)
        h.listing(market, seller_id, "CUP", quantity=3)
        for n in range(12):
            h.place(market, seller_id, "MUG", 1 + n % 3, payment=("ok", "deferred")[n % 2],
                    buyer=f"buyer{n % 4}@example.com")
        shipped = h.released(market, seller_id, "MUG", 3)
        h.ship(market, shipped, lines=((h.item_id(market, shipped), 1),))
        h.released(market, seller_id, "CUP", 2, level="Expedited")
        h.place(market, seller_id, "CUP", 1, payment="deferred")
    for seller_id in sellers:
        for n in range(3):
            h.place(market, seller_id, "MUG", 1 + n, buyer=f"buyer{n}@example.com")


def _jump(market: Marketplace, to: datetime) -> None:
    """Move the clock without sweeping."""
    market.run(lambda work: SandboxClock.set(work.conn, to))


def _each_deadline_at_its_time(market: Marketplace, until: datetime) -> int:
    """The clock moved from one due time to the next, the deadlines due then fired one order
    per transaction: how deadlines fire when the sweeper keeps up."""
    fired = 0
    while True:
        with h.reading(market) as conn:
            due_at = deadline_store.next_due(conn, until)
        if due_at is None:
            _jump(market, until)
            return fired
        _jump(market, max(due_at, market.now()))
        fired += sweep(market, batch=1)


def _rows(market: Marketplace) -> dict[str, list[str]]:
    """Every table's rows without their sequence numbers, which follow the order rows were
    written in, nor when a deadline was swept: everything else is the same whenever and in
    whatever batches the deadlines fire."""
    with h.reading(market) as conn:
        return {table.name: sorted(repr({k: v for k, v in row._mapping.items()
                                         if k not in ("id", "fired_at")})
                                   for row in conn.execute(table.select()))
                for table in metadata.sorted_tables}


@contextmanager
def _copy_of(market: Marketplace, url: str) -> Iterator[Marketplace]:
    """A second database holding what this one holds now."""
    market.close()
    target = make_url(url)
    if target.get_backend_name() == "sqlite":
        copy = f"{target.database}.copy"
        shutil.copy(str(target.database), copy)
        opened = open_marketplace(f"sqlite:///{copy}")
        yield opened
        opened.close()
        return
    name = f"sf_copy_{uuid.uuid4().hex[:12]}"
    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{target.database}"')
    opened = open_marketplace(target.set(database=name).render_as_string(hide_password=False))
    try:
        yield opened
    finally:
        opened.close()
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_L28_a_batch_sweep_leaves_every_order_as_firing_each_deadline_on_time_does(
        db_url: str) -> None:
    market = open_marketplace(db_url)
    _scenario(market)
    # Far enough that an order has its hold end, its warning and its ship deadline all due.
    until = market.now() + timedelta(days=31)
    with _copy_of(market, db_url) as on_time:
        fired_on_time = _each_deadline_at_its_time(on_time, until)
        expected = _rows(on_time)
    market = open_marketplace(db_url)
    try:
        _jump(market, until)
        assert sweep(market, batch=500) == fired_on_time > 50
        found: dict[str, Any] = _rows(market)
        assert found == expected
        h.assert_every_unit_is_accounted_for(market)
        h.assert_order_counts_match_the_orders(market)
    finally:
        market.close()


def test_L28_a_sweep_in_small_batches_fires_each_deadline_once(db_url: str) -> None:
    market = open_marketplace(db_url)
    try:
        _scenario(market)
        _jump(market, market.now() + timedelta(days=31))
        fired = sweep(market, batch=7)
        assert fired > 50
        assert sweep(market, batch=7) == 0
        with h.reading(market) as conn:
            assert deadline_store.count_unfired_due(conn, market.now()) == 0
    finally:
        market.close()

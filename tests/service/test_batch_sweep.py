"""L28: the sweeper fires due deadlines many orders to a transaction, and each order ends
exactly as when each deadline fired on its own at its due time."""

from __future__ import annotations

from datetime import datetime, timedelta

from sellerflow.service.context import Marketplace, open_marketplace
from sellerflow.service.deadlines import sweep
from sellerflow.store import deadlines as deadline_store
from sellerflow.store.settings import set_clock
from tests import helpers as h
from tests.conftest import copy_of


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
    market.run(lambda work: set_clock(work.conn, to))


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


def test_L28_a_batch_sweep_leaves_every_order_as_firing_each_deadline_on_time_does(
        db_url: str) -> None:
    market = open_marketplace(db_url)
    _scenario(market)
    # Far enough that an order has its hold end, its warning and its ship deadline all due.
    until = market.now() + timedelta(days=31)
    with copy_of(market, db_url) as on_time:
        fired_on_time = _each_deadline_at_its_time(on_time, until)
        expected = h.rows_without_ids(on_time, also=("fired_at",))
    market = open_marketplace(db_url)
    try:
        _jump(market, until)
        assert sweep(market, batch=500) == fired_on_time > 50
        found = h.rows_without_ids(market, also=("fired_at",))
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

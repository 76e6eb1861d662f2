"""Races between processes, on both databases: no oversold unit, no deadline fired twice."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from sellerflow.domain.errors import RuleViolation
from sellerflow.domain.placement import CartLine
from sellerflow.service import orders as order_service
from sellerflow.service.checkout import Checkout, place_order
from sellerflow.service.context import Marketplace, open_marketplace
from sellerflow.service.deadlines import sweep
from sellerflow.store.schema import deadlines, order_history, order_items
from sellerflow.store.settings import set_clock
from tests import helpers as h
from tests.conftest import fresh_market
from tests.helpers import OP

pytestmark = pytest.mark.slow


def _buy_until_sold_out(url: str, seller_id: str, worker: int) -> int:
    """Runs in its own process: buys 1-2 units at a time until refused; returns units bought."""
    market = open_marketplace(url)
    bought = 0
    attempt = 0
    while True:
        attempt += 1
        units = 1 + (worker + attempt) % 2
        try:
            place_order(market, OP, Checkout(f"racer{worker}@example.com",
                                         [CartLine(seller_id, "LAST", units)], h.ADDRESS))
        except RuleViolation as refused:
            assert refused.rule == "L2"
            if units == 1:
                break
            continue
        bought += units
    market.close()
    return bought


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_L2_eight_processes_racing_for_the_last_100_units_sell_exactly_100(
        kind: str, tmp_path: Path, sqlite_template: Path, postgres_template: str | None) -> None:
    with fresh_market(kind, tmp_path, sqlite_template, postgres_template) as (market, url):
        shop = h.seller(market)
        h.listing(market, shop, "LAST", quantity=100)
        with multiprocessing.get_context("spawn").Pool(8) as pool:
            bought = pool.starmap(_buy_until_sold_out, [(url, shop, n) for n in range(8)])
        assert sum(bought) == 100
        assert h.quantity(market, shop, "LAST") == 0
        with h.reading(market) as conn:
            ordered = conn.execute(select(func.sum(order_items.c.quantity_ordered))
                                   ).scalar_one()
        assert ordered == 100
        h.assert_order_counts_match_the_orders(market)


def _sweep(url: str, start: Any, fired: Any) -> None:
    """Runs in its own process: opens the marketplace, waits for the other sweepers so all
    start together (a late process would find nothing left), sweeps, reports what it fired."""
    market = open_marketplace(url)
    start.wait()
    fired.put(sweep(market, batch=20))      # small batches, so that there is work to share
    market.close()


def test_L28_three_workers_sweeping_1000_due_deadlines_fire_each_exactly_once(
        tmp_path: Path, sqlite_template: Path, postgres_template: str | None) -> None:
    with fresh_market("postgresql", tmp_path, sqlite_template, postgres_template) as (market,
                                                                                       url):
        shop = h.seller(market)
        h.listing(market, shop, quantity=1000)
        order_ids = [h.place(market, shop) for _ in range(250)]      # 4 deadlines each
        market.run(lambda work: set_clock(work.conn, work.now + timedelta(days=31)))
        spawn = multiprocessing.get_context("spawn")
        start, results = spawn.Barrier(3), spawn.Queue()
        sweepers = [spawn.Process(target=_sweep, args=(url, start, results)) for _ in range(3)]
        for process in sweepers:
            process.start()
        fired = [results.get(timeout=300) for _ in sweepers]
        for process in sweepers:
            process.join()
        assert sum(fired) == 1000
        assert all(n > 0 for n in fired), fired     # the work really was shared
        assert reasons_per_order(market) == {
            o: ["placed", "approved", "hold-ended", "ship-deadline"] for o in order_ids}
        h.assert_order_counts_match_the_orders(market)


def reasons_per_order(market: Marketplace) -> dict[str, list[str]]:
    """Every order's history reasons, checking first that nothing due is left unfired."""
    with h.reading(market) as conn:
        assert conn.execute(select(func.count()).where(deadlines.c.fired_at.is_(None))
                            ).scalar_one() == 0
        rows = conn.execute(select(order_history.c.amazon_order_id, order_history.c.reason)
                            .order_by(order_history.c.id)).all()
    found: dict[str, list[str]] = {}
    for order_id, reason in rows:
        found.setdefault(order_id, []).append(reason)
    return found


def _mixed_commands(market: Marketplace, shop: str, worker: int, rounds: int) -> None:
    """One request thread of a server: buys, reads, ships, cancels and sweeps."""
    buyer = f"thread{worker}@example.com"
    for n in range(rounds):
        try:
            placed = place_order(market, OP, Checkout(buyer, [CartLine(shop, "MUG", 1 + n % 2)],
                                                      h.ADDRESS))
            order_id = placed[0].order_id
            h.view(market, order_id)
            h.orders(market, shop)
            if worker % 3 == 0:
                order_service.buyer_cancel(market, OP, order_id)
            elif worker % 3 == 1:
                market.run(lambda work: set_clock(work.conn,
                                                         work.now + timedelta(minutes=1)))
                sweep(market)
                h.ship(market, order_id)
            else:
                h.ledger(market, shop)
                h.metrics(market, shop)
        except RuleViolation as refused:
            # Pending when another thread has not moved the clock yet, or sold out.
            assert refused.rule in ("L7", "L2"), refused


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_fifty_request_threads_share_one_marketplace(
        kind: str, tmp_path: Path, sqlite_template: Path, postgres_template: str | None) -> None:
    with fresh_market(kind, tmp_path, sqlite_template, postgres_template) as (market, _url):
        shop = h.seller(market)
        h.listing(market, shop, quantity=10_000)
        with ThreadPoolExecutor(max_workers=50) as pool:
            running = [pool.submit(_mixed_commands, market, shop, n, 6) for n in range(50)]
            for done in running:
                done.result()    # re-raises a pool timeout or any other failure
        # Every unit is on sale, in an open order, shipped or back on sale after a cancel.
        with h.reading(market) as conn:
            ordered = conn.execute(select(func.sum(order_items.c.quantity_ordered
                                                   - order_items.c.quantity_canceled))
                                   ).scalar_one()
            placed = conn.execute(select(func.count()).where(order_history.c.reason == "placed")
                                  ).scalar_one()
        assert h.quantity(market, shop) + ordered == 10_000
        assert placed == len(h.orders(market, shop)) == 300
        h.assert_order_counts_match_the_orders(market)

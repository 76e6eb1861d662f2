"""`demo --orders N`: the generated data set is exactly what checkout writes."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from sellerflow.domain.errors import InvalidInput, Refused
from sellerflow.service import dataset, ids
from sellerflow.service.checkout import place_order
from sellerflow.service.context import Marketplace, open_marketplace
from sellerflow.store.settings import set_clock
from tests import helpers as h
from tests.conftest import copy_of
from tests.helpers import OP

# What an order writes, and the accounts and listings it refers to (sellers keep a password
# hash with a salt of its own, so they differ run to run whatever the ids).
ORDER_TABLES = ("orders", "order_items", "order_history", "deadlines", "outbox",
                "order_counts", "listings", "buyers")


def _numbered_ids(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Make every generated id a counter; returns what starts the counters again."""
    counters: dict[str, itertools.count[int]] = {}

    def restart() -> None:
        for name in ("order_id", "order_item_id", "asin", "seller_id", "buyer_id", "token"):
            counters[name] = itertools.count()

    def numbered(name: str, width: int) -> Callable[..., str]:
        return lambda *_, **__: f"{name[:1].upper()}{next(counters[name]):0{width}d}"

    restart()
    monkeypatch.setattr(ids, "order_id", lambda: f"111-{next(counters['order_id']):07d}-0000000")
    for name, width in (("order_item_id", 13), ("asin", 9), ("seller_id", 13), ("buyer_id", 13),
                        ("token", 20)):
        monkeypatch.setattr(ids, name, numbered(name, width))
    return restart


def test_a_generated_data_set_is_what_checkout_writes_one_order_at_a_time(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    restart = _numbered_ids(monkeypatch)
    market = open_marketplace(db_url)
    with copy_of(market, db_url) as by_checkout:
        plan = dataset.Plan.make(by_checkout, 60, 2, 2, 7, seed=3)
        for cart in plan.carts(0, 60):
            by_checkout.run(lambda work, at=cart.at: set_clock(work.conn, at))
            place_order(by_checkout, OP, cart.checkout)
        expected = h.rows_without_ids(by_checkout, ORDER_TABLES)
    restart()
    market = open_marketplace(db_url)
    try:
        summary = dataset.generate(market, OP, 60, days=2, sellers=2, buyers=7, seed=3)
        assert summary["orders"] == sum(summary["ordersByStatus"].values()) == 60
        assert h.rows_without_ids(market, ORDER_TABLES) == expected
        assert len(expected["orders"]) == 60 and len(expected["deadlines"]) == 240
        h.assert_order_counts_match_the_orders(market)
        h.assert_every_unit_is_accounted_for(market)
    finally:
        market.close()


def test_a_data_set_needs_an_empty_sandbox_and_sane_numbers(market: Marketplace) -> None:
    with pytest.raises(InvalidInput) as bad:
        dataset.generate(market, OP, 0)
    assert bad.value.details["field"] == "orders"
    with pytest.raises(InvalidInput):
        dataset.generate(market, OP, 10, sellers=11)
    dataset.generate(market, OP, 10, days=1, settle=True)
    with pytest.raises(Refused) as refused:
        dataset.generate(market, OP, 10)
    assert refused.value.code == "NotEmpty"

"""The counts of a seller's orders per status that Manage Orders' tabs show (L7), kept as
orders change rather than counted on every page."""

from __future__ import annotations

from sqlalchemy import inspect, select

from sellerflow.service import orders as order_service
from sellerflow.service.context import Marketplace
from sellerflow.store import migrate
from sellerflow.store.schema import order_counts
from tests import helpers as h
from tests.helpers import OP


def test_migration_0009_fills_the_counts_from_the_orders_that_exist(
        market: Marketplace, shop: str) -> None:
    other = h.seller(market, email="other@example.com")
    h.ship(market, h.released(market, shop))
    order_service.seller_cancel(market, OP, h.released(market, shop), "BuyerCanceled")
    h.released(market, shop)
    h.place(market, shop)
    migrate.downgrade(market.engine, "0008")
    assert not inspect(market.engine).has_table("order_counts")

    migrate.upgrade(market.engine)

    h.assert_order_counts_match_the_orders(market)
    with h.reading(market) as conn:
        kept = {(r.seller_id, r.status): r.orders for r in conn.execute(select(order_counts))}
    assert kept[(shop, "Pending")] == kept[(shop, "Unshipped")] == 1
    assert kept[(shop, "Shipped")] == kept[(shop, "Canceled")] == 1
    assert not any(seller == other for seller, _ in kept)     # no orders, nothing kept


def test_L7_counts_follow_every_order_through_its_statuses(market: Marketplace,
                                                            shop: str) -> None:
    partly = h.released(market, shop, qty=2)
    h.assert_order_counts_match_the_orders(market)
    h.ship(market, partly, lines=((h.item_id(market, partly), 1),))
    h.assert_order_counts_match_the_orders(market)
    pending = h.place(market, shop)
    order_service.buyer_cancel(market, OP, pending)
    h.advance(market, "31d")        # the partly shipped order is canceled at its deadline
    h.assert_order_counts_match_the_orders(market)

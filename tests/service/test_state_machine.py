"""A hypothesis state machine interleaves buyers, sellers, verification outcomes, uploads and
clock jumps, and checks after every step what must always hold (acceptance of issue 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    MultipleResults,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from sellerflow.domain.errors import Category, RuleViolation, SellerflowError
from sellerflow.domain.placement import CartLine
from sellerflow.service import fulfillment, listings, reports, uploads
from sellerflow.service import orders as order_service
from sellerflow.service.checkout import Checkout, place_order
from sellerflow.service.deadlines import sweep
from sellerflow.store import deadlines as deadline_store
from tests import helpers as h
from tests.conftest import fresh_market
from tests.helpers import OP

SKUS = ("MUG", "CUP", "BOWL")
TERMINAL = ("Canceled", "Shipped")
REASONS = st.sampled_from(["NoInventory", "BuyerCanceled", "GeneralAdjustment"])


def machine_for(kind: str, tmp_path: Path, sqlite_template: Path,
                postgres_template: str | None) -> type[RuleBasedStateMachine]:
    counter = iter(range(10**6))

    class OrderLifecycle(RuleBasedStateMachine):
        orders = Bundle("orders")

        def __init__(self) -> None:
            super().__init__()
            self._database = fresh_market(kind, tmp_path / f"example-{next(counter)}",
                                          sqlite_template, postgres_template)
            self.market, _ = self._database.__enter__()
            self.placed: list[str] = []     # in placement order: draws must not depend on ids
            self.terminal: dict[str, str] = {}
            self.histories: dict[str, list[dict[str, str]]] = {}

        def teardown(self) -> None:
            self._database.__exit__(None, None, None)

        @initialize()
        def open_shops(self) -> None:
            self.shop = h.seller(self.market)
            self.other_shop = h.seller(self.market, email="other@example.com")
            for sku in SKUS:
                h.listing(self.market, self.shop, sku, quantity=6)
            h.listing(self.market, self.other_shop, "TEA", quantity=4)

        def _try(self, action: object) -> None:
            """Run a command a rule may refuse; a refusal must be a rule or bad input."""
            try:
                action()  # type: ignore[operator]
            except SellerflowError as refusal:
                assert refusal.category in (Category.RULE, Category.BAD_INPUT,
                                            Category.CONFLICT), refusal

        def listed(self, *statuses: str) -> list[str]:
            """The seller's orders that Manage Orders lists in these statuses, in the order
            they were placed (ids are random, so sorting by them would make draws flaky)."""
            found = {o["AmazonOrderId"] for status in statuses
                     for o in h.orders(self.market, self.shop, status)}
            return [order_id for order_id in self.placed if order_id in found]

        # Buyers

        @rule(target=orders, cart=st.lists(st.tuples(st.sampled_from(SKUS),
                                                     st.integers(1, 3)), min_size=1, max_size=3),
              also_other_shop=st.booleans(),
              payment=st.sampled_from(["ok"] * 6 + ["deferred", "declined", "fraud"]))
        def place(self, cart: list[tuple[str, int]], also_other_shop: bool,
                  payment: str) -> MultipleResults[str]:
            lines = [CartLine(self.shop, sku, qty) for sku, qty in cart]
            if also_other_shop:
                lines.append(CartLine(self.other_shop, "TEA", 1))
            try:
                placed = place_order(self.market, OP, Checkout("b@example.com", lines, h.ADDRESS,
                                                           "Standard", payment))
            except RuleViolation as refused:
                assert refused.rule == "L2"
                return multiple()
            assert len(placed) == (2 if also_other_shop else 1)      # L1
            # The shop's order first: seller ids are random, the bundle's order must not be.
            new = [o.order_id for o in sorted(placed, key=lambda o: o.seller_id != self.shop)]
            self.placed.extend(new)
            return multiple(*new)

        @rule(order=orders)
        def buyer_cancels(self, order: str) -> None:
            self._try(lambda: order_service.buyer_cancel(self.market, OP, order))

        @rule(order=orders)
        def buyer_asks_for_another_address(self, order: str) -> None:
            self._try(lambda: order_service.request_address_change(self.market, OP, order,
                                                                   h.OTHER_ADDRESS))

        @rule(order=orders, outcome=st.sampled_from(["approved", "declined", "fraud"]))
        def verifier_answers(self, order: str, outcome: str) -> None:
            self._try(lambda: order_service.verify(self.market, OP, order, outcome))

        # Sellers, on any order (most are refused: that is tested too)

        @rule(order=orders)
        def seller_redirects(self, order: str) -> None:
            self._try(lambda: order_service.accept_redirect(self.market, OP, order))

        @rule(order=orders, reason=REASONS)
        def seller_cancels(self, order: str, reason: str) -> None:
            self._try(lambda: order_service.seller_cancel(self.market, OP, order, reason))

        @rule(order=orders, units=st.integers(1, 3), whole=st.booleans())
        def seller_ships(self, order: str, units: int, whole: bool) -> None:
            lines = None if whole else ((h.item_id(self.market, order), units),)
            self._try(lambda: h.ship(self.market, order, lines))

        @rule(order=orders)
        def seller_refunds(self, order: str) -> None:
            self._try(lambda: fulfillment.refund_order(self.market, OP, order, None, "Return"))

        # Sellers working through Manage Orders (only when it lists something to do)

        @precondition(lambda self: self.listed("Unshipped", "PartiallyShipped"))
        @rule(data=st.data(), whole=st.booleans())
        def seller_ships_from_manage_orders(self, data: st.DataObject, whole: bool) -> None:
            order = data.draw(st.sampled_from(self.listed("Unshipped", "PartiallyShipped")))
            lines = None if whole else ((h.item_id(self.market, order), 1),)
            self._try(lambda: h.ship(self.market, order, lines))

        @precondition(lambda self: self.listed("Unshipped", "PartiallyShipped"))
        @rule(data=st.data(), reason=REASONS)
        def seller_cancels_from_manage_orders(self, data: st.DataObject, reason: str) -> None:
            order = data.draw(st.sampled_from(self.listed("Unshipped", "PartiallyShipped")))
            self._try(lambda: order_service.seller_cancel(self.market, OP, order, reason))

        @precondition(lambda self: self.listed("Shipped", "PartiallyShipped"))
        @rule(data=st.data(), amount=st.sampled_from([None, "1.00", "500.00"]))
        def seller_refunds_from_manage_orders(self, data: st.DataObject,
                                              amount: str | None) -> None:
            order = data.draw(st.sampled_from(self.listed("Shipped", "PartiallyShipped")))
            self._try(lambda: fulfillment.refund_order(self.market, OP, order, amount, "Return"))

        @rule(picked=st.lists(orders, min_size=1, max_size=4))
        def seller_uploads(self, picked: list[str]) -> None:
            rows = [f"{o}\t\t\t{self.market.now().date()}\tUPS\t1Z999AA10123456784"
                    for o in picked]
            content = ("order-id\torder-item-id\tquantity\tship-date\tcarrier-code\t"
                       "tracking-number\n" + "\n".join(rows) + "\n").encode()
            result = uploads.process(
                self.market, OP, uploads.upload(self.market, OP, self.shop, content))
            assert result.processed == len(rows)
            assert result.report.count("\t10002\t") >= sum(  # L21: the other seller's orders
                1 for o in picked if h.view(self.market, o)["sellerId"] == self.other_shop)

        @rule(sku=st.sampled_from(SKUS), quantity=st.integers(0, 8))
        def seller_sets_quantity(self, sku: str, quantity: int) -> None:
            listings.set_listing(self.market, OP, self.shop, sku, quantity=quantity)

        # Time

        @rule()
        def hold_ends(self) -> None:
            self.time_passes("31m")

        @rule(step=st.sampled_from(["10m", "30m", "6h", "3d", "8d", "22d"]))
        def time_passes(self, step: str) -> None:
            h.advance(self.market, step)
            assert sweep(self.market) == 0
            with h.reading(self.market) as conn:
                now = self.market.now()
                assert deadline_store.count_unfired_due(conn, now) == 0

        # What must always hold

        @invariant()
        def every_unit_is_accounted_for(self) -> None:
            if not hasattr(self, "shop"):
                return
            h.assert_every_unit_is_accounted_for(self.market)

        @invariant()
        def manage_orders_counts_match_the_orders(self) -> None:
            if not hasattr(self, "shop"):
                return
            h.assert_order_counts_match_the_orders(self.market)

        @invariant()
        def history_is_append_only_and_terminal_states_are_final(self) -> None:
            if not hasattr(self, "shop"):
                return
            for order in (h.orders(self.market, self.shop)
                          + h.orders(self.market, self.other_shop)):
                order_id = order["AmazonOrderId"]
                history = h.history(self.market, order_id)
                before = self.histories.get(order_id, [])
                assert history[:len(before)] == before
                assert [e["at"] for e in history] == sorted(e["at"] for e in history)
                self.histories[order_id] = history
                if order_id in self.terminal:
                    assert order["OrderStatus"] == self.terminal[order_id]
                elif order["OrderStatus"] in TERMINAL:
                    self.terminal[order_id] = order["OrderStatus"]

        @invariant()
        def no_pending_order_is_in_the_order_or_unshipped_report(self) -> None:
            if not hasattr(self, "shop"):
                return
            for shop in (self.shop, self.other_shop):
                pending = {o["AmazonOrderId"] for o in
                           h.orders(self.market, shop, "Pending")}
                for kind in ("orders", "unshipped"):
                    reported = {row[0] for row in reports.build(self.market, OP, kind, shop).rows}
                    assert not (pending & reported)

    return OrderLifecycle


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_lifecycle_invariants_hold_under_any_interleaving(
        kind: str, tmp_path: Path, sqlite_template: Path,
        postgres_template: str | None) -> None:
    if kind == "postgresql" and postgres_template is None:
        pytest.skip("PostgreSQL is not reachable")
    run_state_machine_as_test(machine_for(kind, tmp_path, sqlite_template, postgres_template))

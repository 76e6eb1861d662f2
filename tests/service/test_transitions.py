"""The transition table is the guard: every (status, action) pair outside it is refused with
the rule that says so, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sellerflow.domain.errors import RuleViolation
from sellerflow.domain.fulfillment import ShipmentRequest
from sellerflow.domain.lifecycle import TRANSITIONS, Action
from sellerflow.domain.model import OrderStatus
from sellerflow.service import fulfillment
from sellerflow.service import orders as order_service
from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.helpers import OP

S, A = OrderStatus, Action

# The rule that refuses each action outside the table, as lifecycle.md states it.
SELLER_REFUSALS = {S.PENDING: "L7", S.CANCELED: "L17", S.SHIPPED: "L20"}
EXPECTED_RULE: dict[Action, Callable[[OrderStatus], str]] = {
    A.SHIP: SELLER_REFUSALS.__getitem__,
    A.SELLER_CANCEL: SELLER_REFUSALS.__getitem__,
    A.REDIRECT: SELLER_REFUSALS.__getitem__,
    A.APPROVE: lambda _: "L9",
    A.DECLINE: lambda _: "L9",
    A.BUYER_CANCEL: lambda _: "L6",
    A.REQUEST_ADDRESS_CHANGE: lambda _: "L19",
    A.REFUND: lambda _: "L26",
}
# Deadlines are not commands: one that no longer applies changes nothing (test_deadlines).
COMMAND_ACTIONS = tuple(EXPECTED_RULE)


def _order_in(market: Marketplace, shop: str, status: OrderStatus) -> str:
    if status is S.PENDING:
        return h.place(market, shop, qty=2, payment="deferred")
    order_id = h.released(market, shop, qty=2)
    if status is S.PARTIALLY_SHIPPED:
        h.ship(market, order_id, lines=((h.item_id(market, order_id), 1),))
    elif status is S.SHIPPED:
        h.ship(market, order_id)
    elif status is S.CANCELED:
        order_service.seller_cancel(market, OP, order_id, "GeneralAdjustment")
    return order_id


def _command(market: Marketplace, action: Action, order_id: str) -> Callable[[], Any]:
    one_unit = ShipmentRequest("UPS", h.UPS_TRACKING, lines=((h.item_id(market, order_id), 1),))
    return {
        A.SHIP: lambda: fulfillment.ship(market, OP, order_id, one_unit),
        A.SELLER_CANCEL: lambda: order_service.seller_cancel(market, OP, order_id,
                                                             "GeneralAdjustment"),
        A.REDIRECT: lambda: order_service.accept_redirect(market, OP, order_id),
        A.APPROVE: lambda: order_service.verify(market, OP, order_id, "approved"),
        A.DECLINE: lambda: order_service.verify(market, OP, order_id, "declined"),
        A.BUYER_CANCEL: lambda: order_service.buyer_cancel(market, OP, order_id),
        A.REQUEST_ADDRESS_CHANGE: lambda: order_service.request_address_change(
            market, OP, order_id, h.OTHER_ADDRESS),
        A.REFUND: lambda: fulfillment.refund_order(market, OP, order_id, "1.00", "Return"),
    }[action]


def test_L7_L17_every_action_outside_the_table_is_refused_with_its_rule_and_writes_nothing(
        market: Marketplace, shop: str) -> None:
    walked = 0
    for status in OrderStatus:
        order_id = _order_in(market, shop, status)
        assert h.status(market, order_id) == status.value
        for action in COMMAND_ACTIONS:
            if (status, action) in TRANSITIONS:
                continue
            before = h.snapshot(market)
            with pytest.raises(RuleViolation) as refused:
                _command(market, action, order_id)()
            assert refused.value.rule == EXPECTED_RULE[action](status), (status, action)
            assert h.snapshot(market) == before, (status, action)
            walked += 1
    assert walked == sum(1 for s in OrderStatus for a in COMMAND_ACTIONS
                         if (s, a) not in TRANSITIONS)


def test_L7_a_partial_shipment_of_a_pending_order_is_refused(market: Marketplace,
                                                             shop: str) -> None:
    order_id = h.place(market, shop, qty=2)
    before = h.snapshot(market)
    with pytest.raises(RuleViolation) as refused:
        h.ship(market, order_id, lines=((h.item_id(market, order_id), 1),))
    assert refused.value.rule == "L7"
    assert h.snapshot(market) == before

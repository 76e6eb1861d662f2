"""L5-L12: the buyer-cancel hold, payment verification and its outcomes."""

from __future__ import annotations

import pytest

from sellerflow.domain.errors import Refused, RuleViolation
from sellerflow.service import orders as order_service
from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.helpers import OP


def test_L5_order_stays_pending_for_30_minutes_even_when_verified_at_once(
        market: Marketplace, shop: str) -> None:
    order_id = h.place(market, shop)
    h.advance(market, "29m")
    assert h.status(market, order_id) == "Pending"
    h.advance(market, "1m")
    assert h.status(market, order_id) == "Unshipped"
    last = h.history(market, order_id)[-1]
    assert (last["from"], last["to"], last["cause"], last["reason"]) == (
        "Pending", "Unshipped", "verification", "hold-ended")


def test_L6_buyer_cancels_a_pending_order(market: Marketplace, shop: str) -> None:
    order_id = h.place(market, shop)
    result = order_service.buyer_cancel(market, OP, order_id, "Ordered by mistake")
    assert not result.requested_only
    assert h.status(market, order_id) == "Canceled"
    assert h.history(market, order_id)[-1]["cause"] == "buyer"


def test_L6_buyer_cancel_of_a_released_order_is_only_a_request(market: Marketplace,
                                                               shop: str) -> None:
    order_id = h.released(market, shop)
    result = order_service.buyer_cancel(market, OP, order_id, "Found it cheaper")
    assert result.requested_only
    view = h.view(market, order_id)
    assert view["order"]["OrderStatus"] == "Unshipped"
    assert view["items"][0]["BuyerRequestedCancel"] == {
        "IsBuyerRequestedCancel": "true", "BuyerCancelReason": "Found it cheaper"}
    order_service.seller_cancel(market, OP, order_id, "BuyerCanceled")
    last = h.history(market, order_id)[-1]
    assert (last["to"], last["cause"], last["reason"]) == ("Canceled", "buyer", "BuyerCanceled")


def test_L6_a_requested_order_may_still_be_shipped(market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    order_service.buyer_cancel(market, OP, order_id)
    h.ship(market, order_id)
    assert h.status(market, order_id) == "Shipped"


def test_L7_seller_actions_on_a_pending_order_are_refused_with_the_reason(
        market: Marketplace, shop: str) -> None:
    order_id = h.place(market, shop)
    with pytest.raises(RuleViolation) as ship_refused:
        h.ship(market, order_id)
    with pytest.raises(RuleViolation) as cancel_refused:
        order_service.seller_cancel(market, OP, order_id, "NoInventory")
    for refusal in (ship_refused.value, cancel_refused.value):
        assert refusal.rule == "L7"
        assert "ask the buyer to contact customer service" in refusal.message
    assert h.status(market, order_id) == "Pending"


def test_L8_verification_can_keep_an_order_pending_for_21_days(market: Marketplace,
                                                               shop: str) -> None:
    order_id = h.place(market, shop, payment="deferred")
    h.advance(market, "20d23h59m")
    assert h.status(market, order_id) == "Pending"


def test_L9_approval_after_the_hold_releases_at_once(market: Marketplace, shop: str) -> None:
    order_id = h.place(market, shop, payment="deferred")
    h.advance(market, "2d")
    order_service.verify(market, OP, order_id, "approved")
    assert h.status(market, order_id) == "Unshipped"
    last = h.history(market, order_id)[-1]
    assert (last["cause"], last["reason"]) == ("verification", "approved")


def test_L9_approval_inside_the_hold_releases_when_the_hold_ends(market: Marketplace,
                                                                 shop: str) -> None:
    order_id = h.place(market, shop, payment="deferred")
    h.advance(market, "10m")
    order_service.verify(market, OP, order_id, "approved")
    assert h.status(market, order_id) == "Pending"
    h.advance(market, "20m")
    assert h.status(market, order_id) == "Unshipped"
    assert h.history(market, order_id)[-1]["reason"] == "hold-ended"


def test_L9_the_first_final_outcome_wins(market: Marketplace, shop: str) -> None:
    order_id = h.place(market, shop, payment="deferred")
    order_service.verify(market, OP, order_id, "approved")
    with pytest.raises(RuleViolation) as refused:
        order_service.verify(market, OP, order_id, "fraud")
    assert refused.value.rule == "L9"
    h.advance(market, "30m")
    with pytest.raises(RuleViolation):
        order_service.verify(market, OP, order_id, "declined")
    assert h.status(market, order_id) == "Unshipped"


def test_L10_a_deferred_order_cannot_be_shipped(market: Marketplace, shop: str) -> None:
    order_id = h.place(market, shop, payment="deferred")
    h.advance(market, "3d")
    with pytest.raises(RuleViolation) as refused:
        h.ship(market, order_id)
    assert refused.value.rule == "L7"
    assert h.status(market, order_id) == "Pending"


@pytest.mark.parametrize("outcome", ["declined", "fraud"])
def test_L11_declined_or_fraud_cancels_at_once_even_inside_the_hold(
        market: Marketplace, shop: str, outcome: str) -> None:
    order_id = h.place(market, shop, payment=outcome)
    assert h.status(market, order_id) == "Canceled"
    last = h.history(market, order_id)[-1]
    assert (last["cause"], last["reason"]) == ("verification", outcome)
    assert h.quantity(market, shop) == 50
    assert h.mailbox(market, "shop@example.com") == []


def test_L11_verify_declined_on_a_deferred_order(market: Marketplace, shop: str) -> None:
    order_id = h.place(market, shop, payment="deferred")
    order_service.verify(market, OP, order_id, "declined")
    assert h.status(market, order_id) == "Canceled"


def test_L12_still_unverified_after_21_days_is_canceled_at_the_due_time(
        market: Marketplace, shop: str) -> None:
    order_id = h.place(market, shop, payment="deferred")
    placed_at = h.history(market, order_id)[0]["at"]
    h.advance(market, "25d")
    assert h.status(market, order_id) == "Canceled"
    last = h.history(market, order_id)[-1]
    assert (last["cause"], last["reason"]) == ("verification", "verification-expired")
    from datetime import datetime, timedelta
    placed = datetime.fromisoformat(placed_at.replace("Z", "+00:00"))
    assert last["at"] == (placed + timedelta(days=21)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_verify_is_sandbox_only(market: Marketplace, shop: str) -> None:
    order_id = h.place(market, shop, payment="deferred")
    market.sandbox = False
    with pytest.raises(Refused) as refused:
        order_service.verify(market, OP, order_id, "approved")
    assert refused.value.code == "SandboxOnly"


def test_L12_units_of_an_order_canceled_at_the_verification_limit_go_back_on_sale(
        market: Marketplace, shop: str) -> None:
    h.place(market, shop, qty=3, payment="deferred")
    assert h.quantity(market, shop) == 47
    h.advance(market, "21d")
    assert h.quantity(market, shop) == 50


def test_L15_a_pending_order_says_why_it_has_no_promise_dates_yet(market: Marketplace,
                                                                    shop: str) -> None:
    order_id = h.place(market, shop, payment="deferred")
    pending = h.view(market, order_id)
    assert "LatestShipDate" not in pending["order"]
    assert "when it is released" in pending["datesNote"]
    assert "verification is still pending" in pending["datesNote"]
    order_service.verify(market, OP, order_id, "approved")
    h.advance(market, "30m")
    released = h.view(market, order_id)
    assert released["order"]["LatestShipDate"] and released["datesNote"] is None

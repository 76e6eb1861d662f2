"""L25, L26: charges and credits at shipment, refunds and the seller's ledger."""

from __future__ import annotations

import pytest

from sellerflow.domain.errors import InvalidInput, RuleViolation
from sellerflow.service import fulfillment
from sellerflow.service import orders as order_service
from sellerflow.service.context import Marketplace
from sellerflow.wire import refund_to_wire
from tests import helpers as h
from tests.helpers import OP


@pytest.fixture
def shop(market: Marketplace) -> str:
    seller_id = h.seller(market)
    h.listing(market, seller_id, price="20.00", quantity=50)
    return seller_id


def _ledger(market: Marketplace, shop: str) -> list[tuple[str, str]]:
    return [(e["kind"], e["amount"]["Amount"])
            for e in h.ledger(market, shop)["entries"]]


def test_L25_seller_is_credited_at_shipment_less_the_referral_fee(market: Marketplace,
                                                                 shop: str) -> None:
    # 2 x (20.00 + 3.99 Standard shipping) = 47.98; fee 15% = 7.20 (7.197 rounded); net 40.78
    order_id = h.released(market, shop, qty=2)
    assert _ledger(market, shop) == []
    h.ship(market, order_id)
    assert _ledger(market, shop) == [("shipment", "40.78")]
    assert h.ledger(market, shop)["balance"]["Amount"] == "40.78"


def test_L25_partial_shipments_are_credited_per_shipment_and_nothing_for_cancels(
        market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop, qty=3)
    h.ship(market, order_id, lines=((h.item_id(market, order_id), 1),))
    order_service.seller_cancel(market, OP, order_id, "GeneralAdjustment")
    assert _ledger(market, shop) == [("shipment", "20.39")]   # 23.99 - 3.60


def test_L26_refunds_only_after_shipment(market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    with pytest.raises(RuleViolation) as refused:
        fulfillment.refund_order(market, OP, order_id, None, "CustomerReturn")
    assert refused.value.rule == "L26"


def test_L26_partial_refund_debits_the_seller_and_credits_back_the_fee_less_admin(
        market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    h.ship(market, order_id)
    done = refund_to_wire(fulfillment.refund_order(market, OP, order_id, "20.00",
                                                   "CustomerReturn"))
    # fee on 20.00 = 3.00; admin fee = min(5.00, 20% of 3.00) = 0.60; net -20 + 3 - 0.60
    assert done["referralFeeCredit"]["Amount"] == "3.00"
    assert done["refundAdministrationFee"]["Amount"] == "0.60"
    assert _ledger(market, shop)[-1] == ("refund", "-17.60")
    assert h.history(market, order_id)[-1]["reason"] == "refund"
    assert h.status(market, order_id) == "Shipped"


def test_L26_refunds_never_exceed_what_was_charged(market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    h.ship(market, order_id)
    with pytest.raises(RuleViolation):
        fulfillment.refund_order(market, OP, order_id, "24.00", "CustomerReturn")
    fulfillment.refund_order(market, OP, order_id, "20.00", "CustomerReturn")
    with pytest.raises(RuleViolation):
        fulfillment.refund_order(market, OP, order_id, "4.00", "CustomerReturn")
    rest = refund_to_wire(fulfillment.refund_order(market, OP, order_id, None, "CustomerReturn"))
    assert rest["amount"]["Amount"] == "3.99"
    with pytest.raises(RuleViolation):
        fulfillment.refund_order(market, OP, order_id, None, "CustomerReturn")


def test_L26_the_admin_fee_is_capped_at_5(market: Marketplace) -> None:
    shop = h.seller(market)
    h.listing(market, shop, price="400.00")
    order_id = h.released(market, shop)
    h.ship(market, order_id)
    done = refund_to_wire(fulfillment.refund_order(market, OP, order_id, None, "CustomerReturn"))
    assert done["refundAdministrationFee"]["Amount"] == "5.00"


def test_refund_input_is_checked(market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    h.ship(market, order_id)
    for bad in ("abc", "-1", "1.234"):
        with pytest.raises(InvalidInput):
            fulfillment.refund_order(market, OP, order_id, bad, "CustomerReturn")
    with pytest.raises(InvalidInput):
        fulfillment.refund_order(market, OP, order_id, "1.00", " ")
    assert len(_ledger(market, shop)) == 1

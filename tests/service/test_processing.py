"""L17-L22: the seller ships, redirects or cancels a released order."""

from __future__ import annotations

from datetime import date

import pytest

from sellerflow.domain.errors import InvalidInput, Refused, RuleViolation
from sellerflow.domain.placement import CartLine
from sellerflow.service import orders as order_service
from sellerflow.service import reports
from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.helpers import OP


def test_L17_a_released_order_waits_for_the_seller(market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    h.advance(market, "5d")
    assert h.status(market, order_id) == "Unshipped"
    assert [o["AmazonOrderId"] for o in h.orders(market, shop, "Unshipped")] \
        == [order_id]


def test_L18_the_address_is_shown_for_released_orders_only(market: Marketplace,
                                                          shop: str) -> None:
    released = h.released(market, shop)
    pending = h.place(market, shop)
    canceled_pending = h.place(market, shop)
    order_service.buyer_cancel(market, OP, canceled_pending)
    assert h.view(market, released)["order"]["ShippingAddress"]["City"] == "Seattle"
    assert "ShippingAddress" not in h.view(market, canceled_pending)["order"]
    report = reports.build(market, OP, "orders", shop)
    ids = {row[0] for row in report.rows}
    assert released in ids and canceled_pending not in ids and pending not in ids
    city = report.header.index("ship-city")
    assert {row[city] for row in report.rows} == {"Seattle"}


def test_L19_a_redirect_uses_exactly_the_address_the_buyer_asked_for(market: Marketplace,
                                                                    shop: str) -> None:
    order_id = h.released(market, shop)
    with pytest.raises(RuleViolation) as refused:
        order_service.accept_redirect(market, OP, order_id)
    assert refused.value.rule == "L19"
    order_service.request_address_change(market, OP, order_id, h.OTHER_ADDRESS)
    order_service.accept_redirect(market, OP, order_id)
    view = h.view(market, order_id)
    assert view["order"]["ShippingAddress"] == h.OTHER_ADDRESS
    assert view["history"][-1]["reason"] == "redirect"
    h.ship(market, order_id)
    assert h.view(market, order_id)["messages"][0]["shippingAddress"] == h.OTHER_ADDRESS


def test_L20_shipment_needs_carrier_name_for_Other_and_a_tracking_number(
        market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    with pytest.raises(InvalidInput):
        h.ship(market, order_id, carrier="Other")
    with pytest.raises(InvalidInput):
        h.ship(market, order_id, tracking="  ")
    with pytest.raises(InvalidInput):
        h.ship(market, order_id, carrier="Pigeon")
    h.ship(market, order_id, carrier="Other", carrier_name="Local Courier", tracking="LC-1")
    assert h.view(market, order_id)["shipments"][0]["carrierName"] == "Local Courier"


def test_L20_ship_date_defaults_to_now_and_may_not_be_in_the_future_or_before_purchase(
        market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    with pytest.raises(RuleViolation):
        h.ship(market, order_id, ship_date=date(2026, 1, 9))
    with pytest.raises(RuleViolation):
        h.ship(market, order_id, ship_date=date(2026, 1, 1))
    h.ship(market, order_id)
    shipment = h.view(market, order_id)["shipments"][0]
    assert shipment["shipDate"] == shipment["confirmedAt"] == "2026-01-05T18:30:00Z"
    assert shipment["shipMethod"] == "Standard"


def test_L20_partial_shipments_never_more_than_remain(market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop, qty=3)
    item = h.item_id(market, order_id)
    h.ship(market, order_id, lines=((item, 2),))
    assert h.status(market, order_id) == "PartiallyShipped"
    with pytest.raises(RuleViolation) as refused:
        h.ship(market, order_id, lines=((item, 2),))
    assert refused.value.rule == "L20"
    h.ship(market, order_id, lines=((item, 1),))
    assert h.status(market, order_id) == "Shipped"
    assert [e["reason"] for e in h.history(market, order_id)][-2:] == ["shipment", "shipment"]


def test_L20_a_tracking_number_off_its_carrier_format_is_accepted_with_a_warning(
        market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    confirmed = h.ship(market, order_id, tracking="12345")
    assert confirmed.warnings and "L20" in str(confirmed.warnings[0])
    assert h.view(market, order_id)["shipments"][0]["trackingValid"] is False


def test_L21_an_individual_seller_cannot_upload_shipment_files(market: Marketplace) -> None:
    from sellerflow.service import uploads
    individual = h.seller(market, plan="individual")
    with pytest.raises(RuleViolation) as refused:
        uploads.upload(market, OP, individual, b"order-id\tship-date\tcarrier-code\n")
    assert refused.value.rule == "L21"


def test_L22_seller_cancels_with_an_amazon_reason_code(market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    with pytest.raises(InvalidInput):
        order_service.seller_cancel(market, OP, order_id, "Bored")
    order_service.seller_cancel(market, OP, order_id, "ShippingAddressUndeliverable")
    last = h.history(market, order_id)[-1]
    assert (last["to"], last["cause"], last["reason"]) == (
        "Canceled", "seller", "ShippingAddressUndeliverable")


def test_L22_canceling_the_rest_of_a_partly_shipped_order_ends_it_shipped(
        market: Marketplace, shop: str) -> None:
    h.listing(market, shop, "CUP", quantity=5)
    order_id = h.place(market, shop, lines=[CartLine(shop, "MUG", 1), CartLine(shop, "CUP", 2)])
    h.advance(market, "30m")
    h.ship(market, order_id, lines=((h.item_id(market, order_id, 0), 1),))
    order_service.seller_cancel(market, OP, order_id, "NoInventory")
    assert h.status(market, order_id) == "Shipped"
    assert h.quantity(market, shop, "CUP") == 0


def test_L22_BuyerCanceled_without_a_request_counts_against_the_seller(
        market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    order_service.seller_cancel(market, OP, order_id, "BuyerCanceled")
    assert h.history(market, order_id)[-1]["cause"] == "seller"


def test_L22_buyer_can_leave_feedback_on_a_seller_canceled_order(market: Marketplace,
                                                                shop: str) -> None:
    order_id = h.released(market, shop)
    order_service.seller_cancel(market, OP, order_id, "NoInventory")
    left = order_service.leave_feedback(market, OP, order_id, 1, "Canceled on me")
    assert left.rating == 1
    with pytest.raises(Refused):
        order_service.leave_feedback(market, OP, order_id, 5, "again")


def test_nothing_leaves_Canceled_or_Shipped(market: Marketplace, shop: str) -> None:
    canceled = h.released(market, shop)
    order_service.seller_cancel(market, OP, canceled, "CustomerExchange")
    shipped = h.released(market, shop)
    h.ship(market, shipped)
    for order_id in (canceled, shipped):
        with pytest.raises(RuleViolation):
            h.ship(market, order_id)
        with pytest.raises(RuleViolation):
            order_service.seller_cancel(market, OP, order_id, "GeneralAdjustment")
        with pytest.raises(RuleViolation):
            order_service.buyer_cancel(market, OP, order_id)

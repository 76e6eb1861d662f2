"""Orders in Amazon's own shapes (SP-API Orders v0), where the engine's own bookkeeping differs."""

from __future__ import annotations

import re
from decimal import Decimal

from sellerflow.domain.placement import CartLine
from sellerflow.service import orders as order_service
from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.helpers import OP


def _amount(money: dict[str, str]) -> Decimal:
    return Decimal(money["Amount"])


def test_a_pending_order_has_no_order_total_and_a_released_one_the_sum_of_its_items(
        market: Marketplace, shop: str) -> None:
    order_id = h.place(market, shop, qty=2)
    assert "OrderTotal" not in h.view(market, order_id)["order"]
    h.advance(market, "30m")
    view = h.view(market, order_id)
    assert _amount(view["order"]["OrderTotal"]) == sum(
        _amount(i["ItemPrice"]) + _amount(i["ShippingPrice"]) for i in view["items"])


def test_L22_a_canceled_line_leaves_its_item_and_its_money(market: Marketplace,
                                                           shop: str) -> None:
    h.listing(market, shop, "CUP", quantity=10, price="5.00")
    order_id = h.place(market, shop, lines=[CartLine(shop, "MUG", 2), CartLine(shop, "CUP", 1)])
    h.advance(market, "30m")
    order_service.seller_cancel(market, OP, order_id, "NoInventory")
    view = h.view(market, order_id)
    assert [i["QuantityOrdered"] for i in view["items"]] == [0, 0]
    assert all(_amount(i["ItemPrice"]) == 0 == _amount(i["ShippingPrice"])
               for i in view["items"])
    assert "OrderTotal" not in view["order"]


def test_orders_carry_amazon_us_ids_service_level_names_and_a_seller_order_id(
        market: Marketplace, shop: str) -> None:
    order = h.view(market, h.place(market, shop))["order"]
    assert re.fullmatch(r"11[1-4]-\d{7}-\d{7}", order["AmazonOrderId"])
    assert order["SellerOrderId"] == order["AmazonOrderId"]
    assert (order["ShipServiceLevel"], order["ShipmentServiceLevelCategory"]) == (
        "Std US D2D Dom", "Standard")

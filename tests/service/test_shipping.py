"""A seller's shipping settings: per service level, an amount per shipment and per item; an
order's shipping is the sum of its items', charged as its units ship (L25)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sellerflow.domain.callers import Caller
from sellerflow.domain.errors import InvalidInput, NotFound
from sellerflow.domain.placement import CartLine
from sellerflow.service import shipping
from sellerflow.service.context import Marketplace
from sellerflow.wire import shipping_to_wire
from tests import helpers as h
from tests.helpers import OP


def _amount(money: dict[str, str]) -> Decimal:
    return Decimal(money["Amount"])


def test_a_seller_without_settings_charges_the_defaults(market: Marketplace, shop: str) -> None:
    order_id = h.place(market, shop, qty=2)
    item = h.view(market, order_id)["items"][0]
    assert _amount(item["ShippingPrice"]) == Decimal("7.98")      # 2 x 3.99 per item
    levels = shipping_to_wire(shipping.shipping_settings(market, OP, shop))["levels"]
    assert all(level["isDefault"] for level in levels)


def test_L25_per_shipment_and_per_item_charges_add_up_and_are_charged_as_units_ship(
        market: Marketplace, shop: str) -> None:
    h.listing(market, shop, "CUP", quantity=10, price="5.00")
    shipping.set_shipping(market, OP, shop, "Standard", "4.99", "0.99")
    order_id = h.place(market, shop, lines=[CartLine(shop, "MUG", 2), CartLine(shop, "CUP", 1)])
    view = h.view(market, order_id)
    first, second = view["items"]
    assert _amount(first["ShippingPrice"]) == Decimal("6.97")     # 4.99 + 2 x 0.99
    assert _amount(second["ShippingPrice"]) == Decimal("0.99")
    h.advance(market, "30m")
    total = _amount(h.view(market, order_id)["order"]["OrderTotal"])
    assert total == sum(_amount(i["ItemPrice"]) + _amount(i["ShippingPrice"])
                        for i in view["items"])
    h.ship(market, order_id, lines=((first["OrderItemId"], 1),))
    h.ship(market, order_id)
    shipped = [Decimal(s["amount"]["Amount"]) for s in h.view(market, order_id)["shipments"]]
    assert shipped == [Decimal("10.00") + Decimal("4.99") + Decimal("0.99"),
                       Decimal("10.00") + Decimal("0.99") + Decimal("5.00") + Decimal("0.99")]
    assert sum(shipped) == total


def test_shipping_settings_change_one_level_and_keep_the_other_amount(
        market: Marketplace, shop: str) -> None:
    shipping.set_shipping(market, OP, shop, "NextDay", "9.00", None)
    level = shipping.shipping_settings(market, OP, shop).level("NextDay")
    assert (level.per_shipment.amount, level.per_item.amount, level.is_default) == (
        Decimal("9.00"), Decimal("14.99"), False)


@pytest.mark.parametrize(("level", "per_shipment", "per_item", "field"), [
    ("Overnight", "1.00", "1.00", "shipServiceLevel"),
    ("Standard", "-1", "1.00", "perShipment"),
    ("Standard", "1.00", "1000.01", "perItem"),
    ("Standard", "abc", None, "perShipment"),
])
def test_bad_shipping_settings_are_refused_by_field(market: Marketplace, shop: str, level: str,
                                                    per_shipment: str, per_item: str | None,
                                                    field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        shipping.set_shipping(market, OP, shop, level, per_shipment, per_item)
    assert refused.value.field == field
    assert all(lv.is_default for lv in shipping.shipping_settings(market, OP, shop).levels)


def test_a_seller_cannot_see_or_change_another_sellers_shipping(market: Marketplace,
                                                                 shop: str) -> None:
    other = h.seller(market, email="other@example.com")
    with pytest.raises(NotFound):
        shipping.shipping_settings(market, Caller.seller(other), shop)
    with pytest.raises(NotFound):
        shipping.set_shipping(market, Caller.seller(other), shop, "Standard", "0", "0")

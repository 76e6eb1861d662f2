"""L1-L4: checkout, inventory, quantity-0 listings, units returned by cancellations."""

from __future__ import annotations

import pytest

from sellerflow.domain.errors import Category, InvalidInput, NotFound, Refused, RuleViolation
from sellerflow.domain.placement import CartLine
from sellerflow.service import ids, listings
from sellerflow.service.checkout import Checkout, place_order
from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.helpers import OP


def test_L1_checkout_creates_a_pending_order_with_a_placed_entry(market: Marketplace) -> None:
    shop = h.seller(market)
    h.listing(market, shop)
    order_id = h.place(market, shop)
    assert h.status(market, order_id) == "Pending"
    first = h.history(market, order_id)[0]
    assert (first["from"], first["to"], first["cause"], first["reason"]) == (
        None, "Pending", "buyer", "placed")


def test_L1_a_cart_with_two_sellers_becomes_one_order_per_seller(market: Marketplace) -> None:
    a, b = h.seller(market, email="a@example.com"), h.seller(market, email="b@example.com")
    h.listing(market, a, "A1")
    h.listing(market, b, "B1")
    result = place_order(market, OP, Checkout("buyer@example.com",
                                          [CartLine(a, "A1", 1), CartLine(b, "B1", 2)],
                                          h.ADDRESS))
    assert sorted(o.seller_id for o in result) == sorted([a, b])
    for placed in result:
        items = h.view(market, placed.order_id)["items"]
        assert len(items) == 1


def test_L2_purchased_quantity_leaves_the_listing_at_once(market: Marketplace) -> None:
    shop = h.seller(market)
    h.listing(market, shop, quantity=5)
    h.place(market, shop, qty=3)
    assert h.quantity(market, shop) == 2


def test_L2_a_cart_is_all_or_nothing_and_names_every_short_item(market: Marketplace) -> None:
    shop = h.seller(market)
    h.listing(market, shop, "A", quantity=5)
    h.listing(market, shop, "B", quantity=1)
    h.listing(market, shop, "C", quantity=0)
    with pytest.raises(RuleViolation) as refused:
        h.place(market, shop, lines=[CartLine(shop, "A", 2), CartLine(shop, "B", 2),
                                     CartLine(shop, "C", 1)])
    assert refused.value.rule == "L2"
    short = {s["sku"]: s for s in refused.value.details["shortItems"]}
    assert set(short) == {"B", "C"}
    assert short["B"]["available"] == 1
    assert "B" in refused.value.message and "C" in refused.value.message
    assert h.quantity(market, shop, "A") == 5   # nothing was taken


def test_L2_the_last_unit_goes_to_one_buyer_only(market: Marketplace) -> None:
    shop = h.seller(market)
    h.listing(market, shop, quantity=1)
    h.place(market, shop, buyer="first@example.com")
    with pytest.raises(RuleViolation):
        h.place(market, shop, buyer="second@example.com")
    assert h.quantity(market, shop) == 0


def test_L3_a_listing_at_zero_leaves_the_catalog_and_restocking_returns_it(
        market: Marketplace) -> None:
    shop = h.seller(market)
    h.listing(market, shop, quantity=1)
    h.place(market, shop)
    assert [x.sku for x in listings.buyable(market)] == []
    assert [(x.sku, x.quantity, x.buyable) for x in listings.inventory(market, OP, shop)] == [
        ("MUG", 0, False)]                                          # still in inventory
    listings.set_listing(market, OP, shop, "MUG", quantity=4)
    assert [x.sku for x in listings.buyable(market)] == ["MUG"]


def test_L3_the_catalog_is_searched_by_title_or_sku_and_sold_out_listings_stay_out(
        market: Marketplace) -> None:
    shop = h.seller(market)
    listings.set_listing(market, OP, shop, "LAMP_50%", title="Desk Lamp", price="20.00",
                         quantity=3)
    listings.set_listing(market, OP, shop, "MUGX1", title="Blue mug", price="8.00", quantity=2)
    listings.set_listing(market, OP, shop, "GONE", title="Blue lamp", price="8.00", quantity=0)

    def found(search: str | None) -> list[str]:
        return [x.sku for x in listings.buyable(market, search)]

    assert found("lamp") == ["LAMP_50%"]              # the sold-out Blue lamp is not for sale
    assert found("BLUE") == ["MUGX1"] and found("mugx") == ["MUGX1"]
    assert found("p_5") == ["LAMP_50%"] and found("_") == ["LAMP_50%"]   # _ and % are letters
    assert found("%") == ["LAMP_50%"] and found("x%") == []
    assert found("  ") == found(None) == ["LAMP_50%", "MUGX1"]
    with pytest.raises(InvalidInput) as refused:
        listings.buyable(market, "x" * 201)
    assert refused.value.field == "search"


def test_L3_setting_a_quantity_sets_it_rather_than_adding(market: Marketplace) -> None:
    shop = h.seller(market)
    h.listing(market, shop, quantity=10)
    listings.set_listing(market, OP, shop, "MUG", quantity=3)
    assert h.quantity(market, shop) == 3


def test_L4_units_canceled_before_shipping_return_to_the_listing(market: Marketplace) -> None:
    shop = h.seller(market)
    h.listing(market, shop, quantity=5)
    pending = h.place(market, shop, qty=2)
    from sellerflow.service import orders as order_service
    order_service.buyer_cancel(market, OP, pending)
    assert h.quantity(market, shop) == 5
    released = h.released(market, shop, qty=3)
    order_service.seller_cancel(market, OP, released, "GeneralAdjustment")
    assert h.quantity(market, shop) == 5


def test_L4_a_NoInventory_cancellation_returns_nothing_and_empties_the_listing(
        market: Marketplace) -> None:
    from sellerflow.service import orders as order_service
    shop = h.seller(market)
    h.listing(market, shop, quantity=5)
    order_id = h.released(market, shop, qty=2)
    order_service.seller_cancel(market, OP, order_id, "NoInventory")
    assert h.quantity(market, shop) == 0
    assert h.status(market, order_id) == "Canceled"


def test_unknown_listing_or_bad_cart_is_refused_and_changes_nothing(market: Marketplace) -> None:
    shop = h.seller(market)
    h.listing(market, shop, quantity=5)
    with pytest.raises(NotFound):
        h.place(market, shop, "NOPE")
    with pytest.raises(InvalidInput):
        h.place(market, shop, qty=0)
    with pytest.raises(InvalidInput):
        place_order(market, OP, Checkout("buyer@example.com", [CartLine(shop, "MUG", 1)],
                                     {"Name": "x"}))
    with pytest.raises(InvalidInput):
        h.place(market, shop, level="Teleport")
    assert h.quantity(market, shop) == 5


def test_idempotency_key_replays_the_first_result_and_refuses_another_cart(
        market: Marketplace) -> None:
    shop = h.seller(market)
    h.listing(market, shop, quantity=5)
    first = h.place(market, shop, key="k-1")
    again = h.place(market, shop, key="k-1")
    assert first == again
    assert h.quantity(market, shop) == 4
    with pytest.raises(Refused) as refused:
        h.place(market, shop, qty=2, key="k-1")
    assert refused.value.category is Category.CONFLICT
    assert h.quantity(market, shop) == 4


def test_L1_an_order_checked_out_with_prime_says_so(market: Marketplace, shop: str) -> None:
    plain = h.place(market, shop)
    prime = place_order(market, OP, Checkout("buyer@example.com", [CartLine(shop, "MUG", 1)],
                                             h.ADDRESS, "NextDay", prime=True))[0].order_id
    assert h.view(market, plain)["order"]["IsPrime"] is False
    assert h.view(market, prime)["order"]["IsPrime"] is True


def test_L1_an_order_item_id_drawn_twice_is_drawn_again(market: Marketplace,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Order item ids are 14 random digits: among millions of items one may come twice. The
    database refuses the second (written straight through the driver), and the checkout is
    tried again with fresh ids rather than failing."""
    seller_id = h.seller(market)
    h.listing(market, seller_id)
    first = h.place(market, seller_id)
    taken = h.item_id(market, first)
    fresh = iter([taken, "00000000000042"])
    monkeypatch.setattr(ids, "order_item_id", lambda: next(fresh))
    second = h.place(market, seller_id)
    assert h.item_id(market, second) == "00000000000042"
    assert h.quantity(market, seller_id) == 8          # each order took its unit once

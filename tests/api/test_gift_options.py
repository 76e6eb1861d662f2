"""Gift options: a buyer's gift message and gift wrap for an item, given at checkout, reach the
seller as Amazon gives them: IsGift on getOrderItems, the message and wrap in
getOrderItemsBuyerInfo and getOrderItems' BuyerInfo with a restricted data token only, and in
the Orders API 2026's FULFILLMENT dataset (every answer checked against Amazon's model)."""

from __future__ import annotations

from typing import Any

import pytest

from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.api.conftest import CheckedClient, Seller

ORDERS = "/orders/v0/orders"
MESSAGE = "Happy birthday, Ana! Love, Tom"


@pytest.fixture
def buyer(api: CheckedClient) -> dict[str, str]:
    created = api.post("/sandbox/v1/buyers", json={"email": "tom@example.com"})
    return {"Authorization": f"Bearer {created.json()['token']}"}


def _checkout(api: CheckedClient, buyer: dict[str, str], *items: dict[str, Any],
              status: int = 201) -> dict[str, Any]:
    answer = api.post("/buyer/v1/checkout", headers=buyer,
                      json={"items": list(items), "shippingAddress": h.ADDRESS})
    assert answer.status_code == status, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_a_gift_message_reaches_the_seller_only_with_a_restricted_data_token(
        api: CheckedClient, market: Marketplace, seller: Seller,
        buyer: dict[str, str]) -> None:
    h.listing(market, seller.seller_id, quantity=5)
    h.listing(market, seller.seller_id, "CUP", quantity=5)
    placed = _checkout(api, buyer,
                       {"sellerId": seller.seller_id, "sku": "MUG", "quantity": 1,
                        "giftMessage": f"  {MESSAGE} ", "giftWrapLevel": "Classic"},
                       {"sellerId": seller.seller_id, "sku": "CUP", "quantity": 2})
    order_id = placed["orders"][0]["AmazonOrderId"]
    h.advance(market, "30m")
    mug, cup = h.item_id(market, order_id, 0), h.item_id(market, order_id, 1)

    items = seller.get(f"{ORDERS}/{order_id}/orderItems").json()["payload"]["OrderItems"]
    assert [(i["OrderItemId"], i["IsGift"]) for i in items] == [(mug, "true"), (cup, "false")]
    assert all("BuyerInfo" not in i for i in items)
    plain = seller.get(f"{ORDERS}/{order_id}/orderItems/buyerInfo").json()["payload"]
    assert plain["OrderItems"] == [{"OrderItemId": mug}, {"OrderItemId": cup}]

    path = f"{ORDERS}/{order_id}/orderItems/buyerInfo"
    rdt = {"x-amz-access-token": seller.rdt({"method": "GET", "path": path})}
    opened = api.get(path, headers=rdt).json()["payload"]["OrderItems"]
    assert opened == [{"OrderItemId": mug, "GiftMessageText": MESSAGE,
                       "GiftWrapLevel": "Classic"}, {"OrderItemId": cup}]
    items_path = f"{ORDERS}/{order_id}/orderItems"
    with_info = api.get(items_path, headers={"x-amz-access-token": seller.rdt(
        {"method": "GET", "path": items_path, "dataElements": ["buyerInfo"]})})
    first = with_info.json()["payload"]["OrderItems"][0]
    assert first["BuyerInfo"] == {"GiftMessageText": MESSAGE, "GiftWrapLevel": "Classic"}
    # An RDT for another path opens nothing here.
    other = api.get(path, headers={"x-amz-access-token": seller.rdt(
        {"method": "GET", "path": f"{ORDERS}/{order_id}/address"})})
    assert other.status_code == 403

    v2026 = seller.get(f"/orders/2026-01-01/orders/{order_id}",
                       params={"includedData": "FULFILLMENT"}).json()["order"]
    packing = [i["fulfillment"].get("packing") for i in v2026["orderItems"]]
    assert packing == [{"giftOption": {"giftMessage": MESSAGE, "giftWrapLevel": "Classic"}},
                       None]
    plain_2026 = seller.get(f"/orders/2026-01-01/orders/{order_id}").json()["order"]
    assert all("fulfillment" not in i for i in plain_2026["orderItems"])


def test_gift_options_that_cannot_be_kept_are_refused_with_nothing_ordered(
        api: CheckedClient, market: Marketplace, seller: Seller,
        buyer: dict[str, str]) -> None:
    h.listing(market, seller.seller_id, quantity=5)
    before = h.snapshot(market)
    line = {"sellerId": seller.seller_id, "sku": "MUG", "quantity": 1}
    cases = {
        "items[1].giftMessage": [{**line, "giftMessage": "x" * 241}],
        "items[2].giftWrapLevel": [line, {**line, "giftWrapLevel": "Gold\nfoil"}],
        "items[2].giftMessage": [{**line, "giftMessage": "For Ana"},
                                 {**line, "giftMessage": "For Bo"}],
    }
    for field, items in cases.items():
        error = _checkout(api, buyer, *items, status=400)["errors"][0]
        assert error["code"] == "InvalidInput" and field in error["message"], error
    assert h.snapshot(market) == before
    # The same SKU twice with the same gift option is one item with it.
    same = {**line, "giftMessage": "For Ana"}
    order_id = _checkout(api, buyer, same, same)["orders"][0]["AmazonOrderId"]
    h.advance(market, "30m")
    items = seller.get(f"{ORDERS}/{order_id}/orderItems").json()["payload"]["OrderItems"]
    assert [(i["QuantityOrdered"], i["IsGift"]) for i in items] == [(2, "true")]

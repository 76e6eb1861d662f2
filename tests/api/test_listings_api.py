"""Listings Items 2021-08-01 over HTTP (L3)."""

from __future__ import annotations

from typing import Any

from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.api.conftest import CheckedClient, Seller

MARKET = "ATVPDKIKX0DER"


def _attributes(quantity: int, price: float = 12.5) -> dict[str, Any]:
    return {
        "item_name": [{"value": "Blue mug", "language_tag": "en_US", "marketplace_id": MARKET}],
        "purchasable_offer": [{"currency": "USD", "marketplace_id": MARKET,
                               "our_price": [{"schedule": [{"value_with_tax": price}]}]}],
        "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT",
                                      "quantity": quantity, "lead_time_to_ship_max_days": 3}],
        "brand": [{"value": "Acme", "marketplace_id": MARKET}]}


def _path(seller: Seller, sku: str = "BLUE-MUG") -> str:
    return f"/listings/2021-08-01/items/{seller.seller_id}/{sku}"


def test_L3_put_then_get_the_listing_in_amazon_shapes(seller: Seller) -> None:
    answer = seller.api.put(_path(seller), params={"marketplaceIds": MARKET},
                            headers=seller.headers,
                            json={"productType": "HOME", "attributes": _attributes(5)})
    assert answer.status_code == 200 and answer.json()["status"] == "ACCEPTED"
    item = seller.get(_path(seller), params={
        "marketplaceIds": MARKET,
        "includedData": "summaries,attributes,fulfillmentAvailability,offers"}).json()
    assert item["summaries"][0]["status"] == ["BUYABLE", "DISCOVERABLE"]
    assert item["summaries"][0]["itemName"] == "Blue mug"
    assert item["fulfillmentAvailability"] == [{"fulfillmentChannelCode": "DEFAULT",
                                                "quantity": 5}]
    assert item["offers"][0]["price"] == {"currencyCode": "USD", "amount": "12.50"}
    assert item["attributes"]["brand"][0]["value"] == "Acme"      # kept as given


def test_L3_a_sold_out_listing_is_not_buyable_and_a_patch_restock_makes_it_buyable(
        market: Marketplace, seller: Seller) -> None:
    seller.api.put(_path(seller), params={"marketplaceIds": MARKET}, headers=seller.headers,
                   json={"productType": "HOME", "attributes": _attributes(1)})
    h.place(market, seller.seller_id, "BLUE-MUG")
    summary = seller.get(_path(seller), params={"marketplaceIds": MARKET}).json()
    assert summary["summaries"][0]["status"] == ["DISCOVERABLE"]
    patched = seller.api.patch(_path(seller), params={"marketplaceIds": MARKET},
                               headers=seller.headers, json={"productType": "HOME", "patches": [
                                   {"op": "replace",
                                    "path": "/attributes/fulfillment_availability",
                                    "value": [{"fulfillment_channel_code": "DEFAULT",
                                               "quantity": 4}]}]})
    assert patched.json()["status"] == "ACCEPTED"
    assert h.quantity(market, seller.seller_id, "BLUE-MUG") == 4
    assert seller.get(_path(seller), params={"marketplaceIds": MARKET}).json()[
        "summaries"][0]["status"] == ["BUYABLE", "DISCOVERABLE"]


def test_unreadable_attributes_are_an_invalid_submission_with_the_issue(seller: Seller) -> None:
    attributes = _attributes(-3)
    answer = seller.api.put(_path(seller), params={"marketplaceIds": MARKET},
                            headers=seller.headers,
                            json={"productType": "HOME", "attributes": attributes})
    assert answer.status_code == 200 and answer.json()["status"] == "INVALID"
    assert "negative" in answer.json()["issues"][0]["message"]
    assert seller.get(_path(seller), params={"marketplaceIds": MARKET}).status_code == 404


def test_delete_takes_the_listing_off_and_another_sellers_listing_is_forbidden(
        api: CheckedClient, market: Marketplace, seller: Seller) -> None:
    seller.api.put(_path(seller), params={"marketplaceIds": MARKET}, headers=seller.headers,
                   json={"productType": "HOME", "attributes": _attributes(2)})
    other = Seller(api, market, "other@example.com")
    assert other.api.delete(_path(seller), params={"marketplaceIds": MARKET},
                            headers=other.headers).status_code == 403
    # Another seller's listing is 403 on every operation, as at Amazon (it was 404 on GET).
    assert other.get(_path(seller), params={"marketplaceIds": MARKET}).status_code == 403
    gone = seller.api.delete(_path(seller), params={"marketplaceIds": MARKET},
                             headers=seller.headers)
    assert gone.json()["status"] == "ACCEPTED"
    assert seller.get(_path(seller), params={"marketplaceIds": MARKET}).status_code == 404
    back = seller.api.put(_path(seller), params={"marketplaceIds": MARKET},
                          headers=seller.headers,
                          json={"productType": "HOME", "attributes": _attributes(2)})
    assert back.json()["status"] == "ACCEPTED"
    assert h.quantity(market, seller.seller_id, "BLUE-MUG") == 2


def test_createdDate_stays_and_lastUpdatedDate_follows_every_change_even_of_stock(
        market: Marketplace, seller: Seller) -> None:
    seller.api.put(_path(seller), params={"marketplaceIds": MARKET}, headers=seller.headers,
                   json={"productType": "HOME", "attributes": _attributes(5)})

    def summary() -> dict[str, str]:
        answer = seller.get(_path(seller), params={"marketplaceIds": MARKET})
        found: dict[str, str] = answer.json()["summaries"][0]
        return found

    created = summary()["createdDate"]
    h.advance(market, "1h")
    seller.api.patch(_path(seller), params={"marketplaceIds": MARKET}, headers=seller.headers,
                     json={"productType": "HOME", "patches": [{
                         "op": "replace", "path": "/attributes/fulfillment_availability",
                         "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 9}]}]})
    patched = summary()
    assert patched["createdDate"] == created and patched["lastUpdatedDate"] > created
    h.advance(market, "1h")
    h.place(market, seller.seller_id, "BLUE-MUG")          # a sale changes the stock
    sold = summary()
    assert sold["createdDate"] == created
    assert sold["lastUpdatedDate"] > patched["lastUpdatedDate"]


def test_a_sku_holding_a_line_break_is_refused_as_bad_input_not_an_unknown_route(
        seller: Seller) -> None:
    """Found by the generated requests: a route matched no SKU with a line break, so the
    answer was a 404 that Amazon's model does not declare for these operations."""
    path = f"/listings/2021-08-01/items/{seller.seller_id}/%0A0"
    for method in ("DELETE", "PATCH"):
        answer = seller.api.request(method, path, params={"marketplaceIds": MARKET},
                                    headers=seller.headers,
                                    json={"productType": "HOME", "patches": [
                                        {"op": "delete", "path": "/attributes/brand"}]})
        assert answer.status_code == 400, (method, answer.text)

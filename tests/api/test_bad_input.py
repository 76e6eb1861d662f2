"""Bad input over HTTP, on both databases: each answered 400 (or 413) in Amazon's error shape,
naming what is wrong, before the database sees it, and nothing written. Each case once gave a
500 in plain text, or was accepted."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.api.conftest import CheckedClient, Seller

MARKET = "ATVPDKIKX0DER"
ORDERS = "/orders/v0/orders"
OVERFLOWING = ("0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "1-01-01",
               "2026-13-45T00:00:00Z")
HUGE = "9" * 5000


def _refused(answer: httpx.Response, status: int = 400) -> dict[str, Any]:
    assert answer.status_code == status, (answer.status_code, answer.text[:300])
    error: dict[str, Any] = answer.json()["errors"][0]
    assert error["code"] and error["message"], error
    return error


@pytest.fixture
def order(market: Marketplace, seller: Seller) -> str:
    h.listing(market, seller.seller_id, quantity=5)
    return h.released(market, seller.seller_id)


@pytest.fixture
def buyer(api: CheckedClient) -> dict[str, str]:
    created = api.post("/sandbox/v1/buyers", json={"email": "jane@example.com"})
    return {"Authorization": f"Bearer {created.json()['token']}"}


def test_a_nul_character_anywhere_is_refused_before_the_database(
        api: CheckedClient, market: Marketplace, seller: Seller, order: str,
        buyer: dict[str, str]) -> None:
    before = h.snapshot(market)
    answers = [
        seller.get(f"{ORDERS}/{order}%00"),
        seller.get(ORDERS, params={"MarketplaceIds": MARKET, "CreatedAfter": "2026-01-01",
                                   "BuyerEmail": "a\x00b@example.com"}),
        seller.get(ORDERS, params={"MarketplaceIds": MARKET, "AmazonOrderIds": "\x00"}),
        seller.post("/reports/2021-06-30/reports", json={
            "reportType": "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL\x00",
            "marketplaceIds": [MARKET]}),
        api.post("/buyer/v1/checkout", headers=buyer, json={
            "items": [{"sellerId": seller.seller_id, "sku": "MUG\x00", "quantity": 1}],
            "shippingAddress": h.ADDRESS}),
        api.get("/shop", params={"q": "mug\x00"}),
    ]
    for answer in answers:
        assert "NUL" in _refused(answer)["message"]
    assert h.snapshot(market) == before


@pytest.mark.parametrize("moment", OVERFLOWING)
def test_times_out_of_range_are_bad_input_in_every_time_parameter(
        api: CheckedClient, market: Marketplace, seller: Seller, order: str,
        moment: str) -> None:
    before = h.snapshot(market)
    for name in ("CreatedAfter", "CreatedBefore", "LastUpdatedAfter", "LastUpdatedBefore"):
        query = {"MarketplaceIds": MARKET, name: moment}
        if name == "CreatedBefore":
            query["CreatedAfter"] = "2026-01-01T00:00:00Z"
        if name == "LastUpdatedBefore":
            query["LastUpdatedAfter"] = "2026-01-01T00:00:00Z"
        assert name in _refused(seller.get(ORDERS, params=query))["details"]
    for name in ("dataStartTime", "dataEndTime"):
        assert name in _refused(seller.post("/reports/2021-06-30/reports", json={
            "reportType": "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",
            "marketplaceIds": [MARKET], name: moment}))["details"]
    for name in ("createdSince", "createdUntil"):
        assert name in _refused(seller.get("/reports/2021-06-30/reports", params={
            "reportTypes": "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",
            name: moment}))["details"]
    item = h.item_id(market, order)
    shipped = seller.post(f"{ORDERS}/{order}/shipmentConfirmation", json={
        "marketplaceId": MARKET, "packageDetail": {
            "packageReferenceId": "1", "carrierCode": "UPS", "trackingNumber": h.UPS_TRACKING,
            "shipDate": moment, "orderItems": [{"orderItemId": item, "quantity": 1}]}})
    assert "shipDate" in _refused(shipped)["details"]
    assert h.snapshot(market) == before


def test_numbers_too_long_to_read_and_pages_past_any_end_are_bad_input(
        api: CheckedClient, market: Marketplace, seller: Seller, order: str) -> None:
    for size in (HUGE, "99999999999999999999", "²", "-1", "0", "101"):
        error = _refused(seller.get(ORDERS, params={"MarketplaceIds": MARKET,
                                                    "CreatedAfter": "2026-01-01",
                                                    "MaxResultsPerPage": size}))
        assert "MaxResultsPerPage" in error["details"] and len(error["message"]) < 300
    too_big = api.post("/reports/2021-06-30/reports", content=(
        '{"reportType": "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL", '
        f'"marketplaceIds": ["{MARKET}"], "pageSize": {HUGE}}}').encode(),
        headers={**seller.headers, "content-type": "application/json"})
    assert too_big.status_code in (202, 400), too_big.text[:200]
    assert seller.get("/reports/2021-06-30/reports", params={
        "reportTypes": "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",
        "pageSize": HUGE}).status_code == 400


def test_a_boolean_is_no_number_and_an_unknown_country_no_address(
        api: CheckedClient, market: Marketplace, seller: Seller, order: str,
        buyer: dict[str, str]) -> None:
    before = h.snapshot(market)
    for quantity in (True, "1", 1.5):
        _refused(api.post("/buyer/v1/checkout", headers=buyer, json={
            "items": [{"sellerId": seller.seller_id, "sku": "MUG", "quantity": quantity}],
            "shippingAddress": h.ADDRESS}))
    for country in ("XX", "EU", "ZZ", "us"):
        error = _refused(api.post("/buyer/v1/checkout", headers=buyer, json={
            "items": [{"sellerId": seller.seller_id, "sku": "MUG", "quantity": 1}],
            "shippingAddress": {**h.ADDRESS, "CountryCode": country}}))
        assert error["details"]["field"] == "shippingAddress.CountryCode", error
    item = h.item_id(market, order)
    _refused(seller.post(f"{ORDERS}/{order}/shipmentConfirmation", json={
        "marketplaceId": MARKET, "packageDetail": {
            "packageReferenceId": "1", "carrierCode": "UPS", "trackingNumber": h.UPS_TRACKING,
            "shipDate": "2026-01-05T18:40:00Z",
            "orderItems": [{"orderItemId": item, "quantity": True}]}}))
    assert h.snapshot(market) == before
    gb = api.post("/buyer/v1/checkout", headers=buyer, json={
        "items": [{"sellerId": seller.seller_id, "sku": "MUG", "quantity": 1}],
        "shippingAddress": {**h.ADDRESS, "CountryCode": "GB", "StateOrRegion": None}})
    assert gb.status_code == 201, gb.text


def _invalid(answer: httpx.Response) -> str:
    """putListingsItem refuses as Amazon does: 200, the submission INVALID, with its issues."""
    assert answer.status_code == 200, answer.text[:300]
    assert answer.json()["status"] == "INVALID", answer.text[:300]
    return str(answer.json()["issues"][0]["message"])


def _listing(attributes: dict[str, Any]) -> dict[str, Any]:
    return {"productType": "HOME", "attributes": attributes}


def _offer(quantity: Any = 5) -> dict[str, Any]:
    return {"item_name": [{"value": "Mug", "language_tag": "en_US", "marketplace_id": MARKET}],
            "purchasable_offer": [{"currency": "USD", "marketplace_id": MARKET,
                                   "our_price": [{"schedule": [{"value_with_tax": 9.5}]}]}],
            "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT",
                                          "quantity": quantity}]}


def test_listing_attributes_are_bounded_and_a_sku_may_hold_a_slash(
        api: CheckedClient, market: Marketplace, seller: Seller) -> None:
    items = f"/listings/2021-08-01/items/{seller.seller_id}/"
    params = {"marketplaceIds": MARKET}
    before = h.snapshot(market)
    many = {f"custom_{n}": [{"value": n}] for n in range(201)}
    assert "at most 200" in _invalid(api.put(items + "MUG", params=params,
                                             headers=seller.headers,
                                             json=_listing({**_offer(), **many})))
    large = {"bullet_point": [{"value": "x" * 1000} for _ in range(300)]}
    assert "KiB" in _invalid(api.put(items + "MUG", params=params, headers=seller.headers,
                                     json=_listing({**_offer(), **large})))
    for quantity in (True, 1e400, "5"):
        body = _listing(_offer(quantity)) if quantity != 1e400 else None
        content = (None if body is not None else
                   ('{"productType": "HOME", "attributes": {"fulfillment_availability": '
                    '[{"fulfillment_channel_code": "DEFAULT", "quantity": Infinity}]}}'))
        answer = api.put(items + "MUG", params=params, json=body, content=content,
                         headers={**seller.headers, "content-type": "application/json"})
        assert "quantity" in _invalid(answer)
    assert h.snapshot(market) == before
    # A SKU with a slash, sent as %2F as Amazon asks, through every listing operation.
    slashed = items + "MUG%2FBLUE"
    assert api.put(slashed, params=params, headers=seller.headers,
                   json=_listing(_offer())).status_code == 200
    assert api.get(slashed, params=params, headers=seller.headers).json()["sku"] == "MUG/BLUE"
    patched = api.patch(slashed, params=params, headers=seller.headers, json={
        "productType": "HOME", "patches": [{
            "op": "replace", "path": "/attributes/fulfillment_availability",
            "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 7}]}]})
    assert patched.status_code == 200, patched.text
    assert h.quantity(market, seller.seller_id, "MUG/BLUE") == 7
    assert api.delete(slashed, params=params, headers=seller.headers).status_code == 200


def test_the_public_catalog_is_paged(api: CheckedClient, market: Marketplace,
                                     seller: Seller, buyer: dict[str, str]) -> None:
    for n in range(120):
        h.listing(market, seller.seller_id, f"SKU-{n:03}", quantity=1)
    seen: list[str] = []
    page = api.get("/buyer/v1/catalog", headers=buyer).json()
    while True:
        assert len(page["listings"]) <= 50
        seen += [x["sku"] for x in page["listings"]]
        if "nextToken" not in page:
            break
        page = api.get("/buyer/v1/catalog", headers=buyer,
                       params={"nextToken": page["nextToken"]}).json()
    assert seen == [f"SKU-{n:03}" for n in range(120)]
    _refused(api.get("/buyer/v1/catalog", headers=buyer, params={"nextToken": "bm9wZQ=="}))
    shop = api.get("/shop")
    assert shop.text.count('class="card"') == 50 and "/shop?next=" in shop.text

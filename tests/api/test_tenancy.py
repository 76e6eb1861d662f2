"""Tenancy over HTTP: a second seller's token against every seller route on the first seller's
resources, a second buyer's token against every buyer route on the first buyer's order: 404
or 403 every time, and nothing changed."""

from __future__ import annotations

from typing import Any

from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.api.conftest import CheckedClient, Seller

MARKET = "ATVPDKIKX0DER"


def test_another_seller_and_another_buyer_reach_nothing_and_change_nothing(
        api: CheckedClient, market: Marketplace, seller: Seller) -> None:
    h.listing(market, seller.seller_id)
    buyer = api.post("/sandbox/v1/buyers", json={"email": "first@example.com"}).json()
    placed = api.post("/buyer/v1/checkout", headers={
        "Authorization": f"Bearer {buyer['token']}"}, json={
        "items": [{"sellerId": seller.seller_id, "sku": "MUG", "quantity": 1}],
        "shippingAddress": h.ADDRESS}).json()
    order_id = placed["orders"][0]["AmazonOrderId"]
    h.advance(market, "30m")
    report_id = seller.post("/reports/2021-06-30/reports", json={
        "reportType": "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",
        "marketplaceIds": [MARKET]}).json()["reportId"]
    document = seller.post("/feeds/2021-06-30/documents",
                           json={"contentType": "text/tab-separated-values"}).json()
    api.put(document["url"],
            content=b"order-id\tcarrier-code\ttracking-number\tship-date\n")
    feed_id = seller.post("/feeds/2021-06-30/feeds", json={
        "feedType": "POST_FLAT_FILE_FULFILLMENT_DATA", "marketplaceIds": [MARKET],
        "inputFeedDocumentId": document["feedDocumentId"]}).json()["feedId"]
    item_id = h.item_id(market, order_id)

    other = Seller(api, market, "other@example.com")
    other_buyer = api.post("/sandbox/v1/buyers", json={"email": "second@example.com"}).json()
    before = h.snapshot(market)
    order = f"/orders/v0/orders/{order_id}"
    listing = f"/listings/2021-08-01/items/{seller.seller_id}/MUG?marketplaceIds={MARKET}"
    attributes: dict[str, Any] = {"fulfillment_availability": [
        {"fulfillment_channel_code": "DEFAULT", "quantity": 0}]}
    seller_routes: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", order, None), ("GET", order + "/orderItems", None),
        ("GET", order + "/address", None), ("GET", order + "/buyerInfo", None),
        ("GET", order + "/orderItems/buyerInfo", None),
        ("POST", order + "/shipmentConfirmation", {"marketplaceId": MARKET, "packageDetail": {
            "packageReferenceId": "1", "carrierCode": "UPS", "trackingNumber": h.UPS_TRACKING,
            "shipDate": "2026-01-01T00:00:00Z",
            "orderItems": [{"orderItemId": item_id, "quantity": 1}]}}),
        ("GET", listing, None),
        ("PUT", listing, {"productType": "HOME", "attributes": attributes}),
        ("PATCH", listing, {"productType": "HOME", "patches": [
            {"op": "replace", "path": "/attributes/fulfillment_availability",
             "value": attributes["fulfillment_availability"]}]}),
        ("DELETE", listing, None),
        ("GET", f"/reports/2021-06-30/reports/{report_id}", None),
        ("DELETE", f"/reports/2021-06-30/reports/{report_id}", None),
        ("GET", f"/feeds/2021-06-30/feeds/{feed_id}", None),
        ("DELETE", f"/feeds/2021-06-30/feeds/{feed_id}", None),
        ("POST", f"/sellerflow/v1/orders/{order_id}/cancellation", {"reason": "NoInventory"}),
        ("POST", f"/sellerflow/v1/orders/{order_id}/refunds", {"amount": None,
                                                               "reason": "Other"}),
        ("POST", f"/sellerflow/v1/orders/{order_id}/redirect", None),
        ("GET", f"/sellerflow/v1/orders/{order_id}/history", None),
    ]
    for method, path, body in seller_routes:
        answer = api.request(method, path, headers=other.headers, json=body)
        assert answer.status_code in (403, 404), (method, path, answer.status_code,
                                                   answer.text)
        assert order_id not in answer.text.replace(path, "") or "does not exist" in answer.text
    buyer_headers = {"Authorization": f"Bearer {other_buyer['token']}"}
    buyer_routes: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", f"/buyer/v1/orders/{order_id}", None),
        ("POST", f"/buyer/v1/orders/{order_id}/cancel", None),
        ("POST", f"/buyer/v1/orders/{order_id}/messages", {"kind": "Text", "text": "hi"}),
        ("POST", f"/buyer/v1/orders/{order_id}/feedback", {"rating": 1}),
    ]
    for method, path, body in buyer_routes:
        answer = api.request(method, path, headers=buyer_headers, json=body)
        assert answer.status_code in (403, 404), (method, path, answer.status_code)
    assert api.get("/buyer/v1/orders", headers=buyer_headers).json() == {"orders": []}
    assert h.snapshot(market) == before

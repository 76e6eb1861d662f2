"""JSON_LISTINGS_FEED through the Feeds API, as an integration submits it: a feed document
uploaded to its URL, createFeed, the worker's processing, then the processing report read from
the result document's URL: each message applied as the Listings Items API applies it, each
bad one rejected alone with its issue, an unreadable document FATAL with nothing applied."""

from __future__ import annotations

import json
from typing import Any

from sellerflow.service import uploads
from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.api.conftest import Seller
from tests.helpers import OP

MARKET = "ATVPDKIKX0DER"
FEED = "JSON_LISTINGS_FEED"


def _attributes(quantity: int, price: float = 12.5, name: str = "Blue mug") -> dict[str, Any]:
    return {
        "item_name": [{"value": name, "language_tag": "en_US", "marketplace_id": MARKET}],
        "purchasable_offer": [{"currency": "USD", "marketplace_id": MARKET,
                               "our_price": [{"schedule": [{"value_with_tax": price}]}]}],
        "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT",
                                      "quantity": quantity}]}


def _submit(seller: Seller, market: Marketplace, document: Any) -> tuple[str, dict[str, Any]]:
    """The feed's id and, once the worker processed it, getFeed's answer."""
    made = seller.post("/feeds/2021-06-30/documents",
                       json={"contentType": "application/json; charset=UTF-8"}).json()
    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    assert seller.api.put(made["url"], content=content).status_code == 200
    created = seller.post("/feeds/2021-06-30/feeds", json={
        "feedType": FEED, "marketplaceIds": [MARKET],
        "inputFeedDocumentId": made["feedDocumentId"]})
    assert created.status_code == 202, created.text
    feed_id = created.json()["feedId"]
    for waiting in uploads.unfinished(market):
        uploads.process(market, OP, waiting)
    return feed_id, seller.get(f"/feeds/2021-06-30/feeds/{feed_id}").json()


def _report(seller: Seller, feed: dict[str, Any]) -> dict[str, Any]:
    """The processing report as the integration downloads it."""
    document = seller.get(
        f"/feeds/2021-06-30/documents/{feed['resultFeedDocumentId']}").json()
    downloaded = seller.api.get(document["url"])
    assert downloaded.status_code == 200
    assert downloaded.headers["content-type"].startswith("application/json")
    report: dict[str, Any] = json.loads(downloaded.content)
    return report


def _listing(seller: Seller, sku: str) -> dict[str, Any]:
    answer = seller.get(f"/listings/2021-08-01/items/{seller.seller_id}/{sku}", params={
        "marketplaceIds": MARKET, "includedData": "summaries,fulfillmentAvailability,offers"})
    body: dict[str, Any] = answer.json()
    return body if answer.status_code == 200 else {"status": answer.status_code}


def test_a_listings_feed_applies_each_message_and_reports_each_bad_one_alone(
        seller: Seller, market: Marketplace) -> None:
    h.listing(market, seller.seller_id, "OLD", quantity=4)
    h.listing(market, seller.seller_id, "GONE", quantity=4)
    h.listing(market, seller.seller_id, "CUP", quantity=0)
    header = {"sellerId": seller.seller_id, "version": "2.0", "issueLocale": "en_US"}
    feed_id, feed = _submit(seller, market, {"header": header, "messages": [
        {"messageId": 1, "sku": "NEW", "operationType": "UPDATE", "productType": "HOME",
         "attributes": _attributes(5)},
        {"messageId": 2, "sku": "CUP", "operationType": "PATCH", "productType": "HOME",
         "patches": [{"op": "replace", "path": "/attributes/fulfillment_availability",
                      "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 7}]}]},
        {"messageId": 3, "sku": "GONE", "operationType": "DELETE"},
        {"messageId": 4, "sku": "OLD", "operationType": "PARTIAL_UPDATE", "productType": "HOME",
         "attributes": {"item_name": _attributes(1, name="Old mug, renamed")["item_name"]}},
        {"messageId": 5, "sku": "BAD", "operationType": "UPDATE", "productType": "HOME",
         "attributes": _attributes(5, price=-1)},
        {"messageId": 6, "sku": "NOPE", "operationType": "PARTIAL_UPDATE",
         "productType": "HOME", "attributes": {"item_name": []}},
        {"messageId": 7, "sku": "X", "operationType": "REPLACE"},
        {"messageId": 1, "sku": "TWICE", "operationType": "DELETE"},
        {"messageId": 9, "sku": "NEW2", "operationType": "UPDATE", "productType": "HOME"},
    ]})
    assert (feed["processingStatus"], feed["feedType"]) == ("DONE", FEED)
    report = _report(seller, feed)
    assert report["header"] == {"sellerId": seller.seller_id, "version": "2.0",
                                "feedId": feed_id}
    assert report["summary"] == {"errors": 5, "warnings": 0, "messagesProcessed": 9,
                                 "messagesAccepted": 4, "messagesInvalid": 5}
    issues = {i["messageId"]: i for i in report["issues"]}
    assert sorted(issues) == [1, 5, 6, 7, 9]
    assert issues[5]["attributeName"] == "purchasable_offer" and issues[5]["severity"] == "ERROR"
    assert "has no listing NOPE" in issues[6]["message"]
    assert "REPLACE" in issues[7]["message"] and "earlier message" in issues[1]["message"]
    assert "attributes" in issues[9]["message"]
    assert _listing(seller, "NEW")["fulfillmentAvailability"][0]["quantity"] == 5
    assert _listing(seller, "CUP")["summaries"][0]["status"] == ["BUYABLE", "DISCOVERABLE"]
    assert _listing(seller, "GONE") == {"status": 404}
    renamed = _listing(seller, "OLD")
    assert renamed["summaries"][0]["itemName"] == "Old mug, renamed"
    assert renamed["fulfillmentAvailability"][0]["quantity"] == 4      # kept: not given
    assert _listing(seller, "BAD") == {"status": 404} == _listing(seller, "NEW2")


def test_an_unreadable_listings_feed_is_fatal_with_its_reason_and_nothing_applied(
        seller: Seller, market: Marketplace) -> None:
    h.listing(market, seller.seller_id, "OLD", quantity=4)
    message = {"messageId": 1, "sku": "OLD", "operationType": "DELETE"}
    for document, reason in (
            (b"sku\tquantity\nOLD\t0\n", "not JSON"),
            ({"messages": [message]}, '"header" is missing'),
            ({"header": {"sellerId": "A0000000000000", "version": "2.0"},
              "messages": [message]}, "not the seller"),
            ({"header": {"sellerId": seller.seller_id, "version": "1.0"},
              "messages": [message]}, "version"),
            ({"header": {"sellerId": seller.seller_id, "version": "2.0"}, "messages": []},
             "messages")):
        _, feed = _submit(seller, market, document)
        assert feed["processingStatus"] == "FATAL", document
        report = _report(seller, feed)
        assert report["summary"]["messagesProcessed"] == 0
        assert reason in report["issues"][0]["message"], (reason, report)
        assert "messageId" not in report["issues"][0]
    assert _listing(seller, "OLD")["fulfillmentAvailability"][0]["quantity"] == 4

"""L18 over HTTP: every seller route, walked with an access token, answers no buyer's personal
data (name, street address, phone, e-mail), in its body nor in any document it links to;
restricted report documents open only to an RDT naming their own path; document URLs are
signed and last five minutes."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from sellerflow.clock import SystemClock
from sellerflow.domain.placement import CartLine
from sellerflow.service import document_links, report_requests
from sellerflow.service import orders as order_service
from sellerflow.service.checkout import Checkout, place_order
from sellerflow.service.context import Marketplace
from sellerflow.worker import run_once
from tests import helpers as h
from tests.api.conftest import CheckedClient, Seller
from tests.helpers import OP

MARKET = "ATVPDKIKX0DER"
ADDRESS = {**h.ADDRESS, "Name": "Priya Ramanathan", "AddressLine1": "4417 Quillback Lane",
           "Phone": "+1 206 555 0147"}
REDIRECTED = {**h.OTHER_ADDRESS, "Name": "Priya Ramanathan",
              "AddressLine1": "88 Larkspur Terrace"}
PERSONAL = ("Priya", "Ramanathan", "Quillback", "Larkspur", "555 0147",
            "@marketplace.sellerflow.local", "buyer@example.com")
# Not seller routes with orders in them: the token grant, the buyer's and the sandbox's own.
NOT_WALKED = ("/auth/", "/buyer/", "/sandbox/", "/docs", "/openapi", "/redoc")


def _personal(text: str) -> list[str]:
    return [marker for marker in PERSONAL if marker in text]


def _reports(seller: Seller, market: Marketplace) -> dict[str, str]:
    """Each report type requested and built: its report id."""
    made = {}
    for report_type in ("GET_FLAT_FILE_ORDER_REPORT_DATA_SHIPPING",
                        "GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING",
                        "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL"):
        made[report_type] = seller.post("/reports/2021-06-30/reports", json={
            "reportType": report_type, "marketplaceIds": [MARKET]}).json()["reportId"]
    report_requests.process_queued(market)
    return made


def _place(market: Marketplace, seller_id: str) -> str:
    return place_order(market, OP, Checkout("buyer@example.com", [CartLine(seller_id, "MUG", 1)],
                                            ADDRESS, "Standard", "ok", None))[0].order_id


def test_L18_no_seller_route_answers_personal_data_to_an_access_token(
        api: CheckedClient, market: Marketplace, seller: Seller) -> None:
    h.listing(market, seller.seller_id, quantity=50)
    pending = _place(market, seller.seller_id)
    h.advance(market, "31m")
    unshipped, to_cancel, to_redirect, to_refund = (_place(market, seller.seller_id)
                                                    for _ in range(4))
    h.advance(market, "31m")
    h.ship(market, to_refund)
    order_service.request_address_change(market, OP, to_redirect, REDIRECTED)
    reports = _reports(seller, market)
    document = seller.post("/feeds/2021-06-30/documents", json={
        "contentType": "text/tab-separated-values"}).json()
    api.put(document["url"], content=f"order-id\tcarrier-code\ttracking-number\tship-date\n"
                                     f"{unshipped}\tUPS\t{h.UPS_TRACKING}\t2000-01-01\n".encode())
    feed_id = seller.post("/feeds/2021-06-30/feeds", json={
        "feedType": "POST_FLAT_FILE_FULFILLMENT_DATA", "marketplaceIds": [MARKET],
        "inputFeedDocumentId": document["feedDocumentId"]}).json()["feedId"]
    run_once(market)
    feed = seller.get(f"/feeds/2021-06-30/feeds/{feed_id}").json()
    all_orders = reports["GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL"]
    values = {"orderId": unshipped, "reportId": all_orders, "feedId": feed_id,
              "reportDocumentId": seller.get(f"/reports/2021-06-30/reports/{all_orders}")
              .json()["reportDocumentId"],
              "feedDocumentId": feed["resultFeedDocumentId"], "sellerId": seller.seller_id,
              "sku": "MUG", "documentId": document["feedDocumentId"],
              "destinationId": "no-such-destination", "notificationType": "ORDER_CHANGE",
              "subscriptionId": "no-such-subscription", "shipmentId": "no-such-shipment"}
    bodies: dict[tuple[str, str], Any] = {
        ("POST", "/sellerflow/v1/orders/{orderId}/cancellation"): {"reason": "NoInventory"},
        ("POST", "/sellerflow/v1/orders/{orderId}/refunds"): {"amount": None,
                                                              "reason": "CustomerReturn"},
    }
    order_for = {"/sellerflow/v1/orders/{orderId}/cancellation": to_cancel,
                 "/sellerflow/v1/orders/{orderId}/redirect": to_redirect,
                 "/sellerflow/v1/orders/{orderId}/refunds": to_refund}
    walked, answers = set(), []
    # Every route the server declares (its OpenAPI document lists them all).
    declared = api.app.openapi()["paths"]  # type: ignore[attr-defined]
    for template, operations in declared.items():
        if template.startswith(NOT_WALKED):
            continue
        for method in sorted(m.upper() for m in operations):
            given = {**values, "orderId": order_for.get(template, values["orderId"])}
            path = template.format(**given)
            params = {"MarketplaceIds": MARKET, "marketplaceIds": MARKET,
                      "CreatedAfter": "2000-01-01T00:00:00Z"}
            answer = api.request(method, path, headers=seller.headers, params=params,
                                 json=bodies.get((method, template)))
            walked.add((method, template))
            answers.append((method, path, answer.status_code, answer.text))
            for url in re.findall(r'"url":\s*"([^"]+)"', answer.text):
                linked = api.get(url)
                answers.append(("GET", url, linked.status_code, linked.text))
    assert len(walked) >= 30, walked
    assert ("POST", "/sellerflow/v1/orders/{orderId}/cancellation") in walked
    leaks = [(m, p, s, _personal(t)) for m, p, s, t in answers if _personal(t)]
    assert leaks == []
    assert pending and all(s < 500 for _, _, s, _ in answers), answers


def test_L18_a_restricted_report_opens_only_to_an_rdt_for_its_own_document(
        api: CheckedClient, market: Marketplace, seller: Seller) -> None:
    h.listing(market, seller.seller_id)
    _place(market, seller.seller_id)
    h.advance(market, "31m")
    reports = _reports(seller, market)
    documents = {kind: seller.get(f"/reports/2021-06-30/reports/{report_id}").json()[
        "reportDocumentId"] for kind, report_id in reports.items()}
    path = "/reports/2021-06-30/documents/"
    for kind in ("GET_FLAT_FILE_ORDER_REPORT_DATA_SHIPPING",
                 "GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING"):
        document_id = documents[kind]
        plain = seller.get(path + document_id)
        assert plain.status_code == 403, plain.text
        assert plain.json()["errors"][0]["code"] == "Unauthorized"
        other = seller.rdt({"method": "GET", "path": path + documents[
            "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL"]})
        assert api.get(path + document_id,
                       headers={"x-amz-access-token": other}).status_code == 403
        rdt = seller.rdt({"method": "GET", "path": path + document_id})
        opened = api.get(path + document_id, headers={"x-amz-access-token": rdt})
        assert opened.status_code == 200, opened.text
        content = api.get(opened.json()["url"])
        assert "4417 Quillback Lane" in content.text
    # A generic path is no restricted resource for reports (Amazon: a specific path only).
    generic = seller.post("/tokens/2021-03-01/restrictedDataToken", json={
        "restrictedResources": [{"method": "GET",
                                 "path": path + "{reportDocumentId}"}]})
    assert generic.status_code == 400
    assert "restrictedResources[0].path" in generic.json()["errors"][0]["details"]
    everyday = seller.get(path + documents[
        "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL"])
    assert everyday.status_code == 200
    text = api.get(everyday.json()["url"]).text
    assert text.startswith("amazon-order-id") and not _personal(text)


def test_document_urls_are_signed_for_one_document_and_method_and_last_five_minutes(
        api: CheckedClient, market: Marketplace, seller: Seller,
        monkeypatch: pytest.MonkeyPatch) -> None:
    h.listing(market, seller.seller_id)
    _place(market, seller.seller_id)        # a report with no rows would have no document
    reports = _reports(seller, market)
    report_id = reports["GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL"]
    document_id = seller.get(f"/reports/2021-06-30/reports/{report_id}").json()[
        "reportDocumentId"]
    url = seller.get(f"/reports/2021-06-30/documents/{document_id}").json()["url"]
    assert api.get(url).status_code == 200
    bare = api.get(f"/documents/v1/{document_id}")
    assert bare.status_code == 403 and "X-Amz-Signature" in bare.json()["errors"][0]["message"]
    tampered = url.replace("X-Amz-Expires-At=", "X-Amz-Expires-At=9")
    assert api.get(tampered).status_code == 403
    assert api.put(url, content=b"order-id\n").status_code == 403      # a GET link
    feed = seller.post("/feeds/2021-06-30/documents", json={
        "contentType": "text/tab-separated-values"}).json()
    later = SystemClock.read() + document_links.LINK_LIFETIME + timedelta(seconds=1)
    monkeypatch.setattr(document_links.SystemClock, "read", staticmethod(lambda: later))
    expired = api.get(url)
    assert expired.status_code == 403 and "expired" in expired.json()["errors"][0]["message"]
    assert api.put(feed["url"], content=b"order-id\n").status_code == 403

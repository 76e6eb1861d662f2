"""A server that never stalls (issue 20): on PostgreSQL, whose every statement is network I/O,
no API route or console page takes a database connection on the event loop; each runs its
service in the thread pool (api/calls.py), so one slow query holds up no other request."""

from __future__ import annotations

import asyncio
import re
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from sellerflow.api.app import create_app
from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.api.conftest import CheckedClient, Seller
from tests.conftest import fresh_market

MARKET = "ATVPDKIKX0DER"
SINCE = "2000-01-01T00:00:00Z"


@pytest.fixture
def on_postgresql(tmp_path: Path, sqlite_template: Path, postgres_template: str | None
                  ) -> Iterator[tuple[Marketplace, CheckedClient, list[str]]]:
    """A PostgreSQL marketplace served in-process, and where each connection was taken on the
    event loop (a stack per such checkout)."""
    with fresh_market("postgresql", tmp_path, sqlite_template, postgres_template) as (
            market, _):
        on_loop: list[str] = []

        @event.listens_for(market.engine, "checkout")
        def taken(*_: Any) -> None:
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                return                  # a worker thread: where database work belongs
            on_loop.append("".join(traceback.format_stack(limit=12)))

        with CheckedClient(create_app(market, throttle=True)) as client:
            yield market, client, on_loop


def test_no_api_route_takes_a_database_connection_on_the_event_loop_on_postgresql(
        on_postgresql: tuple[Marketplace, CheckedClient, list[str]]) -> None:
    market, api, on_loop = on_postgresql
    seller = Seller(api, market, "loop@example.com")
    h.listing(market, seller.seller_id, quantity=10)
    order_id = h.released(market, seller.seller_id)
    buyer = api.post("/sandbox/v1/buyers", json={"email": "b@example.com"}).json()["token"]
    rdt = seller.rdt({"method": "GET", "path": f"/orders/v0/orders/{order_id}",
                      "dataElements": ["buyerInfo", "shippingAddress"]})
    on_loop.clear()
    base = f"/orders/v0/orders/{order_id}"
    for path, params in (
            ("/orders/v0/orders", {"MarketplaceIds": MARKET, "CreatedAfter": SINCE}),
            (base, {}), (f"{base}/orderItems", {}), (f"{base}/address", {}),
            (f"{base}/buyerInfo", {}), (f"{base}/orderItems/buyerInfo", {}),
            ("/orders/2026-01-01/orders", {"createdAfter": SINCE}),
            (f"/orders/2026-01-01/orders/{order_id}", {"includedData": "BUYER,PACKAGES"}),
            (f"/listings/2021-08-01/items/{seller.seller_id}/MUG", {"marketplaceIds": MARKET}),
            ("/reports/2021-06-30/reports",
             {"reportTypes": "GET_FLAT_FILE_ORDER_REPORT_DATA_SHIPPING"}),
            ("/feeds/2021-06-30/feeds", {"feedTypes": "POST_FLAT_FILE_FULFILLMENT_DATA"}),
            ("/sellers/v1/marketplaceParticipations", {}),
            ("/sellerflow/v1/ledger", {}), ("/sellerflow/v1/metrics", {}),
            (f"/sellerflow/v1/orders/{order_id}/history", {})):
        answer = seller.get(path, params=params)
        assert answer.status_code == 200, (path, answer.text)
    assert api.get(base, headers={"x-amz-access-token": rdt}).status_code == 200
    for path in ("/buyer/v1/catalog", "/buyer/v1/orders"):
        assert api.get(path, headers={"Authorization": f"Bearer {buyer}"}).status_code == 200
    assert api.get("/sandbox/v1/clock").status_code == 200
    assert not on_loop, f"{len(on_loop)} connection(s) taken on the event loop:\n{on_loop[0]}"


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no form"
    return found.group(1)


def test_no_console_page_takes_a_database_connection_on_the_event_loop_on_postgresql(
        on_postgresql: tuple[Marketplace, CheckedClient, list[str]]) -> None:
    """Every page a seller or a buyer opens, and their forms, run their services in the
    thread pool on PostgreSQL: the sandbox bar's clock and the signed-in check too."""
    market, _, on_loop = on_postgresql
    seller_id = h.seller(market)
    h.listing(market, seller_id, quantity=10)
    order_id, shipped_id = h.released(market, seller_id), h.released(market, seller_id)
    with TestClient(create_app(market), base_url="http://console.test") as console:
        on_loop.clear()
        csrf = _csrf(console.get("/signin").text)
        assert console.post("/signin/sandbox", data={"seller_id": seller_id,
                                                     "csrf_token": csrf}).status_code == 200
        order_page = f"/orders-v3/order/{order_id}"
        for path in ("/orders-v3", "/orders-v3?tab=pending", order_page, "/upload",
                     "/inventory", "/reports", "/health", "/mailbox", "/settings/password"):
            answer = console.get(path)
            assert answer.status_code == 200, (path, answer.text[:300])
        csrf = _csrf(console.get(order_page).text)
        for path, form in (
                (f"/orders-v3/order/{shipped_id}/confirm-shipment",
                 {"carrier": "UPS", "tracking": "1Z999AA10123456784"}),
                (f"/orders-v3/order/{order_id}/cancel", {"reason": "NoInventory"}),
                ("/inventory/MUG/quantity", {"quantity": "7"}),
                ("/reports", {"report_type": "GET_FLAT_FILE_ORDER_REPORT_DATA_SHIPPING"})):
            answer = console.post(path, data={**form, "csrf_token": csrf})
            assert answer.status_code == 200, (path, answer.text[:300])
        assert console.get("/orders-v3/order/NO-SUCH").status_code == 404
        assert console.post("/signout", data={"csrf_token": csrf}).status_code == 200
        csrf = _csrf(console.get("/shop/signin").text)
        assert console.post("/shop/signin", data={"email": "shopper@example.com",
                                                  "csrf_token": csrf}).status_code == 200
        console.post("/shop/cart", data={"seller_id": seller_id, "sku": "MUG",
                                         "csrf_token": csrf})
        address = {"Name": "Jane Doe", "AddressLine1": "1 Main St", "City": "Seattle",
                   "StateOrRegion": "WA", "PostalCode": "98101", "CountryCode": "US"}
        placed = console.post("/shop/checkout", data={**address, "csrf_token": csrf})
        assert placed.status_code == 200, placed.text[:300]
        for path in ("/shop", "/shop/cart", "/shop/orders"):
            assert console.get(path).status_code == 200, path
    assert not on_loop, f"{len(on_loop)} connection(s) taken on the event loop:\n{on_loop[0]}"

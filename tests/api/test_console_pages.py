"""The console's order and upload pages show what the service decided for the signed-in
seller: no shipment form for an order that cannot ship, no address or total where the order
has none to show, and another seller's upload is not found."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from sellerflow.api.app import create_app
from sellerflow.service import orders as order_service
from sellerflow.service import report_requests, uploads
from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.helpers import OP


@pytest.fixture
def console(market: Marketplace) -> Iterator[TestClient]:
    with TestClient(create_app(market), base_url="http://console.test") as client:
        yield client


def _sign_in_as(client: TestClient, seller_id: str) -> None:
    page = client.get("/signin")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    answer = client.post("/signin/sandbox", data={"seller_id": seller_id,
                                                  "csrf_token": csrf.group(1)},
                         follow_redirects=False)
    assert answer.status_code == 303


def test_L7_L18_the_order_page_offers_only_what_the_order_allows(
        console: TestClient, market: Marketplace) -> None:
    shop = h.seller(market)
    h.listing(market, shop, quantity=10)
    unshipped = h.released(market, shop)
    canceled = h.released(market, shop)
    order_service.seller_cancel(market, OP, canceled, "BuyerCanceled")
    pending = h.place(market, shop)         # placed last: still in its 30-minute hold
    _sign_in_as(console, shop)
    page = console.get(f"/orders-v3/order/{pending}").text
    assert "confirm-shipment" not in page and "1 Main St" not in page
    assert "Order total" not in page
    assert "The ship-to address shows once the order leaves Pending." in page
    assert "Amazon holds the order for 30 minutes so the buyer can cancel it" in page
    page = console.get(f"/orders-v3/order/{unshipped}").text
    assert f"/orders-v3/order/{unshipped}/confirm-shipment" in page
    assert "1 Main St" in page and "Order total" in page
    page = console.get(f"/orders-v3/order/{canceled}").text
    assert "confirm-shipment" not in page and "1 Main St" not in page
    assert "A canceled order shows no address." in page


def test_another_sellers_upload_is_not_found_in_the_console(
        console: TestClient, market: Marketplace) -> None:
    mine, theirs = h.seller(market), h.seller(market, email="other@example.com")
    feed_id = uploads.upload(market, OP, theirs,
                             b"order-id\tship-date\tcarrier-code\ttracking-number\n")
    _sign_in_as(console, mine)
    for path in (f"/upload/{feed_id}", f"/upload/{feed_id}/report.txt"):
        answer = console.get(path)
        assert answer.status_code == 404, (path, answer.status_code)
        assert "Feed Processing Summary" not in answer.text


def test_a_report_requested_in_the_console_downloads_as_the_report_file(
        console: TestClient, market: Marketplace) -> None:
    """The file the seller saves is the report itself (it once was the document's id), and
    another seller's document is not found."""
    shop = h.seller(market)
    h.listing(market, shop)
    order_id = h.released(market, shop)
    _sign_in_as(console, shop)
    page = console.get("/reports").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf
    console.post("/reports", data={"report_type": "GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING",
                                   "csrf_token": csrf.group(1)})
    report_requests.process_queued(market)
    link = re.search(r'href="(/reports/[^"]+/download)"', console.get("/reports").text)
    assert link, "no download link"
    saved = console.get(link.group(1))
    assert saved.status_code == 200
    assert saved.headers["content-disposition"].startswith("attachment;")
    lines = saved.text.splitlines()
    assert lines[0].startswith("order-id\torder-item-id") and lines[1].startswith(order_id)
    _sign_in_as(console, h.seller(market, email="other@example.com"))
    assert console.get(link.group(1)).status_code == 404


def test_L23a_manage_orders_says_which_auto_cancel_rule_applies_in_both_languages(
        console: TestClient, market: Marketplace) -> None:
    from sellerflow.service import config

    shop = h.seller(market)
    _sign_in_as(console, shop)
    page = console.get("/orders-v3").text
    assert "within 30 days of the order date" in page
    config.set_value(market, OP, "auto-cancel", "amazon-2020")
    page = console.get("/orders-v3").text
    assert "within 7 business days after its ship-by date" in page
    chinese = console.get("/orders-v3", headers={"Accept-Language": "zh-CN"}).text
    assert "最晚发货日期后 7 个工作日内仍未确认发货" in chinese


def test_the_order_page_shows_each_items_gift_options_in_both_languages(
        console: TestClient, market: Marketplace) -> None:
    from sellerflow.domain.model import GiftOption
    from sellerflow.domain.placement import CartLine

    shop = h.seller(market)
    h.listing(market, shop)
    h.listing(market, shop, "CUP")
    order_id = h.released(market, shop, lines=[
        CartLine(shop, "MUG", 1, GiftOption("For Ana <3", "Classic")), CartLine(shop, "CUP", 1)])
    _sign_in_as(console, shop)
    page = console.get(f"/orders-v3/order/{order_id}").text
    assert page.count('class="gift"') == 1
    assert "Gift message: <q translate=\"no\" data-real>For Ana &lt;3</q>" in page
    assert "Classic" in page
    chinese = console.get(f"/orders-v3/order/{order_id}",
                          headers={"Accept-Language": "zh-CN"}).text
    assert "礼品留言：" in chinese and "礼品包装：" in chinese

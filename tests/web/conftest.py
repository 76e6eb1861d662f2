"""Browser tests: Python Playwright driving Debian's Chromium (/usr/bin/chromium, never a
downloaded browser) against the session's live `sellerflow serve`. In CI (CI=true) a missing
Chromium fails the run; elsewhere these tests skip with the reason."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests import helpers as h
from tests.conftest import IN_CI

CHROMIUM = os.environ.get("SELLERFLOW_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).parent / "screenshots"
LAPTOP, PHONE = {"width": 1366, "height": 768}, {"width": 390, "height": 844}
MARKET = "ATVPDKIKX0DER"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        message = (f"the browser tests need Chromium at {CHROMIUM} "
                   "(apt-get install -y chromium)")
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def open_context(browser: Browser, server: str, locale: str = "en-US",
                 viewport: dict[str, int] = LAPTOP) -> BrowserContext:
    context = browser.new_context(base_url=server, locale=locale, viewport=viewport)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = open_context(browser, server)
    yield context.new_page()
    context.close()


class Shop:
    """A seller made through the sandbox control routes, with a listing, and a buyer."""

    def __init__(self, server: str, name: str, plan: str = "professional",
                 quantity: int = 5, sku: str = "MUG", language: str = "en") -> None:
        self.control = httpx.Client(base_url=server, timeout=30)
        self.buyers: dict[str, str] = {}      # e-mail: API token
        email = f"{name.lower().replace(' ', '-')}@example.com"
        made = self.control.post("/sandbox/v1/sellers", json={
            "name": name, "plan": plan, "email": email, "language": language}).json()
        self.seller_id, self.email, self.password = made["sellerId"], email, made["password"]
        self.sku, self.title = sku, f"{name} {sku}"
        if plan == "professional":
            token = self.control.post("/auth/o2/token", data={
                "grant_type": "refresh_token", "refresh_token": made["refreshToken"],
                "client_id": made["clientId"], "client_secret": made["clientSecret"]}
            ).json()["access_token"]
            self.control.headers["x-amz-access-token"] = token
            answer = self.control.put(
                f"/listings/2021-08-01/items/{self.seller_id}/{sku}",
                params={"marketplaceIds": MARKET}, json={
                    "productType": "HOME", "attributes": {
                        "item_name": [{"value": self.title, "language_tag": "en_US",
                                       "marketplace_id": MARKET}],
                        "purchasable_offer": [{"currency": "USD", "marketplace_id": MARKET,
                                               "our_price": [{"schedule": [
                                                   {"value_with_tax": 12.5}]}]}],
                        "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT",
                                                      "quantity": quantity}]}})
            assert answer.status_code == 200, answer.text

    def order(self, buyer_email: str, quantity: int = 1) -> str:
        """An order placed through the buyer API (for tests that are not about the shop)."""
        token = self.buyers.get(buyer_email)
        if token is None:
            buyer = self.control.post("/sandbox/v1/buyers", json={"email": buyer_email})
            assert buyer.status_code == 201, buyer.text
            token = self.buyers[buyer_email] = buyer.json()["token"]
        placed = self.control.post("/buyer/v1/checkout", headers={
            "Authorization": f"Bearer {token}", "x-amz-access-token": ""}, json={
            "items": [{"sellerId": self.seller_id, "sku": self.sku, "quantity": quantity}],
            "shippingAddress": h.ADDRESS})
        assert placed.status_code == 201, placed.text
        return str(placed.json()["orders"][0]["AmazonOrderId"])

    def advance(self, duration: str) -> Any:
        return self.control.post("/sandbox/v1/clock/advance",
                                 json={"duration": duration}).json()


def sign_in(page: Page, shop: Shop) -> None:
    """Sign in to the seller console with e-mail and password, as a seller does."""
    page.goto("/signin")
    page.get_by_label("Email").fill(shop.email)
    page.get_by_label("Password").fill(shop.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/orders-v3**")

"""Every console and storefront page, in both languages and at a laptop's and a phone's size:
screenshots to tests/web/screenshots/ (not committed, for a person to look at), no English
left under zh_CN, no serious or critical accessibility violation (axe-core), no overflow."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from tests import helpers as h
from tests.web.conftest import LAPTOP, PHONE, SCREENSHOTS, Shop, open_context, sign_in

# Words that are the same in a Chinese interface: names of things, not sentences.
SAME_IN_CHINESE = {"SKU", "US"}

_VISIBLE_TEXT = """() => {
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || parent.closest('[translate="no"], script, style, template, code')) continue;
    if (node.textContent.trim()) parts.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], [alt]')) {
    if (el.closest('[translate="no"]')) continue;
    for (const name of ['placeholder', 'aria-label', 'title', 'alt']) {
      const value = el.getAttribute(name);
      if (value) parts.push(value);
    }
  }
  parts.push(document.title.replace('sellerflow', ''));
  return parts;
}"""

_OVERFLOW = """() => document.documentElement.scrollWidth - document.documentElement.clientWidth"""


@pytest.fixture(scope="module")
def pages(server: str, browser: Browser) -> Iterator[dict[str, str]]:
    """A seller with orders in every state (Pending, Unshipped, Shipped, Canceled), an upload
    and a report; a buyer who ordered; every page's path, by name."""
    shop = Shop(server, f"Tour {uuid.uuid4().hex[:6]}", quantity=50)
    buyer = f"tour-{uuid.uuid4().hex[:6]}@example.com"
    shipped, canceled, unshipped = (shop.order(buyer) for _ in range(3))
    now = shop.advance("31m")["now"]
    pending = shop.order(buyer)
    detail = shop.control.get(f"/orders/v0/orders/{shipped}/orderItems").json()
    item = detail["payload"]["OrderItems"][0]["OrderItemId"]
    assert shop.control.post(f"/orders/v0/orders/{shipped}/shipmentConfirmation", json={
        "marketplaceId": "ATVPDKIKX0DER", "packageDetail": {
            "packageReferenceId": "1", "carrierCode": "UPS", "trackingNumber": h.UPS_TRACKING,
            "shipDate": now, "orderItems": [{"orderItemId": item, "quantity": 1}]}}
    ).status_code == 204
    assert shop.control.post(f"/sellerflow/v1/orders/{canceled}/cancellation",
                             json={"reason": "NoInventory"}).status_code == 200
    context = open_context(browser, server)
    page = context.new_page()
    sign_in(page, shop)
    page.goto("/upload")
    upload = SCREENSHOTS.parent / "tour-upload.txt"
    upload.write_text("order-id\tcarrier-code\ttracking-number\tship-date\n"
                      f"111-9999999-9999999\tUPS\t{h.UPS_TRACKING}\t{now[:10]}\n")
    page.get_by_label("Shipment confirmation file").set_input_files(str(upload))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r".*/upload/[^/]+$"))
    feed = page.url.rsplit("/", 1)[1]
    upload.unlink()
    page.goto("/reports")
    page.get_by_role("button", name="Request report").click()
    context.close()
    yield {
        "signin": "/signin", "orders-unshipped": "/orders-v3", "orders-pending":
        "/orders-v3?tab=pending", "orders-all": "/orders-v3?tab=all",
        "order-pending": f"/orders-v3/order/{pending}",
        "order-unshipped": f"/orders-v3/order/{unshipped}",
        "order-shipped": f"/orders-v3/order/{shipped}",
        "order-canceled": f"/orders-v3/order/{canceled}", "upload": "/upload",
        "upload-result": f"/upload/{feed}", "inventory": "/inventory", "reports": "/reports",
        "health": "/health", "mailbox": "/mailbox", "not-found": "/orders-v3/order/nothing",
        "shop": "/shop", "shop-signin": "/shop/signin", "shop-cart": "/shop/cart",
        "shop-orders": "/shop/orders", "shop-order": f"/shop/orders/{unshipped}",
        "seller": shop.email, "password": shop.password, "buyer": buyer,
    }


def _walk(browser: Browser, server: str, paths: dict[str, str], locale: str,
          viewport: dict[str, int]) -> Iterator[tuple[str, Page]]:
    """Each page, signed in as the tour's seller and buyer (the sign-in pages before)."""
    context = open_context(browser, server, locale=locale, viewport=viewport)
    page = context.new_page()
    for name in ("signin", "shop-signin"):
        page.goto(paths[name])
        yield name, page
    page.goto("/signin")
    page.fill("#email", paths["seller"])
    page.fill("#password", paths["password"])
    page.locator("form[action='/signin'] button").click()
    page.wait_for_url("**/orders-v3**")
    page.goto("/shop/signin")
    page.fill("#email", paths["buyer"])
    page.locator("form[action='/shop/signin'] button").click()
    page.wait_for_url("**/shop")
    for name, path in paths.items():
        if path.startswith("/") and name not in ("signin", "shop-signin"):
            page.goto(path)
            yield name, page
    context.close()


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_every_page_in_both_languages_at_laptop_and_phone_size(
        browser: Browser, server: str, pages: dict[str, str], locale: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    lang = "zh_CN" if locale == "zh-CN" else "en"
    english: dict[str, list[str]] = {}
    for size, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        for name, page in _walk(browser, server, pages, locale, viewport):
            page.screenshot(path=str(SCREENSHOTS / f"{lang}-{size}-{name}.png"),
                            full_page=True)
            overflow = page.evaluate(_OVERFLOW)
            assert overflow <= 1, f"{name} ({size}, {lang}) is {overflow}px wider than the window"
            if lang == "zh_CN" and size == "laptop":
                left = [text for text in page.evaluate(_VISIBLE_TEXT)
                        if {w for w in re.findall(r"[A-Za-z]{2,}", text)} - SAME_IN_CHINESE]
                if left:
                    english[name] = left
    assert not english, f"English left on zh_CN pages: {english}"


def test_no_page_has_a_serious_or_critical_accessibility_violation(
        browser: Browser, server: str, pages: dict[str, str]) -> None:
    axe = Axe()
    found = {}
    for name, page in _walk(browser, server, pages, "en-US", LAPTOP):
        violations = [v for v in axe.run(page).response["violations"]
                      if v["impact"] in ("serious", "critical")]
        if violations:
            found[name] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert not found, found

"""Every console and storefront page, in both languages and at a laptop's and a phone's size:
screenshots to tests/web/screenshots/ (not committed, for a person to look at), no English
left under zh_CN, no serious or critical accessibility violation (axe-core), no overflow.

Under zh_CN only real data may be in English: what the pages mark `data-real` (order ids,
SKUs, names, addresses, tracking numbers, brand names) and the file formats' column names in
`code`."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests import helpers as h
from tests.web.conftest import LAPTOP, PHONE, SCREENSHOTS, Shop, open_context, sign_in

# Words that are the same in a Chinese interface: names of things, not sentences.
SAME_IN_CHINESE = {"SKU", "US", "CSV"}

_VISIBLE_TEXT = """() => {
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || parent.closest('[data-real], script, style, template, code')) continue;
    if (node.textContent.trim()) parts.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], [alt]')) {
    if (el.closest('[data-real]')) continue;
    for (const name of ['placeholder', 'aria-label', 'title', 'alt']) {
      const value = el.getAttribute(name);
      if (value) parts.push(value);
    }
  }
  parts.push(document.title.replace('sellerflow', ''));
  return parts;
}"""

_OVERFLOW = """() => document.documentElement.scrollWidth - document.documentElement.clientWidth"""
# The header's menu on one line (its links all at one height).
_MENU_LINES = """() => new Set([...document.querySelectorAll('header.top nav a')]
                                .map(a => a.offsetTop)).size"""


@pytest.fixture(scope="module")
def pages(server: str, browser: Browser) -> Iterator[dict[str, str]]:
    """A seller with orders in every state (Pending, Unshipped, Shipped, Canceled), an upload
    and a report; a buyer who ordered; every page's path, by name."""
    # The seller reads Chinese: the mailbox holds the e-mails as a Chinese seller gets them.
    shop = Shop(server, f"Tour {uuid.uuid4().hex[:6]}", quantity=50, language="zh_CN")
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
        "title": shop.title, "sku": shop.sku,
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


def _english_left(page: Page, shot: str | None = None, real: tuple[str, ...] = ()
                  ) -> list[str]:
    """The visible texts with English words outside real data (`real`: more of it)."""
    if shot is not None:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"zh_CN-refused-{shot}.png"), full_page=True)
    left = []
    for text in page.evaluate(_VISIBLE_TEXT):
        bare = text
        for data in real:
            bare = bare.replace(data, "")
        if {w for w in re.findall(r"[A-Za-z]{2,}", bare)} - SAME_IN_CHINESE:
            left.append(text)
    return left


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
            if size == "laptop":
                lines = page.evaluate(_MENU_LINES)
                assert lines <= 1, f"{name} ({lang}): the menu takes {lines} lines at 1366 px"
            if lang == "zh_CN" and size == "laptop":
                # The e-mails in the mailbox are plain text: the product's title and SKU are
                # real data in them the page cannot mark.
                left = _english_left(page, real=(pages["title"], pages["sku"]))
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


def test_every_kind_of_refusal_reads_in_chinese(browser: Browser, server: str) -> None:
    """Bad input, a rule, a stale form, an ended session, a file that cannot be read, a wrong
    password, a storefront refusal: each page a refusal leads to, in Chinese with no English
    outside real data, and the seller's input kept where it was typed."""
    shop = Shop(server, f"Refusals {uuid.uuid4().hex[:6]}", quantity=3)
    buyer = f"refused-{uuid.uuid4().hex[:6]}@example.com"
    pending = shop.order(buyer)
    shop.advance("31m")
    unshipped = shop.order(buyer)
    shop.advance("31m")
    context = open_context(browser, server, locale="zh-CN")
    page = context.new_page()
    page.goto("/signin")
    page.fill("#email", shop.email)
    page.fill("#password", "not-the-password")
    page.locator("form[action='/signin'] button").click()
    seen: dict[str, list[str]] = {"sign-in refused": _english_left(page, "sign-in")}
    page.fill("#email", shop.email)
    page.fill("#password", shop.password)
    page.locator("form[action='/signin'] button").click()
    page.wait_for_url("**/orders-v3**")

    def confirm(**values: str) -> None:
        page.goto(f"/orders-v3/order/{unshipped}")
        for name, value in values.items():
            if name == "carrier":
                page.locator("#carrier").select_option(value)
            else:
                page.locator(f"#{name}").fill(value)
        page.locator("form[action$='/confirm-shipment'] button").click()
        page.wait_for_load_state()
        expect(page.locator(".refusal")).to_be_visible()

    confirm(carrier="Other", carrier_name="Local " + "x" * 200, tracking="LOCAL-1")
    seen["bad input"] = _english_left(page, "bad-input")
    expect(page.locator("#tracking")).to_have_value("LOCAL-1")
    confirm(ship_date="2099-01-01", tracking=h.UPS_TRACKING)
    seen["a rule (L20)"] = _english_left(page, "a-rule-l20")
    # A stale page: its security token no longer the session's.
    page.goto(f"/orders-v3/order/{unshipped}")
    page.locator("#tracking").fill(h.UPS_TRACKING)
    page.evaluate("document.querySelectorAll('input[name=csrf_token]')"
                  ".forEach(e => e.value = 'stale')")
    page.locator("form[action$='/confirm-shipment'] button").click()
    expect(page.locator(".refusal")).to_be_visible()
    expect(page.locator("#tracking")).to_have_value(h.UPS_TRACKING)
    seen["a stale form"] = _english_left(page, "a-stale-form")
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value") or ""
    page.request.post(f"/orders-v3/order/{pending}/cancel",
                      form={"csrf_token": csrf, "reason": "NoInventory"})
    page.goto(f"/orders-v3/order/{pending}")
    seen["a rule (L7)"] = _english_left(page, "a-rule-l7")
    page.goto("/inventory")
    page.locator("input[name=per_item]").first.fill("lots")
    page.locator("form[id^=ship-] button").first.click()
    expect(page.locator(".refusal")).to_be_visible()
    seen["bad money"] = _english_left(page, "bad-money")
    page.goto("/upload")
    unreadable = SCREENSHOTS.parent / "unreadable.txt"
    unreadable.write_bytes(b"\x00\x01\x02 not text \xff\xfe")
    page.locator("#file").set_input_files(str(unreadable))
    page.locator("form[action='/upload'] button").click()
    page.wait_for_url(re.compile(r".*/upload/[^/]+$"))
    unreadable.unlink()
    expect(page.locator(".banner.error")).to_be_visible()
    seen["a file that cannot be read"] = _english_left(page, "a-file-that-cannot-be-read")
    page.goto("/settings/password")
    page.fill("#current_password", "wrong-password")
    page.fill("#new_password", "a-new-password-2")
    page.locator("form[action='/settings/password'] button").click()
    expect(page.locator(".refusal")).to_be_visible()
    seen["wrong password"] = _english_left(page, "wrong-password")
    page.goto("/orders-v3/order/111-0000000-0000000")
    seen["not found"] = _english_left(page, "not-found")
    # The storefront: more than is in stock (the catalog's own limit taken off).
    page.goto("/shop/signin")
    page.fill("#email", buyer)
    page.locator("form[action='/shop/signin'] button").click()
    page.goto("/shop")
    card = page.locator("li.card", has_text=shop.title)
    card.locator("input[name=quantity]").evaluate("e => { e.removeAttribute('max'); "
                                                   "e.value = '9'; }")
    card.locator("form button").click()
    page.wait_for_url("**/shop/cart")
    for label, value in h.ADDRESS.items():
        page.locator(f"#f-{label}").fill(value)
    page.locator("form[action='/shop/checkout'] button").click()
    # Refused: back in the cart with the address as typed.
    page.wait_for_url("**/shop/cart")
    expect(page.locator(".refusal")).to_be_visible()
    expect(page.locator("#f-AddressLine1")).to_have_value(h.ADDRESS["AddressLine1"])
    seen["not enough stock"] = _english_left(page, "not-enough-stock")
    context.close()
    assert not {kind: left for kind, left in seen.items() if left}, seen

"""Buy shipping in the console, in English and in Chinese (L29, L30): the seller describes the
package, chooses a rate, buys the label and prints (downloads) it; the buyer's order page
follows the package to delivered as the simulated clock moves."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import Shop, open_context
from tests.web.test_every_page import _english_left

WORDS = {"en": {"created": "Label created", "delivered": "Delivered"},
         "zh_CN": {"created": "已创建运单", "delivered": "已送达"}}
SIGNATURES = {"PDF": b"%PDF", "PNG": b"\x89PNG", "ZPL": b"^XA"}


def _sign_in(page: Page, shop: Shop) -> None:
    page.goto("/signin")
    page.fill("#email", shop.email)
    page.fill("#password", shop.password)
    page.locator("form[action='/signin'] button").click()
    page.wait_for_url("**/orders-v3**")


def _buy(page: Page, order_id: str, fmt: str, check_words: bool = False) -> None:
    """Describe the package on the order's page, see the rates, buy the second cheapest."""
    page.goto(f"/orders-v3/order/{order_id}")
    for name, value in {"ship_from.Name": "Acme Dock", "ship_from.AddressLine1": "100 Dock Rd",
                        "ship_from.City": "Portland", "ship_from.StateOrRegion": "OR",
                        "ship_from.PostalCode": "97201", "package.length": "10",
                        "package.width": "8", "package.height": "4",
                        "package.weight.value": "24"}.items():
        page.locator(f'[name="{name}"]').fill(value)
    page.locator("form[action$='/rates'] button").click()
    page.wait_for_url(f"**/orders-v3/order/{order_id}/rates")
    rates = page.locator("input[name=service]")
    assert rates.count() == 9
    if check_words:
        assert not _english_left(page, "rates"), _english_left(page)
    else:       # the rates page is a form's answer: the tour of every page cannot reach it
        violations = [v["id"] for v in Axe().run(page).response["violations"]
                      if v["impact"] in ("serious", "critical")]
        assert not violations, violations
    rates.nth(1).check()
    page.select_option("#format", fmt)
    page.locator("form[action$='/buy-shipping'] button").click()
    page.wait_for_url(f"**/orders-v3/order/{order_id}*")


@pytest.mark.parametrize("lang,locale,fmt", [("en", "en-US", "PDF"),
                                             ("zh_CN", "zh-CN", "PNG")])
def test_L29_L30_buy_shipping_print_the_label_and_watch_the_package_arrive(
        browser: Browser, server: str, lang: str, locale: str, fmt: str) -> None:
    shop = Shop(server, f"Labels {uuid.uuid4().hex[:6]}", language=lang)
    buyer = f"parcel-{uuid.uuid4().hex[:6]}@example.com"
    order_id = shop.order(buyer, quantity=2)
    shop.advance("31m")
    for key in ("late-deliveries", "lost-packages"):     # every package arrives on time
        assert shop.control.put(f"/sandbox/v1/config/{key}",
                                json={"value": "0"}).status_code == 200
    context = open_context(browser, server, locale=locale)
    page = context.new_page()
    _sign_in(page, shop)

    _buy(page, order_id, fmt, check_words=lang == "zh_CN")
    label = page.locator("a[href*='/labels/']")
    expect(label).to_have_count(1)
    shipments = page.locator("section[aria-labelledby=shipments]")
    tracking = shipments.locator("td[translate=no]").first.inner_text().strip()
    if lang == "zh_CN":
        assert not _english_left(page, "label-bought"), _english_left(page)

    with page.expect_download() as download:
        label.click()
    saved = Path(download.value.path()).read_bytes()
    assert saved.startswith(SIGNATURES[fmt])
    assert download.value.suggested_filename == f"label-{tracking}.{fmt.lower()}"
    if fmt == "PDF":
        assert tracking.encode() in saved

    # The buyer follows the package.
    page.goto("/shop/signin")
    page.fill("#email", buyer)
    page.locator("form[action='/shop/signin'] button").click()
    page.wait_for_url("**/shop")
    page.goto(f"/shop/orders/{order_id}")
    status = page.locator(".package-status")
    expect(status).to_have_text(WORDS[lang]["created"])
    expect(page.locator(".package")).to_contain_text(tracking)
    shop.advance("12d")
    page.reload()
    expect(status).to_have_text(WORDS[lang]["delivered"])
    assert page.locator(".scans li").count() == 6
    if lang == "zh_CN":
        assert not _english_left(page, "package-delivered"), _english_left(page)
    context.close()


def test_L29_a_label_canceled_in_the_console_before_the_pickup(browser: Browser,
                                                               server: str) -> None:
    shop = Shop(server, f"Void {uuid.uuid4().hex[:6]}")
    order_id = shop.order(f"void-{uuid.uuid4().hex[:6]}@example.com")
    shop.advance("31m")
    context = open_context(browser, server)
    page = context.new_page()
    _sign_in(page, shop)
    _buy(page, order_id, "ZPL")
    # The ship-from address is remembered for the next label.
    page.get_by_role("button", name="Cancel label").click()
    page.wait_for_url(f"**/orders-v3/order/{order_id}*")
    expect(page.get_by_role("status")).to_contain_text("postage refunded")
    expect(page.locator("section[aria-labelledby=shipments]")).to_contain_text(
        "Label canceled")
    expect(page.locator("a[href*='/labels/']")).to_have_count(0)
    other = shop.order(f"void-{uuid.uuid4().hex[:6]}@example.com")
    shop.advance("31m")
    page.goto(f"/orders-v3/order/{other}")
    expect(page.locator('[name="ship_from.City"]')).to_have_value("Portland")
    context.close()


def test_L29_a_refused_package_comes_back_in_chinese_with_what_was_typed(
        browser: Browser, server: str) -> None:
    """A weight of 0: the order's page again, the error beside the weight in Chinese (no
    English outside real data), the address and box as typed, nothing bought."""
    shop = Shop(server, f"Refused Box {uuid.uuid4().hex[:6]}", language="zh_CN")
    order_id = shop.order(f"box-{uuid.uuid4().hex[:6]}@example.com")
    shop.advance("31m")
    context = open_context(browser, server, locale="zh-CN")
    page = context.new_page()
    _sign_in(page, shop)
    page.goto(f"/orders-v3/order/{order_id}")
    typed = {"ship_from.Name": "Acme Dock", "ship_from.AddressLine1": "100 Dock Rd",
             "ship_from.City": "Portland", "ship_from.StateOrRegion": "OR",
             "ship_from.PostalCode": "97201", "package.length": "10", "package.width": "8",
             "package.height": "4", "package.weight.value": "0"}
    for name, value in typed.items():
        page.locator(f'[name="{name}"]').fill(value)
    page.locator("form[action$='/rates'] button").click()
    page.wait_for_url(f"**/orders-v3/order/{order_id}*")
    weight = page.locator('[name="package.weight.value"]')
    expect(weight).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".refusal")).to_contain_text("必须大于 0")
    for name, value in typed.items():
        expect(page.locator(f'[name="{name}"]')).to_have_value(value)
    assert not _english_left(page, "buy-shipping"), _english_left(page)
    expect(page.locator("a[href*='/labels/']")).to_have_count(0)
    context.close()

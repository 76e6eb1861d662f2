"""The console and the storefront in a real browser, through the pages a seller and a buyer
use, against the live server: each test names the rule it shows."""

from __future__ import annotations

import re
import uuid

import httpx
from playwright.sync_api import Browser, Page, expect

from tests import helpers as h
from tests.web.conftest import Shop, open_context, sign_in


def _name(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:6]}"


def test_L3_a_buyer_buys_the_last_unit_and_it_leaves_the_catalog(page: Page,
                                                                  server: str) -> None:
    shop = Shop(server, _name("Last Unit"), quantity=1)
    page.goto("/shop/signin")
    page.get_by_label("Email").fill(f"{uuid.uuid4().hex[:8]}@example.com")
    page.get_by_role("button", name="Sign in").click()
    page.goto("/shop")
    card = page.locator("li.card", has_text=shop.title)
    expect(card).to_be_visible()
    card.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/shop/cart")
    for label, value in h.ADDRESS.items():
        field = {"Name": "Full name", "AddressLine1": "Address line 1", "City": "City",
                 "StateOrRegion": "State", "PostalCode": "ZIP code",
                 "CountryCode": "Country code"}[label]
        page.get_by_label(field, exact=True).fill(value)
    page.get_by_role("button", name="Place your order").click()
    page.wait_for_url("**/shop/orders")
    expect(page.get_by_role("status")).to_contain_text("your order is placed")
    page.goto("/shop")
    expect(page.locator("li.card", has_text=shop.title)).to_have_count(0)


def test_L7_L9_a_pending_order_is_greyed_then_unshipped_after_30_minutes_and_L20_shipped(
        page: Page, server: str) -> None:
    shop = Shop(server, _name("Lifecycle"))
    order_id = shop.order(f"{uuid.uuid4().hex[:8]}@example.com")
    sign_in(page, shop)
    page.get_by_role("link", name=re.compile("^Pending")).click()
    row = page.locator("tr", has_text=order_id)
    expect(row).to_have_class(re.compile("greyed"))
    # The hold is explained, with the time left (L5).
    expect(row).to_contain_text("Amazon holds the order for 30 minutes so the buyer can cancel")
    expect(row).to_contain_text("min left")
    expect(row.get_by_role("link", name="Confirm shipment")).to_have_count(0)

    # The sandbox bar moves the clock 30 minutes: the hold ends (L9).
    page.get_by_role("button", name="+30 minutes").click()
    page.get_by_role("link", name=re.compile("^Unshipped")).click()
    row = page.locator("tr", has_text=order_id)
    expect(row).not_to_have_class(re.compile("greyed"))
    row.get_by_role("link", name="Confirm shipment").click()

    # L20: confirm with a UPS tracking number; the order shows Shipped and its history.
    page.get_by_label("Carrier", exact=True).select_option("UPS")
    page.get_by_label("Tracking ID").fill(h.UPS_TRACKING)
    expect(page.locator("#tracking-hint")).to_contain_text("fits this carrier")
    page.get_by_label("Shipping service").fill("Ground")
    page.get_by_role("button", name="Confirm shipment").click()
    expect(page.get_by_role("status").first).to_contain_text("Shipment confirmed")
    expect(page.locator("h1 + p .status")).to_have_text("Shipped")
    history = page.locator("ol.timeline")
    expect(history).to_contain_text("Pending")
    expect(history).to_contain_text("Unshipped")
    expect(history).to_contain_text("Shipped")
    expect(page.get_by_role("cell", name=h.UPS_TRACKING)).to_be_visible()


def test_L21_an_individual_seller_is_refused_the_upload_page_with_the_reason(
        page: Page, server: str) -> None:
    shop = Shop(server, _name("Individual"), plan="individual")
    sign_in(page, shop)
    answer = page.goto("/upload")
    assert answer is not None and answer.status == 403
    expect(page.get_by_role("alert")).to_contain_text("for Professional sellers")
    expect(page.get_by_role("button", name="Upload")).to_have_count(0)


def test_L21_an_upload_with_a_bad_row_shows_that_rows_error(page: Page, server: str,
                                                            tmp_path) -> None:
    shop = Shop(server, _name("Uploader"))
    order_id = shop.order(f"{uuid.uuid4().hex[:8]}@example.com")
    today = shop.advance("31m")["now"][:10]
    upload = tmp_path / "confirm.txt"
    upload.write_text("order-id\tcarrier-code\ttracking-number\tship-date\n"
                      f"{order_id}\tUPS\t{h.UPS_TRACKING}\t{today}\n"
                      f"111-9999999-9999999\tUPS\t{h.UPS_TRACKING}\t{today}\n")
    sign_in(page, shop)
    page.goto("/upload")
    page.get_by_label("Shipment confirmation file").set_input_files(str(upload))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r".*/upload/[^/]+$"))
    expect(page.locator("dl.counts")).to_contain_text("2")
    bad = page.locator("tbody tr", has_text="111-9999999-9999999")
    expect(bad).to_contain_text("10002")
    expect(bad).to_contain_text("No such order for this seller.")
    expect(page.locator("tbody tr")).to_have_count(1)
    # In Chinese, the row's error is explained in Chinese; the engine's own words stay beside.
    page.goto("/language/zh_CN?next=" + page.url.split(server, 1)[1])
    expect(page.locator("tbody tr", has_text="111-9999999-9999999")).to_contain_text(
        "此卖家没有该订单。")


def test_L7_a_refused_action_is_explained_in_the_readers_language(page: Page,
                                                                   server: str) -> None:
    """The refusal comes back on the order's page (not at the address posted to), with the
    rule's explanation and the engine's words, in the reader's language."""
    shop = Shop(server, _name("Refused"))
    order_id = shop.order(f"{uuid.uuid4().hex[:8]}@example.com")
    sign_in(page, shop)
    page.goto(f"/orders-v3/order/{order_id}")
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value")
    answer = page.request.post(f"/orders-v3/order/{order_id}/cancel",
                               form={"csrf_token": csrf or "", "reason": "NoInventory"})
    assert answer.url.endswith(f"/orders-v3/order/{order_id}"), answer.url
    text = re.sub(r"<[^>]+>", "", answer.text())
    assert "Pending orders cannot be shipped or canceled by the seller" in text
    assert f"order {order_id} is Pending" in text
    page.goto("/language/zh_CN?next=/orders-v3")
    chinese = page.request.post(f"/orders-v3/order/{order_id}/cancel",
                                form={"csrf_token": csrf or "", "reason": "NoInventory"})
    text = re.sub(r"<[^>]+>", "", chinese.text())
    assert "卖家不能对等待中的订单发货或取消" in text
    assert f"订单 {order_id} 处于等待中" in text


def test_L20_a_refused_confirmation_comes_back_with_what_was_typed_and_the_menu(
        page: Page, server: str) -> None:
    shop = Shop(server, _name("Mend It"))
    order_id = shop.order(f"{uuid.uuid4().hex[:8]}@example.com")
    shop.advance("31m")
    sign_in(page, shop)
    # The form asks for Other's name itself (required once Other is chosen).
    page.goto(f"/orders-v3/order/{order_id}")
    page.locator("#carrier").select_option("Other")
    expect(page.locator("#carrier_name")).to_have_attribute("required", "")
    long_name = "Local Courier " + "x" * 200       # more than a carrier name may hold
    for language, refused_words in (
            ("en", "is 214 characters; at most 200 fit"),
            ("zh_CN", "长度为 214 个字符；最多 200 个字符")):
        page.goto(f"/language/{language}?next=/orders-v3/order/{order_id}")
        page.locator("#carrier").select_option("Other")
        page.locator("#carrier_name").fill(long_name)
        page.locator("#tracking").fill("LOCAL-123456")
        page.locator("#ship_method").fill("ground")
        page.locator("form[action$='/confirm-shipment'] button").click()
        expect(page.locator(".refusal")).to_be_visible()
        # What was typed is still there; the error is beside the field and in a summary.
        expect(page.locator("#tracking")).to_have_value("LOCAL-123456")
        expect(page.locator("#ship_method")).to_have_value("ground")
        expect(page.locator("#carrier")).to_have_value("Other")
        expect(page.locator("#carrier_name")).to_have_value(long_name)
        expect(page.locator("#carrier_name")).to_have_attribute("aria-invalid", "true")
        expect(page.locator(".field-error")).to_have_text(refused_words)
        expect(page.locator(".refusal[role=alert]")).to_contain_text(refused_words)
        # The menu and Sign out are there; Refresh shows the page, not the form again.
        expect(page.locator("nav a[href='/inventory']")).to_be_visible()
        expect(page.locator("form[action='/signout'] button")).to_be_visible()
        page.reload()
        expect(page.locator(".refusal")).to_have_count(0)
        expect(page.locator("h1 + p .status")).to_have_text(
            "Unshipped" if language == "en" else "未发货")


def test_L20_a_ship_date_is_the_sellers_day(page: Page, server: str) -> None:
    """The date field holds the seller's today (their time zone, not UTC); the day after is
    refused in the seller's own dates; today is accepted and listed as typed."""
    shop = Shop(server, _name("Local Day"))
    order_id = shop.order(f"{uuid.uuid4().hex[:8]}@example.com")
    now = shop.advance("31m")["now"]
    sign_in(page, shop)
    page.goto(f"/orders-v3/order/{order_id}")
    today = page.locator("#ship_date").input_value()
    from datetime import date, datetime, timedelta
    from zoneinfo import ZoneInfo
    local = datetime.fromisoformat(now.replace("Z", "+00:00")).astimezone(
        ZoneInfo("America/Los_Angeles")).date()
    assert today == local.isoformat()
    page.locator("#ship_date").fill((local + timedelta(days=1)).isoformat())
    page.locator("#tracking").fill(h.UPS_TRACKING)
    page.locator("form[action$='/confirm-shipment'] button").click()
    page.wait_for_url(f"**/orders-v3/order/{order_id}")
    refusal = page.locator(".refusal")
    expect(refusal).to_contain_text("is in the future")
    assert "Z is in the future" not in refusal.inner_text()     # no UTC time stamps
    page.locator("#ship_date").fill(today)
    page.locator("form[action$='/confirm-shipment'] button").click()
    expect(page.locator(".flash.ok")).to_contain_text("Shipment confirmed")
    shown = date.fromisoformat(today)
    expect(page.locator("section[aria-labelledby=shipments] tbody td").first).to_have_text(
        f"{shown:%b} {shown.day}, {shown.year}")


def test_an_ended_session_keeps_the_form_and_says_nothing_was_saved(
        browser: Browser, server: str) -> None:
    shop = Shop(server, _name("Expired"))
    order_id = shop.order(f"{uuid.uuid4().hex[:8]}@example.com")
    shop.advance("31m")
    first = open_context(browser, server)
    page = first.new_page()
    sign_in(page, shop)
    page.goto(f"/orders-v3/order/{order_id}")
    page.locator("#tracking").fill(h.UPS_TRACKING)
    # Meanwhile the password changes elsewhere: this session ends.
    second = open_context(browser, server)
    elsewhere = second.new_page()
    sign_in(elsewhere, shop)
    elsewhere.goto("/settings/password")
    elsewhere.locator("#current_password").fill(shop.password)
    elsewhere.locator("#new_password").fill("a-new-password-1")
    elsewhere.locator("form[action='/settings/password'] button").click()
    expect(elsewhere.locator(".flash.ok")).to_be_visible()
    second.close()

    page.locator("form[action$='/confirm-shipment'] button").click()
    page.wait_for_url(re.compile(r".*/signin\?next="))
    page.get_by_label("Email").fill(shop.email)
    page.get_by_label("Password").fill("a-new-password-1")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/orders-v3/order/{order_id}")
    expect(page.locator(".refusal")).to_contain_text("nothing was saved")
    expect(page.locator("#tracking")).to_have_value(h.UPS_TRACKING)
    expect(page.locator("h1 + p .status")).to_have_text("Unshipped")
    page.locator("form[action$='/confirm-shipment'] button").click()
    expect(page.locator(".flash.ok")).to_contain_text("Shipment confirmed")
    first.close()


def test_L24_a_24_day_jump_shows_the_ship_by_warning(page: Page, server: str) -> None:
    shop = Shop(server, _name("Late Shipper"))
    order_id = shop.order(f"{uuid.uuid4().hex[:8]}@example.com")
    shop.advance("31m")
    shop.advance("24d")
    sign_in(page, shop)
    page.goto("/orders-v3?tab=unshipped")
    expect(page.locator(".banner.warning")).to_contain_text("must be confirmed soon")
    row = page.locator("tr", has_text=order_id)
    expect(row).to_contain_text("Please confirm shipment by")
    expect(row).to_contain_text("to avoid cancellation")


def test_a_form_posted_without_its_csrf_token_is_refused(page: Page, server: str) -> None:
    shop = Shop(server, _name("Csrf"))
    order_id = shop.order(f"{uuid.uuid4().hex[:8]}@example.com")
    shop.advance("31m")
    sign_in(page, shop)
    answer = page.request.post(f"/orders-v3/order/{order_id}/cancel",
                               form={"reason": "NoInventory"})
    assert answer.status == 403
    page.goto(f"/orders-v3/order/{order_id}")
    expect(page.locator("h1 + p .status")).to_have_text("Unshipped")


def test_another_sellers_order_url_is_not_found(page: Page, server: str) -> None:
    owner, other = Shop(server, _name("Owner")), Shop(server, _name("Other"))
    order_id = owner.order(f"{uuid.uuid4().hex[:8]}@example.com")
    sign_in(page, other)
    answer = page.goto(f"/orders-v3/order/{order_id}")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    # The same answer as for an order that does not exist: nothing of the order shows.
    assert owner.title not in page.content() and h.ADDRESS["AddressLine1"] not in page.content()
    # Nor can the other seller act on it.
    cancel = page.request.post(f"/orders-v3/order/{order_id}/cancel", form={
        "reason": "NoInventory", "csrf_token": page.locator(
            "input[name=csrf_token]").first.get_attribute("value") or ""})
    assert cancel.status == 404
    assert httpx.get(f"{server}/sandbox/v1/clock").status_code == 200


def test_L27_account_health_charts_each_metric_and_lists_the_orders_against_it(
        page: Page, server: str) -> None:
    shop = Shop(server, _name("Health"))
    kept = shop.order(f"{uuid.uuid4().hex[:8]}@example.com")
    canceled = shop.order(f"{uuid.uuid4().hex[:8]}@example.com")
    shop.advance("31m")
    answer = shop.control.post(f"/sellerflow/v1/orders/{canceled}/cancellation",
                               json={"reason": "NoInventory"})
    assert answer.status_code == 200, answer.text
    sign_in(page, shop)
    page.goto("/health")
    expect(page.get_by_role("img")).to_have_count(5)      # L27's four and on-time delivery
    cancel_rate = page.locator("#metric-cancel")
    expect(cancel_rate.get_by_role("img")).to_have_accessible_name(
        re.compile(r"Cancellation Rate on each of the last 60 days"))
    expect(cancel_rate.locator("polyline.value, circle.value")).not_to_have_count(0)
    cancel_rate.get_by_text("1 order counts against this metric now").click()
    expect(cancel_rate.get_by_role("link", name=canceled)).to_be_visible()
    assert kept not in cancel_rate.inner_text()
    expect(page.locator("#metric-valid-tracking")).to_contain_text(
        "No order counts against this metric now.")


def test_shipping_settings_are_changed_on_the_inventory_page(page: Page,
                                                                  server: str) -> None:
    shop = Shop(server, _name("Shipper"))
    sign_in(page, shop)
    page.goto("/inventory")
    expedited = page.locator("tr", has=page.get_by_role("rowheader", name=re.compile("Expedited")))
    expect(expedited).to_contain_text("(default)")
    page.get_by_label("Expedited: Per item").fill("5.50")
    expedited.get_by_role("button", name="Save: Expedited").click()
    expect(page.locator(".flash.ok")).to_have_text("Shipping settings saved.")
    expect(page.get_by_label("Expedited: Per item")).to_have_value("5.50")
    expect(expedited).not_to_contain_text("(default)")
    page.get_by_label("Standard: Per item").fill("lots")
    page.get_by_role("button", name="Save: Standard").click()
    # Refused: back on the inventory page, with what was typed and why beside it.
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage Inventory")
    expect(page.get_by_label("Standard: Per item")).to_have_value("lots")
    expect(page.get_by_label("Standard: Per item")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field-error")).to_have_text("'lots' is not an amount; write it like "
                                                      "19.99")


def test_every_download_holds_its_file(page: Page, server: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What the browser saves is the file itself: the upload template, an upload's processing
    report and an order report, read back from the downloads."""
    from pathlib import Path

    shop = Shop(server, _name("Downloads"))
    order_id = shop.order(f"{uuid.uuid4().hex[:8]}@example.com")
    today = shop.advance("31m")["now"][:10]
    sign_in(page, shop)

    def saved(link: str) -> tuple[str, str]:
        with page.expect_download() as download:
            page.get_by_role("link", name=link).click()
        return download.value.suggested_filename, Path(download.value.path()).read_text()

    page.goto("/upload")
    name, template = saved("Download the template")
    assert name.endswith(".txt")
    # Seller Central's form: the template's line, labels in the reader's language, the keys.
    described, labels, keys = template.splitlines()
    assert described.startswith("TemplateType=") and labels.startswith("Order ID\t")
    assert keys.split("\t")[:4] == ["order-id", "order-item-id", "quantity", "ship-date"]

    # The template, filled in, is what the upload reads.
    upload = tmp_path / "confirm.txt"
    upload.write_text(template + f"{order_id}\t\t\t{today}\tUPS\t\t{h.UPS_TRACKING}\t\n"
                      f"111-9999999-9999999\t\t\t{today}\tUPS\t\t{h.UPS_TRACKING}\t\n")
    page.get_by_label("Shipment confirmation file").set_input_files(str(upload))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r".*/upload/[^/]+$"))
    name, processing = saved("Download the processing report")
    assert name.endswith(".txt")
    assert "Feed Processing Summary" in processing and "111-9999999-9999999" in processing
    assert "10002" in processing and processing.count("10002") == 1    # the good row applied
    page.goto("/language/zh_CN?next=/upload")
    _, chinese = saved("下载模板")
    assert chinese.splitlines()[1].startswith("订单编号\t")
    page.goto("/language/en?next=/upload")

    page.goto("/reports")
    page.get_by_label("Report").select_option("GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL")
    page.get_by_role("button", name="Request report").click()
    for _ in range(60):                 # the server's worker builds it within seconds
        if page.get_by_role("link", name="Download").count():
            break
        page.wait_for_timeout(500)
        page.goto("/reports")
    name, report = saved("Download")
    assert name.endswith(".txt")
    header, *lines = report.splitlines()
    assert header.split("\t")[0] == "amazon-order-id"
    assert [line.split("\t")[0] for line in lines] == [order_id]


def test_cancel_order_and_refund_ask_first(page: Page, server: str) -> None:
    """Neither can be undone: each shows what it will do before doing it, in the reader's
    language, and "No" leaves the order as it was."""
    shop = Shop(server, _name("Careful"))
    order_id = shop.order(f"{uuid.uuid4().hex[:8]}@example.com")
    shipped = shop.order(f"{uuid.uuid4().hex[:8]}@example.com")   # refunded below
    now = shop.advance("31m")["now"]
    sign_in(page, shop)
    page.goto(f"/orders-v3/order/{order_id}")
    page.get_by_label("Reason").select_option("BuyerCanceled")
    page.get_by_role("button", name="Cancel order").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cancel order?")
    expect(page.get_by_role("alertdialog")).to_contain_text("Buyer canceled")
    page.get_by_role("link", name="No, keep the order").click()
    expect(page.locator("h1 + p .status")).to_have_text("Unshipped")

    page.goto("/language/zh_CN?next=/orders-v3/order/" + order_id)
    page.get_by_role("button", name="取消订单").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("取消订单？")
    page.get_by_role("button", name="是，取消订单").click()
    expect(page.locator("h1 + p .status")).to_have_text("已取消")

    item = shop.control.get(f"/orders/v0/orders/{shipped}/orderItems").json()[
        "payload"]["OrderItems"][0]["OrderItemId"]
    confirmed = shop.control.post(f"/orders/v0/orders/{shipped}/shipmentConfirmation", json={
        "marketplaceId": "ATVPDKIKX0DER", "packageDetail": {
            "packageReferenceId": "1", "carrierCode": "UPS", "trackingNumber": h.UPS_TRACKING,
            "shipDate": now, "orderItems": [{"orderItemId": item, "quantity": 1}]}})
    assert confirmed.status_code == 204, confirmed.text
    page.goto("/language/en?next=/orders-v3/order/" + shipped)
    page.get_by_role("button", name="Refund order").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Refund order?")
    page.get_by_role("button", name="Yes, refund").click()
    expect(page.locator(".flash.ok")).to_contain_text("Refund issued")

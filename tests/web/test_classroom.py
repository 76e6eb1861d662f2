"""A class on one server, in a real browser: each trainee signs in to a marketplace of their
own (docs/classroom.md)."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, expect

from tests import helpers as h
from tests.cli.test_cli import Cli
from tests.web.conftest import SCREENSHOTS, open_context
from tests.web.test_every_page import _english_left


def _sign_in(page: Page, email: str, password: str, lands: str = "**/orders-v3**") -> None:
    """A trainee lands on Manage Orders; the trainer on the class's page (`lands="**/class"`)."""
    page.goto("/signin")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("form[action='/signin'] button").click()
    page.wait_for_url(lands)


def _buy(page: Page, sku_title: str) -> str:
    """As a buyer of the trainee's own storefront: one unit of `sku_title`."""
    page.goto("/shop/signin")
    page.fill("#email", f"buyer-{uuid.uuid4().hex[:6]}@example.com")
    page.locator("form[action='/shop/signin'] button").click()
    page.goto("/shop")
    page.locator("li.card", has_text=sku_title).locator("form button").click()
    page.wait_for_url("**/shop/cart")
    for label, value in h.ADDRESS.items():
        page.locator(f"#f-{label}").fill(value)
    page.locator("form[action='/shop/checkout'] button").click()
    page.wait_for_url("**/shop/orders")
    return page.locator("table a").first.inner_text()


def test_L5_two_trainees_each_in_a_marketplace_of_their_own(
        browser: Browser, server: str, server_database: str) -> None:
    """One moves their clock 30 minutes: their order is Unshipped, the other's stays Pending;
    neither sees the other's orders or mail."""
    name = f"class-{uuid.uuid4().hex[:6]}"
    made = Cli(server_database).run("class", "create", name, "--trainees", "2")
    trainer, first, second = made["members"]
    try:
        one = open_context(browser, server).new_page()
        two = open_context(browser, server, locale="zh-CN").new_page()
        _sign_in(one, first["email"], first["password"])
        _sign_in(two, second["email"], second["password"])
        mine = _buy(one, "Ceramic Coffee Mug")
        theirs = _buy(two, "Ceramic Coffee Mug")
        server_clock = httpx.get(f"{server}/sandbox/v1/clock").json()["now"]
        one.goto("/orders-v3?tab=all")
        one.get_by_role("button", name="+30 minutes").click()
        one.goto(f"/orders-v3/order/{mine}")
        expect(one.locator("h1 + p .status")).to_have_text("Unshipped")
        two.goto(f"/orders-v3/order/{theirs}")
        expect(two.locator("h1 + p .status")).to_have_text("等待中")
        # The other's order is not found; the mailbox holds one's own mail only.
        assert one.goto(f"/orders-v3/order/{theirs}").status == 404     # type: ignore[union-attr]
        assert two.goto(f"/orders-v3/order/{mine}").status == 404       # type: ignore[union-attr]
        one.goto("/mailbox")
        expect(one.locator("main")).to_contain_text(mine)
        expect(one.locator("main")).not_to_contain_text(theirs)
        # The server's own sandbox clock did not move with the trainee's.
        assert httpx.get(f"{server}/sandbox/v1/clock").json()["now"] == server_clock
        # The trainer's page: each trainee's clock and orders; the trainer moves trainee 2's
        # clock only, then everyone's.
        coach = open_context(browser, server, locale="zh-CN").new_page()
        _sign_in(coach, trainer["email"], trainer["password"], lands="**/class")
        rows = coach.locator("tbody tr")
        expect(rows).to_have_count(2)
        SCREENSHOTS.mkdir(exist_ok=True)
        coach.screenshot(path=str(SCREENSHOTS / "zh_CN-laptop-class.png"), full_page=True)
        assert not _english_left(coach)
        expect(rows.nth(0)).to_contain_text(first["email"])
        expect(rows.nth(1).locator("td[data-label='等待中']")).to_have_text("1")
        expect(rows.nth(0).locator("td[data-label='未发货']")).to_have_text("1")
        one_time = rows.nth(0).locator("td").nth(2).inner_text()
        rows.nth(1).get_by_role("button", name="+30 分钟").click()
        expect(coach.locator(".flash.ok")).to_be_visible()
        expect(rows.nth(1).locator("td[data-label='未发货']")).to_have_text("1")
        assert rows.nth(0).locator("td").nth(2).inner_text() == one_time
        coach.locator("form:has(input[value=all])").get_by_role("button", name="+1 天").click()
        expect(coach.locator(".flash.ok")).to_be_visible()
        assert rows.nth(0).locator("td").nth(2).inner_text() != one_time
        two.goto(f"/orders-v3/order/{theirs}")
        expect(two.locator("h1 + p .status")).to_have_text("未发货")
    finally:
        Cli(server_database).run("class", "delete", name)


def test_L20_a_lesson_task_turns_done_in_the_console_and_missed_when_its_deadline_passes(
        browser: Browser, server: str, server_database: str) -> None:
    name = f"lesson-{uuid.uuid4().hex[:6]}"
    made = Cli(server_database).run("class", "create", name, "--trainees", "2",
                                    "--scenario", "confirm-shipment", "--language", "zh_CN")
    trainer, first, second = made["members"]
    try:
        # The whole walk in Chinese: the trainee, the lesson, the console, the trainer.
        one = open_context(browser, server, locale="zh-CN").new_page()
        _sign_in(one, first["email"], first["password"])
        one.get_by_role("link", name="课程").click()
        task = one.locator("li.task")
        expect(task).to_contain_text("尚未完成")
        assert not _english_left(one)
        # The trainee does it in the console, as the hint says.
        task.get_by_role("link", name="打开订单").click()
        one.locator("#carrier").select_option("UPS")
        one.locator("#tracking").fill(h.UPS_TRACKING)
        one.locator("form[action$='/confirm-shipment'] button").click()
        expect(one.locator(".flash.ok")).to_contain_text("已确认发货")
        one.goto("/lesson")
        expect(one.locator("li.task")).to_contain_text("已完成")

        coach = open_context(browser, server, locale="zh-CN").new_page()
        _sign_in(coach, trainer["email"], trainer["password"], lands="**/class")
        rows = coach.locator("tbody tr")
        expect(rows.nth(0).locator("td[data-label='课程']")).to_have_text("已完成")
        expect(rows.nth(1).locator("td[data-label='课程']")).to_have_text("尚未完成")
        rows.nth(1).get_by_role("button", name="+7 天").click()       # past its ship-by date
        expect(rows.nth(1).locator("td[data-label='课程']")).to_have_text("已错过")
        # A trainee's orders and what happened to each, a click away.
        coach.get_by_role("link", name=first["email"]).click()
        expect(coach.locator("main")).to_contain_text("已确认发货")
        coach.go_back()
        # The progress as a spreadsheet, in the trainer's language.
        with coach.expect_download() as download:
            coach.get_by_role("link", name="下载学习进度（CSV）").click()
        sheet = list(csv.reader(Path(download.value.path()).read_text(
            encoding="utf-8-sig").splitlines()))
        assert sheet[0][-1] == "任务 1" and [row[-1] for row in sheet[1:]] == ["已完成", "已错过"]
        two = open_context(browser, server, locale="zh-CN").new_page()
        _sign_in(two, second["email"], second["password"])
        two.goto("/lesson")
        expect(two.locator("li.task")).to_contain_text("已错过")
        assert not _english_left(two)
    finally:
        Cli(server_database).run("class", "delete", name)

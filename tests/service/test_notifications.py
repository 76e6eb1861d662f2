"""The outbox: written with the change, delivered after commit, at least once, once per key."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from sellerflow.service import notifications
from sellerflow.service.context import Marketplace
from sellerflow.store import outbox
from sellerflow.store.schema import outbox as outbox_table
from sellerflow.store.settings import set_clock
from tests import helpers as h


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: ANN001, N802
        if address.startswith("bounce"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[_Inbox, int]]:
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_L13_L14_notifications_are_delivered_by_smtp(market: Marketplace, smtp_server,
                                                     monkeypatch) -> None:
    inbox, port = smtp_server
    monkeypatch.setenv("SELLERFLOW_SMTP_URL", f"smtp://127.0.0.1:{port}")
    shop = h.seller(market)
    h.listing(market, shop)
    h.released(market, shop)
    notifications.dispatch(market)
    recipients = sorted(r[0] for r, _ in inbox.messages)
    assert recipients == ["buyer@example.com", "shop@example.com"]
    seller_mail = next(message_from_bytes(raw) for r, raw in inbox.messages
                       if r == ["shop@example.com"])
    assert seller_mail["Subject"].startswith("Sold, ship now")
    assert "1 Main St" not in seller_mail.get_payload()
    assert notifications.dispatch(market) == 0        # delivered once


def test_a_failed_delivery_stays_in_the_outbox_and_is_retried(market: Marketplace, smtp_server,
                                                              monkeypatch) -> None:
    inbox, port = smtp_server
    shop = h.seller(market)
    h.listing(market, shop)
    monkeypatch.setenv("SELLERFLOW_SMTP_URL", f"smtp://127.0.0.1:{_free_port()}")
    h.released(market, shop)
    assert notifications.dispatch(market) == 0
    with h.reading(market) as conn:
        waiting = conn.execute(select(outbox_table)).all()
        assert all(m.attempts == 1 and "refused" in m.last_error for m in waiting)
    monkeypatch.setenv("SELLERFLOW_SMTP_URL", f"smtp://127.0.0.1:{port}")
    assert notifications.dispatch(market) == 0          # not before its retry time
    market.run(lambda work: set_clock(work.conn, work.now + timedelta(minutes=1)))
    assert notifications.dispatch(market) == 2
    assert len(inbox.messages) == 2


def test_the_outbox_keeps_one_message_per_key(market: Marketplace) -> None:
    with h.writing(market) as conn:
        now = market.now()
        message = outbox.Message("k:1", "test", "a@example.com", "s", "b", now)
        outbox.enqueue(conn, [message, message])
        outbox.enqueue(conn, [message])
    assert len(h.mailbox(market, "a@example.com")) == 1


def test_L13_L16_an_undeliverable_address_is_retried_then_set_aside_and_holds_up_no_one(
        market: Marketplace, smtp_server, monkeypatch) -> None:
    inbox, port = smtp_server
    monkeypatch.setenv("SELLERFLOW_SMTP_URL", f"smtp://127.0.0.1:{port}")
    # Given a seller whose address the mail server refuses (550), with an order released first,
    bouncing = h.seller(market, email="bounce@example.com")
    h.listing(market, bouncing)
    h.released(market, bouncing, buyer="first@example.com")
    # when another seller's order is released after it,
    shop = h.seller(market)
    h.listing(market, shop)
    h.released(market, shop, buyer="second@example.com")
    # then everyone else's mail is delivered at once,
    recipients = sorted(to for tos, _ in inbox.messages for to in tos)
    assert recipients == ["first@example.com", "second@example.com", "shop@example.com"]
    # and the refused message is retried with growing pauses, then set aside.
    for _ in range(notifications.MAX_ATTEMPTS + 2):
        market.run(lambda work: set_clock(work.conn, work.now + timedelta(hours=7)))
        notifications.dispatch(market)
    failed = notifications.failed(market, h.OP)
    assert [(m.to, m.kind, m.attempts) for m in failed] == [
        ("bounce@example.com", "sold-ship-now", notifications.MAX_ATTEMPTS)]
    assert "550" in (failed[0].last_error or "")
    assert len(inbox.messages) == 3


def test_retry_pauses_grow_and_are_bounded() -> None:
    pauses = [notifications.retry_delay(n) for n in range(1, 12)]
    assert pauses[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert pauses == sorted(pauses) and max(pauses) == timedelta(hours=6)


def test_L13_L16_one_delivery_pass_goes_on_past_a_refused_message(
        market: Marketplace, smtp_server, monkeypatch) -> None:
    inbox, port = smtp_server
    # Given four messages waiting, the second of them to an address the server refuses,
    monkeypatch.setenv("SELLERFLOW_SMTP_URL", f"smtp://127.0.0.1:{_free_port()}")  # down
    bouncing = h.seller(market, email="bounce@example.com")
    shop = h.seller(market)
    h.listing(market, bouncing)
    h.listing(market, shop)
    h.place(market, bouncing, buyer="first@example.com")
    h.place(market, shop, buyer="second@example.com")
    h.advance(market, "30m")
    monkeypatch.setenv("SELLERFLOW_SMTP_URL", f"smtp://127.0.0.1:{port}")
    market.run(lambda work: set_clock(work.conn, work.now + timedelta(minutes=1)))
    # when one delivery pass runs, every other message is delivered in it.
    assert notifications.dispatch(market) == 3
    assert sorted(to for tos, _ in inbox.messages for to in tos) == [
        "first@example.com", "second@example.com", "shop@example.com"]


class _SlowInbox(_Inbox):
    """A mail server that holds on to a message until told to go on."""

    def __init__(self) -> None:
        super().__init__()
        self.taking = threading.Event()
        self.go_on = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802
        self.taking.set()
        while not self.go_on.is_set():
            await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


def test_L16_a_slow_mail_server_never_holds_up_a_checkout(
        market: Marketplace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Mail goes out with no write transaction open (on SQLite one would hold up every
    writer): a checkout completes while the mail server is still taking a message."""
    inbox = _SlowInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        monkeypatch.setenv(notifications.SMTP_URL_ENV, f"smtp://127.0.0.1:{controller.port}")
        seller = h.seller(market)
        h.listing(market, seller)
        market.run(lambda work: outbox.enqueue(work.conn, [outbox.Message(
            "slow-1", "sold-ship-now", "shop@example.com", "Sold", "Ship it", work.now)]))
        sending = threading.Thread(target=notifications.dispatch, args=(market,))
        sending.start()
        assert inbox.taking.wait(timeout=30)
        placed: list[str] = []
        checkout = threading.Thread(target=lambda: placed.append(h.place(market, seller)))
        checkout.start()
        checkout.join(timeout=20)
        assert placed, "the checkout waited for the mail server, or gave up waiting"
        delivered = len(inbox.messages)
        assert sending.is_alive()
        inbox.go_on.set()
        sending.join(timeout=30)
        assert len(inbox.messages) > delivered
    finally:
        inbox.go_on.set()
        controller.stop()


def test_L13_L14_L24_each_email_is_in_its_recipients_language(market: Marketplace) -> None:
    """The seller reads Chinese (chosen in the console), the buyer English: the seller's
    "sold, ship now" and ship-by warning are in the seed's Chinese words, with Chinese dates;
    the buyer's confirmation stays English."""
    from sellerflow.domain.callers import Caller
    from sellerflow.service import accounts

    shop = h.seller(market)
    h.listing(market, shop)
    accounts.read_in(market, Caller.seller(shop), "zh_CN")
    order_id = h.released(market, shop)
    sold = h.mailbox(market, "shop@example.com")[0]
    assert sold["subject"] == f"已售出，即将发运：订单 {order_id}"
    assert "配送地址请在【管理订单】的订单详情中查看" in sold["body"]
    assert "年" in sold["body"] and "Standard" not in sold["body"]
    assert "1 × Item MUG（SKU MUG）" in sold["body"]
    confirmation = h.mailbox(market, "buyer@example.com")[0]
    assert confirmation["subject"] == f"Your order {order_id} is confirmed"
    h.advance(market, "24d")                    # past the ship-by warning (L24)
    warning = next(m for m in h.mailbox(market, "shop@example.com")
                   if m["subject"].startswith(f"订单 {order_id}"))
    assert "前确认发货，以免订单被取消" in warning["subject"]
    assert "亚马逊将自动取消" in warning["body"]

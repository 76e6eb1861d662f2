"""The outbox: written with the change, delivered after commit, at least once, once per key."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

from sellerflow.service import notifications
from sellerflow.service.context import Marketplace
from sellerflow.store import outbox
from tests import helpers as h


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

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
    with market.transaction() as conn:
        waiting = outbox.unsent(conn, 10)
        assert waiting[0].attempts >= 1 and "refused" in waiting[0].last_error
    monkeypatch.setenv("SELLERFLOW_SMTP_URL", f"smtp://127.0.0.1:{port}")
    assert notifications.dispatch(market) == 2
    assert len(inbox.messages) == 2


def test_the_outbox_keeps_one_message_per_key(market: Marketplace) -> None:
    with market.transaction() as conn:
        now = market.clock.now(conn)
        for _ in range(3):
            outbox.enqueue(conn, "k:1", "test", "a@example.com", "s", "b", now)
    assert len(notifications.mailbox(market, "a@example.com")) == 1

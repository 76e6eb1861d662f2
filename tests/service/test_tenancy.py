"""Every command knows its caller: another tenant's order, listing, feed or report is *not
found*, in exactly the words used for one that does not exist, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sellerflow.domain.callers import Caller
from sellerflow.domain.errors import NotFound, NotPermitted
from sellerflow.domain.fulfillment import ShipmentRequest
from sellerflow.service import (
    accounts,
    fulfillment,
    listings,
    metrics,
    reports,
    uploads,
)
from sellerflow.service import orders as order_service
from sellerflow.service.context import Marketplace
from tests import helpers as h

MISSING_ORDER = "999-9999999-9999999"
MISSING_SELLER = "AZZZZZZZZZZZZZ"
MISSING_FEED = "99999999999"
UPLOAD = (b"order-id\tship-date\tcarrier-code\ttracking-number\n"
          b"%s\t2026-01-05\tUPS\t1Z999AA10123456784\n")


def _refusal(call: Callable[[], Any], hidden_id: str) -> str:
    with pytest.raises(NotFound) as refused:
        call()
    return refused.value.message.replace(hidden_id, "<id>")


def _same_as_missing(market: Marketplace, command: Callable[[str], Any], theirs: str,
                     missing: str) -> None:
    before = h.snapshot(market)
    assert _refusal(lambda: command(theirs), theirs) == _refusal(lambda: command(missing),
                                                                 missing)
    assert h.snapshot(market) == before


@pytest.fixture
def two_shops(market: Marketplace) -> dict[str, str]:
    """Shop A with a released order, a shipped one (refundable) and an upload; shop B."""
    a = h.seller(market, email="a@example.com")
    b = h.seller(market, email="b@example.com")
    h.listing(market, a, quantity=20)
    released = h.released(market, a, buyer="first@example.com")
    shipped = h.released(market, a, buyer="first@example.com")
    h.ship(market, shipped)
    feed = uploads.upload(market, h.OP, a, UPLOAD % released.encode())
    return {"a": a, "b": b, "released": released, "shipped": shipped, "feed": feed}


def test_a_seller_finds_nothing_of_another_sellers(market: Marketplace,
                                                   two_shops: dict[str, str]) -> None:
    other = Caller.seller(two_shops["b"])
    request = ShipmentRequest("UPS", h.UPS_TRACKING)
    order_commands: list[Callable[[str], Any]] = [
        lambda o: order_service.show(market, other, o),
        lambda o: order_service.seller_cancel(market, other, o, "NoInventory"),
        lambda o: order_service.accept_redirect(market, other, o),
        lambda o: fulfillment.ship(market, other, o, request),
        lambda o: fulfillment.refund_order(market, other, o, None, "CustomerReturn"),
    ]
    for command in order_commands:
        _same_as_missing(market, command, two_shops["released"], MISSING_ORDER)
        _same_as_missing(market, command, two_shops["shipped"], MISSING_ORDER)
    seller_commands: list[Callable[[str], Any]] = [
        lambda s: order_service.manage_orders(market, other, s),
        lambda s: listings.set_listing(market, other, s, "MUG", quantity=0),
        lambda s: listings.get_listing(market, other, s, "MUG"),
        lambda s: listings.inventory(market, other, s),
        lambda s: fulfillment.seller_ledger(market, other, s),
        lambda s: metrics.seller_metrics(market, other, s),
        lambda s: accounts.seller_profile(market, other, s),
        lambda s: accounts.set_holidays(market, other, s, ["2026-12-25"]),
        lambda s: uploads.upload(market, other, s, UPLOAD % MISSING_ORDER.encode()),
        *[lambda s, kind=kind: reports.build(market, other, kind, s)
          for kind in ("orders", "unshipped", "all")],
    ]
    for command in seller_commands:
        _same_as_missing(market, command, two_shops["a"], MISSING_SELLER)
    for feed_command in (lambda f: uploads.result(market, other, f),
                         lambda f: uploads.process(market, other, f)):
        _same_as_missing(market, feed_command, two_shops["feed"], MISSING_FEED)


def test_L21_a_file_row_naming_another_sellers_order_reads_as_a_missing_one(
        market: Marketplace, two_shops: dict[str, str]) -> None:
    other = Caller.seller(two_shops["b"])
    lines = []
    for order_id in (two_shops["released"], MISSING_ORDER):
        feed = uploads.upload(market, other, two_shops["b"], UPLOAD % order_id.encode())
        report = uploads.process(market, other, feed).report
        lines.append(report.splitlines()[-1].replace(order_id, "<id>"))
    assert lines[0] == lines[1]
    assert "10002" in lines[0] and "does not exist" in lines[0]
    assert h.status(market, two_shops["released"]) == "Unshipped"


def test_a_buyer_finds_nothing_of_another_buyers(market: Marketplace,
                                                 two_shops: dict[str, str]) -> None:
    first = accounts.create_buyer(market, h.OP, "mine@example.com")
    second = accounts.create_buyer(market, h.OP, "theirs@example.com")
    placed = h.place(market, two_shops["a"], buyer=first.email)
    stranger = Caller.buyer(second.buyer_id)
    commands: list[Callable[[str], Any]] = [
        lambda o: order_service.show(market, stranger, o),
        lambda o: order_service.buyer_cancel(market, stranger, o),
        lambda o: order_service.request_address_change(market, stranger, o, h.OTHER_ADDRESS),
        lambda o: order_service.leave_feedback(market, stranger, o, 1, "not mine"),
    ]
    for command in commands:
        _same_as_missing(market, command, placed, MISSING_ORDER)
    # The order's own buyer sees it.
    own = order_service.show(market, Caller.buyer(first.buyer_id), placed)
    assert own.order.amazon_order_id == placed


def test_a_buyer_or_seller_cannot_issue_the_other_sides_commands(
        market: Marketplace, two_shops: dict[str, str]) -> None:
    seller = Caller.seller(two_shops["a"])
    with pytest.raises(NotPermitted):
        order_service.buyer_cancel(market, seller, two_shops["released"])
    with pytest.raises(NotPermitted):
        order_service.verify(market, seller, two_shops["released"], "approved")
    buyer = Caller.buyer(accounts.create_buyer(market, h.OP, "x@example.com").buyer_id)
    before = h.snapshot(market)
    with pytest.raises(NotPermitted):
        fulfillment.ship(market, buyer, two_shops["released"],
                         ShipmentRequest("UPS", h.UPS_TRACKING))
    assert h.snapshot(market) == before

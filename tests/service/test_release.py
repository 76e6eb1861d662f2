"""L13-L16: what happens when an order is released: notifications and promise dates."""

from __future__ import annotations

from sqlalchemy import select

from sellerflow.service import orders as order_service
from sellerflow.service.context import Marketplace
from sellerflow.store.schema import outbox
from sellerflow.wire import profile_to_wire
from tests import helpers as h
from tests.helpers import OP


def test_L13_buyer_gets_an_order_confirmation_with_the_delivery_estimate(
        market: Marketplace) -> None:
    shop = h.seller(market)
    h.listing(market, shop)
    order_id = h.released(market, shop)
    mail = h.mailbox(market, "buyer@example.com")
    assert [m["kind"] for m in mail] == ["order-confirmation"]
    order = h.view(market, order_id)["order"]
    # Released Monday 10:30 in Los Angeles: ship by Wednesday, deliver Monday to Wednesday.
    assert (order["EarliestDeliveryDate"], order["LatestDeliveryDate"]) == (
        "2026-01-12T08:00:00Z", "2026-01-15T07:59:59Z")
    assert "Estimated delivery: 2026-01-12 to 2026-01-14 (Standard)" in mail[0]["body"]


def test_L14_seller_notification_names_items_but_never_the_address(market: Marketplace) -> None:
    shop = h.seller(market)
    h.listing(market, shop)
    h.released(market, shop)
    mail = h.mailbox(market, "shop@example.com")
    assert [m["kind"] for m in mail] == ["sold-ship-now"]
    body = mail[0]["body"] + mail[0]["subject"]
    assert "Item MUG" in body
    for part in ("1 Main St", "Seattle", "98101", "Jane Doe"):
        assert part not in body


def test_L15_promise_dates_count_business_days_from_the_release(market: Marketplace) -> None:
    # Placed Monday 2026-01-05 10:00 PST; released 10:30; handling 2, Standard 3-5.
    shop = h.seller(market)
    h.listing(market, shop, handling_days=2)
    order = h.view(market, h.released(market, shop))["order"]
    assert order["EarliestShipDate"] == "2026-01-06T08:00:00Z"      # Tue 00:00 PST
    assert order["LatestShipDate"] == "2026-01-08T07:59:59Z"        # Wed 23:59:59 PST
    assert order["EarliestDeliveryDate"] == "2026-01-12T08:00:00Z"  # Mon, 3rd business day
    assert order["LatestDeliveryDate"] == "2026-01-15T07:59:59Z"    # Wed, 5th business day


def test_L15_an_order_held_in_verification_gets_later_dates(market: Marketplace) -> None:
    shop = h.seller(market)
    h.listing(market, shop, quantity=5)
    quick = h.released(market, shop)
    held = h.place(market, shop, payment="deferred")
    h.advance(market, "4d")   # Friday
    order_service.verify(market, OP, held, "approved")
    quick_order, held_order = (h.view(market, o)["order"] for o in (quick, held))
    assert held_order["LatestShipDate"] > quick_order["LatestShipDate"]
    assert held_order["LatestShipDate"] == "2026-01-14T07:59:59Z"   # Fri + 2 -> Tue


def test_L15_the_largest_handling_time_of_the_items_counts(market: Marketplace) -> None:
    from sellerflow.domain.placement import CartLine
    shop = h.seller(market)
    h.listing(market, shop, "FAST", handling_days=1)
    h.listing(market, shop, "SLOW", handling_days=3)
    order_id = h.place(market, shop, lines=[CartLine(shop, "FAST", 1), CartLine(shop, "SLOW", 1)])
    h.advance(market, "30m")
    assert h.view(market, order_id)["order"]["LatestShipDate"] == "2026-01-09T07:59:59Z"


def test_L16_orders_stay_actionable_when_no_email_can_be_sent(market: Marketplace,
                                                               monkeypatch) -> None:
    shop = h.seller(market)
    h.listing(market, shop)
    monkeypatch.setenv("SELLERFLOW_SMTP_URL", "smtp://127.0.0.1:9")   # nothing listens there
    order_id = h.released(market, shop)
    assert [o["AmazonOrderId"] for o in h.orders(market, shop, "Unshipped")] \
        == [order_id]
    with h.reading(market) as conn:
        waiting = conn.execute(select(outbox).where(outbox.c.sent_at.is_(None))).all()
    assert len(waiting) == 2 and all(m.next_attempt_at is not None for m in waiting)


def test_L15_the_sellers_holidays_are_not_business_days(market: Marketplace) -> None:
    from sellerflow.service import accounts
    shop = h.seller(market)
    h.listing(market, shop, quantity=5)
    profile = profile_to_wire(accounts.set_holidays(market, OP, shop,
                                                   ["2026-01-07", "2026-01-06"]))
    assert profile["holidays"] == ["2026-01-06", "2026-01-07"]
    order = h.view(market, h.released(market, shop))["order"]
    assert order["EarliestShipDate"] == "2026-01-08T08:00:00Z"     # Thu: Tue, Wed are off
    assert order["LatestShipDate"] == "2026-01-10T07:59:59Z"       # Fri
    assert accounts.set_holidays(market, OP, shop, []).holidays == ()


def test_L15_a_promise_never_outlives_the_order(market: Marketplace) -> None:
    # Given a listing with the longest handling time and a payment approved on day 20,
    shop = h.seller(market)
    h.listing(market, shop, handling_days=30)
    order_id = h.place(market, shop, payment="deferred")
    h.advance(market, "20d")
    order_service.verify(market, OP, order_id, "approved")
    order = h.view(market, order_id)["order"]
    # then the ship-by date is capped at the 30-day ship-confirm deadline (L23),
    deadline = "2026-02-04T18:00:00Z"
    assert order["LatestShipDate"] == deadline
    assert order["EarliestShipDate"] <= deadline
    # and delivery counts from the capped date: Wednesday 4 February + 3 to 5 business days.
    assert (order["EarliestDeliveryDate"], order["LatestDeliveryDate"]) == (
        "2026-02-09T08:00:00Z", "2026-02-12T07:59:59Z")

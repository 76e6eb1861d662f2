"""L23, L24, L28: the ship-confirm deadline, its warning, and deadlines as durable facts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from sellerflow.domain.errors import Refused, RuleViolation
from sellerflow.service import config
from sellerflow.service import orders as order_service
from sellerflow.service.context import Marketplace
from sellerflow.service.deadlines import sweep
from sellerflow.store import deadlines as deadline_store
from sellerflow.store.settings import set_clock
from tests import helpers as h
from tests.conftest import fresh_market
from tests.helpers import OP


def test_L23_order_auto_cancels_after_30_days(market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop, qty=2)
    h.advance(market, "29d23h29m")
    assert h.status(market, order_id) == "Unshipped"
    h.advance(market, "1m")
    assert h.status(market, order_id) == "Canceled"
    last = h.history(market, order_id)[-1]
    assert (last["cause"], last["reason"], last["at"]) == (
        "deadline", "ship-deadline", "2026-02-04T18:00:00Z")
    assert h.quantity(market, shop) == 50
    assert h.ledger(market, shop)["entries"] == []


def test_L23_a_partly_shipped_order_ends_shipped_and_is_paid_for_what_shipped(
        market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop, qty=3)
    h.ship(market, order_id, lines=((h.item_id(market, order_id), 1),))
    h.advance(market, "31d")
    assert h.status(market, order_id) == "Shipped"
    items = h.view(market, order_id)["items"]
    assert items[0]["QuantityShipped"] == 1
    ledger = h.ledger(market, shop)
    assert [e["kind"] for e in ledger["entries"]] == ["shipment"]


def test_L23_a_late_confirmation_is_refused_once_the_deadline_is_due(market: Marketplace,
                                                                     shop: str) -> None:
    order_id = h.released(market, shop)
    # Jump the stored clock past the deadline without sweeping: the command must see it.
    market.run(lambda work: set_clock(work.conn, work.now + timedelta(days=31)))
    with pytest.raises(RuleViolation):
        h.ship(market, order_id)
    assert h.status(market, order_id) in ("Unshipped", "Canceled")
    sweep(market)
    assert h.status(market, order_id) == "Canceled"


def test_L24_warning_shows_from_7_days_before_the_deadline_and_is_emailed_once(
        market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    h.advance(market, "22d23h")
    assert h.view(market, order_id)["warning"] is None
    h.advance(market, "1h")
    assert h.view(market, order_id)["warning"] == (
        "Please confirm shipment by 2026-02-04 to avoid cancellation")
    h.advance(market, "3d")
    warnings = [m for m in h.mailbox(market, "shop@example.com")
                if m["kind"] == "ship-warning"]
    assert len(warnings) == 1
    assert "2026-02-04" in warnings[0]["subject"]


def test_L24_no_warning_for_an_order_already_shipped(market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    h.ship(market, order_id)
    h.advance(market, "24d")
    assert h.view(market, order_id)["warning"] is None
    assert not [m for m in h.mailbox(market, "shop@example.com")
                if m["kind"] == "ship-warning"]



def _scenario(market: Marketplace, steps: list[str]) -> list[list[tuple[str, ...]]]:
    shop = h.seller(market)
    h.listing(market, shop, quantity=50)
    orders = [h.place(market, shop), h.place(market, shop, payment="deferred"),
              h.place(market, shop, qty=2)]
    h.advance(market, "1h")
    h.ship(market, orders[2], lines=((h.item_id(market, orders[2]), 1),))
    for step in steps:
        h.advance(market, step)
    return [[(e["at"], e["from"] or "", e["to"], e["cause"], e["reason"])
             for e in h.history(market, o)] for o in orders]


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_L28_one_long_jump_gives_the_same_history_as_many_short_ones(
        kind: str, tmp_path: Path, sqlite_template: Path, postgres_template: str | None) -> None:
    histories = []
    for n, steps in enumerate((["40d"], ["6h"] * 160)):
        with fresh_market(kind, tmp_path / str(n), sqlite_template, postgres_template) as (
                market, _):
            histories.append(_scenario(market, steps))
    long_jump, short_steps = histories
    assert long_jump == short_steps


def test_L28_firing_is_idempotent_and_nothing_due_is_left(market: Marketplace,
                                                          shop: str) -> None:
    order_id = h.place(market, shop)
    h.advance(market, "31d")
    with h.writing(market) as conn:
        assert deadline_store.count_unfired_due(conn, market.now()) == 0
    before = h.history(market, order_id)
    assert sweep(market) == 0
    assert h.history(market, order_id) == before
    order_service.show(market, OP, order_id)


def test_L28_advance_reports_how_many_deadlines_fired(market: Marketplace, shop: str) -> None:
    h.place(market, shop)
    assert h.advance(market, "30m") == 1
    assert h.advance(market, "31d") == 3


def test_clock_advance_is_refused_on_a_live_database(market: Marketplace) -> None:
    market.sandbox = False
    with pytest.raises(Refused):
        h.advance(market, "1d")


def test_L24_manage_orders_shows_the_warning_on_the_order(market: Marketplace,
                                                           shop: str) -> None:
    warned = h.released(market, shop)
    h.advance(market, "23d")
    fresh = h.released(market, shop)
    listed = {row.order.amazon_order_id: row.warning
              for row in order_service.manage_orders(market, OP, shop).rows}
    assert listed[warned] == "Please confirm shipment by 2026-02-04 to avoid cancellation"
    assert listed[fresh] is None


def test_L24_an_order_keeps_its_warning_and_deadline_after_the_numbers_change(
        market: Marketplace, shop: str) -> None:
    # Given an order placed under the default numbers (warning at 23 days, deadline at 30),
    order_id = h.released(market, shop)
    # when the deployment moves the warning to 25 days and the deadline to 35,
    config.set_value(market, OP, "ship-deadline", "35d")
    config.set_value(market, OP, "ship-warning", "25d")
    h.advance(market, "23d")
    # then the order still warns on day 23, by e-mail once and in Manage Orders,
    warnings = [m for m in h.mailbox(market, "shop@example.com") if m["kind"] == "ship-warning"]
    assert len(warnings) == 1 and "2026-02-04" in warnings[0]["subject"]
    row = order_service.manage_orders(market, OP, shop).rows[0]
    assert row.warning == "Please confirm shipment by 2026-02-04 to avoid cancellation"
    # and is canceled at its own 30-day deadline.
    h.advance(market, "7d")
    assert h.status(market, order_id) == "Canceled"


# L23a, L24a: Amazon's rule since 2020-09-30, a policy the marketplace chooses. The test clock
# starts on Monday 2026-01-05 at 10:00 in the seller's zone (America/Los_Angeles); released at
# 10:30 with 2 handling days, an order's LatestShipDate is Wednesday 2026-01-07 23:59:59
# there, and the 7th business day after it Friday 2026-01-16.

def _amazon_policy(market: Marketplace) -> None:
    config.set_value(market, OP, "auto-cancel", "amazon-2020")


def test_L23a_unshipped_order_cancels_7_business_days_after_its_ship_by_date(
        market: Marketplace, shop: str) -> None:
    _amazon_policy(market)
    order_id = h.released(market, shop, qty=2)
    assert h.view(market, order_id)["order"]["LatestShipDate"] == "2026-01-08T07:59:59Z"
    h.advance(market, "30d")        # the seed's 30 days would have canceled it by now:
    order_id_after = h.status(market, order_id)
    assert order_id_after == "Canceled"
    last = h.history(market, order_id)[-1]
    # the end of Friday 2026-01-16 in Los Angeles, 7 business days after Wednesday the 7th
    assert (last["cause"], last["reason"], last["at"]) == (
        "deadline", "auto-cancel", "2026-01-17T07:59:59Z")
    assert h.quantity(market, shop) == 50          # L4: the units are back on sale


def test_L23a_counts_business_days_past_weekends_and_the_sellers_holidays(
        market: Marketplace, shop: str) -> None:
    from sellerflow.service import accounts

    _amazon_policy(market)
    accounts.set_holidays(market, OP, shop, ["2026-01-12", "2026-01-19"])
    order_id = h.released(market, shop)
    h.advance(market, "11d13h")                     # 2026-01-17 07:30Z: still Unshipped
    assert h.status(market, order_id) == "Unshipped"
    h.advance(market, "10d")
    # Two holidays skipped (Mon 12th, Mon 19th): the 7th business day is Tuesday the 20th.
    assert h.history(market, order_id)[-1]["at"] == "2026-01-21T07:59:59Z"


def test_L23a_a_partly_shipped_order_ends_shipped(market: Marketplace, shop: str) -> None:
    _amazon_policy(market)
    order_id = h.released(market, shop, qty=3)
    h.ship(market, order_id, lines=((h.item_id(market, order_id), 1),))
    h.advance(market, "15d")
    assert h.status(market, order_id) == "Shipped"
    assert h.view(market, order_id)["items"][0]["QuantityShipped"] == 1
    assert h.history(market, order_id)[-1]["reason"] == "auto-cancel"


def test_L24a_warning_from_the_ship_by_date_names_the_auto_cancel_date_and_is_emailed_once(
        market: Marketplace, shop: str) -> None:
    _amazon_policy(market)
    order_id = h.released(market, shop)
    h.advance(market, "2d13h")                      # 2026-01-08 07:30Z: not yet late
    assert h.view(market, order_id)["warning"] is None
    h.advance(market, "30m")
    assert h.view(market, order_id)["warning"] == (
        "Please confirm shipment by 2026-01-16 to avoid cancellation")
    h.advance(market, "3d")
    warnings = [m for m in h.mailbox(market, "shop@example.com")
                if m["kind"] == "ship-warning"]
    assert len(warnings) == 1 and "2026-01-16" in warnings[0]["subject"]


def test_L23a_orders_keep_the_policy_they_were_placed_under(market: Marketplace,
                                                            shop: str) -> None:
    seed_order = h.place(market, shop)
    _amazon_policy(market)
    amazon_order = h.place(market, shop)
    h.advance(market, "30m")
    config.set_value(market, OP, "auto-cancel", "30-days")
    h.advance(market, "12d")
    assert (h.status(market, seed_order), h.status(market, amazon_order)) == (
        "Unshipped", "Canceled")
    h.advance(market, "18d")
    assert h.status(market, seed_order) == "Canceled"
    assert h.history(market, seed_order)[-1]["reason"] == "ship-deadline"


def test_L23a_an_unknown_policy_is_refused(market: Marketplace) -> None:
    from sellerflow.domain.errors import InvalidInput

    with pytest.raises(InvalidInput, match="amazon-2020"):
        config.set_value(market, OP, "auto-cancel", "45-days")
    assert config.show(market, OP)["auto-cancel"] == "30-days"

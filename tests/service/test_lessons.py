"""Lessons (docs/classroom.md): every built-in scenario played to its end by a script that does
what a good trainee would, every task done; a task missed when its chance has passed."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

import pytest

from sellerflow.domain import carrier_network as network
from sellerflow.domain import lessons as rules
from sellerflow.domain.callers import Caller
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.model import Address
from sellerflow.service import buy_shipping, config, fulfillment, lessons, listings, uploads
from sellerflow.service import orders as order_service
from sellerflow.service.classroom import GOODS
from sellerflow.service.context import Marketplace
from tests import helpers as h

OP = Caller.operator()


def _trainee(market: Marketplace, scenario: str) -> str:
    seller_id = h.seller(market)
    for sku, title, price, units in GOODS:
        listings.set_listing(market, OP, seller_id, sku, title=title, price=price,
                             quantity=units)
    lessons.start(market, OP, seller_id, scenario)
    return seller_id


# What a good trainee does for each kind of task (market, seller, order).
def _ship_to_new_address(market: Marketplace, seller_id: str, order_id: str) -> None:
    order_service.accept_redirect(market, OP, order_id)
    h.ship(market, order_id)


def _ship_when_released(market: Marketplace, order_id: str) -> None:
    """A Pending order waits out its hold (the sandbox bar's +30 minutes), then ships."""
    if h.status(market, order_id) == "Pending":
        h.advance(market, "30m")
    h.ship(market, order_id)


def _ship_in_parts(market: Marketplace, seller_id: str, order_id: str) -> None:
    item = h.item_id(market, order_id)
    h.ship(market, order_id, lines=((item, 1),))
    h.ship(market, order_id, lines=((item, 1),))


def _ship_by_file(market: Marketplace, seller_id: str, order_id: str) -> None:
    """The lesson's file uploaded as it is (one row fails), then mended and uploaded again."""
    if h.status(market, order_id) == "Shipped":
        return                                  # an earlier task's upload shipped it
    given = lessons.lesson_file(market, OP, seller_id)
    for text in (given, given.replace(rules.MISTAKEN_CARRIER, "UPS")):
        feed = uploads.upload(market, OP, seller_id, text.encode())
        uploads.process(market, OP, feed)


def _buy_label(market: Marketplace, seller_id: str, order_id: str) -> None:
    """The carriers never late nor losing here, so the next task's delivery is certain."""
    config.set_value(market, OP, "late-deliveries", "0")
    config.set_value(market, OP, "lost-packages", "0")
    _buy_label_as_it_is(market, seller_id, order_id)


def _buy_label_as_it_is(market: Marketplace, seller_id: str, order_id: str) -> None:
    """The cheapest service that keeps the promise, bought as the console does."""
    request = buy_shipping.LabelRequest(
        order_id, None, Address(Name="Dock", AddressLine1="1 Pier Rd", City="Portland",
                                StateOrRegion="OR", PostalCode="97201", CountryCode="US"),
        network.Package(Decimal(9), Decimal(6), Decimal(4), Decimal(14)))
    offers = buy_shipping.offers(market, Caller.seller(seller_id), request)
    service = next(q.service.service_id for q in offers.quotes if q.on_time)
    buy_shipping.buy(market, Caller.seller(seller_id), request, service, "PDF", "console")


GOOD_TRAINEE = {
    "ship-by-file": _ship_by_file,
    "ship-on-time": lambda market, seller_id, order_id: _ship_when_released(market, order_id),
    "ship-in-parts": _ship_in_parts,
    "ship-before-cancel": lambda market, seller_id, order_id: h.ship(market, order_id),
    "cancel-as-asked": lambda market, seller_id, order_id: order_service.seller_cancel(
        market, OP, order_id, "BuyerCanceled"),
    "ship-to-new-address": _ship_to_new_address,
    "refund-in-full": lambda market, seller_id, order_id: fulfillment.refund_order(
        market, OP, order_id, None, "CustomerReturn"),
    "buy-label": _buy_label,
    "delivered-on-time": lambda market, seller_id, order_id: h.advance(market, "8d"),
}


@pytest.mark.parametrize("scenario", lessons.available())
def test_every_scenario_runs_to_its_end_with_every_task_done(market: Marketplace,
                                                             scenario: str) -> None:
    seller_id = _trainee(market, scenario)
    before = lessons.progress(market, OP, seller_id)
    assert before is not None and before.tasks
    assert all(t.state == rules.WAITING for t in before.tasks), before
    for task, played in zip(lessons.scenario(scenario).tasks, before.tasks, strict=True):
        GOOD_TRAINEE[task.kind](market, seller_id, played.order_id)
    after = lessons.progress(market, OP, seller_id)
    assert after is not None and after.done == len(after.tasks)
    assert all(t.text["zh_CN"] and t.order_id in t.text["en"] for t in after.tasks)


def test_L20_a_shipment_not_confirmed_by_the_ship_by_date_is_missed(market: Marketplace) -> None:
    seller_id = _trainee(market, "confirm-shipment")
    h.advance(market, "4d")                        # past the ship-by date
    progress = lessons.progress(market, OP, seller_id)
    assert progress is not None and [t.state for t in progress.tasks] == [rules.MISSED]


def _first_task_after(market: Marketplace, scenario: str,
                      wrong: Callable[[Marketplace, str], object]) -> str:
    """The state of the scenario's first task once `wrong` was done to its order."""
    seller_id = _trainee(market, scenario)
    progress = lessons.progress(market, OP, seller_id)
    assert progress is not None
    wrong(market, progress.tasks[0].order_id)
    after = lessons.progress(market, OP, seller_id)
    assert after is not None
    return after.tasks[0].state


def test_L20_a_shipment_with_a_tracking_number_off_its_format_misses_the_task(
        market: Marketplace) -> None:
    def off_format(m: Marketplace, order_id: str) -> object:
        return h.ship(m, order_id, tracking="12345")

    assert _first_task_after(market, "confirm-shipment", off_format) == rules.MISSED


def test_L29_a_shipment_with_the_sellers_own_number_misses_the_buy_label_task(
        market: Marketplace) -> None:
    assert _first_task_after(market, "buy-shipping", h.ship) == rules.MISSED


def test_L30_a_lost_package_misses_the_delivery_task(market: Marketplace) -> None:
    seller_id = _trainee(market, "buy-shipping")
    config.set_value(market, OP, "lost-packages", "0.9999")
    progress = lessons.progress(market, OP, seller_id)
    assert progress is not None
    _buy_label_as_it_is(market, seller_id, progress.tasks[0].order_id)
    h.advance(market, "15d")
    after = lessons.progress(market, OP, seller_id)
    assert after is not None and [t.state for t in after.tasks] == [rules.DONE, rules.MISSED]


def test_a_marketplace_without_a_lesson_has_no_progress(market: Marketplace,
                                                        shop: str) -> None:
    assert lessons.progress(market, OP, shop) is None


def test_a_scenario_file_that_does_not_fit_says_where() -> None:
    good = json.loads((lessons.FOLDER / "confirm-shipment.json").read_text())
    for broken, words in (({**good, "tasks": [{**good["tasks"][0], "kind": "juggle"}]},
                           "kind 'juggle'"),
                          ({**good, "tasks": [{**good["tasks"][0], "order": "lamp"}]},
                           "names order 'lamp'"),
                          ({**good, "title": {"en": "Only English"}}, "lacks its zh_CN text")):
        with pytest.raises(InvalidInput, match=words):
            rules.parse(broken, "scenario test")
    with pytest.raises(InvalidInput, match="is not a scenario"):
        lessons.scenario("no-such-lesson")


def test_L19_shipping_to_the_old_address_misses_the_task(
        market: Marketplace) -> None:
    assert _first_task_after(market, "address-change", h.ship) == rules.MISSED  # not accepted


def test_L6_shipping_an_order_the_buyer_asked_to_cancel_misses_the_task(
        market: Marketplace) -> None:
    assert _first_task_after(market, "cancel-request", h.ship) == rules.MISSED


def test_a_partial_shipment_lesson_shipped_all_at_once_is_missed(
        market: Marketplace) -> None:
    assert _first_task_after(market, "partial-shipment", h.ship) == rules.MISSED


def test_L23_an_order_left_until_amazon_cancels_it_misses_the_task(market: Marketplace) -> None:
    seller_id = _trainee(market, "ship-by-warning")
    h.advance(market, "7d")                           # past day 30: canceled automatically
    progress = lessons.progress(market, OP, seller_id)
    assert progress is not None and progress.tasks[0].state == rules.MISSED


def test_L8_L11_the_verification_lesson_cancels_the_declined_and_the_fraudulent(
        market: Marketplace) -> None:
    seller_id = _trainee(market, "payment-verification")
    statuses = sorted(row["OrderStatus"] for row in h.orders(market, seller_id))
    assert statuses == ["Canceled", "Canceled", "Unshipped"]


def test_L21_a_file_lesson_confirmed_one_by_one_is_missed(
        market: Marketplace) -> None:
    assert _first_task_after(market, "shipment-file", h.ship) == rules.MISSED  # one by one


def test_L21_the_lessons_file_has_one_row_to_mend(market: Marketplace) -> None:
    seller_id = _trainee(market, "shipment-file")
    feed = uploads.upload(market, OP, seller_id, lessons.lesson_file(market, OP, seller_id)
                          .encode())
    result = uploads.process(market, OP, feed)
    assert (result.processed, result.successful) == (3, 2)
    progress = lessons.progress(market, OP, seller_id)
    assert progress is not None
    assert [t.state for t in progress.tasks] == [rules.DONE, rules.DONE, rules.WAITING]

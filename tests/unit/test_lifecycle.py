"""The pure domain: the transition table, derived status and the policies, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sellerflow.clock import parse_duration
from sellerflow.domain import deadlines
from sellerflow.domain.carriers import tracking_is_valid
from sellerflow.domain.errors import InvalidInput, RuleViolation
from sellerflow.domain.fulfillment import (
    ShipmentRequest,
    cancel_by_seller,
    confirm_shipment,
    redirect,
    refund,
    request_address_change,
)
from sellerflow.domain.lifecycle import TRANSITIONS, Action, derive_status
from sellerflow.domain.model import Address, Order, OrderItem, OrderStatus, Verification
from sellerflow.domain.money import Money
from sellerflow.domain.pending import cancel_by_buyer, record_verification
from sellerflow.domain.policy import BusinessCalendar, Policy, promise_dates

T0 = datetime(2026, 1, 5, 18, 0, tzinfo=UTC)
ADDRESS = Address("Jane", "1 Main St", "Seattle", "98101", "US", "WA")


def _order(qty: int = 2) -> Order:
    item = OrderItem("11111111111111", 1, "MUG", "B000000001", "Mug", qty, Money(Decimal(10)),
                     Money(Decimal("3.99")), 2)
    return Order("111-1111111-1111111", "A1", "B1", T0, "Standard", ADDRESS, [item])


def test_L17_canceled_is_final_and_shipped_only_takes_refunds() -> None:
    assert not [action for status, action in TRANSITIONS if status is OrderStatus.CANCELED]
    assert [action for status, action in TRANSITIONS if status is OrderStatus.SHIPPED] == [
        Action.REFUND]
    assert all(OrderStatus.PENDING not in targets for (status, _), targets in TRANSITIONS.items()
               if status is not OrderStatus.PENDING)


def test_status_is_derived_from_release_and_quantities() -> None:
    order = _order()
    assert derive_status(order) is OrderStatus.PENDING
    order.released_at = T0
    order.status = OrderStatus.UNSHIPPED
    assert derive_status(order) is OrderStatus.UNSHIPPED
    order.items[0].quantity_shipped = 1
    assert derive_status(order) is OrderStatus.PARTIALLY_SHIPPED
    order.items[0].quantity_canceled = 1
    assert derive_status(order) is OrderStatus.SHIPPED
    order.items[0].quantity_shipped = 0
    order.items[0].quantity_canceled = 2
    assert derive_status(order) is OrderStatus.CANCELED


def test_L9_domain_decisions_do_not_touch_the_original_order() -> None:
    order = _order()
    decision = record_verification(order, "approved", T0 + timedelta(hours=1), Policy(),
                                   BusinessCalendar())
    assert order.verification is Verification.PENDING
    assert decision.order.status is OrderStatus.UNSHIPPED
    assert [n.kind for n in decision.notifications] == ["order-confirmation", "sold-ship-now"]


def test_L15_holidays_and_time_zones_move_promise_dates() -> None:
    released = datetime(2026, 12, 23, 20, 0, tzinfo=UTC)   # Wednesday 12:00 in Los Angeles
    plain = promise_dates(released, 2, "NextDay", BusinessCalendar(), Policy())
    holidays = BusinessCalendar.of("America/Los_Angeles", [date(2026, 12, 24),
                                                           date(2026, 12, 25)])
    with_holidays = promise_dates(released, 2, "NextDay", holidays, Policy())
    assert plain.latest_ship == datetime(2026, 12, 26, 7, 59, 59, tzinfo=UTC)   # Fri 25th
    assert with_holidays.latest_ship == datetime(2026, 12, 30, 7, 59, 59, tzinfo=UTC)  # Tue 29th
    tokyo = promise_dates(released, 2, "NextDay", BusinessCalendar("Asia/Tokyo"), Policy())
    assert tokyo.earliest_ship == datetime(2026, 12, 24, 15, 0, tzinfo=UTC)   # Fri 25th 00:00 JST


def test_L15_transit_times_by_service_level() -> None:
    released = datetime(2026, 1, 5, 18, 30, tzinfo=UTC)    # Monday 10:30 in Los Angeles
    ship_by = datetime(2026, 1, 8, 7, 59, 59, tzinfo=UTC)  # end of Wednesday, 2 days' handling
    expected = {"Standard": ("2026-01-12", "2026-01-15"), "Expedited": ("2026-01-09", "2026-01-13"),
                "SecondDay": ("2026-01-09", "2026-01-10"), "NextDay": ("2026-01-08", "2026-01-09")}
    for level, (first, last) in expected.items():
        dates = promise_dates(released, 2, level, BusinessCalendar(), Policy())
        assert dates.latest_ship == ship_by
        assert dates.earliest_delivery.date().isoformat() == first, level
        assert dates.latest_delivery.date().isoformat() == last, level


def test_L28_deadlines_are_exact_offsets_from_the_purchase_date() -> None:
    due = dict(deadlines.schedule(T0, Policy()))
    assert due[deadlines.DeadlineKind.HOLD_ENDS] == T0 + timedelta(minutes=30)
    assert due[deadlines.DeadlineKind.VERIFICATION_EXPIRES] == T0 + timedelta(hours=21 * 24)
    assert due[deadlines.DeadlineKind.SHIP_WARNING] == T0 + timedelta(hours=23 * 24)
    assert due[deadlines.DeadlineKind.SHIP_DEADLINE] == T0 + timedelta(hours=30 * 24)


def test_policy_keeps_its_deadlines_in_order() -> None:
    with pytest.raises(ValueError):
        Policy(ship_warning=timedelta(days=31))


def test_L20_tracking_formats() -> None:
    assert tracking_is_valid("UPS", "1Z999AA10123456784")
    assert not tracking_is_valid("UPS", "12345")
    assert tracking_is_valid("USPS", "9400111899223397658538")
    assert tracking_is_valid("FedEx", "123456789012")
    for not_fedex in ("TRK1234567", "1Z999AA10123456784", "12345", "ABCDEFGHIJKL"):
        assert not tracking_is_valid("FedEx", not_fedex)
    assert tracking_is_valid("DHL", "1234567890")
    assert tracking_is_valid("OnTrac", "anything")


def test_L20_chinese_carriers_and_their_tracking_formats() -> None:
    from sellerflow.domain.carriers import canonical_carrier

    assert [canonical_carrier(c) for c in ("china post", "YANWEN", "yunexpress", "4px",
                                           "sf express")] == [
        "China Post", "Yanwen", "YunExpress", "4PX", "SF Express"]
    assert tracking_is_valid("China Post", "RR123456785CN")
    assert tracking_is_valid("China Post", "lx 123456785 cn")      # as typed: any case, spaces
    assert not tracking_is_valid("China Post", "RR123456785US")
    assert tracking_is_valid("YunExpress", "YT2012345678901234")
    assert not tracking_is_valid("YunExpress", "YT201234")
    assert tracking_is_valid("SF Express", "SF1234567890123")
    assert tracking_is_valid("SF Express", "123456789012")
    assert not tracking_is_valid("SF Express", "SF12345")
    assert tracking_is_valid("Yanwen", "UG123456789YP") and tracking_is_valid("4PX", "4PX1")


def test_L20_shipping_more_than_remains_is_refused_in_the_domain() -> None:
    order = _order(qty=1)
    order.released_at = T0
    order.status = OrderStatus.UNSHIPPED
    order.status = OrderStatus.UNSHIPPED
    request = ShipmentRequest("UPS", "1Z999AA10123456784", lines=(("11111111111111", 2),))
    with pytest.raises(RuleViolation):
        confirm_shipment(order, request, T0 + timedelta(hours=1), Policy())


def test_money_is_decimal_and_rounds_half_up() -> None:
    assert Money(Decimal("7.197")).amount == Decimal("7.20")
    assert Money(Decimal("0.125")).amount == Decimal("0.13")
    assert Money.parse("19.99", "price").to_wire() == {"CurrencyCode": "USD", "Amount": "19.99"}
    for bad in ("1e3x", "-1", "0.001", "NaN"):
        with pytest.raises(InvalidInput):
            Money.parse(bad, "price")


@pytest.mark.parametrize(("text", "expected"), [("30m", timedelta(minutes=30)),
                                                ("36h", timedelta(hours=36)),
                                                ("21d", timedelta(days=21)),
                                                ("1d2h", timedelta(days=1, hours=2)),
                                                ("1w", timedelta(weeks=1))])
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "10", "ten days", "5y", "0m", "-5m"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_duration(text)


def test_addresses_are_checked_field_by_field() -> None:
    with pytest.raises(InvalidInput) as missing:
        Address.from_wire({"Name": "x", "CountryCode": "US"})
    assert "AddressLine1" in missing.value.message and "StateOrRegion" in missing.value.message
    with pytest.raises(InvalidInput):
        Address.from_wire({"Name": "x", "AddressLine1": "a", "City": "c", "PostalCode": "1",
                           "CountryCode": "usa"})
    with pytest.raises(InvalidInput):
        Address.from_wire(["not", "an", "object"])


def test_console_passwords_are_stored_as_salted_hashes() -> None:
    from sellerflow.service.accounts import password_hash, password_matches
    stored = password_hash("correct horse")
    assert "correct horse" not in stored and stored != password_hash("correct horse")
    assert password_matches("correct horse", stored)
    assert not password_matches("wrong horse", stored)


# The rule that refuses each command outside the table, as the lifecycle states it.
_SELLER_REFUSALS = {OrderStatus.PENDING: "L7", OrderStatus.CANCELED: "L17",
                    OrderStatus.SHIPPED: "L20"}
_REFUSING_RULE = {
    Action.SHIP: _SELLER_REFUSALS.get, Action.SELLER_CANCEL: _SELLER_REFUSALS.get,
    Action.REDIRECT: _SELLER_REFUSALS.get, Action.APPROVE: lambda _: "L9",
    Action.DECLINE: lambda _: "L9", Action.BUYER_CANCEL: lambda _: "L6",
    Action.REQUEST_ADDRESS_CHANGE: lambda _: "L19", Action.REFUND: lambda _: "L26",
}


def _in_status(status: OrderStatus, quantities: list[int], released: bool) -> Order:
    """An order of the given shape whose items put it in `status`."""
    items = [OrderItem(f"{n:014d}", n, f"SKU{n}", "B000000001", "Mug", qty,
                       Money(Decimal(10)), Money(Decimal("3.99")), 2)
             for n, qty in enumerate(quantities, 1)]
    order = Order("111-1111111-1111111", "A1", "B1", T0, "Standard", ADDRESS, items,
                  requested_address=ADDRESS)
    if status is not OrderStatus.PENDING and (released or status is not OrderStatus.CANCELED):
        order.released_at = T0 + timedelta(minutes=30)
    for item in items:
        if status is OrderStatus.PARTIALLY_SHIPPED:
            item.quantity_shipped = 1 if item is items[0] else 0
        elif status is OrderStatus.SHIPPED:
            item.quantity_shipped = item.quantity_ordered
        elif status is OrderStatus.CANCELED:
            item.quantity_canceled = item.quantity_ordered
    if status in (OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED):
        order.charged = Money(Decimal(100))
    order.status = derive_status(order)
    assert order.status is status
    return order


def _command(action: Action, order: Order) -> Any:
    at, policy = T0 + timedelta(hours=2), Policy()
    return {
        Action.SHIP: lambda: confirm_shipment(order, ShipmentRequest("UPS", "1Z999AA10123456784",
                                              lines=((order.items[0].order_item_id, 1),)),
                                              at, policy),
        Action.SELLER_CANCEL: lambda: cancel_by_seller(order, "GeneralAdjustment", at),
        Action.REDIRECT: lambda: redirect(order, at),
        Action.APPROVE: lambda: record_verification(order, "approved", at, policy,
                                                    BusinessCalendar()),
        Action.DECLINE: lambda: record_verification(order, "fraud", at, policy,
                                                    BusinessCalendar()),
        Action.BUYER_CANCEL: lambda: cancel_by_buyer(order, None, at),
        Action.REQUEST_ADDRESS_CHANGE: lambda: request_address_change(order, ADDRESS),
        Action.REFUND: lambda: refund(order, None, "Return", at, policy),
    }[action]()


@given(status=st.sampled_from(list(OrderStatus)), action=st.sampled_from(list(_REFUSING_RULE)),
       quantities=st.lists(st.integers(2, 5), min_size=1, max_size=3), released=st.booleans())
def test_L7_L17_the_table_refuses_every_action_outside_it_and_touches_nothing(
        status: OrderStatus, action: Action, quantities: list[int], released: bool) -> None:
    assume((status, action) not in TRANSITIONS)
    order = _in_status(status, quantities, released)
    before = order.copy()
    with pytest.raises(RuleViolation) as refused:
        _command(action, order)
    assert refused.value.rule == _REFUSING_RULE[action](status)
    assert order == before


def test_L7_L17_the_table_is_the_documented_one() -> None:
    # docs/lifecycle.md, "actions it allows"; a pair added to the table must be added there.
    documented = {
        OrderStatus.PENDING: {Action.APPROVE, Action.RELEASE, Action.DECLINE,
                              Action.EXPIRE_VERIFICATION, Action.BUYER_CANCEL,
                              Action.REQUEST_ADDRESS_CHANGE},
        OrderStatus.UNSHIPPED: {Action.BUYER_CANCEL, Action.REQUEST_ADDRESS_CHANGE, Action.SHIP,
                                Action.SELLER_CANCEL, Action.REDIRECT, Action.SHIP_DEADLINE},
        OrderStatus.PARTIALLY_SHIPPED: {Action.BUYER_CANCEL, Action.REQUEST_ADDRESS_CHANGE,
                                        Action.SHIP, Action.SELLER_CANCEL, Action.REDIRECT,
                                        Action.SHIP_DEADLINE, Action.REFUND},
        OrderStatus.SHIPPED: {Action.REFUND},
        OrderStatus.CANCELED: set(),
    }
    assert {status: {a for s, a in TRANSITIONS if s is status} for status in OrderStatus} \
        == documented


def test_L27_a_tracking_number_in_lower_case_is_as_valid_as_in_upper_case() -> None:
    assert tracking_is_valid("UPS", "1z999aa10123456784")
    assert tracking_is_valid("ups", " 1Z999AA1 0123456784 ")
    assert not tracking_is_valid("UPS", "1z999aa1012345678")


def test_a_usage_plans_bucket_holds_its_burst_however_long_it_rested() -> None:
    from sellerflow.domain.rates import UsagePlan, take

    plan = UsagePlan(0.5, 3)
    admitted, left = take(plan, None, None, T0)             # a new bucket is full
    assert admitted and left == 2
    later = T0 + timedelta(days=1)                          # rested far past the refill
    count, counted = 0, T0
    while (found := take(plan, left, counted, later))[0] and count < 10:
        left, counted, count = found[1], later, count + 1
    assert count == 3                                       # the burst, no more
    assert take(plan, 0.0, T0, T0 + timedelta(seconds=2)) == (True, 0.0)   # 2 s at 0.5/s
    assert take(plan, 0.0, T0, T0 - timedelta(hours=1))[0] is False       # a clock set back


def test_L24_the_confirm_by_date_is_the_sellers_own_day_not_utcs() -> None:
    """A deadline at 03:00 UTC is the evening before in Los Angeles: the warning names the
    seller's date (tests that start at 18:00 UTC see both agree)."""
    order = _order()
    order.released_at = T0
    order.status = OrderStatus.UNSHIPPED
    order.ship_deadline_at = datetime(2026, 2, 5, 3, 0, tzinfo=UTC)
    order.ship_warning_at = order.ship_deadline_at - timedelta(days=7)
    assert order.status is OrderStatus.UNSHIPPED
    now = order.ship_warning_at + timedelta(hours=1)
    los_angeles = BusinessCalendar.of("America/Los_Angeles")
    assert deadlines.confirm_by(order, now, los_angeles) == date(2026, 2, 4)
    assert deadlines.confirm_by(order, now, BusinessCalendar.of("Asia/Shanghai")) == date(
        2026, 2, 5)
    assert "2026-02-04" in deadlines.warning_text(date(2026, 2, 4))


def test_L5_L8_a_pending_order_says_which_stage_it_waits_in() -> None:
    """The 30-minute buyer-cancel hold (with its end and the time left), then payment
    verification until its 21-day limit; none once the order has left Pending."""
    from sellerflow.domain.pending import pending_stage

    policy, order = Policy(), _order()
    hold = pending_stage(order, T0 + timedelta(minutes=10), policy)
    assert hold is not None and hold.stage == "hold"
    assert hold.until == T0 + timedelta(minutes=30) and hold.left == timedelta(minutes=20)
    waiting = pending_stage(order, T0 + timedelta(days=2), policy)
    assert waiting is not None and waiting.stage == "verification"
    assert waiting.until == T0 + timedelta(days=21) and waiting.left == timedelta(days=19)
    late = pending_stage(order, T0 + timedelta(days=22), policy)
    assert late is not None and late.left == timedelta(0)
    order.status = OrderStatus.UNSHIPPED
    assert pending_stage(order, T0 + timedelta(minutes=10), policy) is None

"""Buy Shipping's rules (L29): a label is bought for an order with units to ship, on a day
from today to a week ahead; buying it confirms the shipment it carries and charges its
postage to the seller; it can be canceled, for the postage back, until the carrier scans
the package. Pure."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sellerflow.domain.decisions import Decision, LedgerEntry
from sellerflow.domain.errors import InvalidInput, RuleViolation
from sellerflow.domain.fulfillment import ShipmentRequest, confirm_shipment
from sellerflow.domain.lifecycle import Action, guard
from sellerflow.domain.model import Order
from sellerflow.domain.money import Money
from sellerflow.domain.policy import BusinessCalendar, Policy
from sellerflow.domain.text import Phrase

POSTAGE, POSTAGE_REFUND = "postage", "postage_refund"      # the ledger's kinds
SHIP_AHEAD = timedelta(days=7)


def check_order(order: Order) -> None:
    """L29: labels are for an order with units still to ship."""
    guard(order, Action.SHIP)


def ship_date(given: datetime | date | None, now: datetime, field: str,
              zone: tzinfo = UTC) -> datetime:
    """The day the package goes to the carrier: now when not given (or given as today in
    `zone`), else from now to a week ahead (a bare day: noon there)."""
    if given is None:
        return now
    if not isinstance(given, datetime):
        if given == now.astimezone(zone).date():
            return now
        given = datetime.combine(given, time(12), zone).astimezone(UTC)
    if given < now - timedelta(days=1) or given > now + SHIP_AHEAD:
        raise InvalidInput(field, Phrase(
            "%(date)s is not a ship date a label can be bought for: from today to %(days)s "
            "days ahead", date=given, days=SHIP_AHEAD.days))
    return max(given, now)


def buy_label(order: Order, request: ShipmentRequest, charge: Money, now: datetime,
              policy: Policy, carrier_days: BusinessCalendar) -> Decision:
    """The label's shipment confirmed (L20, L25), its postage charged to the seller."""
    decision = confirm_shipment(order, request, now, policy, carrier_days)
    decision.ledger.append(LedgerEntry(now, POSTAGE, -charge))
    return decision


def void_label(label_id: str, canceled_at: datetime | None, picked_up: datetime | None,
               charge: Money, now: datetime) -> LedgerEntry:
    """The postage back for a label the carrier has not scanned; the shipment stays
    confirmed, as at Amazon (the seller confirms another number if they ship otherwise)."""
    if canceled_at is not None:
        raise RuleViolation("L29", Phrase("label %(label)s was canceled on %(at)s",
                                          label=label_id, at=canceled_at),
                            reason="label-canceled")
    if picked_up is not None and picked_up <= now:
        raise RuleViolation("L29", Phrase(
            "the carrier scanned the package of label %(label)s on %(at)s: a label in the "
            "carrier's hands can no longer be canceled", label=label_id, at=picked_up),
                            reason="label-in-transit")
    return LedgerEntry(now, POSTAGE_REFUND, charge)

"""What the seller does with a released order: ship, cancel, redirect, refund (L17-L26)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo

from sellerflow.domain import carrier_network, reasons, validation
from sellerflow.domain.carriers import canonical_carrier, tracking_is_valid
from sellerflow.domain.decisions import (
    DeadlineKind,
    Decision,
    LedgerEntry,
    RefundRecord,
    ShipmentRecord,
    cancel_rest,
)
from sellerflow.domain.errors import InvalidInput, RuleViolation
from sellerflow.domain.lifecycle import Action, guard, transition
from sellerflow.domain.model import Address, Cause, Order
from sellerflow.domain.money import Money
from sellerflow.domain.policy import BusinessCalendar, Policy
from sellerflow.domain.text import Phrase


@dataclass(frozen=True)
class ShipmentRequest:
    carrier: str
    tracking_number: str
    carrier_name: str | None = None
    ship_method: str | None = None
    ship_date: datetime | date | None = None
    lines: tuple[tuple[str, int], ...] | None = None   # None: every unit still to ship
    # Whose day a bare ship date is: the seller's when they typed it in the console; UTC as
    # the API and files give it.
    zone: tzinfo = UTC
    # The Buy Shipping label that ships these units (L29); None for the seller's own number.
    label: BoughtLabel | None = None


@dataclass(frozen=True)
class BoughtLabel:
    """A label's part in its shipment: its id, when it was bought, and the delivery window
    its carrier promised (the package's scans follow that window, not the order's)."""

    label_id: str
    created_at: datetime
    ship_date: datetime
    window: tuple[datetime, datetime]


def confirm_shipment(order: Order, request: ShipmentRequest, now: datetime,
                     policy: Policy,
                     carrier_days: BusinessCalendar = carrier_network.CARRIER_DAYS) -> Decision:
    """L20, L25: confirm some or all remaining units; the buyer is charged for what shipped.
    `carrier_days`: the days the carrier works (Monday-Friday in the seller's zone, L30)."""
    carrier = canonical_carrier(request.carrier or "")
    if carrier is None:
        raise InvalidInput("carrierCode", Phrase(
            "%(carrier)r is not a carrier code; use one of USPS, UPS, FedEx, DHL, ... or Other "
            "with a carrier name", carrier=request.carrier))
    carrier_name = validation.text(request.carrier_name, "carrierName", 200) or None
    if carrier == "Other" and carrier_name is None:
        raise InvalidInput("carrierName", Phrase("carrier Other needs a carrier name"))
    tracking = validation.text(request.tracking_number, "trackingNumber", 100)
    ship_method = validation.text(request.ship_method, "shippingMethod", 100)
    if not tracking:
        raise InvalidInput("trackingNumber", Phrase("a tracking number is required to confirm "
                                                    "a shipment"))
    guard(order, Action.SHIP)
    ship_date = resolve_ship_date(request.ship_date or now, order.purchase_date, now,
                                  request.zone)
    if ship_date < order.purchase_date:
        raise RuleViolation("L20", Phrase("ship date %(ship_date)s is before the purchase date "
                                          "%(purchase_date)s", ship_date=ship_date,
                                          purchase_date=order.purchase_date),
                            reason="ship-date-out-of-range")
    if ship_date > now:
        raise RuleViolation("L20", Phrase("ship date %(ship_date)s is in the future; give "
                                          "today's date or an earlier one", ship_date=ship_date),
                            reason="ship-date-out-of-range")
    decision = Decision(order.copy())
    new = decision.order
    lines = _shipment_lines(new, request.lines)
    gross = Money.zero()
    for item_id, quantity in lines:
        item = new.item(item_id)
        assert item is not None
        if item.quantity_shipped == 0:
            gross = gross + item.line_shipping    # once, with the line's first units
        item.quantity_shipped += quantity
        gross = gross + (item.unit_price + item.unit_shipping).times(quantity)
    valid = tracking_is_valid(carrier, tracking)
    if not valid:
        decision.warnings.append(Phrase(
            "L20: tracking number %(tracking)r does not match the %(carrier)s format; accepted, "
            "but it counts as invalid in the valid tracking rate", tracking=tracking,
            carrier=carrier))
    label = request.label
    window = label.window if label is not None else carrier_network.delivery_window(
        ship_date, policy.transit_days[new.ship_service_level], carrier_days)
    scans = carrier_network.scans(
        carrier, tracking, label.ship_date if label is not None else ship_date, window,
        carrier_network.DeliveryProfile(policy.late_deliveries, policy.lost_packages),
        label.created_at if label is not None else None, carrier_days)
    at = {scan.code: scan.at for scan in scans}
    decision.shipment = ShipmentRecord(
        carrier_code=carrier, carrier_name=carrier_name, tracking_number=tracking,
        tracking_valid=valid, ship_method=ship_method or new.ship_service_level,
        ship_date=ship_date, confirmed_at=now, ship_to=new.shipping_address,
        lines=tuple(lines), gross=gross, first_scan_at=at.get(carrier_network.PICKED_UP),
        delivered_at=at.get(carrier_network.DELIVERED), lost_at=at.get(carrier_network.LOST),
        deliver_by=new.promise.latest_delivery if new.promise is not None else window[1],
        label_id=label.label_id if label is not None else None)
    if label is not None:
        # L30: each scan of a bought label's package is a milestone its notification tells.
        decision.deadlines.extend((DeadlineKind.TRACKING_SCAN, scan.at) for scan in scans
                                  if scan.at > now)
    new.charged = new.charged + gross
    decision.ledger.append(LedgerEntry(now, "shipment", gross - policy.referral_fee(gross)))
    decision.history.append(transition(new, Action.SHIP, at=now, cause=Cause.SELLER,
                                       reason=reasons.SHIPMENT))
    return decision


def resolve_ship_date(value: datetime | date, purchase: datetime, now: datetime,
                      zone: tzinfo = UTC) -> datetime:
    """A bare day means some time that day in `zone`: noon there, moved inside [purchase, now]
    when the day is the purchase's day or today there, so "shipped today" is never "in the
    future" nor before the order."""
    if isinstance(value, datetime):
        return value
    moment = datetime.combine(value, time(12), zone).astimezone(UTC)
    if value == now.astimezone(zone).date() and moment > now:
        moment = now
    if value == purchase.astimezone(zone).date() and moment < purchase:
        moment = purchase
    return moment


def _shipment_lines(order: Order, wanted: tuple[tuple[str, int], ...] | None
                    ) -> list[tuple[str, int]]:
    if wanted is None:
        return [(i.order_item_id, i.quantity_to_ship) for i in order.items if i.quantity_to_ship]
    merged: dict[str, int] = {}
    for item_id, quantity in wanted:
        if order.item(item_id) is None:
            raise _not_in_order(item_id, order)
        if quantity < 1:
            raise InvalidInput("orderItems", Phrase("quantity %(quantity)s for item %(item)s "
                                                    "must be at least 1", quantity=quantity,
                                                    item=item_id))
        merged[item_id] = merged.get(item_id, 0) + quantity
    for item_id, quantity in merged.items():
        item = order.item(item_id)
        assert item is not None
        if quantity > item.quantity_to_ship:
            raise RuleViolation("L20", Phrase("item %(item)s has %(left)s unit(s) left to ship; "
                                              "%(quantity)s cannot be confirmed", item=item_id,
                                              left=item.quantity_to_ship, quantity=quantity),
                                reason="too-many-units")
    return list(merged.items())


def _not_in_order(item_id: str, order: Order) -> InvalidInput:
    return InvalidInput("orderItems", Phrase("order item %(item)s is not in order %(order)s",
                                             item=item_id, order=order.amazon_order_id))


def cancel_by_seller(order: Order, reason: str, at: datetime,
                     item_ids: Collection[str] | None = None) -> Decision:
    """L22, L4: cancel what is unshipped with one of Amazon's reason codes: the whole order's,
    or, as Amazon cancels per item, only the items named (the order ships the others)."""
    code = reasons.canonical_reason(reason or "")
    if code is None:
        raise InvalidInput("reason", Phrase("%(reason)r is not one of Amazon's cancellation "
                                            "reason codes: %(codes)s", reason=reason,
                                            codes=", ".join(reasons.CANCELLATION_REASONS)))
    guard(order, Action.SELLER_CANCEL)
    for item_id in item_ids or ():
        item = order.item(item_id)
        if item is None:
            raise _not_in_order(item_id, order)
        if not item.quantity_to_ship:
            raise RuleViolation("L22", Phrase(
                "order item %(item)s of order %(order)s has nothing left to cancel: its units "
                "are shipped or canceled", item=item_id, order=order.amazon_order_id),
                reason="not-actionable")
    decision = Decision(order.copy())
    new = decision.order
    by_buyer = code == reasons.BUYER_CANCELED and new.buyer_cancel_requested
    cause = Cause.BUYER if by_buyer else Cause.SELLER
    # L4: NoInventory returns nothing and empties the listing (the seller has none).
    cancel_rest(decision, code, cause, return_units=code != reasons.NO_INVENTORY,
                item_ids=item_ids)
    decision.history.append(transition(new, Action.SELLER_CANCEL, at=at, cause=cause,
                                       reason=code))
    return decision


def request_address_change(order: Order, address: Address) -> Decision:
    """L19: the buyer asks, through messaging, to ship somewhere else."""
    guard(order, Action.REQUEST_ADDRESS_CHANGE)
    decision = Decision(order.copy())
    decision.order.requested_address = address
    return decision


def redirect(order: Order, at: datetime) -> Decision:
    """L19: the seller ships to exactly the address the buyer asked for."""
    guard(order, Action.REDIRECT)
    if order.requested_address is None:
        raise RuleViolation("L19", Phrase(
            "the buyer of order %(order)s has not asked for another address; to change it, "
            "cancel and let the buyer order again", order=order.amazon_order_id))
    decision = Decision(order.copy())
    new = decision.order
    assert new.requested_address is not None
    new.shipping_address = new.requested_address
    new.requested_address = None
    decision.history.append(transition(new, Action.REDIRECT, at=at, cause=Cause.SELLER,
                                       reason=reasons.REDIRECT))
    return decision


def refund(order: Order, amount: Money | None, reason: str, at: datetime,
           policy: Policy) -> Decision:
    """L26: refund what was charged, never more; the seller gets the fee back less admin."""
    reason = validation.text(reason, "reason", 200)
    if not reason:
        raise InvalidInput("reason", Phrase("a refund needs a reason, e.g. CustomerReturn"))
    guard(order, Action.REFUND)
    refundable = order.charged - order.refunded
    amount = refundable if amount is None else amount
    if amount.amount <= 0:
        if refundable.amount <= 0:
            raise RuleViolation("L26", Phrase("order %(order)s is already fully refunded",
                                              order=order.amazon_order_id))
        raise InvalidInput("amount", Phrase("a refund must be more than 0.00"))
    if amount > refundable:
        raise RuleViolation("L26", Phrase("refund %(amount)s exceeds what can still be refunded "
                                          "on order %(order)s: %(refundable)s", amount=amount,
                                          order=order.amazon_order_id, refundable=refundable))
    decision = Decision(order.copy())
    new = decision.order
    new.refunded = new.refunded + amount
    fee_credit = policy.referral_fee(amount)
    admin_fee = policy.refund_admin_fee(fee_credit)
    decision.refund = RefundRecord(at, amount, reason, fee_credit, admin_fee)
    decision.ledger.append(LedgerEntry(at, "refund", -amount + fee_credit - admin_fee))
    decision.history.append(transition(new, Action.REFUND, at=at, cause=Cause.SELLER,
                                       reason=reasons.REFUND))
    return decision


def check_feedback(order: Order, rating: int) -> None:
    """Feedback on any released order, seller-canceled ones included (L22); once per order."""
    if not 1 <= rating <= 5:
        raise InvalidInput("rating", f"{rating} is not a rating from 1 to 5")
    if not order.is_released:
        raise RuleViolation("L22", f"order {order.amazon_order_id} was never released; "
                                   "feedback is for orders the seller handled")

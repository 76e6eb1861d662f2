"""Pending orders: the buyer-cancel hold, payment verification and the release (L5-L16)."""

from __future__ import annotations

from datetime import datetime

from sellerflow.domain import reasons, validation
from sellerflow.domain.decisions import Decision, Notification, cancel_rest
from sellerflow.domain.errors import InvalidInput, RuleViolation
from sellerflow.domain.lifecycle import transition
from sellerflow.domain.model import Cause, Order, OrderStatus, Verification
from sellerflow.domain.policy import BusinessCalendar, Policy, promise_dates

OUTCOMES = ("approved", "declined", "fraud")


def hold_ends_at(order: Order, policy: Policy) -> datetime:
    return order.purchase_date + policy.hold


def record_verification(order: Order, outcome: str, at: datetime, policy: Policy,
                        calendar: BusinessCalendar) -> Decision:
    """L9-L11: the first final outcome wins, and only while the order is Pending."""
    if outcome not in OUTCOMES:
        raise InvalidInput("outcome", f"{outcome!r} is not one of {', '.join(OUTCOMES)}")
    if order.status is not OrderStatus.PENDING:
        raise RuleViolation("L9", f"order {order.amazon_order_id} is {order.status}; verification "
                                  "outcomes are accepted only while it is Pending")
    if order.verification is not Verification.PENDING:
        raise RuleViolation("L9", f"order {order.amazon_order_id} already has the final "
                                  f"verification outcome {order.verification}")
    decision = Decision(order.copy())
    new = decision.order
    if outcome == "approved":
        new.verification = Verification.APPROVED
        if at >= hold_ends_at(new, policy):
            release(decision, at, reasons.APPROVED, policy, calendar)
        else:
            decision.history.append(
                transition(new, at=at, cause=Cause.VERIFICATION, reason=reasons.APPROVED))
        return decision
    # L11: declined or fraud cancels at once, even inside the hold; the seller is not told.
    new.verification = Verification(outcome)
    cancel_rest(decision)
    decision.history.append(transition(new, at=at, cause=Cause.VERIFICATION, reason=outcome))
    return decision


def release(decision: Decision, at: datetime, reason: str, policy: Policy,
            calendar: BusinessCalendar) -> None:
    """Pending -> Unshipped, with the promise dates (L15) and both notifications (L13, L14)."""
    order = decision.order
    order.released_at = at
    order.promise = promise_dates(at, order.handling_days, order.ship_service_level,
                                  calendar, policy)
    decision.history.append(transition(order, at=at, cause=Cause.VERIFICATION, reason=reason))
    decision.notifications.extend(release_notifications(order, calendar))


def release_notifications(order: Order, calendar: BusinessCalendar) -> list[Notification]:
    assert order.promise is not None
    lines = "\n".join(f"  {item.quantity_ordered} x {item.title} (SKU {item.sku})"
                      for item in order.items)
    delivery_from = calendar.local_date(order.promise.earliest_delivery).isoformat()
    delivery_to = calendar.local_date(order.promise.latest_delivery).isoformat()
    ship_by = calendar.local_date(order.promise.latest_ship).isoformat()
    oid = order.amazon_order_id
    buyer = Notification(
        kind="order-confirmation", recipient="buyer", key=f"{oid}:order-confirmation",
        subject=f"Your order {oid} is confirmed",
        body=f"Thank you for your order {oid}.\n{lines}\n"
             f"Estimated delivery: {delivery_from} to {delivery_to} "
             f"({order.ship_service_level}).\n")
    # L14: the seller's notice names the items but never the buyer's address.
    seller = Notification(
        kind="sold-ship-now", recipient="seller", key=f"{oid}:sold-ship-now",
        subject=f"Sold, ship now: order {oid}",
        body=f"Order {oid} is ready to ship.\n{lines}\n"
             f"Ship by {ship_by} with {order.ship_service_level} shipping. "
             "The ship-to address is in the order details in Manage Orders.\n")
    return [buyer, seller]


def cancel_by_buyer(order: Order, reason: str | None, at: datetime) -> Decision:
    """L6: a Pending order is canceled at once; a released one only records the request."""
    decision = Decision(order.copy())
    new = decision.order
    if new.status is OrderStatus.PENDING:
        cancel_rest(decision)
        decision.history.append(
            transition(new, at=at, cause=Cause.BUYER, reason=reasons.BUYER_CANCELED))
        return decision
    if new.status in (OrderStatus.SHIPPED, OrderStatus.CANCELED):
        raise RuleViolation("L6", f"order {new.amazon_order_id} is {new.status}; it can no "
                                  "longer be canceled")
    if new.buyer_cancel_requested:
        return decision
    new.buyer_cancel_requested = True
    new.buyer_cancel_reason = (validation.text(reason, "--reason", 200)
                               or "Buyer requested cancellation")
    decision.history.append(
        transition(new, at=at, cause=Cause.BUYER, reason=reasons.BUYER_CANCELED))
    decision.notifications.append(Notification(
        kind="buyer-cancel-request", recipient="seller",
        key=f"{new.amazon_order_id}:buyer-cancel-request",
        subject=f"Cancellation requested for order {new.amazon_order_id}",
        body=f"The buyer asked to cancel order {new.amazon_order_id}: "
             f"{new.buyer_cancel_reason}.\nCancel it with reason BuyerCanceled, or ship it.\n"))
    return decision

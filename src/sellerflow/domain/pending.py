"""Pending orders: the buyer-cancel hold, payment verification and the release (L5-L16)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sellerflow.domain import reasons, validation
from sellerflow.domain.decisions import DeadlineKind, Decision, Notification, cancel_rest
from sellerflow.domain.errors import InvalidInput, RuleViolation
from sellerflow.domain.lifecycle import Action, guard, transition
from sellerflow.domain.model import Cause, Order, OrderStatus, Verification
from sellerflow.domain.policy import BusinessCalendar, Policy, auto_cancel_at, promise_dates
from sellerflow.domain.text import N_

OUTCOMES = ("approved", "declined", "fraud")


def hold_ends_at(order: Order, policy: Policy) -> datetime:
    return order.purchase_date + policy.hold


@dataclass(frozen=True)
class PendingStage:
    """Where a Pending order stands (L5, L8): in the buyer-cancel hold (`hold`) or in payment
    and order-detail verification (`verification`), how long that stage lasts at most, when
    it ends at the latest and how much of it is left at `now`."""

    stage: str
    length: timedelta
    until: datetime
    left: timedelta


def pending_stage(order: Order, now: datetime, policy: Policy) -> PendingStage | None:
    """None for an order that is not Pending. The hold ends at its time; verification may
    end sooner (an outcome) but never later than its limit (L12)."""
    if order.status is not OrderStatus.PENDING:
        return None
    hold_end = hold_ends_at(order, policy)
    if now < hold_end:
        return PendingStage("hold", policy.hold, hold_end, hold_end - now)
    limit = order.purchase_date + policy.verification_limit
    return PendingStage("verification", policy.verification_limit, limit,
                        max(limit - now, timedelta(0)))


def promise_note(order: Order) -> str | None:
    """Why an order has no ship-by or delivery dates (L15: they are set at release); None
    when it has them."""
    if order.promise is not None:
        return None
    if order.status is OrderStatus.PENDING:
        waiting = ("payment verification is still pending"
                   if order.verification is Verification.PENDING
                   else f"payment verification is {order.verification}")
        return ("No ship-by or delivery dates yet: a Pending order gets them when it is "
                "released, once the 30-minute buyer-cancel hold has ended and payment is "
                f"verified (L5, L8, L15); {waiting}.")
    return "No ship-by or delivery dates: the order was canceled before it was released (L15)."


def record_verification(order: Order, outcome: str, at: datetime, policy: Policy,
                        calendar: BusinessCalendar) -> Decision:
    """L9-L11: the first final outcome wins, and only while the order is Pending."""
    if outcome not in OUTCOMES:
        raise InvalidInput("outcome", f"{outcome!r} is not one of {', '.join(OUTCOMES)}")
    guard(order, Action.APPROVE if outcome == "approved" else Action.DECLINE)
    if order.verification is not Verification.PENDING:
        raise RuleViolation("L9", f"order {order.amazon_order_id} already has the final "
                                  f"verification outcome {order.verification}")
    decision = Decision(order.copy())
    new = decision.order
    if outcome == "approved":
        new.verification = Verification.APPROVED
        if at >= hold_ends_at(new, policy):
            release(decision, at, reasons.APPROVED, policy, calendar, Action.APPROVE)
        else:
            decision.history.append(transition(new, Action.APPROVE, at=at,
                                               cause=Cause.VERIFICATION, reason=reasons.APPROVED))
        return decision
    # L11: declined or fraud cancels at once, even inside the hold; the seller is not told.
    new.verification = Verification(outcome)
    cancel_rest(decision, outcome, Cause.VERIFICATION)
    decision.history.append(transition(new, Action.DECLINE, at=at, cause=Cause.VERIFICATION,
                                       reason=outcome))
    return decision


def release(decision: Decision, at: datetime, reason: str, policy: Policy,
            calendar: BusinessCalendar, action: Action = Action.RELEASE) -> None:
    """Pending -> Unshipped, with the promise dates (L15) and both notifications (L13, L14)."""
    order = decision.order
    order.released_at = at
    order.promise = promise_dates(at, order.handling_days, order.ship_service_level,
                                  calendar, policy, order.ship_deadline_at)
    if order.ship_deadline_at is None:
        # Placed under Amazon's policy (placement set no deadline): L24a's warning from
        # LatestShipDate, L23a's cancellation 7 business days after it.
        order.ship_warning_at = order.promise.latest_ship
        order.ship_deadline_at = auto_cancel_at(order.promise.latest_ship, calendar)
        decision.deadlines += [(DeadlineKind.AUTO_CANCEL_WARNING, order.ship_warning_at),
                               (DeadlineKind.AUTO_CANCEL, order.ship_deadline_at)]
    decision.history.append(transition(order, action, at=at, cause=Cause.VERIFICATION,
                                       reason=reason))
    decision.notifications.extend(release_notifications(order, calendar))


def release_notifications(order: Order, calendar: BusinessCalendar) -> list[Notification]:
    """L13: the buyer's confirmation with the delivery window; L14: the seller's "sold, ship
    now", which names the items but never the buyer's address."""
    assert order.promise is not None
    items = tuple((item.quantity_ordered, item.title, item.sku) for item in order.items)
    facts = {
        "orderId": order.amazon_order_id,
        "shipServiceLevel": order.ship_service_level,
        "deliveryFrom": calendar.local_date(order.promise.earliest_delivery).isoformat(),
        "deliveryTo": calendar.local_date(order.promise.latest_delivery).isoformat(),
        "shipBy": calendar.local_date(order.promise.latest_ship).isoformat(),
    }
    return [Notification("order-confirmation", "buyer", order.amazon_order_id, facts, items),
            Notification("sold-ship-now", "seller", order.amazon_order_id,
                         {k: v for k, v in facts.items() if not k.startswith("delivery")},
                         items)]


def cancel_by_buyer(order: Order, reason: str | None, at: datetime) -> Decision:
    """L6: a Pending order is canceled at once; a released one only records the request."""
    guard(order, Action.BUYER_CANCEL)
    decision = Decision(order.copy())
    new = decision.order
    if new.status is OrderStatus.PENDING:
        cancel_rest(decision, reasons.BUYER_CANCELED, Cause.BUYER)
        decision.history.append(transition(new, Action.BUYER_CANCEL, at=at, cause=Cause.BUYER,
                                           reason=reasons.BUYER_CANCELED))
        return decision
    if new.buyer_cancel_requested:
        return decision
    new.buyer_cancel_requested = True
    new.buyer_cancel_reason = (validation.text(reason, "reason", 200)
                               or N_("Buyer requested cancellation"))
    decision.history.append(transition(new, Action.BUYER_CANCEL, at=at, cause=Cause.BUYER,
                                       reason=reasons.BUYER_CANCELED))
    decision.notifications.append(Notification(
        "buyer-cancel-request", "seller", new.amazon_order_id,
        {"orderId": new.amazon_order_id, "reason": new.buyer_cancel_reason}))
    return decision

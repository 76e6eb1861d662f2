"""Deadlines are durable facts of an order (L28); firing one re-checks that it still applies."""

from __future__ import annotations

from datetime import date, datetime

from sellerflow.domain import reasons
from sellerflow.domain.decisions import DeadlineKind, Decision, Notification, cancel_rest
from sellerflow.domain.lifecycle import TERMINAL, Action, allows, transition
from sellerflow.domain.model import Cause, Order, OrderStatus, Verification
from sellerflow.domain.pending import release
from sellerflow.domain.policy import THIRTY_DAYS, BusinessCalendar, Policy

__all__ = ["DeadlineKind", "confirm_by", "fire", "schedule", "warning_text"]


def schedule(purchase_date: datetime, policy: Policy) -> list[tuple[DeadlineKind, datetime]]:
    """L28: exact offsets from the purchase date, in due order. Under Amazon's policy the
    ship-by deadlines are scheduled when the order is released (L23a: they count from its
    LatestShipDate)."""
    due = [(DeadlineKind.HOLD_ENDS, purchase_date + policy.hold),
           (DeadlineKind.VERIFICATION_EXPIRES, purchase_date + policy.verification_limit)]
    if policy.auto_cancel == THIRTY_DAYS:
        due += [(DeadlineKind.SHIP_WARNING, purchase_date + policy.ship_warning),
                (DeadlineKind.SHIP_DEADLINE, purchase_date + policy.ship_deadline)]
    return due


def confirm_by(order: Order, now: datetime, calendar: BusinessCalendar) -> date | None:
    """L24, L24a: from the order's scheduled warning time (7 days before its ship-confirm
    deadline; under Amazon's policy its LatestShipDate), while units are still to ship, the
    seller's local date shipment must be confirmed by."""
    if (order.status in (OrderStatus.UNSHIPPED, OrderStatus.PARTIALLY_SHIPPED)
            and order.ship_warning_at is not None and order.ship_deadline_at is not None
            and now >= order.ship_warning_at):
        return calendar.local_date(order.ship_deadline_at)
    return None


def warning_text(deadline: date) -> str:
    """L24: the warning's words, for the seller's local deadline date."""
    return f"Please confirm shipment by {deadline.isoformat()} to avoid cancellation"


def fire(order: Order, kind: DeadlineKind, due_at: datetime, policy: Policy,
         calendar: BusinessCalendar) -> Decision:
    """Apply one due deadline at its due time; a deadline that no longer applies changes nothing."""
    decision = Decision(order.copy())
    new = decision.order
    if new.status in TERMINAL:
        return decision
    if kind is DeadlineKind.HOLD_ENDS:
        # L9: an approval inside the hold releases the order when the hold ends.
        if allows(new.status, Action.RELEASE) and new.verification is Verification.APPROVED:
            release(decision, due_at, reasons.HOLD_ENDED, policy, calendar)
    elif kind is DeadlineKind.VERIFICATION_EXPIRES:
        # L12: still not approved 21 days after placement; the units go back on sale (L4).
        if (allows(new.status, Action.EXPIRE_VERIFICATION)
                and new.verification is Verification.PENDING):
            new.verification = Verification.EXPIRED
            cancel_rest(decision, reasons.VERIFICATION_EXPIRED, Cause.VERIFICATION)
            decision.history.append(transition(new, Action.EXPIRE_VERIFICATION, at=due_at,
                                               cause=Cause.VERIFICATION,
                                               reason=reasons.VERIFICATION_EXPIRED))
    elif kind in (DeadlineKind.SHIP_WARNING, DeadlineKind.AUTO_CANCEL_WARNING):
        deadline = confirm_by(new, due_at, calendar)
        if deadline is not None:
            text = warning_text(deadline)
            decision.notifications.append(Notification(
                "ship-warning", "seller", new.amazon_order_id,
                {"orderId": new.amazon_order_id, "warning": text,
                 "deadline": deadline.isoformat(), "unitsToShip": str(new.units_to_ship)}))
    elif kind in (DeadlineKind.SHIP_DEADLINE, DeadlineKind.AUTO_CANCEL):
        # L23, L23a: what is still unshipped is canceled; shipped units stay paid for.
        if allows(new.status, Action.SHIP_DEADLINE) and new.units_to_ship > 0:
            reason = (reasons.SHIP_DEADLINE if kind is DeadlineKind.SHIP_DEADLINE
                      else reasons.AUTO_CANCEL)
            cancel_rest(decision, reason, Cause.DEADLINE)
            decision.history.append(transition(new, Action.SHIP_DEADLINE, at=due_at,
                                               cause=Cause.DEADLINE, reason=reason))
    return decision

"""Deadlines are durable facts of an order (L28); firing one re-checks that it still applies."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sellerflow.domain import reasons
from sellerflow.domain.decisions import Decision, Notification, cancel_rest
from sellerflow.domain.lifecycle import TERMINAL, transition
from sellerflow.domain.model import Cause, Order, OrderStatus, Verification
from sellerflow.domain.pending import release
from sellerflow.domain.policy import BusinessCalendar, Policy


class DeadlineKind(StrEnum):
    HOLD_ENDS = "hold_ends"
    VERIFICATION_EXPIRES = "verification_expires"
    SHIP_WARNING = "ship_warning"
    SHIP_DEADLINE = "ship_deadline"


def schedule(purchase_date: datetime, policy: Policy) -> list[tuple[DeadlineKind, datetime]]:
    """L28: exact offsets from the purchase date, in due order."""
    return [
        (DeadlineKind.HOLD_ENDS, purchase_date + policy.hold),
        (DeadlineKind.VERIFICATION_EXPIRES, purchase_date + policy.verification_limit),
        (DeadlineKind.SHIP_WARNING, purchase_date + policy.ship_warning),
        (DeadlineKind.SHIP_DEADLINE, purchase_date + policy.ship_deadline),
    ]


def ship_deadline_date(order: Order, policy: Policy, calendar: BusinessCalendar) -> str:
    return calendar.local_date(order.purchase_date + policy.ship_deadline).isoformat()


def ship_warning(order: Order, now: datetime, policy: Policy,
                 calendar: BusinessCalendar) -> str | None:
    """L24: the warning Manage Orders shows from 7 days before the ship-confirm deadline."""
    if (order.status in (OrderStatus.UNSHIPPED, OrderStatus.PARTIALLY_SHIPPED)
            and now >= order.purchase_date + policy.ship_warning):
        return (f"Please confirm shipment by {ship_deadline_date(order, policy, calendar)} "
                "to avoid cancellation")
    return None


def fire(order: Order, kind: DeadlineKind, due_at: datetime, policy: Policy,
         calendar: BusinessCalendar) -> Decision:
    """Apply one due deadline at its due time; a deadline that no longer applies changes nothing."""
    decision = Decision(order.copy())
    new = decision.order
    if new.status in TERMINAL:
        return decision
    if kind is DeadlineKind.HOLD_ENDS:
        # L9: an approval inside the hold releases the order when the hold ends.
        if new.status is OrderStatus.PENDING and new.verification is Verification.APPROVED:
            release(decision, due_at, reasons.HOLD_ENDED, policy, calendar)
    elif kind is DeadlineKind.VERIFICATION_EXPIRES:
        # L12: still not approved 21 days after placement.
        if new.status is OrderStatus.PENDING and new.verification is Verification.PENDING:
            new.verification = Verification.EXPIRED
            cancel_rest(decision)
            decision.history.append(transition(new, at=due_at, cause=Cause.VERIFICATION,
                                               reason=reasons.VERIFICATION_EXPIRED))
    elif kind is DeadlineKind.SHIP_WARNING:
        text = ship_warning(new, due_at, policy, calendar)
        if text is not None:
            oid = new.amazon_order_id
            decision.notifications.append(Notification(
                kind="ship-warning", recipient="seller", key=f"{oid}:ship-warning",
                subject=f"Order {oid}: {text}",
                body=f"{text}. Order {oid} still has {new.units_to_ship} unit(s) to ship; "
                     "what is unshipped at the deadline is canceled automatically.\n"))
    elif kind is DeadlineKind.SHIP_DEADLINE:
        # L23: what is still unshipped is canceled; shipped units stay paid for.
        if new.is_released and new.units_to_ship > 0:
            cancel_rest(decision)
            decision.history.append(transition(new, at=due_at, cause=Cause.DEADLINE,
                                               reason=reasons.SHIP_DEADLINE))
    return decision

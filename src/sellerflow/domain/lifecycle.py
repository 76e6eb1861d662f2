"""The order lifecycle: which actions each status allows and where they lead, as data, and the
one function that moves a status.

The table is the guard. A command first asks `guard(order, action)`, which refuses an action
the order's status does not allow with the rule that says so; `transition` then derives the
new status from the order's release and item quantities and checks it is one the table lets
that action reach. Nothing else writes a status.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sellerflow.domain.errors import RuleViolation
from sellerflow.domain.model import Cause, Order, OrderStatus
from sellerflow.domain.text import N_, Phrase

S = OrderStatus


class Action(StrEnum):
    APPROVE = "approve"                   # L9: verification approved
    RELEASE = "release"                   # L9: the hold ends on an approved order
    DECLINE = "decline"                   # L11: declined or fraud
    EXPIRE_VERIFICATION = "expire-verification"   # L12
    BUYER_CANCEL = "buyer-cancel"         # L6: cancel while Pending, a request once released
    REQUEST_ADDRESS_CHANGE = "request-address-change"   # L19
    SHIP = "ship"                         # L20
    SELLER_CANCEL = "seller-cancel"       # L22
    REDIRECT = "redirect"                 # L19
    REFUND = "refund"                     # L26
    SHIP_DEADLINE = "ship-deadline"       # L23


A = Action

# (status, action) -> the statuses the action may leave the order in. A pair that is not here
# is refused. An action may leave the status as it is: a buyer's cancel request, a redirect, a
# refund or a partial shipment still write their history entry.
TRANSITIONS: Mapping[tuple[OrderStatus, Action], frozenset[OrderStatus]] = {
    (S.PENDING, A.APPROVE): frozenset({S.PENDING, S.UNSHIPPED}),
    (S.PENDING, A.RELEASE): frozenset({S.UNSHIPPED}),
    (S.PENDING, A.DECLINE): frozenset({S.CANCELED}),
    (S.PENDING, A.EXPIRE_VERIFICATION): frozenset({S.CANCELED}),
    (S.PENDING, A.BUYER_CANCEL): frozenset({S.CANCELED}),
    (S.PENDING, A.REQUEST_ADDRESS_CHANGE): frozenset({S.PENDING}),
    (S.UNSHIPPED, A.BUYER_CANCEL): frozenset({S.UNSHIPPED}),
    (S.UNSHIPPED, A.REQUEST_ADDRESS_CHANGE): frozenset({S.UNSHIPPED}),
    (S.UNSHIPPED, A.SHIP): frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED}),
    # Amazon cancels per item: canceling some items leaves the order to ship the others.
    (S.UNSHIPPED, A.SELLER_CANCEL): frozenset({S.CANCELED, S.UNSHIPPED}),
    (S.UNSHIPPED, A.REDIRECT): frozenset({S.UNSHIPPED}),
    (S.UNSHIPPED, A.SHIP_DEADLINE): frozenset({S.CANCELED}),
    (S.PARTIALLY_SHIPPED, A.BUYER_CANCEL): frozenset({S.PARTIALLY_SHIPPED}),
    (S.PARTIALLY_SHIPPED, A.REQUEST_ADDRESS_CHANGE): frozenset({S.PARTIALLY_SHIPPED}),
    (S.PARTIALLY_SHIPPED, A.SHIP): frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED}),
    (S.PARTIALLY_SHIPPED, A.SELLER_CANCEL): frozenset({S.SHIPPED, S.PARTIALLY_SHIPPED}),
    (S.PARTIALLY_SHIPPED, A.REDIRECT): frozenset({S.PARTIALLY_SHIPPED}),
    (S.PARTIALLY_SHIPPED, A.REFUND): frozenset({S.PARTIALLY_SHIPPED}),
    (S.PARTIALLY_SHIPPED, A.SHIP_DEADLINE): frozenset({S.SHIPPED}),
    (S.SHIPPED, A.REFUND): frozenset({S.SHIPPED}),
}

TERMINAL = frozenset({S.SHIPPED, S.CANCELED})

_SELLER_ACTIONS = frozenset({A.SHIP, A.SELLER_CANCEL, A.REDIRECT})
_VERIFICATION_ACTIONS = (A.APPROVE, A.RELEASE, A.DECLINE, A.EXPIRE_VERIFICATION)
# What the seller could not do to an order that is over, one phrase each (a translation
# cannot fill a verb into a sentence).
_OVER = {
    (S.CANCELED, A.SHIP): N_("order %(order)s is Canceled; it cannot be shipped"),
    (S.CANCELED, A.SELLER_CANCEL): N_("order %(order)s is Canceled; it cannot be canceled"),
    (S.CANCELED, A.REDIRECT): N_("order %(order)s is Canceled; it cannot be redirected"),
    (S.SHIPPED, A.SHIP): N_("order %(order)s is Shipped: every unit is already confirmed "
                            "shipped or canceled; it cannot be shipped"),
    (S.SHIPPED, A.SELLER_CANCEL): N_("order %(order)s is Shipped: every unit is already "
                                     "confirmed shipped or canceled; it cannot be canceled"),
    (S.SHIPPED, A.REDIRECT): N_("order %(order)s is Shipped: every unit is already confirmed "
                                "shipped or canceled; it cannot be redirected"),
}


def allows(status: OrderStatus, action: Action) -> bool:
    return (status, action) in TRANSITIONS


def refusal(order: Order, action: Action) -> RuleViolation:
    """The rule that refuses `action` on an order in its status, in the seller's words."""
    oid, status = order.amazon_order_id, order.status
    if action in _SELLER_ACTIONS:
        if status is S.PENDING:
            return RuleViolation("L7", Phrase(
                "order %(order)s is Pending: pending orders cannot be shipped or canceled by "
                "the seller; ask the buyer to contact customer service", order=oid),
                reason="pending")
        over = S.CANCELED if status is S.CANCELED else S.SHIPPED
        return RuleViolation("L17" if over is S.CANCELED else "L20",
                             Phrase(_OVER[over, action], order=oid), reason="not-actionable")
    if action in _VERIFICATION_ACTIONS:
        return RuleViolation("L9", Phrase("order %(order)s is %(status)s; verification outcomes "
                                          "are accepted only while it is Pending",
                                          order=oid, status=status))
    if action is A.BUYER_CANCEL:
        return RuleViolation("L6", Phrase("order %(order)s is %(status)s; it can no longer be "
                                          "canceled", order=oid, status=status))
    if action is A.REQUEST_ADDRESS_CHANGE:
        return RuleViolation("L19", Phrase("order %(order)s is %(status)s; its address can no "
                                           "longer change", order=oid, status=status))
    if action is A.REFUND:
        return RuleViolation("L26", Phrase(
            "order %(order)s is %(status)s and has no confirmed shipment; refunds come after "
            "shipment (cancel an unshipped order)", order=oid, status=status))
    return RuleViolation("L23", Phrase("order %(order)s is %(status)s; nothing is left for the "
                                       "ship-confirm deadline to cancel", order=oid,
                                       status=status))


def guard(order: Order, action: Action) -> None:
    """Refuse, before anything changes, an action the order's status does not allow."""
    if not allows(order.status, action):
        raise refusal(order, action)


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    from_status: OrderStatus | None
    to_status: OrderStatus
    cause: Cause
    reason: str


def derive_status(order: Order) -> OrderStatus:
    if order.units_to_ship == 0:
        return S.SHIPPED if order.units_shipped > 0 else S.CANCELED
    if not order.is_released:
        return S.PENDING
    return S.PARTIALLY_SHIPPED if order.units_shipped > 0 else S.UNSHIPPED


def transition(order: Order, action: Action, *, at: datetime, cause: Cause,
               reason: str) -> HistoryEntry:
    """Move the order's status as `action` left it, and return the history entry to append."""
    before = order.status
    after = derive_status(order)
    if after not in TRANSITIONS.get((before, action), frozenset()):
        if not allows(before, action):
            raise refusal(order, action)
        raise RuleViolation("L17", f"order {order.amazon_order_id} cannot go from {before} to "
                                   f"{after} by {action}")
    order.status = after
    order.last_update = at
    return HistoryEntry(at, before, after, cause, reason)


def placement_entry(order: Order, at: datetime) -> HistoryEntry:
    """L1: the first entry of every order, from nothing to Pending."""
    return HistoryEntry(at, None, S.PENDING, Cause.BUYER, "placed")

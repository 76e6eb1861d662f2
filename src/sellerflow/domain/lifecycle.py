"""The order lifecycle: allowed transitions as data, and the one function that moves a status.

Status is never set by hand: `transition` derives it from the order's release and item
quantities, checks it against ALLOWED_TRANSITIONS and returns the history entry to append.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sellerflow.domain.errors import RuleViolation
from sellerflow.domain.model import Cause, Order, OrderStatus

S = OrderStatus

# A status may "move" to itself: shipments, redirects, refunds and requests write history
# entries without changing it. Canceled is final; Shipped only takes refunds.
ALLOWED_TRANSITIONS: Mapping[OrderStatus, frozenset[OrderStatus]] = {
    S.PENDING: frozenset({S.PENDING, S.UNSHIPPED, S.CANCELED}),
    S.UNSHIPPED: frozenset({S.UNSHIPPED, S.PARTIALLY_SHIPPED, S.SHIPPED, S.CANCELED}),
    S.PARTIALLY_SHIPPED: frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED}),
    S.SHIPPED: frozenset({S.SHIPPED}),
    S.CANCELED: frozenset(),
}

TERMINAL = frozenset({S.SHIPPED, S.CANCELED})


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


def transition(order: Order, *, at: datetime, cause: Cause, reason: str) -> HistoryEntry:
    before = order.status
    after = derive_status(order)
    if after not in ALLOWED_TRANSITIONS[before]:
        raise RuleViolation("L17", f"order {order.amazon_order_id} cannot go from {before} "
                                   f"to {after}")
    order.status = after
    order.last_update = at
    return HistoryEntry(at, before, after, cause, reason)


def placement_entry(order: Order, at: datetime) -> HistoryEntry:
    """L1: the first entry of every order, from nothing to Pending."""
    return HistoryEntry(at, None, S.PENDING, Cause.BUYER, "placed")

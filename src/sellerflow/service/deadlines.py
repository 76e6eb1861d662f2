"""Firing due deadlines (L28): under the order's lock, in due order, each exactly once; and
loading an order for a command, which first applies what fell due."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from sellerflow.domain import deadlines as rules
from sellerflow.domain.callers import Caller, order_not_found
from sellerflow.domain.model import Order
from sellerflow.service.context import Marketplace, Work, calendar_for
from sellerflow.service.recording import apply_decision
from sellerflow.store import deadlines as deadline_store
from sellerflow.store import orders as order_store


class Side(StrEnum):
    """Whose side of an order a command acts on."""

    SELLER = "seller"
    BUYER = "buyer"
    EITHER = "either"


def visible(caller: Caller, order: Order, side: Side) -> bool:
    as_seller = caller.acts_for_seller(order.seller_id)
    as_buyer = caller.acts_for_buyer(order.buyer_id)
    return {Side.SELLER: as_seller, Side.BUYER: as_buyer, Side.EITHER: as_seller or as_buyer}[side]


def settle(work: Work, caller: Caller, order_id: str, side: Side) -> Order:
    """Lock the order and apply what fell due before now, so every command sees the order as
    the rules say it is now, whether or not a worker has swept yet. Another tenant's order is
    not found, in the words used for a missing one."""
    found = settle_many(work, caller, (order_id,), side).get(order_id)
    if found is None:
        raise order_not_found(order_id)
    return found


def settle_many(work: Work, caller: Caller, order_ids: Collection[str], side: Side
                ) -> dict[str, Order]:
    """`settle` for many orders at once (a batch of file rows): the orders found and visible
    to the caller, locked, by id; those with deadlines due are fired one by one."""
    found = {o.amazon_order_id: o for o in order_store.load_orders_by_id(work.conn, order_ids,
                                                                         lock=True)
             if visible(caller, o, side)}
    for order_id in sorted(deadline_store.orders_with_due(work.conn, found, work.now)):
        if _fire_order(work, found[order_id]):
            reloaded = order_store.load_order(work.conn, order_id)
            assert reloaded is not None
            found[order_id] = reloaded
    return found


def _fire_order(work: Work, order: Order) -> int:
    due = deadline_store.due_for_order(work.conn, order.amazon_order_id, work.now)
    if not due:
        return 0
    calendar = calendar_for(work.conn, order.seller_id)
    for row in due:
        decision = rules.fire(order, rules.DeadlineKind(row.kind), row.due_at, work.policy,
                              calendar)
        apply_decision(work.conn, order, decision, row.due_at)
        deadline_store.mark_fired(work.conn, row.id, work.now)
        order = decision.order
    return len(due)


def fire_next_order(work: Work) -> int:
    """Fire every due deadline of the order with the earliest due one; how many fired."""
    order_id = deadline_store.next_due_order(work.conn, work.now)
    if order_id is None:
        return 0
    order = order_store.load_order(work.conn, order_id, lock=True)
    assert order is not None
    return _fire_order(work, order)


def sweep(market: Marketplace) -> int:
    """Fire what is due, one order per transaction; returns how many deadlines fired. The
    sweeper is the system caller: it acts on every seller's orders."""
    total = 0
    while fired := market.run(fire_next_order):
        total += fired
    return total

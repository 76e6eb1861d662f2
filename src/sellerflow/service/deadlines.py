"""Firing due deadlines (L28): under the order's lock, in due order, each exactly once; and
loading an order for a command, which first applies what fell due."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum
from typing import Any

from sqlalchemy import Row

from sellerflow.domain import deadlines as rules
from sellerflow.domain.callers import Caller, order_not_found
from sellerflow.domain.errors import ConcurrentUpdate
from sellerflow.domain.model import Order
from sellerflow.domain.policy import BusinessCalendar
from sellerflow.service import sp_notifications
from sellerflow.service.context import Marketplace, Work, calendar_for
from sellerflow.service.recording import Change, apply_changes
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
    to the caller, locked, by id, with what fell due applied."""
    found = {o.amazon_order_id: o for o in order_store.load_orders_by_id(
        work.conn, order_ids, seller_id=caller.own_seller, lock=True)
             if visible(caller, o, side)}
    fired = {(row.seller_id, row.amazon_order_id) for row in _fire(work, dict(found))}
    if fired:
        found.update((o.amazon_order_id, o)
                     for o in order_store.load_orders_by_key(work.conn, fired))
    return found


def _fire(work: Work, locked: dict[str, Order]) -> list[Row[Any]]:
    """Fire every due deadline of these orders (their rows locked), each order's in due order,
    recorded set-wise; the deadlines fired."""
    due = deadline_store.due_for_orders(
        work.conn, [(o.seller_id, o.amazon_order_id) for o in locked.values()], work.now)
    if not due:
        return due
    calendars: dict[str, BusinessCalendar] = {}
    changes = []
    for row in due:
        order = locked[row.amazon_order_id]
        calendar = calendars.get(order.seller_id)
        if calendar is None:
            calendar = calendars[order.seller_id] = calendar_for(work.conn, order.seller_id)
        decision = rules.fire(order, rules.DeadlineKind(row.kind), row.due_at, work.policy,
                              calendar)
        # A second deadline of the same order applies to the order the first one left.
        changes.append(Change(order, decision, row.due_at))
        locked[row.amazon_order_id] = decision.order
    apply_changes(work.conn, changes)
    # L30: a bought label's scans tell subscribers of its milestones as their times come.
    scanned = [(row.seller_id, row.amazon_order_id, row.due_at) for row in due
               if row.kind == rules.DeadlineKind.TRACKING_SCAN]
    if scanned:
        sp_notifications.record_milestones(work.conn, scanned)
    if deadline_store.mark_fired(work.conn, [(row.seller_id, row.id) for row in due],
                                 work.now) != len(due):
        raise ConcurrentUpdate("a deadline fired while this sweep ran")
    return due


SWEEP_BATCH = 500


def fire_due(work: Work, limit: int = SWEEP_BATCH) -> int:
    """Fire every due deadline of up to `limit` orders, those whose deadlines fell due first;
    how many fired (0: nothing is due that another worker has not taken)."""
    claimed = deadline_store.claim_due_orders(work.conn, work.now, limit)
    if not claimed:
        return 0
    return len(_fire(work, {o.amazon_order_id: o for o in
                            order_store.load_orders_by_key(work.conn, claimed, lock=True)}))


def sweep(market: Marketplace, batch: int = SWEEP_BATCH) -> int:
    """Fire what is due, `batch` orders per transaction; returns how many deadlines fired.
    The sweeper is the system caller: it acts on every seller's orders."""
    total = 0
    while fired := market.run(lambda work: fire_due(work, batch)):
        total += fired
    return total

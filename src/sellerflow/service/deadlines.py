"""Firing due deadlines (L28): under the order's lock, in due order, each exactly once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from sellerflow.domain import deadlines as rules
from sellerflow.domain.model import Order
from sellerflow.service.context import Marketplace, calendar_for, require_order
from sellerflow.service.recording import apply_decision
from sellerflow.store import deadlines as deadline_store
from sellerflow.store.schema import deadlines, orders


def settle(market: Marketplace, conn: Connection, order_id: str, now: datetime) -> Order:
    """Lock the order and apply what fell due before `now`, so every command sees the order as
    the rules say it is now, whether or not a worker has swept yet."""
    order = require_order(conn, order_id, lock=True)
    fired = _fire_order(market, conn, order, now)
    return order if not fired else require_order(conn, order_id, lock=False)


def _fire_order(market: Marketplace, conn: Connection, order: Order, now: datetime) -> int:
    due = deadline_store.due_for_order(conn, order.amazon_order_id, now)
    if not due:
        return 0
    calendar = calendar_for(conn, order.seller_id)
    for row in due:
        decision = rules.fire(order, rules.DeadlineKind(row.kind), row.due_at, market.policy,
                              calendar)
        apply_decision(conn, order, decision, row.due_at)
        deadline_store.mark_fired(conn, row.id, now)
        order = decision.order
    return len(due)


def fire_next_order(market: Marketplace, conn: Connection, now: datetime) -> int:
    """Fire every due deadline of the order with the earliest due one; how many fired.

    On PostgreSQL the order row is locked with SKIP LOCKED, so concurrent workers take
    different orders and never fire one deadline twice or two of one order out of order."""
    query = (select(deadlines.c.amazon_order_id)
             .where(deadlines.c.fired_at.is_(None), deadlines.c.due_at <= now)
             .order_by(deadlines.c.due_at, deadlines.c.id).limit(1))
    if conn.dialect.name == "postgresql":
        query = (query.join_from(deadlines, orders,
                                 orders.c.amazon_order_id == deadlines.c.amazon_order_id)
                 .with_for_update(of=orders, skip_locked=True))
    order_id = conn.execute(query).scalar()
    if order_id is None:
        return 0
    order = require_order(conn, order_id, lock=True)
    return _fire_order(market, conn, order, now)


def sweep(market: Marketplace) -> int:
    """Fire what is due, one order per transaction; returns how many deadlines fired."""
    total = 0
    while fired := market.run(lambda conn, now: fire_next_order(market, conn, now)):
        total += fired
    return total

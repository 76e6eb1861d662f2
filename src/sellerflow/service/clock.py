"""The sandbox clock: show it, and advance it firing each deadline at its own due time."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection

from sellerflow.clock import SandboxClock
from sellerflow.service import notifications
from sellerflow.service.context import Marketplace
from sellerflow.service.deadlines import sweep
from sellerflow.store import deadlines as deadline_store


def advance(market: Marketplace, duration: timedelta) -> tuple[datetime, int]:
    """Step from due time to due time up to now + duration, so one long jump writes exactly the
    history of many short ones (L28). Returns the new now and how many deadlines fired."""
    market.require_sandbox("clock advance")
    target = market.now() + duration
    fired = 0
    while True:
        def step(conn: Connection, now: datetime) -> datetime | None:
            due = deadline_store.next_due(conn, target)
            if due is None:
                return None
            SandboxClock.set(conn, max(now, due))
            return due

        due = market.run(step)
        if due is None:
            break
        fired += sweep(market)
        notifications.dispatch(market)
    market.run(lambda conn, now: SandboxClock.set(conn, max(now, target)))
    notifications.dispatch(market)
    return market.now(), fired

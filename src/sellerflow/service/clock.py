"""The sandbox clock: read it, and advance it firing each deadline at its own due time."""

from __future__ import annotations

from datetime import datetime, timedelta

from sellerflow.domain.callers import SANDBOX_CONTROL, Caller
from sellerflow.service import notifications
from sellerflow.service.context import Marketplace, Work
from sellerflow.service.deadlines import sweep
from sellerflow.service.views import ClockReading
from sellerflow.store import deadlines as deadline_store
from sellerflow.store.settings import set_clock


def read(market: Marketplace) -> ClockReading:
    return ClockReading(market.now(), 0)


def advance(market: Marketplace, caller: Caller, duration: timedelta) -> ClockReading:
    """Step from due time to due time up to now + duration, so one long jump writes exactly the
    history of many short ones (L28)."""
    caller.require(*SANDBOX_CONTROL, doing="moving the sandbox clock")
    market.require_sandbox("moving the clock")
    target = market.now() + duration
    fired = 0
    while True:
        def step(work: Work) -> datetime | None:
            due = deadline_store.next_due(work.conn, target)
            if due is None:
                return None
            set_clock(work.conn, max(work.now, due))
            return due

        if market.run(step) is None:
            break
        fired += sweep(market)
        notifications.dispatch(market)
    market.run(lambda work: set_clock(work.conn, max(work.now, target)))
    notifications.dispatch(market)
    return ClockReading(market.now(), fired)

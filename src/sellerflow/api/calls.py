"""How a route calls a service without stalling the server: the event loop never waits for a
lock. A writing call runs on the loop while SQLite's write lock is free (a thread hop would
cost more than the work); when another transaction holds it, the call runs in the thread
pool instead, where waiting holds up nobody. On PostgreSQL every call goes to the pool."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar, cast

from starlette.concurrency import run_in_threadpool

from sellerflow.service.context import Marketplace, without_waiting

T = TypeVar("T")


async def call(market: Marketplace, service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    ran, answer = without_waiting(market, partial(service, *args, **kwargs))
    if ran:
        return cast(T, answer)
    return await run_in_threadpool(service, *args, **kwargs)

"""Amazon's usage plans (rate per second, burst) for each SP-API operation sellerflow serves,
as the models state them, and a per-seller token-bucket throttle that applies them.

The throttle is on for a live database and off for a sandbox by default (a tester's script
should not wait on Amazon's quotas); `serve --throttle/--no-throttle` chooses."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class UsagePlan:
    rate: float      # requests per second, refilled continuously
    burst: int       # what a bucket holds

    @property
    def header(self) -> str:
        return f"{self.rate:g}"


USAGE_PLANS = {
    "getOrders": UsagePlan(0.0167, 20), "getOrder": UsagePlan(0.5, 30),
    "getOrderBuyerInfo": UsagePlan(0.5, 30), "getOrderAddress": UsagePlan(0.5, 30),
    "getOrderItems": UsagePlan(0.5, 30), "getOrderItemsBuyerInfo": UsagePlan(0.5, 30),
    "confirmShipment": UsagePlan(2, 10),
    "createRestrictedDataToken": UsagePlan(1, 10),
    "getMarketplaceParticipations": UsagePlan(0.016, 15), "getAccount": UsagePlan(0.016, 15),
    "getListingsItem": UsagePlan(5, 10), "putListingsItem": UsagePlan(5, 10),
    "patchListingsItem": UsagePlan(5, 5), "deleteListingsItem": UsagePlan(5, 5),
    "createReport": UsagePlan(0.0167, 15), "getReports": UsagePlan(0.0222, 10),
    "getReport": UsagePlan(2, 15), "cancelReport": UsagePlan(0.0222, 10),
    "getReportDocument": UsagePlan(0.0167, 15),
    "createFeedDocument": UsagePlan(0.5, 15), "createFeed": UsagePlan(0.0083, 15),
    "getFeeds": UsagePlan(0.0222, 10), "getFeed": UsagePlan(2, 15),
    "cancelFeed": UsagePlan(2, 15), "getFeedDocument": UsagePlan(0.0222, 10),
}


class Throttle:
    """Token buckets per (seller, operation), in this process's memory."""

    def __init__(self, enabled: bool, clock: Callable[[], float] = time.monotonic) -> None:
        self.enabled = enabled
        self._clock = clock
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}
        self._lock = threading.Lock()

    def admit(self, seller_id: str, operation: str) -> bool:
        """Take one token from the seller's bucket for the operation; False when empty."""
        if not self.enabled:
            return True
        plan = USAGE_PLANS[operation]
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get((seller_id, operation), (float(plan.burst), now))
            tokens = min(float(plan.burst), tokens + (now - last) * plan.rate)
            if tokens < 1:
                self._buckets[(seller_id, operation)] = (tokens, now)
                return False
            self._buckets[(seller_id, operation)] = (tokens - 1, now)
            return True

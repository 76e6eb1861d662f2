"""Amazon's usage plans: a token bucket per seller and operation, refilled continuously at
the plan's rate up to its burst; a request takes one token, or is throttled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class UsagePlan:
    rate: float      # requests per second, refilled continuously
    burst: int       # what a bucket holds

    @property
    def header(self) -> str:
        return f"{self.rate:g}"


def take(plan: UsagePlan, tokens: float | None, counted_at: datetime | None, now: datetime
         ) -> tuple[bool, float]:
    """Whether a request is admitted, and the tokens the bucket holds after it. A bucket not
    used yet is full; time running backwards (a clock set back) refills nothing."""
    if tokens is None or counted_at is None:
        held = float(plan.burst)
    else:
        rested = max(0.0, (now - counted_at).total_seconds())
        held = min(float(plan.burst), tokens + rested * plan.rate)
    if held < 1:
        return False, held
    return True, held - 1

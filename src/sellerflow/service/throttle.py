"""Amazon's usage plans enforced per seller and operation, in buckets every server process
shares (the database's), on the marketplace's clock: a sandbox's simulated one there, so
moving it refills them as the time would."""

from __future__ import annotations

from sellerflow.domain.rates import UsagePlan, take
from sellerflow.service.context import Marketplace, Work
from sellerflow.store import throttle


def admit(market: Marketplace, seller_id: str, operation: str, plan: UsagePlan) -> bool:
    """Takes a token from the seller's bucket for the operation; False when it is empty."""
    def command(work: Work) -> bool:
        found = throttle.bucket(work.conn, seller_id, operation)
        admitted, left = take(plan, None if found is None else found.tokens,
                              None if found is None else found.counted_at, work.now)
        throttle.save(work.conn, seller_id, operation, left, work.now,
                      exists=found is not None)
        return admitted

    return market.run(command)

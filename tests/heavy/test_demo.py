"""`sellerflow demo` drives the real services through 45 simulated days and leaves a
marketplace where every state of the lifecycle can be seen."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sellerflow.service import demo
from sellerflow.service.context import Marketplace
from sellerflow.store.schema import order_history, refunds
from tests import helpers as h

pytestmark = pytest.mark.slow


def test_demo_seeds_every_state_and_the_rules_behind_them(market: Marketplace) -> None:
    summary = demo.seed(market, h.OP, days=45, seed=7)
    assert summary is not None
    assert len(summary["sellers"]) == 3
    assert sorted(s["plan"] for s in summary["sellers"]) == [
        "individual", "professional", "professional"]
    assert summary["listings"] == 50
    assert set(summary["ordersByStatus"]) == {"Pending", "Unshipped", "PartiallyShipped",
                                              "Shipped", "Canceled"}
    assert 300 <= sum(summary["ordersByStatus"].values()) <= 600
    with h.reading(market) as conn:
        reasons = set(conn.execute(select(order_history.c.reason)).scalars())
        causes = set(conn.execute(select(order_history.c.cause)).scalars())
        assert conn.execute(select(refunds.c.id)).first() is not None
    assert {"fraud", "declined", "verification-expired", "ship-deadline", "hold-ended",
            "approved", "BuyerCanceled", "NoInventory", "redirect", "shipment",
            "refund"} <= reasons
    assert causes == {"buyer", "seller", "verification", "deadline"}
    assert summary["actions"]["uploads"] > 0
    late = [h.metrics(market, s["sellerId"])["lateShipmentRate"]["numerator"]
            for s in summary["sellers"]]
    assert sum(late) > 0
    assert demo.has_orders(market)

"""`sellerflow demo` drives the real services through 45 simulated days and leaves a
believable marketplace where every state of the lifecycle can be seen; it is all or
nothing, and a second demo is refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from sellerflow.domain.errors import Refused
from sellerflow.service import demo
from sellerflow.service.context import Marketplace
from sellerflow.store import sandbox, settings
from sellerflow.store.schema import listings, order_history, orders, refunds
from sellerflow.store.settings import set_clock
from tests import helpers as h
from tests.conftest import fresh_market

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           sqlite_template: Path, postgres_template: str | None
           ) -> Iterator[tuple[Marketplace, dict[str, Any]]]:
    """One 45-day demo per database kind, seeded once for the tests that only read it."""
    with fresh_market(request.param, tmp_path_factory.mktemp("demo"), sqlite_template,
                      postgres_template) as (market, _):
        summary = demo.seed(market, h.OP, days=45, seed=7)
        assert summary is not None
        yield market, summary


def test_demo_seeds_every_state_and_the_rules_behind_them(
        seeded: tuple[Marketplace, dict[str, Any]]) -> None:
    market, summary = seeded
    assert len(summary["sellers"]) == 3
    assert sorted(s["plan"] for s in summary["sellers"]) == [
        "individual", "professional", "professional"]
    assert summary["listings"] == 50
    assert set(summary["ordersByStatus"]) == {"Pending", "Unshipped", "PartiallyShipped",
                                              "Shipped", "Canceled"}
    placed = sum(summary["ordersByStatus"].values())
    assert 300 <= placed <= 600
    assert summary["ordersByStatus"]["Canceled"] / placed < 0.07
    with h.reading(market) as conn:
        reasons = set(conn.execute(select(order_history.c.reason)).scalars())
        causes = set(conn.execute(select(order_history.c.cause)).scalars())
        assert conn.execute(select(refunds.c.id)).first() is not None
        # L4: only the units of the NoInventory cancel were written off, never stock on sale.
        assert conn.execute(select(func.max(listings.c.units_written_off))).scalar_one() <= 3
        addresses = [a for a in conn.execute(select(orders.c.shipping_address)).scalars()]
        prime = conn.execute(select(func.count()).where(orders.c.is_prime)).scalar_one()
    assert {"fraud", "declined", "verification-expired", "ship-deadline", "hold-ended",
            "approved", "BuyerCanceled", "NoInventory", "redirect", "shipment",
            "refund"} <= reasons
    assert causes == {"buyer", "seller", "verification", "deadline"}
    assert summary["actions"]["uploads"] > 0
    assert 0 < prime < 0.1 * placed                                   # a few Prime orders
    assert len({a for a in addresses}) > 0.8 * len(addresses)      # Faker, not "1 Main St"
    h.assert_every_unit_is_accounted_for(market)
    h.assert_order_counts_match_the_orders(market)


def test_L27_the_demo_sellers_differ_in_health_on_purpose(
        seeded: tuple[Marketplace, dict[str, Any]]) -> None:
    market, summary = seeded
    health = {}
    for seller in summary["sellers"]:
        metrics = h.metrics(market, seller["sellerId"])
        health[seller["email"]] = {name: m["status"] for name, m in metrics.items()}
    healthy, at_risk, struggling = health.values()
    assert set(healthy.values()) == {"ok"}
    # Shipping late, the second seller's packages arrive late too (L31).
    assert at_risk["lateShipmentRate"] == "atRisk" and at_risk["onTimeDeliveryRate"] == "bad"
    assert {at_risk[name] for name in ("cancelRate", "validTrackingRate",
                                       "orderDefectRate")} == {"ok"}
    assert struggling["validTrackingRate"] == "bad"
    assert sorted(struggling.values()) == ["bad", "ok", "ok", "ok", "ok"]


def test_a_second_demo_is_refused_and_if_empty_skips_it(market: Marketplace) -> None:
    demo.seed(market, h.OP, days=3, seed=1)
    with pytest.raises(Refused) as refused:
        demo.seed(market, h.OP, days=3, seed=1)
    assert refused.value.code == "DemoExists"
    assert demo.seed(market, h.OP, days=3, seed=1, if_empty=True) is None


def test_the_demo_needs_a_new_sandbox(market: Marketplace) -> None:
    h.seller(market)
    with pytest.raises(Refused) as refused:
        demo.seed(market, h.OP, days=3)
    assert refused.value.code == "NotEmpty" and "init --sandbox" in refused.value.message


def test_an_interrupted_demo_leaves_nothing_behind(market: Marketplace) -> None:
    before = market.now()

    def interrupt(done: int, total: int, at: str) -> None:
        if done >= 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        demo.seed(market, h.OP, days=10, progress=interrupt)
    with h.reading(market) as conn:
        assert sandbox.counts(conn) == (0, 0, 0)
        assert settings.get(conn, demo.DEMO_STATE) is None
    assert market.now() == before
    assert demo.seed(market, h.OP, days=3, seed=1) is not None


def test_a_demo_killed_part_way_is_undone_by_the_next_one(market: Marketplace) -> None:
    before = market.now()
    # As if killed: the marker says running, and some of its data is there.
    market.run(lambda work: settings.put(work.conn, demo.DEMO_STATE,
                                         f"running since {before.isoformat()}"))
    h.seller(market)
    market.run(lambda work: set_clock(work.conn, before - timedelta(days=9)))
    summary = demo.seed(market, h.OP, days=3, seed=1)
    assert summary is not None and len(summary["sellers"]) == 3
    with h.reading(market) as conn:
        assert sandbox.counts(conn)[0] == 3
        assert settings.get(conn, demo.DEMO_STATE) == "done"


def test_the_demo_gives_each_seller_sp_api_credentials_that_work(
        seeded: tuple[Marketplace, dict[str, Any]]) -> None:
    from fastapi.testclient import TestClient

    from sellerflow.api.app import create_app

    market, summary = seeded
    professional = [s for s in summary["sellers"] if s["plan"] == "professional"]
    with TestClient(create_app(market)) as api:
        for seller in professional:
            token = api.post("/auth/o2/token", data={
                "grant_type": "refresh_token", "refresh_token": seller["refreshToken"],
                "client_id": seller["clientId"], "client_secret": seller["clientSecret"]})
            assert token.status_code == 200, token.text
            orders = api.get("/orders/v0/orders", params={
                "MarketplaceIds": "ATVPDKIKX0DER", "CreatedAfter": "2000-01-01T00:00:00Z"},
                headers={"x-amz-access-token": token.json()["access_token"]})
            assert orders.status_code == 200 and orders.json()["payload"]["Orders"]

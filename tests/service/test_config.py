"""A deployment may configure the lifecycle's numbers, keeping them in order."""

from __future__ import annotations

import pytest

from sellerflow.domain.errors import InvalidInput
from sellerflow.service import config
from sellerflow.service.context import Marketplace, open_marketplace
from tests import helpers as h
from tests.helpers import OP


def test_defaults_are_the_lifecycles(market: Marketplace) -> None:
    assert config.describe(market.policy()) == {
        "hold": "30m", "verification-limit": "21d", "ship-warning": "23d",
        "ship-deadline": "30d", "referral-fee": "0.15", "handling-days": "2",
        "auto-cancel": "30-days", "new-order-notifications": "on",
        "late-deliveries": "0.01", "lost-packages": "0.002"}


def test_L5_a_configured_hold_applies_to_new_orders_in_every_process(market: Marketplace,
                                                                   db_url: str) -> None:
    shop = h.seller(market)
    h.listing(market, shop, quantity=5)
    config.set_value(market, OP, "hold", "45m")
    other_process = open_marketplace(db_url)
    assert config.describe(other_process.policy())["hold"] == "45m"
    order_id = h.place(other_process, shop)
    h.advance(other_process, "30m")
    assert h.status(other_process, order_id) == "Pending"
    h.advance(other_process, "15m")
    assert h.status(other_process, order_id) == "Unshipped"
    other_process.close()


def test_L25_a_configured_referral_fee(market: Marketplace) -> None:
    config.set_value(market, OP, "referral-fee", "0.10")
    shop = h.seller(market)
    h.listing(market, shop, price="10.00")
    order_id = h.released(market, shop)
    h.ship(market, order_id)
    entries = h.ledger(market, shop)["entries"]
    assert entries[0]["amount"]["Amount"] == "12.59"    # 13.99 less 10%


@pytest.mark.parametrize(("key", "value"), [("hold", "30d"), ("ship-warning", "31d"),
                                            ("referral-fee", "1.5"), ("handling-days", "0"),
                                            ("colour", "red"), ("hold", "soon")])
def test_numbers_out_of_order_or_nonsense_are_refused(market: Marketplace, key: str,
                                                      value: str) -> None:
    with pytest.raises(InvalidInput):
        config.set_value(market, OP, key, value)
    reopened = open_marketplace(market.engine.url.render_as_string(hide_password=False))
    assert config.describe(reopened.policy()) == config.describe(market.policy())
    assert config.describe(reopened.policy())["hold"] == "30m"
    reopened.close()


def test_a_running_marketplace_reads_the_numbers_in_each_command(market: Marketplace,
                                                                 db_url: str) -> None:
    # Given a server's marketplace already open, when another process changes the hold,
    other_process = open_marketplace(db_url)
    config.set_value(other_process, OP, "hold", "45m")
    other_process.close()
    # then the server's next order is held for the new 45 minutes.
    shop = h.seller(market)
    h.listing(market, shop, quantity=5)
    order_id = h.place(market, shop)
    h.advance(market, "30m")
    assert h.status(market, order_id) == "Pending"
    h.advance(market, "15m")
    assert h.status(market, order_id) == "Unshipped"

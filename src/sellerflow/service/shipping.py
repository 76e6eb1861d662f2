"""A seller's shipping settings: per service level, an amount per shipment and per item."""

from __future__ import annotations

from sellerflow.domain.callers import SELLER_SIDE, Caller
from sellerflow.domain.model import SHIP_SERVICE_LEVELS
from sellerflow.domain.shipping import DEFAULT_RATES, ShippingRate, check_level, parse_rate
from sellerflow.service.context import Marketplace, Work, check_seller
from sellerflow.service.views import ShippingLevel, ShippingSettings
from sellerflow.store import catalog


def shipping_settings(market: Marketplace, caller: Caller, seller_id: str) -> ShippingSettings:
    """What the seller charges at each service level (the default where it set nothing)."""
    return market.read(lambda work: _settings(work, caller, seller_id))


def set_shipping(market: Marketplace, caller: Caller, seller_id: str, level: str,
                 per_shipment: str | None, per_item: str | None) -> ShippingSettings:
    """Set one level's amounts; one left out keeps what the level charges now. Orders placed
    from now on charge them; orders already placed keep theirs."""
    caller.require(*SELLER_SIDE, doing="changing shipping settings")
    check_level(level)

    def command(work: Work) -> ShippingSettings:
        now = _settings(work, caller, seller_id).level(level)
        rate = parse_rate(per_shipment, per_item, ShippingRate(now.per_shipment, now.per_item))
        catalog.set_shipping_rate(work.conn, seller_id, level, rate)
        return _settings(work, caller, seller_id)

    return market.run(command)


def _settings(work: Work, caller: Caller, seller_id: str) -> ShippingSettings:
    check_seller(work.conn, caller, seller_id)
    chosen: dict[str, ShippingRate] = catalog.shipping_rates(work.conn, seller_id)
    return ShippingSettings(seller_id, tuple(
        ShippingLevel(level, rate.per_shipment, rate.per_item, level not in chosen)
        for level in SHIP_SERVICE_LEVELS
        for rate in [chosen.get(level, DEFAULT_RATES[level])]))

"""What a buyer pays for shipping: a seller's shipping settings, per service level, as in
Seller Central's shipping templates: an amount per shipment plus an amount per item. A seller
that sets none charges the defaults below."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.model import SHIP_SERVICE_LEVELS
from sellerflow.domain.money import Money
from sellerflow.domain.text import Phrase

MAX_SHIPPING = Money(Decimal("1000.00"))    # per shipment or per item: far above any real rate


@dataclass(frozen=True)
class ShippingRate:
    per_shipment: Money
    per_item: Money


DEFAULT_RATES: dict[str, ShippingRate] = {
    "Standard": ShippingRate(Money.zero(), Money(Decimal("3.99"))),
    "Expedited": ShippingRate(Money.zero(), Money(Decimal("6.99"))),
    "SecondDay": ShippingRate(Money.zero(), Money(Decimal("9.99"))),
    "NextDay": ShippingRate(Money.zero(), Money(Decimal("14.99"))),
}


def check_level(level: str) -> str:
    if level not in SHIP_SERVICE_LEVELS:
        raise InvalidInput("shipServiceLevel", Phrase(
            "%(level)r is not one of %(levels)s", level=level,
            levels=", ".join(SHIP_SERVICE_LEVELS)))
    return level


def parse_rate(per_shipment: str | None, per_item: str | None, now: ShippingRate
               ) -> ShippingRate:
    """The amounts given, each 0 to MAX_SHIPPING; one not given stays as it is `now`."""
    rate = ShippingRate(
        now.per_shipment if per_shipment is None else Money.parse(per_shipment, "perShipment"),
        now.per_item if per_item is None else Money.parse(per_item, "perItem"))
    for amount, field in ((rate.per_shipment, "perShipment"), (rate.per_item, "perItem")):
        if amount > MAX_SHIPPING:
            raise InvalidInput(field, Phrase("%(amount)s is more than %(most)s",
                                             amount=amount.amount, most=MAX_SHIPPING.amount))
    return rate


def charges(rate: ShippingRate, units: list[int]) -> list[tuple[Money, Money]]:
    """(per unit, once for the line) shipping for each line of one seller's order: every unit
    pays the per-item amount, and the first line carries the per-shipment amount, so an
    order's shipping is the sum of its items' (as Amazon's OrderItem ShippingPrice adds up)."""
    return [(rate.per_item, rate.per_shipment if n == 0 else Money.zero())
            for n, _ in enumerate(units)]

"""The simulated carriers (L29, L30) and the metrics their scans make (L27, L31): the same
package always gets the same rates, numbers and scans; packages are delivered in their
promised window unless the seeded profile makes them late or lost; on-time delivery and valid
tracking follow the scans; a delivered order says so in the All Orders Report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sellerflow.domain import carrier_network as network
from sellerflow.domain.carriers import tracking_is_valid
from sellerflow.service import config, reports
from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.helpers import OP

SHIPPED = datetime(2026, 3, 2, 15, tzinfo=UTC)      # a Monday
BOX = network.Package(Decimal(10), Decimal(8), Decimal(4), Decimal(20))


def test_L29_rates_grow_with_weight_and_distance_and_never_change() -> None:
    near, _ = network.quotes(BOX, "98101", "98109", "US", SHIPPED, None)
    far, _ = network.quotes(BOX, "98101", "02134", "US", SHIPPED, None)
    heavy_box = network.Package(Decimal(10), Decimal(8), Decimal(4), Decimal(400))
    heavy, _ = network.quotes(heavy_box, "98101", "98109", "US", SHIPPED, None)
    assert near == network.quotes(BOX, "98101", "98109", "US", SHIPPED, None)[0]
    by_service = {q.service.service_id: q for q in near}
    for quote in far:
        assert quote.charge > by_service[quote.service.service_id].charge
    for quote in heavy:
        assert quote.charge > by_service[quote.service.service_id].charge
    abroad, refused = network.quotes(BOX, "98101", "SW1A 1AA", "GB", SHIPPED, None)
    assert not abroad and {r.code for r in refused} == {"NO_COVERAGE"}


def test_L29_a_services_promise_counts_business_days_as_L15_does() -> None:
    friday = datetime(2026, 3, 6, 15, tzinfo=UTC)
    [next_day] = [q for q in network.quotes(BOX, "98101", "98109", "US", friday, None)[0]
                  if q.service.service_id == "UPS_PTP_NEXT_DAY_AIR"]
    # Shipped on a Friday, next day is Monday (the weekend is no business day).
    assert next_day.earliest_delivery.date() == next_day.latest_delivery.date() \
        == datetime(2026, 3, 9).date()
    deliver_by = next_day.latest_delivery - timedelta(days=1)
    late = network.quotes(BOX, "98101", "98109", "US", friday, deliver_by)[0]
    assert not any(q.on_time for q in late if q.service.service_id == "UPS_PTP_GND")


def test_L30_tracking_numbers_fit_their_carriers_formats() -> None:
    for carrier in ("USPS", "UPS", "FedEx"):
        numbers = {network.tracking_number(carrier, f"label-{n}") for n in range(200)}
        assert len(numbers) == 200
        assert all(tracking_is_valid(carrier, number) for number in numbers)
        assert network.tracking_number(carrier, "label-1") == network.tracking_number(
            carrier, "label-1")


def test_L30_packages_arrive_in_their_window_unless_the_profile_makes_them_late_or_lost() -> None:
    window = network.delivery_window(SHIPPED, (2, 4))
    profile = network.DeliveryProfile(late=Decimal("0.2"), lost=Decimal("0.1"))
    outcomes = {"on time": 0, "late": 0, "lost": 0}
    for n in range(2000):
        number = network.tracking_number("UPS", f"package-{n}")
        scans = network.scans("UPS", number, SHIPPED, window, profile)
        assert scans == network.scans("UPS", number, SHIPPED, window, profile)
        assert [s.at for s in scans] == sorted(s.at for s in scans)
        assert scans[0].code == network.PICKED_UP and scans[0].at > SHIPPED
        last = scans[-1]
        if last.code == network.LOST:
            outcomes["lost"] += 1
        elif last.at <= window[1]:
            assert last.at >= window[0] and last.code == network.DELIVERED
            outcomes["on time"] += 1
        else:
            outcomes["late"] += 1
    assert 150 <= outcomes["lost"] <= 250 and 330 <= outcomes["late"] <= 470
    assert network.scans("UPS", "not a number", SHIPPED, window, profile) == []


def _numbers(late: bool, count: int, shipped: datetime, window: tuple[datetime, datetime],
             profile: network.DeliveryProfile, deliver_by: datetime) -> list[str]:
    """UPS numbers whose packages come after (or by) `deliver_by` under the profile."""
    found = []
    for n in range(1000):
        number = network.tracking_number("UPS", f"find-{n}")
        scans = network.scans("UPS", number, shipped, window, profile)
        if scans and scans[-1].code == network.DELIVERED and (scans[-1].at > deliver_by) == late:
            found.append(number)
            if len(found) == count:
                return found
    raise AssertionError("no such number")


def test_L31_on_time_delivery_rate_follows_the_carriers_scans(market: Marketplace) -> None:
    config.set_value(market, OP, "late-deliveries", "0.5")
    config.set_value(market, OP, "lost-packages", "0")
    seller = h.seller(market)
    h.listing(market, seller)
    orders = [h.released(market, seller) for _ in range(4)]
    # Shipped on the ship-by day, a package the carrier brings late misses the promise. The
    # package's window is the order's own transit (Standard: 3-5 business days).
    promise = h.view(market, orders[0])["order"]
    ship_by = datetime.fromisoformat(promise["LatestShipDate"].replace("Z", "+00:00"))
    minutes = int((ship_by - market.now()).total_seconds() // 60) - 60
    h.advance(market, f"{minutes}m")
    profile = network.DeliveryProfile(Decimal("0.5"), Decimal(0))
    now = market.now()
    window = network.delivery_window(now, (3, 5))
    deliver_by = datetime.fromisoformat(promise["LatestDeliveryDate"].replace("Z", "+00:00"))
    late = _numbers(True, 1, now, window, profile, deliver_by)
    on_time = _numbers(False, 3, now, window, profile, deliver_by)
    for order_id, number in zip(orders, late + on_time, strict=True):
        h.ship(market, order_id, tracking=number)
    before = h.metrics(market, seller)["onTimeDeliveryRate"]
    assert before["denominator"] == 0          # no promised delivery date has passed yet
    h.advance(market, "15d")
    rate = h.metrics(market, seller)["onTimeDeliveryRate"]
    assert (rate["numerator"], rate["denominator"], rate["target"]) == (3, 4, 0.97)
    assert rate["status"] == "bad"


def test_L27_valid_tracking_counts_the_packages_the_carrier_scans(market: Marketplace) -> None:
    seller = h.seller(market)
    h.listing(market, seller)
    first, second = h.released(market, seller), h.released(market, seller)
    h.ship(market, first)
    h.ship(market, second, tracking="12345")            # no UPS package carries it
    rate = h.metrics(market, seller)["validTrackingRate"]
    assert (rate["numerator"], rate["denominator"]) == (1, 2)


def test_L30_a_delivered_order_is_shipped_delivered_to_buyer_in_the_all_orders_report(
        market: Marketplace) -> None:
    config.set_value(market, OP, "late-deliveries", "0")
    config.set_value(market, OP, "lost-packages", "0")
    seller = h.seller(market)
    h.listing(market, seller)
    order_id = h.released(market, seller)
    h.ship(market, order_id)

    def status() -> str:
        report = reports.build(market, OP, "all", seller)
        return report.rows[0][report.header.index("order-status")]

    assert status() == "Shipped"
    h.advance(market, "10d")
    assert status() == "Shipped - Delivered to Buyer"

"""The simulated carriers behind Buy Shipping (L29, L30): their services, what a label costs,
when a package is promised, the tracking numbers they issue and the scans a package gets on
its way. Everything follows from its inputs (a package, two postal codes, a ship date, a
tracking number, the delivery profile), so the same request always gets the same answer. Pure.

Carriers pick up and deliver Monday to Friday, counted in the seller's time zone (UTC where
none is given): a seller's holidays are not theirs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, Decimal

from sellerflow.domain.carriers import tracking_is_valid
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.money import Money
from sellerflow.domain.policy import BusinessCalendar
from sellerflow.domain.text import Phrase

CARRIER_DAYS = BusinessCalendar("UTC")
DIMENSIONAL_DIVISOR = Decimal(139)      # cubic inches per billed pound (the carriers' divisor)
MAX_LENGTH_INCHES = Decimal(108)


@dataclass(frozen=True)
class Package:
    """A box as the carriers price it: inches and ounces."""

    length: Decimal
    width: Decimal
    height: Decimal
    weight_oz: Decimal

    @property
    def billed_pounds(self) -> int:
        """The greater of the actual and the dimensional weight, in whole pounds up."""
        actual = self.weight_oz / 16
        dimensional = self.length * self.width * self.height / DIMENSIONAL_DIVISOR
        return max(1, int(max(actual, dimensional).to_integral_value(ROUND_CEILING)))


def package(length: object, width: object, height: object, unit: str, weight: object,
            weight_unit: str, where: str, weight_where: str, *, capitals: bool = False
            ) -> Package:
    """A package from the numbers and units a request gave (inches or centimeters; ounces,
    grams, pounds or kilograms), each checked; `where` and `weight_where` name the request's
    dimensions and weight in its refusals, their members capitalised as Merchant
    Fulfillment's are (Length, Value) when `capitals`."""
    def field(at: str, name: str) -> str:
        return f"{at}.{name.capitalize() if capitals else name}"

    inches = {"inches": Decimal(1), "inch": Decimal(1), "centimeters": Decimal("0.393701"),
              "centimeter": Decimal("0.393701")}.get(unit.lower())
    if inches is None:
        raise InvalidInput(field(where, "unit"), Phrase(
            "%(unit)r is not a unit of length: inches or centimeters", unit=unit))
    ounces = {"oz": Decimal(1), "ounce": Decimal(1), "g": Decimal("0.035274"),
              "gram": Decimal("0.035274"), "pound": Decimal(16), "lb": Decimal(16),
              "kilogram": Decimal("35.274"), "kg": Decimal("35.274")}.get(weight_unit.lower())
    if ounces is None:
        raise InvalidInput(field(weight_where, "unit"), Phrase(
            "%(unit)r is not a unit of weight: oz or g (Shipping v2: OUNCE, POUND, GRAM, "
            "KILOGRAM)", unit=weight_unit))
    sides = [_positive(value, field(where, name)) * inches
             for name, value in (("length", length), ("width", width), ("height", height))]
    if max(sides) > MAX_LENGTH_INCHES:
        raise InvalidInput(where, Phrase("a side of %(side)s inches is longer than the "
                                         "carriers take (%(most)s)", side=round(max(sides), 1),
                                         most=MAX_LENGTH_INCHES))
    length_in, width_in, height_in = sides
    return Package(length_in, width_in, height_in,
                   _positive(weight, field(weight_where, "value")) * ounces)


def _positive(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise InvalidInput(where, Phrase("must be a number, got %(value)r", value=value))
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise InvalidInput(where, Phrase("must be a number, got %(value)r",
                                         value=value)) from None
    if not number.is_finite() or number <= 0:
        raise InvalidInput(where, Phrase("must be more than 0, got %(value)r", value=value))
    return number


@dataclass(frozen=True)
class CarrierService:
    """A service a carrier sells: the ship service level it meets (L15), its transit in
    business days (ground services: by zone), its price (a base for the first pound and
    zone 1, more per pound and per zone) and the heaviest package it takes."""

    service_id: str
    carrier: str
    name: str
    level: str
    transit: tuple[int, int] | None
    base: Money
    per_pound: Money
    per_zone: Money
    max_pounds: int


def _service(service_id: str, carrier: str, name: str, level: str,
             transit: tuple[int, int] | None, base: str, per_pound: str, per_zone: str,
             max_pounds: int) -> CarrierService:
    return CarrierService(service_id, carrier, name, level, transit, Money(Decimal(base)),
                          Money(Decimal(per_pound)), Money(Decimal(per_zone)), max_pounds)


SERVICES: tuple[CarrierService, ...] = (
    _service("USPS_PTP_GA", "USPS", "USPS Ground Advantage", "Standard", None,
             "4.75", "0.85", "0.30", 70),
    _service("USPS_PTP_PRI", "USPS", "USPS Priority Mail", "Expedited", (1, 3),
             "8.10", "1.40", "0.55", 70),
    _service("USPS_PTP_EXP", "USPS", "USPS Priority Mail Express", "SecondDay", (1, 2),
             "26.35", "2.60", "1.20", 70),
    _service("UPS_PTP_GND", "UPS", "UPS Ground", "Standard", None, "9.20", "1.10", "0.45", 150),
    _service("UPS_PTP_2ND_DAY_AIR", "UPS", "UPS 2nd Day Air", "SecondDay", (2, 2),
             "18.50", "2.90", "1.35", 150),
    _service("UPS_PTP_NEXT_DAY_AIR", "UPS", "UPS Next Day Air", "NextDay", (1, 1),
             "29.80", "4.60", "2.10", 150),
    _service("FEDEX_PTP_HOME_DELIVERY", "FedEx", "FedEx Home Delivery", "Standard", None,
             "9.05", "1.05", "0.45", 150),
    _service("FEDEX_PTP_TWO_DAY", "FedEx", "FedEx 2Day", "SecondDay", (2, 2),
             "19.10", "3.00", "1.40", 150),
    _service("FEDEX_PTP_STANDARD_OVERNIGHT", "FedEx", "FedEx Standard Overnight", "NextDay",
             (1, 1), "31.25", "4.80", "2.20", 150),
)
BY_ID = {service.service_id: service for service in SERVICES}
# Shipping v2's carrierId of each carrier.
CARRIER_IDS = {"USPS": "USPS", "UPS": "UPS", "FedEx": "FEDEX"}
CARRIER_OF_ID = {carrier_id: carrier for carrier, carrier_id in CARRIER_IDS.items()}


def zone(ship_from_postal: str, ship_to_postal: str) -> int:
    """The rate zone, 1-8, from how far apart the two ZIP codes' first three digits are."""
    try:
        distance = abs(int(ship_from_postal.strip()[:3]) - int(ship_to_postal.strip()[:3]))
    except ValueError:
        return 8
    for zone_number, reach in enumerate((50, 150, 300, 450, 600, 750, 900), start=1):
        if distance < reach:
            return zone_number
    return 8


def transit_days(service: CarrierService, zone_number: int) -> tuple[int, int]:
    """Business days in transit: a ground service's grow with the zone."""
    if service.transit is not None:
        return service.transit
    fastest = 1 + (zone_number - 1) // 2
    return fastest, fastest + 1


@dataclass(frozen=True)
class Quote:
    """One service's offer for a package: its charge, the day it ships, the delivery window
    the carrier promises, and whether that window ends by the order's promised delivery
    date (Amazon's protection of a late delivery caused by the carrier, L29)."""

    service: CarrierService
    charge: Money
    zone: int
    billed_pounds: int
    ship_date: datetime
    earliest_delivery: datetime
    latest_delivery: datetime
    on_time: bool


@dataclass(frozen=True)
class Refusal:
    service: CarrierService
    code: str
    message: str


def quotes(box: Package, ship_from_postal: str, ship_to_postal: str, ship_to_country: str,
           ship_date: datetime, deliver_by: datetime | None,
           days: BusinessCalendar = CARRIER_DAYS) -> tuple[list[Quote], list[Refusal]]:
    """Every service's quote for the package, cheapest first, and the services that cannot
    carry it with the reason."""
    offered, refused = [], []
    zone_number = zone(ship_from_postal, ship_to_postal)
    pounds = box.billed_pounds
    windows: dict[tuple[int, int], tuple[datetime, datetime]] = {}   # few transits, 9 services
    for service in SERVICES:
        if ship_to_country != "US":
            refused.append(Refusal(service, "NO_COVERAGE",
                                   "The simulated carriers deliver within the US only"))
            continue
        if pounds > service.max_pounds:
            refused.append(Refusal(service, "WEIGHT_RESTRICTIONS",
                                   f"{service.name} takes up to {service.max_pounds} lb"))
            continue
        charge = (service.base + service.per_pound.times(pounds - 1)
                  + service.per_zone.times(zone_number - 1))
        transit = transit_days(service, zone_number)
        if transit not in windows:
            windows[transit] = delivery_window(ship_date, transit, days)
        earliest, latest = windows[transit]
        offered.append(Quote(service, charge, zone_number, pounds, ship_date, earliest, latest,
                             deliver_by is None or latest <= deliver_by))
    offered.sort(key=lambda q: (q.charge.cents, q.service.service_id))
    return offered, refused


def delivery_window(ship_date: datetime, transit: tuple[int, int],
                    days: BusinessCalendar = CARRIER_DAYS) -> tuple[datetime, datetime]:
    """The first and last moments of delivery, `transit` business days after the day the
    package ships (L15's counting, in the carriers' days)."""
    day = days.local_date(ship_date)
    return (days.start_of(days.nth_business_day_after(day, transit[0])),
            days.end_of(days.nth_business_day_after(day, transit[1])))


def _digest(*parts: str, size: int = 8) -> int:
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:size], "big")


def tracking_number(carrier: str, seed: str) -> str:
    """A number in the carrier's published format (carriers.TRACKING_FORMATS), the same for
    the same seed: USPS 94 and 20 digits, UPS 1Z and 16 letters and digits, FedEx 12
    digits."""
    number = _digest(carrier, seed, size=32)
    if carrier == "USPS":
        return f"9400{number % 10**18:018d}"
    if carrier == "UPS":
        alphabet = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
        chars = []
        for _ in range(16):
            number, rest = divmod(number, len(alphabet))
            chars.append(alphabet[rest])
        return "1Z" + "".join(chars)
    return f"{number % 10**12:012d}"


# Amazon's Shipping v2 event codes, in the order a package meets them.
READY, PICKED_UP, DEPARTED, ARRIVED = ("ReadyForReceive", "PickupDone", "Departed",
                                       "ArrivedAtCarrierFacility")
OUT_FOR_DELIVERY, DELIVERED, LOST = "OutForDelivery", "Delivered", "Lost"
# Shipping v2's summary status once an event has happened.
STATUS_AFTER = {READY: "PreTransit", PICKED_UP: "InTransit", DEPARTED: "InTransit",
                ARRIVED: "InTransit", OUT_FOR_DELIVERY: "OutForDelivery",
                DELIVERED: "Delivered", LOST: "Lost"}


@dataclass(frozen=True)
class DeliveryProfile:
    """How often the simulated carriers deliver late or lose a package (rates 0-1; the
    deployment's `late-deliveries` and `lost-packages`, domain/policy.py)."""

    late: Decimal
    lost: Decimal


@dataclass(frozen=True)
class Scan:
    code: str
    at: datetime
    at_destination: bool      # scanned where the package is going (else where it came from)


def scans(carrier: str, number: str, ship_date: datetime,
          window: tuple[datetime, datetime], profile: DeliveryProfile,
          label_created: datetime | None = None,
          days: BusinessCalendar = CARRIER_DAYS) -> list[Scan]:
    """Every scan the package will get, oldest first, whether or not its time has come: the
    carrier picks it up two hours after it ships, and delivers it inside the promised window
    unless the profile (seeded by the number) makes it late (a business day or two after
    the window) or lost (a week after the window). A number off its carrier's format is
    never scanned: no package carries it."""
    if not tracking_is_valid(carrier, number):
        return milestones(label_created, None, None, None)
    pickup = ship_date + timedelta(hours=2)
    seed = _digest(carrier, number.strip().upper())
    draw = Decimal(seed % 10000) / 10000
    first, last = (days.local_date(moment) for moment in window)
    if draw < profile.lost:
        lost_day = days.nth_business_day_after(last, 5)
        return milestones(label_created, pickup, None, _on(days, lost_day, 16))
    if draw < profile.lost + profile.late:
        day = days.nth_business_day_after(last, 1 + seed % 2)
    else:
        open_days = _business_days(days, first, last)
        day = open_days[seed % len(open_days)]
    # Delivered in the afternoon, the carrier's local time.
    delivered = _on(days, day, 12 + (seed >> 8) % 6)
    while delivered < pickup + IN_TRANSIT:
        delivered = _on(days, days.nth_business_day_after(days.local_date(delivered), 1), 12)
    return milestones(label_created, pickup, delivered, None)


DEPARTS_AFTER = timedelta(hours=4)          # a pickup leaves the first facility
IN_TRANSIT = timedelta(hours=14)            # the least time from pickup to the door


def milestones(label_created: datetime | None, picked_up: datetime | None,
               delivered: datetime | None, lost: datetime | None) -> list[Scan]:
    """The scans that follow from a package's key moments (as a shipment keeps them): the
    label made, the pickup, then the delivery (arrival at the local facility and out for
    delivery before it) or the loss."""
    found = [Scan(READY, label_created, False)] if label_created is not None else []
    if picked_up is None:
        return found
    departed = picked_up + DEPARTS_AFTER
    found += [Scan(PICKED_UP, picked_up, False), Scan(DEPARTED, departed, False)]
    if lost is not None:
        return [*found, Scan(LOST, lost, False)]
    if delivered is None:
        return found
    arrived = max(departed + timedelta(hours=1), delivered - timedelta(hours=14))
    out = max(arrived + timedelta(minutes=30), delivered - timedelta(hours=5))
    return [*found, Scan(ARRIVED, arrived, True), Scan(OUT_FOR_DELIVERY, out, True),
            Scan(DELIVERED, delivered, True)]


def _on(days: BusinessCalendar, day: date, hour: int) -> datetime:
    return days.start_of(day) + timedelta(hours=hour)


def _business_days(days: BusinessCalendar, first: date, last: date) -> list[date]:
    found = [first] if days.is_business_day(first) else []
    day = first
    while (day := days.nth_business_day_after(day, 1)) <= last:
        found.append(day)
    return found or [first]


def status(seen: list[Scan]) -> str:
    """Shipping v2's summary of the scans that have happened."""
    return STATUS_AFTER[seen[-1].code] if seen else "PreTransit"

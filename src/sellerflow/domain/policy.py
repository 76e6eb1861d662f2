"""The marketplace's configurable numbers (lifecycle.md defaults) and the promise-date calendar."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sellerflow.domain.model import PromiseDates
from sellerflow.domain.money import Money

DEFAULT_TIME_ZONE = "America/Los_Angeles"
MAX_HANDLING_DAYS = 30          # L15: handling time is 1-30 business days

# L15: business days of transit per ship service level, (T_min, T_max).
TRANSIT_DAYS: dict[str, tuple[int, int]] = {
    "Standard": (3, 5),
    "Expedited": (2, 3),
    "SecondDay": (2, 2),
    "NextDay": (1, 1),
}

# The two auto-cancel policies (lifecycle.md): the seed's 30 days from the purchase date
# (L23, L24) and Amazon's rule since 2020-09-30, 7 business days after LatestShipDate (L23a,
# L24a).
THIRTY_DAYS = "30-days"
AMAZON_2020 = "amazon-2020"
AUTO_CANCEL_POLICIES = (THIRTY_DAYS, AMAZON_2020)
AUTO_CANCEL_BUSINESS_DAYS = 7                                   # L23a


@dataclass(frozen=True)
class Policy:
    hold: timedelta = timedelta(minutes=30)                      # L5
    verification_limit: timedelta = timedelta(days=21)           # L8, L12
    ship_warning: timedelta = timedelta(days=23)                 # L24
    ship_deadline: timedelta = timedelta(days=30)                # L23
    default_handling_days: int = 2                               # L15
    referral_fee_rate: Decimal = Decimal("0.15")                 # L25
    refund_admin_fee_cap: Money = Money(Decimal("5.00"))         # L26
    refund_admin_fee_rate: Decimal = Decimal("0.20")             # L26
    transit_days: dict[str, tuple[int, int]] = field(default_factory=lambda: dict(TRANSIT_DAYS))
    auto_cancel: str = THIRTY_DAYS                               # L23 or L23a
    # Whether ORDER_CHANGE notifications tell of a new (Pending) order: Amazon's own answer
    # is unclear, so it is the marketplace's choice (on by default).
    new_order_notifications: bool = True
    # How often the simulated carriers deliver late or lose a package (L30).
    late_deliveries: Decimal = Decimal("0.01")
    lost_packages: Decimal = Decimal("0.002")

    def __post_init__(self) -> None:
        if not self.hold < self.verification_limit < self.ship_warning < self.ship_deadline:
            raise ValueError("the lifecycle needs hold < verification-limit < ship-warning < "
                             "ship-deadline")
        if self.auto_cancel not in AUTO_CANCEL_POLICIES:
            raise ValueError(f"the auto-cancel policy is one of {', '.join(AUTO_CANCEL_POLICIES)}")

    def referral_fee(self, gross: Money) -> Money:
        return gross.times(self.referral_fee_rate)

    def refund_admin_fee(self, fee_refunded: Money) -> Money:
        return min(self.refund_admin_fee_cap, fee_refunded.times(self.refund_admin_fee_rate))


@dataclass(frozen=True)
class BusinessCalendar:
    """Monday to Friday in the seller's time zone, minus the seller's holidays (L15)."""

    time_zone: str = DEFAULT_TIME_ZONE
    holidays: frozenset[date] = frozenset()

    @classmethod
    def of(cls, time_zone: str, holidays: Iterable[date] = ()) -> BusinessCalendar:
        return cls(time_zone, frozenset(holidays))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def nth_business_day_after(self, day: date, n: int) -> date:
        count = 0
        while count < n:
            day += timedelta(days=1)
            if self.is_business_day(day):
                count += 1
        return day

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(0, 0, 0), self.zone).astimezone(UTC)

    def end_of(self, day: date) -> datetime:
        return datetime.combine(day, time(23, 59, 59), self.zone).astimezone(UTC)


def auto_cancel_at(latest_ship: datetime, calendar: BusinessCalendar) -> datetime:
    """L23a: the end, in the seller's zone, of the 7th business day after the local date of
    LatestShipDate (weekends and the seller's holidays skipped)."""
    return calendar.end_of(calendar.nth_business_day_after(calendar.local_date(latest_ship),
                                                           AUTO_CANCEL_BUSINESS_DAYS))


def promise_dates(released_at: datetime, handling_days: int, service_level: str,
                  calendar: BusinessCalendar, policy: Policy,
                  ship_deadline: datetime | None = None) -> PromiseDates:
    """L15: promise dates count from the release, in business days of the seller's zone. A
    promise never outlives the order: LatestShipDate is at most its ship-confirm deadline
    (L23), and the delivery dates count from the capped date."""
    release_day = calendar.local_date(released_at)
    t_min, t_max = policy.transit_days[service_level]
    latest_ship = calendar.end_of(calendar.nth_business_day_after(release_day,
                                                                  max(handling_days, 1)))
    if ship_deadline is not None and latest_ship > ship_deadline:
        latest_ship = ship_deadline
    earliest_ship = calendar.start_of(calendar.nth_business_day_after(release_day, 1))
    ship_by = calendar.local_date(latest_ship)
    return PromiseDates(
        earliest_ship=min(earliest_ship, latest_ship),
        latest_ship=latest_ship,
        earliest_delivery=calendar.start_of(calendar.nth_business_day_after(ship_by, t_min)),
        latest_delivery=calendar.end_of(calendar.nth_business_day_after(ship_by, t_max)),
    )

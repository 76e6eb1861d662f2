"""The console's languages: the catalogs (sellerflow/catalogs.py), the language a request asks
for, and dates and money in it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, get_timezone_name
from babel.numbers import format_currency
from babel.support import Translations

from sellerflow import catalogs
from sellerflow.domain.model import Seller
from sellerflow.domain.policy import DEFAULT_TIME_ZONE

LOCALES = catalogs.LANGUAGES
DEFAULT = catalogs.DEFAULT
NAMES = {"en": "English", "zh_CN": "中文"}


def load(locale: str) -> Translations:
    """A language's catalog (sellerflow/catalogs.py)."""
    return catalogs.catalog(locale)


def negotiate(chosen: str | None, accept_language: str | None) -> str:
    """The language switch's choice (a cookie) first, then the browser's Accept-Language."""
    if chosen in LOCALES:
        return chosen
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().replace("-", "_").lower()
        if tag.startswith("zh"):
            # Traditional Chinese readers get the simplified catalog rather than English.
            return "zh_CN"
        if tag.startswith("en"):
            return "en"
    return DEFAULT


class Formats:
    """Dates in the seller's time zone and money, as the request's language writes them."""

    def __init__(self, locale: str, time_zone: str | None = None) -> None:
        self.locale = locale
        self.zone = _zone(time_zone or DEFAULT_TIME_ZONE)

    def when(self, moment: datetime | None) -> str:
        """The day as the language writes it, then the 24-hour time: a page of orders formats
        many, and Babel's full date-time formatting cost more than the rest of the page."""
        if moment is None:
            return ""
        return _minute(moment.astimezone(self.zone).replace(second=0, microsecond=0),
                       self.zone.key, self.locale)

    def local_date(self, moment: datetime) -> date:
        """The seller's day at `moment` (what a date field of theirs is filled with)."""
        return moment.astimezone(self.zone).date()

    def day(self, moment: datetime | date | None) -> str:
        if moment is None:
            return ""
        if isinstance(moment, datetime):
            moment = moment.astimezone(self.zone).date()
        return _day(moment, self.locale)

    def money(self, amount: Decimal, currency: str = "USD") -> str:
        return _money(amount, currency, self.locale)


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone_of(seller: Seller) -> ZoneInfo:
    """The seller's time zone: the day their forms are filled with and read in."""
    return _zone(seller.time_zone or DEFAULT_TIME_ZONE)


@lru_cache(maxsize=4096)
def _minute(local: datetime, zone: str, locale: str) -> str:
    """A local minute as the language writes it (orders come many to a minute). The zone is
    part of the key: times equal as instants are equal in any zone."""
    return (f"{_day(local.date(), locale)} {local.hour:02}:{local.minute:02}"
            f"{_zone_label(local, locale)}")


def _zone_label(local: datetime, locale: str) -> str:
    """A time's zone as the language names it: " PST" / " PDT" in English, "（太平洋时间）" in
    Chinese (the seed's words: the generic name, without "北美"). Named once per zone, offset
    and language: a page of orders writes many times."""
    assert isinstance(local.tzinfo, ZoneInfo)
    key = (local.tzinfo.key, local.utcoffset(), locale)
    label = _ZONE_LABELS.get(key)
    if label is None:
        if locale.startswith("zh"):
            name = get_timezone_name(local.tzinfo, "long", locale=locale,
                                     zone_variant="generic")
            label = f"（{name.removeprefix('北美')}）"
        else:
            label = f" {get_timezone_name(local, 'short', locale=locale)}"
        _ZONE_LABELS[key] = label
    return label


_ZONE_LABELS: dict[tuple[str, timedelta | None, str], str] = {}


@lru_cache(maxsize=4096)
def _day(day: date, locale: str) -> str:
    return format_date(day, "medium", locale=Locale.parse(locale))


@lru_cache(maxsize=4096)
def _money(amount: Decimal, currency: str, locale: str) -> str:
    return format_currency(amount, currency, locale=Locale.parse(locale))

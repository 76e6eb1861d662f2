"""The console's languages: gettext catalogs (English and Simplified Chinese) read from their
.po files at start, the language a request asks for, and dates and money in it."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency
from babel.support import Translations

from sellerflow.domain.policy import DEFAULT_TIME_ZONE

LOCALES = ("en", "zh_CN")
DEFAULT = "en"
NAMES = {"en": "English", "zh_CN": "中文"}
FOLDER = Path(__file__).parent / "locales"


def load(locale: str) -> Translations:
    """A language's catalog, compiled in memory from its .po file (no build step)."""
    path = FOLDER / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        catalog = read_po(po, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


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
        local = moment.astimezone(self.zone)
        return f"{_day(local.date(), self.locale)} {local.hour:02}:{local.minute:02}"

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


@lru_cache(maxsize=4096)
def _day(day: date, locale: str) -> str:
    return format_date(day, "medium", locale=Locale.parse(locale))


@lru_cache(maxsize=4096)
def _money(amount: Decimal, currency: str, locale: str) -> str:
    return format_currency(amount, currency, locale=Locale.parse(locale))

"""The console's languages: gettext catalogs (English and Simplified Chinese) read from their
.po files at start, the language a request asks for, and dates and money in it."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency
from babel.support import Translations

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

    def __init__(self, locale: str, time_zone: str = "America/Los_Angeles") -> None:
        self.locale = Locale.parse(locale)
        self.zone = ZoneInfo(time_zone)

    def when(self, moment: datetime | None) -> str:
        if moment is None:
            return ""
        return format_datetime(moment, "medium", tzinfo=self.zone, locale=self.locale)

    def day(self, moment: datetime | date | None) -> str:
        if moment is None:
            return ""
        if isinstance(moment, datetime):
            moment = moment.astimezone(self.zone).date()
        return format_date(moment, "medium", locale=self.locale)

    def money(self, amount: Decimal, currency: str = "USD") -> str:
        return format_currency(amount, currency, locale=self.locale)

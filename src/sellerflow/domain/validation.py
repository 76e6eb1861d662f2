"""Checks on free-text and numeric input, so bad input is refused with the field's name
before it reaches a column that would reject it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.text import Phrase

MAX_UNITS_PER_LINE = 10_000
# A whole number typed or sent is at most this many digits: past 4,300 Python refuses to read
# one at all, and no count sellerflow keeps comes near 18.
MAX_DIGITS = 18
# The years a time given as input may name: the dates an order can have, with room; outside
# them the arithmetic on a time (a period's start, a time zone's offset) would overflow.
FIRST_YEAR, LAST_YEAR = 1900, 2999
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def text(value: str | None, field: str, max_length: int, *, required: bool = False) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise InvalidInput(field, Phrase("must not be empty"))
    if len(cleaned) > max_length:
        raise InvalidInput(field, Phrase("is %(length)s characters; at most %(most)s fit",
                                          length=len(cleaned), most=max_length))
    if _CONTROL.search(cleaned):
        raise InvalidInput(field, Phrase("must be a single line without control characters"))
    try:
        cleaned.encode("utf-8")
    except UnicodeEncodeError:
        # Bytes that were not UTF-8 arrive as lone surrogates (from the command line, say).
        raise InvalidInput(field, Phrase("is not valid UTF-8 text; save or type it as "
                                         "UTF-8")) from None
    return cleaned


def whole_number(value: str, field: str, low: int, high: int) -> int:
    """A whole number written in ASCII digits, from `low` to `high`."""
    cleaned = value.strip()
    if (not cleaned.isascii() or not cleaned.isdigit() or len(cleaned) > MAX_DIGITS
            or not low <= int(cleaned) <= high):
        raise InvalidInput(field, Phrase("%(value)s is not a whole number from %(low)s to "
                                         "%(high)s", value=_shown(value), low=low, high=high))
    return int(cleaned)


def iso_time(value: str, field: str, *, days: bool = False) -> datetime:
    """An ISO 8601 time (UTC unless it names an offset), in UTC; with `days`, a yyyy-mm-dd
    day is taken as its midnight in UTC."""
    cleaned = value.strip()
    example = "2026-11-26 or 2026-11-26T15:00:00Z" if days else "2026-11-26T15:00:00Z"
    try:
        if days and len(cleaned) == 10:
            moment = datetime.combine(date.fromisoformat(cleaned), datetime.min.time(), UTC)
        else:
            moment = datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
            moment = (moment.astimezone(UTC) if moment.tzinfo
                      else moment.replace(tzinfo=UTC))
    except (ValueError, OverflowError):
        raise InvalidInput(field, Phrase("%(value)s is not an ISO 8601 time like %(example)s",
                                         value=_shown(value), example=example)) from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise InvalidInput(field, Phrase("%(value)s is outside the years %(first)s to %(last)s",
                                         value=_shown(value), first=FIRST_YEAR, last=LAST_YEAR))
    return moment


def _shown(value: str) -> str:
    """A value quoted in a message, cut short if long (a message never repeats a megabyte)."""
    return repr(value if len(value) <= 40 else value[:40] + "…")

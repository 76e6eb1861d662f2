"""Where `now` comes from: the system clock on a live database, a stored simulated clock in a
sandbox, shared by every process that opens the database."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sellerflow.domain.errors import InvalidInput

CLOCK_KEY = "clock_now"


class SystemClock:
    @staticmethod
    def read() -> datetime:
        return datetime.now(UTC).replace(microsecond=0)


class SandboxClock:
    """The simulated clock, stored in the database's settings (store/settings.set_clock) so
    every process shares it."""

    @staticmethod
    def read(stored: dict[str, str]) -> datetime:
        value = stored.get(CLOCK_KEY)
        if value is None:
            raise RuntimeError("the sandbox database has no clock; initialise it again")
        return datetime.fromisoformat(value)


_DURATION = re.compile(r"(\d+)\s*(w|d|h|m|s)")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


def parse_duration(text: str, field: str = "duration") -> timedelta:
    """`30m`, `36h`, `21d`, `1d2h`, `1w`, `90s`: whole units, largest first or in any order."""
    compact = text.strip().lower().replace(" ", "")
    if not compact or _DURATION.sub("", compact):
        raise InvalidInput(field, f"{text!r} is not a duration; write it like 30m, 36h, "
                                       "21d or 1d2h (units w, d, h, m, s)")
    total = timedelta()
    for amount, unit in _DURATION.findall(compact):
        total += timedelta(**{_UNITS[unit]: int(amount)})
    if total <= timedelta():
        raise InvalidInput(field, f"{text!r} must be longer than zero")
    if total > timedelta(days=3650):
        raise InvalidInput(field, f"{text!r} is more than ten years; advance in smaller "
                                       "steps")
    return total


def format_duration(span: timedelta) -> str:
    """The inverse of parse_duration: 30m, 21d, 1d2h."""
    seconds = int(span.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts) or "0s"


def iso(moment: datetime | None) -> str | None:
    """Amazon's wire form: ISO 8601 UTC with Z, to the second."""
    if moment is None:
        return None
    # isoformat is about twice as fast as strftime; a page of orders writes a hundred times.
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="seconds")[:19] + "Z"

"""Messages a reader may need in their own language: an English template with named values.

The HTTP API, the CLI and the files speak English (Amazon's wire language), so `str()` of a
phrase is the English sentence with its values written as they always were (times in UTC, ISO
8601). The console translates the template through its catalogs and writes the values the
reader's way (their day and time zone, their money format). `N_` marks a plain message for
the catalogs; `Phrase(...)` is extracted too (babel.cfg, tools/update_catalogs.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any


def N_(message: str) -> str:
    """Marks a message for the catalogs (pybabel extracts it); it is translated when shown."""
    return message


class Phrase:
    """`template` (a catalog message id with `%(name)s` or `%(name)r` places) and its values."""

    __slots__ = ("template", "values")

    def __init__(self, template: str, **values: Any) -> None:
        self.template = template
        self.values = values

    def __str__(self) -> str:
        return self.template % {name: english(value) for name, value in self.values.items()}

    def __repr__(self) -> str:
        return f"Phrase({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Phrase) and other.template == self.template
                and other.values == self.values)

    def __hash__(self) -> int:
        return hash(self.template)


def english(value: Any) -> Any:
    """A value as the English messages write it: a time in UTC, ISO 8601."""
    if isinstance(value, datetime):
        return format(value, "%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return value

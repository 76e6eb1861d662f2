"""Checks on free-text and numeric input, so bad input is refused with the field's name
before it reaches a column that would reject it."""

from __future__ import annotations

import re

from sellerflow.domain.errors import InvalidInput

MAX_UNITS_PER_LINE = 10_000
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def text(value: str | None, field: str, max_length: int, *, required: bool = False) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise InvalidInput(field, "must not be empty")
    if len(cleaned) > max_length:
        raise InvalidInput(field, f"is {len(cleaned)} characters; at most {max_length} fit")
    if _CONTROL.search(cleaned):
        raise InvalidInput(field, "must be a single line without control characters")
    try:
        cleaned.encode("utf-8")
    except UnicodeEncodeError:
        # Bytes that were not UTF-8 arrive as lone surrogates (from the command line, say).
        raise InvalidInput(field, "is not valid UTF-8 text; save or type it as UTF-8") from None
    return cleaned

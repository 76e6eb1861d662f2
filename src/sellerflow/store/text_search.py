"""Searching text columns for what a person typed: a LIKE pattern in which the typed % and _
are letters, not wildcards."""

from __future__ import annotations

ESCAPE = "\\"


def contains(text: str) -> str:
    """The LIKE pattern (with ESCAPE) for values containing `text`, lower-cased: compare it
    with the column's lower()."""
    escaped = (text.lower().replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%")
               .replace("_", ESCAPE + "_"))
    return f"%{escaped}%"

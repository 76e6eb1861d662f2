"""Amazon's page tokens (getOrders' NextToken, getReports' and getFeeds' nextToken): the
whole query and where the last page ended, so the token alone asks for the next page."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from sellerflow.domain.errors import InvalidInput


def time_text(moment: datetime | None) -> str | None:
    """A time as a token keeps it."""
    return None if moment is None else moment.isoformat()


def time_of(text: str | None) -> datetime | None:
    """A time a token kept (older getOrders tokens wrote it with a Z)."""
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def encode(query: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(query).encode()).decode()


def decode(token: str, field: str, operation: str) -> dict[str, Any]:
    """The query a token carries; a token no answer gave is refused, naming the parameter."""
    try:
        query = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, binascii.Error):
        query = None
    if not isinstance(query, dict):
        raise refused(field, operation)
    return query


def refused(field: str, operation: str) -> InvalidInput:
    """What a token that decodes but does not hold a query of `operation` gets."""
    return InvalidInput(field, f"is not a token a previous {operation} answer gave; start "
                               "again without it")


def only_parameter(field: str, others: dict[str, Any]) -> None:
    """Amazon: the next page is asked with the token as the only parameter."""
    given = sorted(name for name, value in others.items() if value)
    if given:
        raise InvalidInput(field, f"give {field} as the only parameter (the token carries the "
                                  f"query); drop {', '.join(given)}")

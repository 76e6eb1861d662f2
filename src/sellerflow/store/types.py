"""Column types that keep the same meaning on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

_UTC_OFFSET = "+00:00"


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC, returned as aware UTC, so both databases compare alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)

    def bind_processor(self, dialect: Any) -> Callable[[Any], Any] | None:
        """On SQLite, write SQLAlchemy's own text form of the naive UTC time in one step: every
        order writes a dozen times, and the generic path formats each through a dict."""
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)

        written: dict[datetime, str] = {}    # a command writes the same moment several times

        def process(value: datetime | None) -> str | None:
            if value is None:
                return None
            text = written.get(value)
            if text is None:
                if value.tzinfo is None:
                    raise ValueError("naive datetime given to a UTC column")
                # "2026-01-05 18:00:00.000000+00:00" without its offset: SQLAlchemy's format.
                text = value.astimezone(UTC).isoformat(" ", "microseconds")[:26]
                if len(written) > 256:
                    written.clear()
                written[value] = text
            return text

        return process

    def result_processor(self, dialect: Any, coltype: Any) -> Callable[[Any], Any] | None:
        """On SQLite, read the stored text straight into an aware UTC time, one step instead of
        the generic two (text to naive, naive to aware): an order has nine such columns."""
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        def process(value: str | None) -> datetime | None:
            if value is None:
                return None
            # Parsing the offset is far cheaper than datetime.replace(tzinfo=...).
            return datetime.fromisoformat(value + _UTC_OFFSET)

        return process

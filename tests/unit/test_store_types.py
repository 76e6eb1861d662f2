"""The hot-path statements write exactly what SQLAlchemy itself would write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import DateTime
from sqlalchemy.dialects import sqlite

from sellerflow.store.driver import InsertRows
from sellerflow.store.schema import order_history
from sellerflow.store.types import UTCDateTime


@pytest.mark.parametrize("moment", [
    datetime(2026, 1, 5, 18, 0, tzinfo=UTC),
    datetime(2026, 1, 5, 18, 0, 1, 123, tzinfo=UTC),
    datetime(2026, 1, 5, 10, 0, tzinfo=timezone(timedelta(hours=-8))),
    datetime(1, 1, 1, tzinfo=UTC),
])
def test_utc_times_are_stored_in_sqlalchemys_own_text_form(moment: datetime) -> None:
    dialect = sqlite.dialect()
    fast = UTCDateTime().bind_processor(dialect)
    generic = DateTime().dialect_impl(dialect).bind_processor(dialect)
    assert fast is not None and generic is not None
    naive_utc = moment.astimezone(UTC).replace(tzinfo=None)
    assert fast(moment) == fast(moment) == generic(naive_utc)


@pytest.mark.parametrize("stored", ["2026-01-05 18:00:00.000000", "2026-01-05 18:00:01.000123",
                                    "0001-01-01 00:00:00.000000", "2026-01-05 18:00:00"])
def test_utc_times_are_read_as_sqlalchemy_reads_them(stored: str) -> None:
    dialect = sqlite.dialect()
    fast = UTCDateTime().result_processor(dialect, None)
    generic = DateTime().dialect_impl(dialect).result_processor(dialect, None)
    assert fast is not None and generic is not None
    assert fast(stored) == generic(stored).replace(tzinfo=UTC)
    assert fast(stored).tzinfo is UTC and fast(None) is None


def test_naive_times_are_refused() -> None:
    fast = UTCDateTime().bind_processor(sqlite.dialect())
    assert fast is not None
    with pytest.raises(ValueError):
        fast(datetime(2026, 1, 5, 18, 0))


def test_insert_rows_take_columns_in_the_tables_order() -> None:
    with pytest.raises(ValueError):
        InsertRows(order_history, ["seller_id", "amazon_order_id"])

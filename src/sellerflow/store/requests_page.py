"""A page of a seller's report requests or feeds, newest first, as getReports and getFeeds
list them: the same filters and the same keyset on (created_at, id) for both tables."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, Row, Table, select


def newest_first(conn: Connection, table: Table, id_column: Column[Any],
                 type_column: Column[Any], seller_id: str, *, types: Collection[str] = (),
                 statuses: Collection[str] = (), created_since: datetime | None = None,
                 created_until: datetime | None = None,
                 after: tuple[datetime, str] | None = None, limit: int | None = None
                 ) -> list[Row[Any]]:
    t = table.c
    query = select(table).where(t.seller_id == seller_id)
    if types:
        query = query.where(type_column.in_(list(types)))
    if statuses:
        query = query.where(t.status.in_(list(statuses)))
    if created_since is not None:
        query = query.where(t.created_at >= created_since)
    if created_until is not None:
        query = query.where(t.created_at <= created_until)
    if after is not None:
        at, last_id = after
        query = query.where((t.created_at < at) | ((t.created_at == at) & (id_column < last_id)))
    return list(conn.execute(query.order_by(t.created_at.desc(), id_column.desc())
                             .limit(limit)))

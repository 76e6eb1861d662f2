"""Emptying a sandbox of its business data (an interrupted demo is undone this way); the
database's settings (its mode, its clock, its lifecycle numbers) stay."""

from __future__ import annotations

from sqlalchemy import Connection, Table, func, select

from sellerflow.store.schema import buyers, metadata, orders, sellers, settings


def counts(conn: Connection) -> tuple[int, int, int]:
    """(sellers, buyers, orders) in the database."""
    def count(table: Table) -> int:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

    return count(sellers), count(buyers), count(orders)


def wipe(conn: Connection) -> None:
    """Delete every row but the settings, children before parents."""
    for table in reversed(metadata.sorted_tables):
        if table is not settings:
            conn.execute(table.delete())

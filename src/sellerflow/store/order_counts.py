"""How many of a seller's orders hold each status. Every order written goes through
store/orders.py, which records the change here; the unit of work writes the changes as its
last statement. A status no order of the seller has held yet has no row: it counts 0."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib import import_module

from sqlalchemy import Connection, bindparam, select

from sellerflow.domain.model import OrderStatus
from sellerflow.store.driver import DriverStatement, SelectRows
from sellerflow.store.schema import order_counts


def _add(dialect: str) -> DriverStatement:
    """Adds to a (seller, status)'s count, creating it at the first order of that status:
    both databases write the same upsert, each in its own dialect's construct (loaded when
    first used: PostgreSQL's costs a command on SQLite a fifth of its start)."""
    insert = import_module(f"sqlalchemy.dialects.{dialect}").insert
    adding = insert(order_counts).values(seller_id=bindparam("seller_id"),
                                         status=bindparam("status"),
                                         orders=bindparam("change"))
    return DriverStatement(adding.on_conflict_do_update(
        index_elements=[order_counts.c.seller_id, order_counts.c.status],
        set_={"orders": order_counts.c.orders + adding.excluded.orders}))


# The changes a transaction has made so far, kept with its connection until `write`.
_PENDING = "sellerflow_order_count_changes"
_ADD: dict[str, DriverStatement] = {}
_READ = SelectRows(select(order_counts.c.status, order_counts.c.orders)
                   .where(order_counts.c.seller_id == bindparam("seller_id")))


def change(conn: Connection, changes: Mapping[tuple[str, str], int]) -> None:
    """Adds each (seller_id, status)'s change to those the transaction writes when it ends
    (`write`)."""
    pending: Counter[tuple[str, str]] = conn.info.setdefault(_PENDING, Counter())
    pending.update(changes)


def discard(conn: Connection) -> None:
    """Forgets changes left by a transaction that did not commit."""
    conn.info.pop(_PENDING, None)


@contextmanager
def savepoint(conn: Connection) -> Iterator[None]:
    """A savepoint whose rollback also forgets the count changes made inside it: the changes
    wait in the connection until `write`, outside the database's transaction, so a rolled-back
    savepoint would otherwise leave them to be written (every savepoint goes through here)."""
    before: Counter[tuple[str, str]] = Counter(conn.info.get(_PENDING, ()))
    try:
        with conn.begin_nested():
            yield
    except BaseException:
        conn.info[_PENDING] = before
        raise


def write(conn: Connection) -> None:
    """Writes the transaction's changes, last and in key order: its other locks (a listing, an
    order) are all taken by then, and two transactions take the counts' locks in the same
    order, so waiting on a count can never close a circle of waits (a deadlock)."""
    pending: Counter[tuple[str, str]] | None = conn.info.pop(_PENDING, None)
    if not pending:
        return
    rows = [{"seller_id": seller_id, "status": status, "change": n}
            for (seller_id, status), n in sorted(pending.items()) if n]
    if rows:
        adding = _ADD.get(conn.dialect.name)
        if adding is None:
            adding = _ADD[conn.dialect.name] = _add(conn.dialect.name)
        adding.execute_many(conn, rows)


def counts(conn: Connection, seller_id: str) -> dict[str, int]:
    found = {status.value: 0 for status in OrderStatus}
    found.update((row["status"], int(row["orders"]))
                 for row in _READ.rows(conn, {"seller_id": seller_id}))
    return found

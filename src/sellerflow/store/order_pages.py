"""Manage Orders' reads: a seller's orders of some statuses, searched, sorted and a page at a
time, and how many orders each status holds."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    FunctionElement,
    String,
    and_,
    bindparam,
    exists,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from sellerflow.domain.model import Order
from sellerflow.store import order_counts, text_search
from sellerflow.store.driver import SelectRows
from sellerflow.store.orders import with_items
from sellerflow.store.schema import order_items, orders, shipments

SORTS = ("purchase-desc", "purchase-asc", "ship-by-asc", "ship-by-desc")


def _matching(statuses: int, search: bool) -> ColumnElement[bool]:
    """The seller's orders of `statuses` given statuses (all when 0) that, with `search`, the
    search text names by order id (or a part of one), SKU, ship-to name (or a part of one) or
    tracking number. The ship-to name is searched only where the list shows it: an order
    released and not canceled (a Pending order's address is not the seller's to see, L18)."""
    t = orders.c
    condition = t.seller_id == bindparam("seller_id")
    if statuses:
        condition = and_(condition, t.status.in_([bindparam(f"status{n}")
                                                  for n in range(statuses)]))
    if search:
        text: BindParameter[str] = bindparam("search")
        condition = and_(condition, or_(
            t.amazon_order_id.like(bindparam("id_like"), escape=text_search.ESCAPE),
            exists().where(order_items.c.seller_id == t.seller_id,
                           order_items.c.amazon_order_id == t.amazon_order_id,
                           order_items.c.sku == text),
            exists().where(shipments.c.seller_id == t.seller_id,
                           shipments.c.amazon_order_id == t.amazon_order_id,
                           shipments.c.tracking_number == text),
            and_(or_(*(t.status == literal_column(f"'{status}'")
                       for status in _SHOWING_ADDRESS)),
                 func.lower(_ShipToName()).like(bindparam("name_like"),
                                                escape=text_search.ESCAPE))))
    return condition


_SHOWING_ADDRESS = ("Unshipped", "PartiallyShipped", "Shipped")


class _ShipToName(FunctionElement[str]):
    """The Name of an order's stored ship-to address (a JSON text), as each database reads
    JSON."""

    type = String()
    inherit_cache = True
    name = "ship_to_name"


@compiles(_ShipToName, "sqlite")
def _sqlite_ship_to_name(element: _ShipToName, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_extract({compiler.process(orders.c.shipping_address, **kw)}, '$.Name')"


@compiles(_ShipToName, "postgresql")
def _postgres_ship_to_name(element: _ShipToName, compiler: SQLCompiler, **kw: Any) -> str:
    return f"(CAST({compiler.process(orders.c.shipping_address, **kw)} AS JSON) ->> 'Name')"


def _ordering(sort: str) -> list[Any]:
    t = orders.c
    orderings: dict[str, list[Any]] = {
        "purchase-desc": [t.purchase_date.desc(), t.amazon_order_id.desc()],
        "purchase-asc": [t.purchase_date, t.amazon_order_id],
        # Orders with no ship-by date yet (Pending, Canceled before release) come last.
        "ship-by-asc": [t.latest_ship_date.is_(None), t.latest_ship_date, t.amazon_order_id],
        "ship-by-desc": [t.latest_ship_date.is_(None), t.latest_ship_date.desc(),
                         t.amazon_order_id.desc()],
    }
    return orderings[sort]


# Every Manage Orders page runs these: compiled once per shape (how many statuses, searched
# or not, the sort), run through the driver.
_PAGES: dict[tuple[int, bool, str], SelectRows] = {}
_COUNTS: dict[tuple[int, bool], SelectRows] = {}


def _values(seller_id: str, statuses: Collection[str], search: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {"seller_id": seller_id}
    values.update((f"status{n}", s) for n, s in enumerate(sorted(statuses)))
    if search:
        text = search.strip()
        values.update(search=text, name_like=text_search.contains(text),
                      id_like=text_search.contains(text))
    return values


def manage_page(conn: Connection, seller_id: str, *, statuses: Collection[str],
                search: str | None, sort: str, offset: int, limit: int
                ) -> list[Order]:
    """One page of the matching orders in the sort asked for."""
    shape = (len(statuses), bool(search), sort)
    query = _PAGES.get(shape)
    if query is None:
        query = _PAGES[shape] = SelectRows(
            select(orders).where(_matching(len(statuses), bool(search)))
            .order_by(*_ordering(sort)).offset(bindparam("offset")).limit(bindparam("limit")))
    rows = query.rows(conn, {**_values(seller_id, statuses, search), "offset": offset,
                             "limit": limit})
    return with_items(conn, rows)


def count_matching(conn: Connection, seller_id: str, *, statuses: Collection[str],
                   search: str | None) -> int:
    shape = (len(statuses), bool(search))
    query = _COUNTS.get(shape)
    if query is None:
        query = _COUNTS[shape] = SelectRows(
            select(func.count().label("n")).select_from(orders)
            .where(_matching(*shape)))
    found = query.first(conn, _values(seller_id, statuses, search))
    return int(found["n"]) if found else 0


# The warned orders are one range of the (seller_id, status, ship_warning_at) index.
_WARNED = SelectRows(
    select(func.count().label("n")).select_from(orders).where(
        orders.c.seller_id == bindparam("seller_id"),
        orders.c.status.in_([bindparam("warned0"), bindparam("warned1")]),
        orders.c.ship_warning_at <= bindparam("now", type_=orders.c.ship_warning_at.type)))


@dataclass(frozen=True)
class Tally:
    """How many of a seller's orders hold each status, and how many of those in the two
    `warned` statuses are past their ship-by warning time (L24)."""

    by_status: dict[str, int]
    warned: int


def tally(conn: Connection, seller_id: str, warned_statuses: tuple[str, str],
          now: datetime) -> Tally:
    found = _WARNED.first(conn, {"seller_id": seller_id, "warned0": warned_statuses[0],
                                 "warned1": warned_statuses[1], "now": now})
    assert found is not None
    return Tally(order_counts.counts(conn, seller_id), int(found["n"]))

"""The Order Report's and the All Orders Report's lines, written by the database itself.

A report may hold a million lines. Each line is one text value of the query, its cells
formatted and joined with tabs in SQL (a SKU never holds a tab), so the program only passes
text through: a row of Python values per line and an object per order cost ten times the
database's own work, and held everything in memory. On SQLite the lines are read a batch at a
time; PostgreSQL streams them with COPY, which keeps sending while the program writes (a
cursor waits for each batch to be asked for): flat memory whatever the report's size.

The cells are Amazon's: times as 2026-01-05T18:00:00+00:00 (UTC, whole seconds), money with
two decimals, a tab or a line break inside a seller's or a buyer's text as a space."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    Select,
    String,
    Text,
    and_,
    bindparam,
    case,
    cast,
    column,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from sellerflow.domain.model import SALES_CHANNEL, OrderStatus
from sellerflow.domain.relay import RELAY_DOMAIN
from sellerflow.store.driver import DriverStatement
from sellerflow.store.schema import buyers, order_items, orders, shipments
from sellerflow.store.types import UTCDateTime

BATCH = 5000


@dataclass(frozen=True)
class _Cell:
    """One cell: on SQLite a piece of printf's format and its arguments; on PostgreSQL an
    expression of its text, given to format() as %s. A NULL argument writes nothing."""

    sqlite_format: str
    sqlite_args: tuple[ColumnElement[Any], ...]
    postgresql: ColumnElement[Any]


def _plain(value: ColumnElement[Any]) -> _Cell:
    return _Cell("%s", (value,), value)


def _date(moment: ColumnElement[Any]) -> _Cell:
    """A stored UTC time as a flat file writes it, 2026-01-05T18:00:00+00:00."""
    postgresql = func.to_char(moment, 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')
    if moment.nullable:
        # SQLite stores 2026-01-05 18:00:00.000000: cut, not parsed.
        text = func.replace(func.substr(moment, 1, 19), " ", "T").op("||")("+00:00")
        return _Cell("%s", (text,), postgresql)
    return _Cell("%.10sT%.8s+00:00", (moment, func.substr(moment, 12)), postgresql)


def _money(cents: ColumnElement[Any]) -> _Cell:
    """Whole cents as an amount with two decimals, 1999 as 19.99."""
    # The database's own integer division (SQLAlchemy's / divides exactly), binding as
    # tightly as its arithmetic does.
    def divided(operator: str, by: int | float) -> ColumnElement[Any]:
        return cents.op(operator, precedence=_MULTIPLY)(by)

    # Whole numbers on both (to_char of a numeric quotient costs PostgreSQL as much as the
    # rest of the line); an amount in a report is never negative.
    postgresql = (cast(divided("/", 100), Text).op("||")(".")
                  .op("||")(func.lpad(cast(divided("%", 100), Text), 2, "0")))
    return _Cell("%d.%02d", (divided("/", 100), divided("%", 100)), postgresql)


_MULTIPLY = 8    # the precedence SQLAlchemy gives *, / and %


def _one_line(text: ColumnElement[Any]) -> ColumnElement[str]:
    """A tab in a seller's or a buyer's text as a space (a line break never gets in: every
    text is checked to be one line when it is taken)."""
    return func.replace(text, "\t", " ")


# On PostgreSQL the stored address is parsed once per order into a record of its fields, joined
# beside the order (_query): taken with ->> field by field, each field parsed the whole address
# again, which was half the All Orders Report's time.
_ADDRESS = (func.json_to_record(cast(orders.c.shipping_address, JSON))
            .table_valued(*(column(name, Text) for name in (
                "Name", "AddressLine1", "AddressLine2", "AddressLine3", "City",
                "StateOrRegion", "PostalCode", "CountryCode", "Phone")))
            .render_derived(name="address", with_types=True))


def _address(name: str) -> _Cell:
    """One field of the stored address, tabs as spaces."""
    sqlite = func.json_extract(orders.c.shipping_address, f"$.{name}")
    return _Cell("%s", (_one_line(sqlite),), _one_line(_ADDRESS.c[name]))


class _Line(ColumnElement[str]):
    """The cells of a report line joined by tabs, built in one pass by the database (printf
    on SQLite, format on PostgreSQL): joined with ||, each step copied the growing line
    again, which took longer than the database's whole dump of the rows."""

    type = String()
    inherit_cache = False

    def __init__(self, cells: Sequence[_Cell | str]) -> None:
        self.cells = tuple(cells)


def _constant(text: str) -> str:
    return text.replace("%", "%%")


@compiles(_Line, "sqlite")
def _line_sqlite(line: _Line, compiler: SQLCompiler, **kw: Any) -> str:
    pieces = [_constant(c) if isinstance(c, str) else c.sqlite_format for c in line.cells]
    args = [a for c in line.cells if not isinstance(c, str) for a in c.sqlite_args]
    return _call(compiler, "printf", "\t".join(pieces), args, **kw)


@compiles(_Line, "postgresql")
def _line_postgresql(line: _Line, compiler: SQLCompiler, **kw: Any) -> str:
    pieces = [_constant(c) if isinstance(c, str) else "%s" for c in line.cells]
    args = [c.postgresql for c in line.cells if not isinstance(c, str)]
    return _call(compiler, "format", "\t".join(pieces), args, **kw)


def _call(compiler: SQLCompiler, function: str, template: str,
          args: Sequence[ColumnElement[Any]], **kw: Any) -> str:
    rendered = [compiler.process(literal(template, String), **kw)]
    rendered += [compiler.process(a, **kw) for a in args]
    return f"{function}({', '.join(rendered)})"


_o, _i = orders.c, order_items.c
# The units and money of a line are those still ordered (a canceled unit leaves it), as the
# Orders API's OrderItem says them (domain/model.OrderItem: quantity_still_ordered,
# item_price, shipping_price): tests/service/test_one_definition.py holds the two together.
_STILL_ORDERED = _i.quantity_ordered - _i.quantity_canceled
_ITEM_PRICE = _money(_i.unit_price_cents * _STILL_ORDERED)
# Amazon's ShippingPrice: per unit still ordered, and the line's own charge while any is.
_SHIPPING_PRICE = _money(_i.unit_shipping_cents * _STILL_ORDERED
                         + case((_STILL_ORDERED > 0, _i.line_shipping_cents), else_=0))
_CITY_TO_COUNTRY = [_address("City"), _address("StateOrRegion"), _address("PostalCode"),
                    _address("CountryCode")]

# L30: a shipped order whose every package the carrier has delivered by the time the report
# is made (as_of) is "Shipped - Delivered to Buyer", as Amazon's reports say.
_AS_OF = bindparam("as_of", type_=UTCDateTime())
_s = shipments.c
_UNDELIVERED = select(_s.id).where(
    _s.seller_id == _o.seller_id, _s.amazon_order_id == _o.amazon_order_id,
    or_(_s.delivered_at.is_(None), _s.delivered_at > _AS_OF)).exists()
DELIVERED = "Shipped - Delivered to Buyer"

ALL_ORDERS_LINE = _Line([
    _plain(_o.amazon_order_id), "", _date(_o.purchase_date), _date(_o.last_update),
    _plain(case((_o.status == OrderStatus.CANCELED.value, "Cancelled"),
                (and_(_o.status == OrderStatus.SHIPPED.value, ~_UNDELIVERED), DELIVERED),
                else_=_o.status)),
    "Merchant", SALES_CHANNEL, "", _plain(_o.ship_service_level),
    _plain(_one_line(_i.title)), _plain(_i.sku), _plain(_i.asin),
    _plain(case((_STILL_ORDERED == _i.quantity_shipped,
                 case((_i.quantity_shipped > 0, "Shipped"), else_="Cancelled")),
                (_o.released_at.is_not(None), "Unshipped"), else_="Pending")),
    _plain(_STILL_ORDERED), _plain(_o.currency), _ITEM_PRICE, "0.00", _SHIPPING_PRICE,
    "0.00", "", "", "", "", *_CITY_TO_COUNTRY, "", "false", "", ""])

ORDER_LINE = _Line([
    _plain(_o.amazon_order_id), _plain(_i.order_item_id), _date(_o.purchase_date),
    _date(_o.released_at), _plain(func.lower(_o.buyer_id).op("||")(literal(RELAY_DOMAIN, String))),
    _plain(_one_line(buyers.c.name)),
    _address("Phone"), _plain(_i.sku), _plain(_one_line(_i.title)),
    _plain(_STILL_ORDERED), _plain(_o.currency), _ITEM_PRICE, "0.00", _SHIPPING_PRICE,
    "0.00", _plain(_o.ship_service_level), _address("Name"), _address("AddressLine1"),
    _address("AddressLine2"), _address("AddressLine3"), *_CITY_TO_COUNTRY, _address("Phone"),
    _date(_o.earliest_delivery_date), _date(_o.latest_delivery_date), "UTC", "",
    SALES_CHANNEL])


def _query(dialect: str, kind: str, seller_id: str, start: datetime, end: datetime
           ) -> Select[Any]:
    """A seller's orders placed in [start, end] as report lines, in purchase order; the Order
    Report has only orders ever released (L7, L18)."""
    joined = orders.join(order_items, and_(_i.seller_id == _o.seller_id,
                                           _i.amazon_order_id == _o.amazon_order_id))
    if dialect == "postgresql":
        joined = joined.join(_ADDRESS, true())
    if kind == "orders":
        query = (select(ORDER_LINE.label("line"))
                 .select_from(joined.join(buyers, buyers.c.buyer_id == _o.buyer_id))
                 .where(_o.released_at.is_not(None)))
    else:
        query = select(ALL_ORDERS_LINE.label("line")).select_from(joined)
    return (query.where(and_(_o.seller_id == seller_id, _o.purchase_date >= start,
                             _o.purchase_date <= end))
            .order_by(_o.purchase_date, _o.amazon_order_id, _i.position))


def lines(conn: Connection, kind: str, seller_id: str, start: datetime, end: datetime,
          as_of: datetime) -> Iterator[str]:
    """The report's lines (`orders` or `all`), each ending in a line break, a run of whole
    lines at a time, as they stand `as_of`."""
    query = _query(conn.dialect.name, kind, seller_id, start, end)
    parameters = {"as_of": as_of} if kind == "all" else {}
    if conn.dialect.name == "postgresql":
        yield from _copied(conn, query, parameters)
        return
    # Straight from the driver's cursor: SQLAlchemy's rows added 7 % to the report's time.
    for batch in DriverStatement(query).batches(conn, parameters, BATCH):
        yield "\n".join([line for line, in batch]) + "\n"


# COPY's CSV format writes a value as it is unless it holds the delimiter, the quote character
# or a line break. A line holds no line break and neither of these two control characters: every
# text is checked when it is taken (domain.validation). Should one have got in some other way,
# COPY quotes that line and _unquoted takes the characters out, as a database-side translate of
# every line did, for a quarter of the report's time.
_COPY = "COPY ({query}) TO STDOUT (FORMAT csv, DELIMITER E'\\x1f', QUOTE E'\\x1e')"
_QUOTE = "\x1e"
_COPY_BLOCK = 1 << 20


def _copied(conn: Connection, query: Select[Any], given: dict[str, Any]) -> Iterator[str]:
    """The query's lines through COPY, in blocks of about a megabyte of whole lines."""
    sql, parameters = DriverStatement(query).sql_and_parameters(conn, given)
    driver = conn.connection.driver_connection     # psycopg's own, for its COPY
    assert driver is not None
    pending: list[str] = []
    size = 0
    with driver.cursor() as cursor, cursor.copy(_COPY.format(query=sql), parameters) as copy:
        for row in copy:     # a line each
            text = bytes(row).decode()
            pending.append(text)
            size += len(text)
            if size >= _COPY_BLOCK:
                yield _joined(pending)
                pending, size = [], 0
    if pending:
        yield _joined(pending)


def _joined(lines: list[str]) -> str:
    text = "".join(lines)
    return text if _QUOTE not in text else "".join(map(_unquoted, lines))


def _unquoted(line: str) -> str:
    """A line as COPY's CSV wrote it (quoted if it held a control character), without
    either control character."""
    if line.startswith(_QUOTE):
        line = line[1:].removesuffix("\n").removesuffix(_QUOTE).replace(_QUOTE * 2, _QUOTE) + "\n"
    return line.replace(_QUOTE, "").replace("\x1f", "")

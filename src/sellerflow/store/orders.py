"""Reading and writing orders: items, history entries and compare-and-set status writes."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import fields
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Connection, Row, Select, bindparam, func, select, update

from sellerflow.domain.decisions import DeadlineKind
from sellerflow.domain.errors import ConcurrentUpdate
from sellerflow.domain.lifecycle import HistoryEntry
from sellerflow.domain.model import (
    Address,
    Cause,
    GiftOption,
    Order,
    OrderItem,
    OrderStatus,
    PromiseDates,
    Verification,
)
from sellerflow.domain.money import Money
from sellerflow.store import order_counts
from sellerflow.store.driver import DriverStatement, InsertRows, SelectIn, SelectRows, batch
from sellerflow.store.keys import by_seller
from sellerflow.store.schema import deadlines, order_history, order_items, orders

_INSERT_ORDER = InsertRows(orders, [c.name for c in orders.columns])
_INSERT_ITEMS = InsertRows(order_items, [c.name for c in order_items.columns])
_INSERT_HISTORY = InsertRows(order_history, [
    "amazon_order_id", "seller_id", "at", "from_status", "to_status", "cause", "reason"])
_INSERT_DEADLINES = InsertRows(deadlines, ["amazon_order_id", "seller_id", "kind", "due_at"])


_ITEM_COLUMNS = tuple(order_items.c[name] for name in (
    "order_item_id", "listing_id", "sku", "asin", "title", "quantity_ordered", "unit_price_cents",
    "unit_shipping_cents", "handling_days", "quantity_shipped", "quantity_canceled",
    "line_shipping_cents", "cancel_reason", "canceled_by", "gift_message", "gift_wrap_level",
    "amazon_order_id"))


# Orders by id, straight through the driver (every command loads one, a file's batch 500):
# within their seller's rows where the seller is known, by the id alone for a buyer or the
# operator (ix_orders_amazon_order_id).
_ORDER_NAMES = tuple(c.name for c in orders.columns)
_LOAD = {(scoped, lock): SelectIn(tuple(orders.columns), orders.c.amazon_order_id,
                                  [orders.c.seller_id, orders.c.amazon_order_id], lock=lock,
                                  scope=orders.c.seller_id if scoped else None)
         for scoped in (True, False) for lock in (True, False)}
_LOAD_ITEMS = SelectIn(_ITEM_COLUMNS, order_items.c.amazon_order_id,
                       [order_items.c.amazon_order_id, order_items.c.position],
                       scope=order_items.c.seller_id)


def _address(text: str | None) -> Address | None:
    """An address as it was stored (checked when it was taken): filled in directly, as the
    frozen dataclass's own constructor sets each of its fourteen fields one by one, and parsed
    by pydantic's JSON reader, a third of the standard library's time (a page of orders holds
    twenty)."""
    if text is None:
        return None
    address = object.__new__(Address)
    address.__dict__.update(_ADDRESS_DEFAULTS, **_from_json()(text))
    return address


@cache
def _from_json() -> Callable[[str], Any]:
    """pydantic's reader, loaded when first needed: loading it costs a command that reads no
    address a few per cent of its start."""
    from pydantic_core import from_json

    return from_json


_ADDRESS_DEFAULTS = {f.name: None for f in fields(Address)}
# Stored enum values to members by a dict lookup (calling the Enum class costs more).
_STATUSES = {member.value: member for member in OrderStatus}
_VERIFICATIONS = {member.value: member for member in Verification}
_CAUSES = {member.value: member for member in Cause}


def _cause_value(cause: Cause | None) -> str | None:
    return None if cause is None else cause.value


_ADDRESS_JSON = json.JSONEncoder(sort_keys=True)   # one encoder: json.dumps makes one a call


def dump_address(address: Address) -> str:
    return _ADDRESS_JSON.encode(address.to_wire())


def _dump(address: Address | None) -> str | None:
    return None if address is None else dump_address(address)


def order_from_rows(m: Mapping[Any, Any], item_rows: Iterable[Sequence[Any]]) -> Order:
    """An order from its row's values by column name and its items' rows (_ITEM_COLUMNS)."""
    promise = None
    if m["latest_ship_date"] is not None:
        promise = PromiseDates(m["earliest_ship_date"], m["latest_ship_date"],
                               m["earliest_delivery_date"], m["latest_delivery_date"])
    currency = m["currency"]
    # Rows of _ITEM_COLUMNS, unpacked by position: an order loads its items on every command.
    items = [OrderItem(item_id, listing_id, sku, asin, title, ordered,
                       Money.from_cents(price, currency), Money.from_cents(shipping, currency),
                       handling, shipped, canceled, Money.from_cents(line_shipping, currency),
                       cancel_reason, None if canceled_by is None else _CAUSES[canceled_by],
                       None if message is None and wrap is None else GiftOption(message, wrap))
             for (item_id, listing_id, sku, asin, title, ordered, price, shipping, handling,
                  shipped, canceled, line_shipping, cancel_reason, canceled_by, message, wrap, _)
             in item_rows]
    address = _address(m["shipping_address"])
    assert address is not None
    return Order(
        amazon_order_id=m["amazon_order_id"], seller_id=m["seller_id"], buyer_id=m["buyer_id"],
        purchase_date=m["purchase_date"], ship_service_level=m["ship_service_level"],
        shipping_address=address, items=items,
        status=_STATUSES[m["status"]], verification=_VERIFICATIONS[m["verification"]],
        released_at=m["released_at"], promise=promise,
        buyer_cancel_requested=m["buyer_cancel_requested"],
        buyer_cancel_reason=m["buyer_cancel_reason"],
        requested_address=_address(m["requested_address"]),
        charged=Money.from_cents(m["charged_cents"], m["currency"]),
        refunded=Money.from_cents(m["refunded_cents"], m["currency"]),
        last_update=m["last_update"], version=m["version"],
        ship_warning_at=m["ship_warning_at"], ship_deadline_at=m["ship_deadline_at"],
        is_prime=m["is_prime"])


def load_order(conn: Connection, order_id: str, *, seller_id: str | None = None,
               lock: bool = False) -> Order | None:
    found = load_orders_by_id(conn, (order_id,), seller_id=seller_id, lock=lock)
    return found[0] if found else None


def load_orders_by_id(conn: Connection, order_ids: Collection[str], *,
                      seller_id: str | None = None, lock: bool = False) -> list[Order]:
    """The orders among these ids that exist (of this seller's, when one is given), in
    (seller, id) order: locked in that order, so two batches over the same orders cannot
    deadlock."""
    statement = _LOAD[(seller_id is not None, lock)]
    rows = statement.rows(conn, sorted(order_ids), seller_id)
    return with_items(conn, [dict(zip(_ORDER_NAMES, row, strict=True)) for row in rows])


def load_orders_by_key(conn: Connection, keys: Collection[tuple[str, str]], *,
                       lock: bool = False) -> list[Order]:
    """The orders of these (seller_id, amazon_order_id) keys that exist, each seller's read
    within its own rows, in (seller, id) order (locked so)."""
    rows = [row for seller_id, order_ids in by_seller(sorted(keys)).items()
            for row in _LOAD[(True, lock)].rows(conn, order_ids, seller_id)]
    return with_items(conn, [dict(zip(_ORDER_NAMES, row, strict=True)) for row in rows])


def load_orders(conn: Connection, rows: Sequence[Row[Any]]) -> list[Order]:
    """Orders for already-selected order rows, in their order."""
    return with_items(conn, [r._mapping for r in rows])


def with_items(conn: Connection, rows: Sequence[Mapping[Any, Any]]) -> list[Order]:
    """Orders from their rows' values, their items read in one query per seller and 500
    orders."""
    items: dict[str, list[tuple[Any, ...]]] = {row["amazon_order_id"]: [] for row in rows}
    for seller_id, order_ids in by_seller((row["seller_id"], row["amazon_order_id"])
                                          for row in rows).items():
        for item in _LOAD_ITEMS.rows(conn, order_ids, seller_id):
            items[item[-1]].append(item)
    return [order_from_rows(row, items[row["amazon_order_id"]]) for row in rows]


def _state_values(order: Order) -> dict[str, Any]:
    """The columns a command may change, but the addresses."""
    p = order.promise
    return {
        "status": order.status.value, "verification": order.verification.value,
        "last_update": order.last_update or order.purchase_date,
        "released_at": order.released_at,
        "earliest_ship_date": p.earliest_ship if p else None,
        "latest_ship_date": p.latest_ship if p else None,
        "earliest_delivery_date": p.earliest_delivery if p else None,
        "latest_delivery_date": p.latest_delivery if p else None,
        "buyer_cancel_requested": order.buyer_cancel_requested,
        "buyer_cancel_reason": order.buyer_cancel_reason,
        "charged_cents": order.charged.cents, "refunded_cents": order.refunded.cents,
        # Set at placement, or at release under Amazon's auto-cancel policy (L23a).
        "ship_warning_at": order.ship_warning_at, "ship_deadline_at": order.ship_deadline_at,
    }


def insert_placed(conn: Connection, order: Order, payment_method: str,
                  schedule: Sequence[tuple[DeadlineKind, datetime]],
                  history: Sequence[HistoryEntry]) -> None:
    """A new order with its items, its deadline rows (L28) and its first history entries,
    sent together (one round trip on PostgreSQL): placement is the busiest command."""
    values = {
        "amazon_order_id": order.amazon_order_id, "seller_id": order.seller_id,
        "buyer_id": order.buyer_id, "version": 0, "purchase_date": order.purchase_date,
        "payment_method": payment_method, "ship_service_level": order.ship_service_level,
        "currency": order.charged.currency, "ship_warning_at": order.ship_warning_at,
        "ship_deadline_at": order.ship_deadline_at, "is_prime": order.is_prime,
        "shipping_address": _dump(order.shipping_address),
        "requested_address": _dump(order.requested_address), **_state_values(order)}
    oid, sid = order.amazon_order_id, order.seller_id
    with batch(conn):
        _INSERT_ORDER.execute(conn, [_INSERT_ORDER.row(values)])
        # Rows in the tables' column order (InsertRows checks the declared order).
        _INSERT_ITEMS.execute(conn, [
            (i.order_item_id, oid, sid, i.listing_id, n, i.sku, i.asin, i.title,
             i.quantity_ordered, i.quantity_shipped, i.quantity_canceled, i.unit_price.cents,
             i.unit_shipping.cents, i.handling_days, i.line_shipping.cents, i.cancel_reason,
             _cause_value(i.canceled_by), i.gift and i.gift.message, i.gift and i.gift.wrap_level)
            for n, i in enumerate(order.items)])
        _INSERT_DEADLINES.execute(conn, [(oid, sid, kind.value, at) for kind, at in schedule])
        _INSERT_HISTORY.execute(conn, _history_rows(order, history))
        order_counts.change(conn, {(sid, order.status.value): 1})


# Every state column but the addresses, which change rarely (a redirect) and are written apart.
_STATE_COLUMNS = ("status", "verification", "last_update", "released_at", "earliest_ship_date",
                  "latest_ship_date", "earliest_delivery_date", "latest_delivery_date",
                  "buyer_cancel_requested", "buyer_cancel_reason", "charged_cents",
                  "refunded_cents", "ship_warning_at", "ship_deadline_at", "version")
_SAVE_ORDER = DriverStatement(
    update(orders)
    .where(orders.c.seller_id == bindparam("b_seller_id"),
           orders.c.amazon_order_id == bindparam("b_order_id"),
           orders.c.status == bindparam("b_status"), orders.c.version == bindparam("b_version")),
    columns=_STATE_COLUMNS)
_SAVE_ADDRESSES = DriverStatement(
    update(orders).where(orders.c.seller_id == bindparam("b_seller_id"),
                         orders.c.amazon_order_id == bindparam("b_order_id")),
    columns=("shipping_address", "requested_address"))
_SAVE_ITEM = DriverStatement(
    update(order_items)
    .where(order_items.c.seller_id == bindparam("b_seller_id"),
           order_items.c.order_item_id == bindparam("b_item_id"))
    .values(quantity_shipped=bindparam("b_shipped"), quantity_canceled=bindparam("b_canceled"),
            cancel_reason=bindparam("b_reason"), canceled_by=bindparam("b_by")))


def save_orders(conn: Connection, changes: Sequence[tuple[Order, Order]]) -> None:
    """Compare-and-set on status and version for each (before, after), in order: a lost race
    writes nothing (the caller's transaction is rolled back) and raises."""
    if not changes:
        return
    order_rows = []
    address_rows = []
    item_rows = []
    moved: Counter[tuple[str, str]] = Counter()
    # The version each order was last written at here: in a chain, a `before` may be a copy
    # made before the change ahead of it was given its version.
    written: dict[str, int] = {}
    for before, after in changes:
        if before.status != after.status:
            moved[(after.seller_id, before.status.value)] -= 1
            moved[(after.seller_id, after.status.value)] += 1
        version = written.get(before.amazon_order_id, before.version)
        after.version = written[before.amazon_order_id] = version + 1
        values = _state_values(after)
        values.update(b_seller_id=before.seller_id, b_order_id=before.amazon_order_id,
                      b_status=before.status.value,
                      b_version=version, version=after.version)
        order_rows.append(values)
        if (before.shipping_address, before.requested_address) != (after.shipping_address,
                                                                   after.requested_address):
            address_rows.append({"b_seller_id": after.seller_id,
                                 "b_order_id": after.amazon_order_id,
                                 "shipping_address": _dump(after.shipping_address),
                                 "requested_address": _dump(after.requested_address)})
        old_items = {i.order_item_id: i for i in before.items}
        for item in after.items:
            old = old_items[item.order_item_id]
            if ((old.quantity_shipped, old.quantity_canceled, old.cancel_reason)
                    != (item.quantity_shipped, item.quantity_canceled, item.cancel_reason)):
                item_rows.append({"b_seller_id": after.seller_id,
                                  "b_item_id": item.order_item_id,
                                  "b_shipped": item.quantity_shipped,
                                  "b_canceled": item.quantity_canceled,
                                  "b_reason": item.cancel_reason,
                                  "b_by": _cause_value(item.canceled_by)})
    if _SAVE_ORDER.execute_many(conn, order_rows) != len(order_rows):
        names = ", ".join(sorted({b.amazon_order_id for b, _ in changes}))
        raise ConcurrentUpdate(f"order {names} changed while this command ran")
    _SAVE_ADDRESSES.execute_many(conn, address_rows)
    _SAVE_ITEM.execute_many(conn, item_rows)
    order_counts.change(conn, moved)


def schedule_deadlines(conn: Connection,
                       due: Sequence[tuple[Order, DeadlineKind, datetime]]) -> None:
    """Deadlines decided after placement (L23a's, at release)."""
    if due:
        _INSERT_DEADLINES.execute(conn, [(o.amazon_order_id, o.seller_id, kind.value, at)
                                         for o, kind, at in due])


def append_history(conn: Connection, entries: Sequence[tuple[Order, HistoryEntry]]) -> None:
    _INSERT_HISTORY.execute(conn, [_history_row(order, e) for order, e in entries])


def _history_row(order: Order, e: HistoryEntry) -> tuple[Any, ...]:
    return (order.amazon_order_id, order.seller_id, e.at,
            e.from_status.value if e.from_status else None, e.to_status.value, e.cause.value,
            e.reason)


def _history_rows(order: Order, entries: Sequence[HistoryEntry]) -> list[tuple[Any, ...]]:
    return [_history_row(order, e) for e in entries]


def history(conn: Connection, seller_id: str, order_id: str) -> list[Row[Any]]:
    return histories(conn, seller_id, (order_id,)).get(order_id, [])


def histories(conn: Connection, seller_id: str, order_ids: Collection[str]
              ) -> dict[str, list[Row[Any]]]:
    """Each of these orders' history, oldest entry first."""
    found: dict[str, list[Row[Any]]] = {}
    if not order_ids:
        return found
    for row in conn.execute(select(order_history)
                            .where(order_history.c.seller_id == seller_id,
                                   order_history.c.amazon_order_id.in_(order_ids))
                            .order_by(order_history.c.id)):
        found.setdefault(row.amazon_order_id, []).append(row)
    return found


def seller_orders(conn: Connection, seller_id: str, status: str | None,
                  before: tuple[datetime, str] | None, limit: int) -> tuple[list[Order], bool]:
    """A page of a seller's orders, newest first, from before the (purchase_date,
    amazon_order_id) key given, and whether more follow: each order has one place in that
    order, so a walk page by page sees each once whatever arrives meanwhile."""
    t = orders.c
    query = select(orders).where(t.seller_id == seller_id)
    if status:
        query = query.where(t.status == status)
    if before is not None:
        at, order_id = before
        query = query.where((t.purchase_date < at)
                            | ((t.purchase_date == at) & (t.amazon_order_id < order_id)))
    rows = conn.execute(query.order_by(t.purchase_date.desc(), t.amazon_order_id.desc())
                        .limit(limit + 1)).all()
    return load_orders(conn, rows[:limit]), len(rows) > limit


def buyer_orders(conn: Connection, buyer_id: str) -> list[Order]:
    """A buyer's orders across sellers, newest first."""
    return load_orders(conn, conn.execute(select(orders).where(orders.c.buyer_id == buyer_id)
                                          .order_by(orders.c.purchase_date.desc(),
                                                    orders.c.amazon_order_id)).all())


def find_orders(conn: Connection, seller_id: str, *, created: tuple[datetime | None,
                                                                   datetime | None],
                updated: tuple[datetime | None, datetime | None], statuses: Collection[str],
                buyer_ids: Collection[str], order_ids: Collection[str],
                after: tuple[datetime, str] | None, limit: int,
                delivery: Mapping[str, datetime | None] | None = None
                ) -> tuple[list[Order], bool]:
    """One page of a seller's orders in purchase order (of these statuses, buyers and ids when
    given), from after the (purchase_date, amazon_order_id) key given, and whether more
    follow: each order has one place in that order whatever arrives meanwhile, so a walk page
    by page sees each order once. `delivery` bounds the promise's delivery dates
    (earliest_delivery_since, earliest_delivery_until, latest_delivery_since,
    latest_delivery_until); an order without a promise matches no such bound."""
    values: dict[str, Any] = {"seller_id": seller_id}
    for name, moment in (("created_since", created[0]), ("created_until", created[1]),
                         ("updated_since", updated[0]), ("updated_until", updated[1]),
                         *(delivery or {}).items()):
        if moment is not None:
            values[name] = moment
    for prefix, listed in (("status", statuses), ("buyer", buyer_ids),
                           ("order", order_ids)):
        values.update((f"{prefix}{n}", v) for n, v in enumerate(sorted(listed)))
    if after is not None:
        values["after_at"], values["after_id"] = after
    # One row more than the page tells whether more follow; only the page's rows are loaded.
    shape = (tuple(sorted(k for k in values if not k[-1].isdigit())), len(statuses),
             len(buyer_ids), len(order_ids), limit + 1)
    query = _PAGES.get(shape)
    if query is None:
        if len(_PAGES) >= 1000:     # a bound on what odd requests can make it hold
            _PAGES.clear()
        query = _PAGES[shape] = SelectRows(_page_query(*shape))
    rows = query.rows(conn, values)
    return with_items(conn, rows[:limit]), len(rows) > limit


# A page query for each shape (which filters are given, how many values in each list, the
# page size):
# compiled once, run through the driver, as every getOrders request reads a page.
_PAGES: dict[tuple[Any, ...], SelectRows] = {}


def _page_query(given: tuple[str, ...], statuses: int, buyers: int, order_ids: int,
                limit: int) -> Select[Any]:
    t = orders.c
    query = select(orders).where(t.seller_id == bindparam("seller_id"))
    bounds = {"created_since": t.purchase_date >= bindparam("created_since"),
              "created_until": t.purchase_date <= bindparam("created_until"),
              "updated_since": t.last_update >= bindparam("updated_since"),
              "updated_until": t.last_update <= bindparam("updated_until"),
              "earliest_delivery_since":
                  t.earliest_delivery_date >= bindparam("earliest_delivery_since"),
              "earliest_delivery_until":
                  t.earliest_delivery_date <= bindparam("earliest_delivery_until"),
              "latest_delivery_since":
                  t.latest_delivery_date >= bindparam("latest_delivery_since"),
              "latest_delivery_until":
                  t.latest_delivery_date <= bindparam("latest_delivery_until")}
    for name in given:
        if name in bounds:
            query = query.where(bounds[name])
    for column, prefix, count in ((t.status, "status", statuses), (t.buyer_id, "buyer", buyers),
                                  (t.amazon_order_id, "order", order_ids)):
        if count:
            query = query.where(column.in_([bindparam(f"{prefix}{n}") for n in range(count)]))
    if "after_at" in given:
        at: BindParameter[datetime] = bindparam("after_at")
        order_id: BindParameter[str] = bindparam("after_id")
        query = query.where((t.purchase_date > at)
                            | ((t.purchase_date == at) & (t.amazon_order_id > order_id)))
    return query.order_by(t.purchase_date, t.amazon_order_id).limit(limit)


def count_by_status(conn: Connection) -> dict[str, int]:
    return {status: int(n) for status, n in conn.execute(
        select(orders.c.status, func.count()).group_by(orders.c.status))}

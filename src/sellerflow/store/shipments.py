"""Confirmed shipments (L20); a file row's upload key marks it so an upload of the same rows
again is recognised (L21)."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Connection, select

from sellerflow.domain.decisions import ShipmentRecord
from sellerflow.domain.model import Address, Order
from sellerflow.domain.money import Money
from sellerflow.store.driver import InsertRows
from sellerflow.store.orders import dump_address
from sellerflow.store.schema import shipments

_JSON = json.JSONEncoder()
_INSERT = InsertRows(shipments, [c.name for c in shipments.columns if c.name != "id"])


def record(conn: Connection,
           confirmed: Sequence[tuple[Order, ShipmentRecord | None, str | None]]) -> None:
    """Shipments as (order, shipment, upload key or None)."""
    # In the table's column order.
    _INSERT.execute(conn, [
        (o.amazon_order_id, o.seller_id, s.carrier_code, s.carrier_name, s.tracking_number,
         s.tracking_valid, s.ship_method, s.ship_date, s.confirmed_at,
         dump_address(s.ship_to),
         _JSON.encode([{"orderItemId": i, "quantity": q} for i, q in s.lines]), s.gross.cents,
         key, s.first_scan_at, s.delivered_at, s.lost_at, s.deliver_by, s.label_id)
        for o, s, key in confirmed if s is not None])


def of_order(conn: Connection, seller_id: str, order_id: str) -> list[ShipmentRecord]:
    return of_orders(conn, seller_id, (order_id,)).get(order_id, [])


def of_orders(conn: Connection, seller_id: str, order_ids: Collection[str]
              ) -> dict[str, list[ShipmentRecord]]:
    """Each of these orders' shipments, in the order they were confirmed (orders without any
    are absent)."""
    found: dict[str, list[ShipmentRecord]] = {}
    if not order_ids:
        return found
    rows = conn.execute(select(shipments).where(shipments.c.seller_id == seller_id,
                                                shipments.c.amazon_order_id.in_(order_ids))
                        .order_by(shipments.c.id))
    for r in rows:
        found.setdefault(r.amazon_order_id, []).append(_record(r))
    return found


def _record(r: Any) -> ShipmentRecord:
    return ShipmentRecord(
        carrier_code=r.carrier_code, carrier_name=r.carrier_name,
        tracking_number=r.tracking_number, tracking_valid=r.tracking_valid,
        ship_method=r.ship_method, ship_date=r.ship_date, confirmed_at=r.confirmed_at,
        ship_to=Address(**json.loads(r.ship_to)),
        lines=tuple((line["orderItemId"], line["quantity"]) for line in json.loads(r.lines)),
        gross=Money.from_cents(r.amount_cents), first_scan_at=r.first_scan_at,
        delivered_at=r.delivered_at, lost_at=r.lost_at, deliver_by=r.deliver_by,
        label_id=r.label_id)


def of_label(conn: Connection, seller_id: str, label_id: str) -> ShipmentRecord | None:
    """The shipment a Buy Shipping label confirmed."""
    row = conn.execute(select(shipments).where(shipments.c.seller_id == seller_id,
                                               shipments.c.label_id == label_id)).first()
    return None if row is None else _record(row)


def tracked(conn: Connection, seller_id: str, tracking_number: str) -> list[ShipmentRecord]:
    """The seller's shipments with this tracking number, newest first."""
    return [_record(r) for r in conn.execute(select(shipments).where(
        shipments.c.seller_id == seller_id, shipments.c.tracking_number == tracking_number)
        .order_by(shipments.c.id.desc()))]


def uploads_applied(conn: Connection, seller_id: str, upload_keys: Collection[str]) -> set[str]:
    """Which of these file rows' keys an earlier upload of this seller applied, looked up on
    the unique (seller_id, upload_key) index: PostgreSQL's planner then knows each key matches
    at most one row, whatever its statistics say."""
    found: set[str] = set()
    keys = sorted(upload_keys)
    for start in range(0, len(keys), 500):
        found.update(conn.execute(
            select(shipments.c.upload_key)
            .where(shipments.c.seller_id == seller_id,
                   shipments.c.upload_key.in_(keys[start:start + 500]))).scalars())
    return found


def by_file(conn: Connection, seller_id: str, order_id: str) -> bool:
    """Whether the order has a shipment confirmed by an uploaded file's row."""
    return conn.execute(select(shipments.c.id).where(
        shipments.c.seller_id == seller_id, shipments.c.amazon_order_id == order_id,
        shipments.c.upload_key.is_not(None)).limit(1)).first() is not None

"""Confirmed shipments (L20); a file row's upload key marks it so an upload of the same rows
again is recognised (L21)."""

from __future__ import annotations

import json

from sqlalchemy import Connection, insert, select

from sellerflow.domain.decisions import ShipmentRecord
from sellerflow.domain.model import Address
from sellerflow.domain.money import Money
from sellerflow.store.schema import shipments

_INSERT = insert(shipments)


def record(conn: Connection, seller_id: str, order_id: str, shipment: ShipmentRecord,
           upload_key: str | None) -> None:
    s = shipment
    conn.execute(_INSERT, {
        "amazon_order_id": order_id, "seller_id": seller_id, "carrier_code": s.carrier_code,
        "carrier_name": s.carrier_name, "tracking_number": s.tracking_number,
        "tracking_valid": s.tracking_valid, "ship_method": s.ship_method,
        "ship_date": s.ship_date, "confirmed_at": s.confirmed_at,
        "ship_to": json.dumps(s.ship_to.to_wire(), sort_keys=True),
        "lines": json.dumps([{"orderItemId": i, "quantity": q} for i, q in s.lines]),
        "amount_cents": s.gross.cents, "upload_key": upload_key})


def of_order(conn: Connection, order_id: str) -> list[ShipmentRecord]:
    rows = conn.execute(select(shipments).where(shipments.c.amazon_order_id == order_id)
                        .order_by(shipments.c.id))
    return [ShipmentRecord(
        carrier_code=r.carrier_code, carrier_name=r.carrier_name,
        tracking_number=r.tracking_number, tracking_valid=r.tracking_valid,
        ship_method=r.ship_method, ship_date=r.ship_date, confirmed_at=r.confirmed_at,
        ship_to=Address(**json.loads(r.ship_to)),
        lines=tuple((line["orderItemId"], line["quantity"]) for line in json.loads(r.lines)),
        gross=Money.from_cents(r.amount_cents)) for r in rows]


def upload_applied(conn: Connection, seller_id: str, upload_key: str) -> bool:
    return conn.execute(select(shipments.c.id).where(
        shipments.c.seller_id == seller_id, shipments.c.upload_key == upload_key)).first() \
        is not None

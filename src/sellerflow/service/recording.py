"""Recording a domain decision: the order's compare-and-set write and every effect it caused
(history, stock, ledger, refunds, shipments, outbox), all in the caller's transaction."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection, insert

from sellerflow.domain.decisions import Decision
from sellerflow.domain.model import Order
from sellerflow.service.context import require_seller
from sellerflow.store import catalog, outbox
from sellerflow.store import orders as order_store
from sellerflow.store.schema import ledger, refunds, shipments


def apply_decision(conn: Connection, before: Order, decision: Decision, at: datetime,
                   upload_key: str | None = None) -> None:
    """Record a decision about an existing order: the compare-and-set write, then its effects.
    `upload_key` marks a shipment confirmed by a file row, so the row is known if uploaded
    again (L21)."""
    if decision.order != before:
        order_store.save_order(conn, before, decision.order)
    record_effects(conn, decision, at, upload_key)


def record_effects(conn: Connection, decision: Decision, at: datetime,
                   upload_key: str | None = None) -> None:
    order = decision.order
    order_store.append_history(conn, order, decision.history)
    for listing_id in sorted(decision.restock):
        catalog.return_stock(conn, listing_id, decision.restock[listing_id])
    for listing_id in sorted(decision.written_off):
        catalog.empty_listing(conn, listing_id, decision.written_off[listing_id])
    if decision.notifications:
        _enqueue(conn, order, decision, at)
    if decision.ledger:
        conn.execute(insert(ledger), [
            {"seller_id": order.seller_id, "amazon_order_id": order.amazon_order_id,
             "at": e.at, "kind": e.kind, "amount_cents": e.amount.cents}
            for e in decision.ledger])
    if decision.refund is not None:
        r = decision.refund
        conn.execute(insert(refunds).values(
            amazon_order_id=order.amazon_order_id, seller_id=order.seller_id, at=r.at,
            amount_cents=r.amount.cents, reason=r.reason))
    if decision.shipment is not None:
        _insert_shipment(conn, decision, upload_key)


def _insert_shipment(conn: Connection, decision: Decision, upload_key: str | None) -> None:
    s = decision.shipment
    assert s is not None
    order = decision.order
    conn.execute(insert(shipments).values(
        amazon_order_id=order.amazon_order_id, seller_id=order.seller_id,
        carrier_code=s.carrier_code, carrier_name=s.carrier_name,
        tracking_number=s.tracking_number, tracking_valid=s.tracking_valid,
        ship_method=s.ship_method, ship_date=s.ship_date, confirmed_at=s.confirmed_at,
        ship_to=json.dumps(s.ship_to.to_wire(), sort_keys=True),
        lines=json.dumps([{"orderItemId": i, "quantity": q} for i, q in s.lines]),
        amount_cents=s.gross.cents, upload_key=upload_key))


def _enqueue(conn: Connection, order: Order, decision: Decision, at: datetime) -> None:
    seller = require_seller(conn, order.seller_id)
    buyer = catalog.get_buyer(conn, order.buyer_id)
    for note in decision.notifications:
        recipient = seller.email if note.recipient == "seller" else (buyer.email if buyer else "")
        if recipient:
            outbox.enqueue(conn, note.key, note.kind, recipient, note.subject, note.body, at)

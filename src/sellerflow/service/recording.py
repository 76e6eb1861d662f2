"""Recording a domain decision: the order's compare-and-set write and every effect it caused
(history, stock, ledger, refunds, shipments, outbox), all in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from sellerflow.domain.decisions import Decision
from sellerflow.domain.model import Order
from sellerflow.notifications.templates import render
from sellerflow.store import catalog, ledger, outbox, shipments
from sellerflow.store import orders as order_store


def apply_decision(conn: Connection, before: Order, decision: Decision, at: datetime,
                   upload_key: str | None = None) -> None:
    """Record a decision about an existing order: the compare-and-set write, then its effects.
    `upload_key` marks a shipment confirmed by a file row, so the row is known if uploaded
    again (L21)."""
    if decision.order != before:
        order_store.save_order(conn, before, decision.order)
    record_effects(conn, decision, at, upload_key)


def record_effects(conn: Connection, decision: Decision, at: datetime,
                   upload_key: str | None = None, *, history_recorded: bool = False) -> None:
    """`history_recorded`: the entries went in with a new order (placement writes them with
    the order itself)."""
    order = decision.order
    if not history_recorded:
        order_store.append_history(conn, order, decision.history)
    for listing_id in sorted(decision.restock):
        catalog.return_stock(conn, listing_id, decision.restock[listing_id])
    for listing_id in sorted(decision.written_off):
        catalog.empty_listing(conn, listing_id, decision.written_off[listing_id])
    if decision.notifications:
        _enqueue(conn, decision, at)
    if decision.ledger:
        ledger.record_entries(conn, order.seller_id, order.amazon_order_id, decision.ledger)
    if decision.refund is not None:
        ledger.record_refund(conn, order.seller_id, order.amazon_order_id, decision.refund)
    if decision.shipment is not None:
        shipments.record(conn, order.seller_id, order.amazon_order_id, decision.shipment,
                         upload_key)


def _enqueue(conn: Connection, decision: Decision, at: datetime) -> None:
    order = decision.order
    addresses = {"seller": catalog.seller_email(conn, order.seller_id),
                 "buyer": catalog.buyer_email(conn, order.buyer_id)}
    for note in decision.notifications:
        recipient = addresses[note.recipient]
        if recipient:
            subject, body = render(note)
            outbox.enqueue(conn, note.key, note.kind, recipient, subject, body, at)

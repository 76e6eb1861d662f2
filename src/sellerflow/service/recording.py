"""Recording domain decisions: each order's compare-and-set write and every effect it caused
(history, stock, ledger, refunds, shipments, outbox: mail and SP-API notifications), all in
the caller's transaction.

Decisions are recorded set-wise, one statement per kind of row for all of them: a command
records one, a batch of file rows records hundreds, through the same code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from sellerflow.domain.decisions import Decision
from sellerflow.domain.model import Order
from sellerflow.notifications.templates import render
from sellerflow.store import catalog, ledger, outbox, shipments
from sellerflow.store import orders as order_store


@dataclass(frozen=True)
class Change:
    """A decision about an order to record. `before` is the order as loaded (None for a new
    order, whose row and first history entries placement wrote itself); `upload_key` marks a
    shipment confirmed by a file row, so the row is known if uploaded again (L21)."""

    before: Order | None
    decision: Decision
    at: datetime
    upload_key: str | None = None


def apply_decision(conn: Connection, before: Order, decision: Decision, at: datetime) -> None:
    """Record a decision about an existing order: the compare-and-set write, then its effects."""
    apply_changes(conn, [Change(before, decision, at)])


def record_new_order(conn: Connection, decision: Decision, at: datetime) -> None:
    """The effects of placing an order, whose row and history placement wrote."""
    apply_changes(conn, [Change(None, decision, at)])


def apply_changes(conn: Connection, changes: Sequence[Change]) -> None:
    """Record decisions in the order given (two about one order chain, the second's `before`
    being the first's order)."""
    # Imported on first use: every command imports this module, and the notifications'
    # (their documents, destinations and transports) are a good part of a command's start.
    from sellerflow.service import sp_notifications

    order_store.save_orders(conn, [(c.before, c.decision.order) for c in changes
                                   if c.before is not None and c.decision.order != c.before])
    order_store.append_history(conn, [(c.decision.order, entry) for c in changes
                                      if c.before is not None for entry in c.decision.history])
    order_store.schedule_deadlines(conn, [(c.decision.order, kind, at) for c in changes
                                          for kind, at in c.decision.deadlines])
    restocked: dict[tuple[str, int], datetime] = {}
    for c in changes:
        seller_id = c.decision.order.seller_id
        for listing_id in sorted(c.decision.restock):
            catalog.return_stock(conn, seller_id, listing_id, c.decision.restock[listing_id],
                                 c.at)
            restocked[seller_id, listing_id] = c.at
        for listing_id in sorted(c.decision.written_off):
            catalog.empty_listing(conn, seller_id, listing_id,
                                  c.decision.written_off[listing_id], c.at)
            restocked[seller_id, listing_id] = c.at
    if restocked:
        sp_notifications.record_restocks(conn, sorted(restocked), max(restocked.values()))
    _enqueue(conn, [c for c in changes if c.decision.notifications])
    sp_notifications.record_order_changes(conn, [(c.before, c.decision.order, c.at)
                                                 for c in changes])
    ledger.record_entries(conn, [(c.decision.order, entry) for c in changes
                                 for entry in c.decision.ledger])
    ledger.record_refunds(conn, [(c.decision.order, c.decision.refund) for c in changes
                                 if c.decision.refund is not None])
    shipments.record(conn, [(c.decision.order, c.decision.shipment, c.upload_key)
                            for c in changes if c.decision.shipment is not None])


def _enqueue(conn: Connection, changes: Sequence[Change]) -> None:
    if not changes:
        return
    orders = [c.decision.order for c in changes]
    sellers = catalog.seller_contacts(conn, {o.seller_id for o in orders})
    buyers = catalog.buyer_contacts(conn, {o.buyer_id for o in orders})
    messages = []
    for change in changes:
        order = change.decision.order
        addresses = {"seller": sellers.get(order.seller_id), "buyer": buyers.get(order.buyer_id)}
        for note in change.decision.notifications:
            recipient = addresses[note.recipient]
            if recipient:
                # In the language the recipient reads (their last choice in the console).
                subject, body = render(note, recipient.language)
                messages.append(outbox.Message(note.key, note.kind, recipient.email, subject,
                                               body, change.at))
    outbox.enqueue(conn, messages)

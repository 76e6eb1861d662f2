"""The seller's ledger (L25, L26) and the refunds behind its debits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, insert, select

from sellerflow.domain.decisions import LedgerEntry, RefundRecord
from sellerflow.domain.model import Order
from sellerflow.store.driver import InsertRows
from sellerflow.store.schema import ledger, refunds

_INSERT_ENTRY = InsertRows(ledger, ["seller_id", "amazon_order_id", "at", "kind",
                                     "amount_cents"])
_INSERT_REFUND = insert(refunds)


def record_entries(conn: Connection, entries: Sequence[tuple[Order, LedgerEntry]]) -> None:
    _INSERT_ENTRY.execute(conn, [(o.seller_id, o.amazon_order_id, e.at, e.kind, e.amount.cents)
                                 for o, e in entries])


def record_refunds(conn: Connection, refunds_made: Sequence[tuple[Order, RefundRecord]]
                   ) -> None:
    if refunds_made:
        conn.execute(_INSERT_REFUND, [
            {"amazon_order_id": o.amazon_order_id, "seller_id": o.seller_id, "at": r.at,
             "amount_cents": r.amount.cents, "reason": r.reason} for o, r in refunds_made])


def seller_entries(conn: Connection, seller_id: str) -> list[Row[Any]]:
    return list(conn.execute(select(ledger).where(ledger.c.seller_id == seller_id)
                             .order_by(ledger.c.id)))


def order_refunds(conn: Connection, seller_id: str, order_id: str) -> list[Row[Any]]:
    return list(conn.execute(select(refunds).where(refunds.c.seller_id == seller_id,
                                                   refunds.c.amazon_order_id == order_id)
                             .order_by(refunds.c.id)))


def order_entries(conn: Connection, seller_id: str, order_id: str) -> list[Row[Any]]:
    """The order's ledger entries, in the order they were written."""
    return list(conn.execute(select(ledger).where(ledger.c.seller_id == seller_id,
                                                  ledger.c.amazon_order_id == order_id)
                             .order_by(ledger.c.id)))


def entries_between(conn: Connection, seller_id: str, after: Any, before: Any,
                    from_id: int, limit: int) -> list[Row[Any]]:
    """The seller's entries posted in [after, before), from ledger id `from_id` on."""
    return list(conn.execute(select(ledger).where(
        ledger.c.seller_id == seller_id, ledger.c.at >= after, ledger.c.at < before,
        ledger.c.id >= from_id).order_by(ledger.c.id).limit(limit)))

"""The seller's ledger (L25, L26) and the refunds behind its debits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, insert, select

from sellerflow.domain.decisions import LedgerEntry, RefundRecord
from sellerflow.store.schema import ledger, refunds

_INSERT_ENTRY = insert(ledger)
_INSERT_REFUND = insert(refunds)


def record_entries(conn: Connection, seller_id: str, order_id: str,
                   entries: Sequence[LedgerEntry]) -> None:
    conn.execute(_INSERT_ENTRY, [
        {"seller_id": seller_id, "amazon_order_id": order_id, "at": e.at, "kind": e.kind,
         "amount_cents": e.amount.cents} for e in entries])


def record_refund(conn: Connection, seller_id: str, order_id: str, refund: RefundRecord) -> None:
    conn.execute(_INSERT_REFUND, {"amazon_order_id": order_id, "seller_id": seller_id,
                                  "at": refund.at, "amount_cents": refund.amount.cents,
                                  "reason": refund.reason})


def seller_entries(conn: Connection, seller_id: str) -> list[Row[Any]]:
    return list(conn.execute(select(ledger).where(ledger.c.seller_id == seller_id)
                             .order_by(ledger.c.id)))


def order_refunds(conn: Connection, order_id: str) -> list[Row[Any]]:
    return list(conn.execute(select(refunds).where(refunds.c.amazon_order_id == order_id)
                             .order_by(refunds.c.id)))

"""Shipment confirmation (L20, L25), refunds (L26) and the seller's ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from sellerflow.clock import iso
from sellerflow.domain.errors import NotFound
from sellerflow.domain.fulfillment import ShipmentRequest, confirm_shipment, refund
from sellerflow.domain.model import Order
from sellerflow.domain.money import Money
from sellerflow.service.context import Marketplace, require_seller
from sellerflow.service.deadlines import settle
from sellerflow.service.recording import apply_decision
from sellerflow.store.schema import ledger


@dataclass(frozen=True)
class Confirmation:
    order: Order
    warnings: list[str]


def ship(market: Marketplace, order_id: str, request: ShipmentRequest,
         seller_id: str | None = None) -> Confirmation:
    """Confirm a shipment; `seller_id` (when given) must own the order."""
    def command(conn: Connection, now: datetime) -> Confirmation:
        order = settle(market, conn, order_id, now)
        check_owner(order, seller_id)
        decision = confirm_shipment(order, request, now, market.policy)
        apply_decision(conn, order, decision, now)
        return Confirmation(decision.order, decision.warnings)

    return market.run(command)


def check_owner(order: Order, seller_id: str | None) -> None:
    if seller_id is not None and order.seller_id != seller_id:
        # Another seller's order is answered as unknown: its existence is not theirs to learn.
        raise NotFound(f"order {order.amazon_order_id} does not exist")


def refund_order(market: Marketplace, order_id: str, amount: str | None, reason: str,
                 seller_id: str | None = None) -> dict[str, Any]:
    money = Money.parse(amount, "--amount") if amount is not None else None

    def command(conn: Connection, now: datetime) -> dict[str, Any]:
        order = settle(market, conn, order_id, now)
        check_owner(order, seller_id)
        decision = refund(order, money, reason, now, market.policy)
        apply_decision(conn, order, decision, now)
        r = decision.refund
        assert r is not None
        return {"orderId": order_id, "at": iso(now), "amount": r.amount.to_wire(),
                "reason": r.reason, "referralFeeCredit": r.fee_credit.to_wire(),
                "refundAdministrationFee": r.admin_fee.to_wire(),
                "totalRefunded": decision.order.refunded.to_wire()}

    return market.run(command)


def seller_ledger(market: Marketplace, seller_id: str) -> dict[str, Any]:
    """L25, L26: a credit per confirmed shipment less the fee, a debit per refund."""
    with market.reading() as conn:
        require_seller(conn, seller_id)
        rows = conn.execute(select(ledger).where(ledger.c.seller_id == seller_id)
                            .order_by(ledger.c.id)).all()
    balance = Money.from_cents(sum(r.amount_cents for r in rows))
    return {"balance": balance.to_wire(),
            "entries": [{"at": iso(r.at), "orderId": r.amazon_order_id, "kind": r.kind,
                         "amount": Money.from_cents(r.amount_cents).to_wire()} for r in rows]}

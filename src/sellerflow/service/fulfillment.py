"""Shipment confirmation (L20, L25), refunds (L26) and the seller's ledger."""

from __future__ import annotations

from sellerflow.domain.callers import SELLER_SIDE, Caller
from sellerflow.domain.fulfillment import ShipmentRequest, confirm_shipment, refund
from sellerflow.domain.money import Money
from sellerflow.service.context import Marketplace, Work, carrier_days, check_seller
from sellerflow.service.deadlines import Side, settle
from sellerflow.service.recording import apply_decision
from sellerflow.service.views import Confirmation, LedgerLine, RefundDone, SellerLedger
from sellerflow.store import ledger


def ship(market: Marketplace, caller: Caller, order_id: str, request: ShipmentRequest
         ) -> Confirmation:
    """Confirm a shipment of some or all of the units still to ship."""
    caller.require(*SELLER_SIDE, doing="a shipment confirmation")

    def command(work: Work) -> Confirmation:
        order = settle(work, caller, order_id, Side.SELLER)
        decision = confirm_shipment(order, request, work.now, work.policy,
                                    carrier_days(work.conn, order.seller_id))
        apply_decision(work.conn, order, decision, work.now)
        return Confirmation(decision.order, tuple(decision.warnings))

    return market.run(command)


def refund_order(market: Marketplace, caller: Caller, order_id: str, amount: str | None,
                 reason: str) -> RefundDone:
    """Refund `amount` (all that can still be refunded when None)."""
    caller.require(*SELLER_SIDE, doing="a refund")
    money = Money.parse(amount, "amount") if amount is not None else None

    def command(work: Work) -> RefundDone:
        order = settle(work, caller, order_id, Side.SELLER)
        decision = refund(order, money, reason, work.now, work.policy)
        apply_decision(work.conn, order, decision, work.now)
        r = decision.refund
        assert r is not None
        return RefundDone(order_id, work.now, r.amount, r.reason, r.fee_credit, r.admin_fee,
                          decision.order.refunded)

    return market.run(command)


def seller_ledger(market: Marketplace, caller: Caller, seller_id: str) -> SellerLedger:
    """L25, L26: a credit per confirmed shipment less the fee, a debit per refund."""
    def query(work: Work) -> SellerLedger:
        check_seller(work.conn, caller, seller_id)
        rows = ledger.seller_entries(work.conn, seller_id)
        lines = tuple(LedgerLine(r.at, r.amazon_order_id, r.kind,
                                 Money.from_cents(r.amount_cents)) for r in rows)
        return SellerLedger(Money.from_cents(sum(r.amount_cents for r in rows)), lines)

    return market.read(query)

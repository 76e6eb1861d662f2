"""Order commands by buyers and sellers, and the order views (L6, L9-L11, L18, L19, L22, L24)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sellerflow.domain import deadlines as deadline_rules
from sellerflow.domain import validation
from sellerflow.domain.callers import (
    BUYER_SIDE,
    SANDBOX_CONTROL,
    SELLER_SIDE,
    Caller,
    CallerKind,
    order_not_found,
)
from sellerflow.domain.errors import Conflict, InvalidInput
from sellerflow.domain.fulfillment import cancel_by_seller, check_feedback, redirect
from sellerflow.domain.fulfillment import request_address_change as address_change
from sellerflow.domain.model import Address, Order, OrderStatus
from sellerflow.domain.money import Money
from sellerflow.domain.pending import cancel_by_buyer, pending_stage, record_verification
from sellerflow.domain.policy import BusinessCalendar
from sellerflow.domain.text import Phrase
from sellerflow.service import page_tokens, projection
from sellerflow.service.context import Marketplace, Work, calendar_for, check_seller
from sellerflow.service.deadlines import Side, settle, visible
from sellerflow.service.recording import apply_decision
from sellerflow.service.views import (
    AddressChangeRequested,
    Cancellation,
    FeedbackLeft,
    HistoryView,
    MessageView,
    OrderDetail,
    OrderRow,
    RefundView,
    seller_actions,
)
from sellerflow.store import labels, ledger, messages, shipments
from sellerflow.store import orders as order_store


def buyer_cancel(market: Marketplace, caller: Caller, order_id: str,
                 reason: str | None = None) -> Cancellation:
    """L6: the buyer cancels a Pending order at once; on a released one it is a request."""
    caller.require(*BUYER_SIDE, doing="a buyer's cancellation")

    def command(work: Work) -> Cancellation:
        order = settle(work, caller, order_id, Side.BUYER)
        decision = cancel_by_buyer(order, reason, work.now)
        apply_decision(work.conn, order, decision, work.now)
        return Cancellation(decision.order, decision.order.status is not OrderStatus.CANCELED)

    return market.run(command)


def seller_cancel(market: Marketplace, caller: Caller, order_id: str, reason: str,
                  item_ids: Sequence[str] | None = None) -> Cancellation:
    """L22, L4: the seller cancels what is unshipped, with one of Amazon's reason codes: the
    whole order's, or only the items named (as Amazon cancels per item)."""
    caller.require(*SELLER_SIDE, doing="a seller's cancellation")
    if not reason:
        raise InvalidInput("reason", Phrase("a seller's cancellation needs one of Amazon's "
                                            "reason codes, e.g. NoInventory or BuyerCanceled"))

    def command(work: Work) -> Cancellation:
        order = settle(work, caller, order_id, Side.SELLER)
        decision = cancel_by_seller(order, reason, work.now, item_ids or None)
        apply_decision(work.conn, order, decision, work.now)
        return Cancellation(decision.order, False)

    return market.run(command)


def verify(market: Marketplace, caller: Caller, order_id: str, outcome: str) -> Order:
    """Sandbox: the payment verifier's outcome (L9-L11)."""
    caller.require(*SANDBOX_CONTROL, doing="a payment verification outcome")
    market.require_sandbox("order verification")
    # The sandbox's payment verifier answers as the marketplace's own (system) does.
    caller = Caller.system() if caller.kind is CallerKind.SANDBOX else caller

    def command(work: Work) -> Order:
        order = settle(work, caller, order_id, Side.EITHER)
        decision = record_verification(order, outcome, work.now, work.policy,
                                       calendar_for(work.conn, order.seller_id))
        apply_decision(work.conn, order, decision, work.now)
        return decision.order

    return market.run(command)


def request_address_change(market: Marketplace, caller: Caller, order_id: str,
                           address_json: Any) -> AddressChangeRequested:
    """L19: the buyer asks, through messaging, to ship somewhere else."""
    caller.require(*BUYER_SIDE, doing="an address-change request")
    address = Address.from_wire(address_json, "shippingAddress")

    def command(work: Work) -> AddressChangeRequested:
        order = settle(work, caller, order_id, Side.BUYER)
        decision = address_change(order, address)
        apply_decision(work.conn, order, decision, work.now)
        messages.add_message(work.conn, order_id, order.seller_id, "AddressChangeRequest",
                             {"kind": "AddressChangeRequest",
                              "shippingAddress": address.to_wire()}, work.now)
        return AddressChangeRequested(order_id, address.to_wire(), work.now)

    return market.run(command)


def accept_redirect(market: Marketplace, caller: Caller, order_id: str) -> Order:
    """L19: the seller ships to exactly the address the buyer asked for."""
    caller.require(*SELLER_SIDE, doing="a redirect")

    def command(work: Work) -> Order:
        order = settle(work, caller, order_id, Side.SELLER)
        decision = redirect(order, work.now)
        apply_decision(work.conn, order, decision, work.now)
        return decision.order

    return market.run(command)


def send_text(market: Marketplace, caller: Caller, order_id: str, text: str) -> MessageView:
    """A buyer's message to the seller about an order (buyer-seller messaging)."""
    caller.require(*BUYER_SIDE, doing="a buyer's message")
    body = validation.text(text, "text", 4000, required=True)

    def command(work: Work) -> MessageView:
        order = settle(work, caller, order_id, Side.BUYER)
        message = {"kind": "Text", "text": body}
        messages.add_message(work.conn, order_id, order.seller_id, "Text", message, work.now)
        return MessageView(work.now, message)

    return market.run(command)


def buyer_orders(market: Marketplace, caller: Caller) -> list[Order]:
    """The calling buyer's orders, with every seller, newest first."""
    caller.require(CallerKind.BUYER, doing="a buyer's order list")
    assert caller.account_id is not None
    buyer_id = caller.account_id
    return market.read(lambda work: order_store.buyer_orders(work.conn, buyer_id))


def leave_feedback(market: Marketplace, caller: Caller, order_id: str, rating: int,
                   comment: str | None) -> FeedbackLeft:
    """The buyer's feedback, once per order; 1-2 stars count as defects (L27)."""
    caller.require(*BUYER_SIDE, doing="feedback")
    comment = validation.text(comment, "comment", 2000)

    def command(work: Work) -> FeedbackLeft:
        order = settle(work, caller, order_id, Side.BUYER)
        check_feedback(order, rating)
        if messages.feedback_of(work.conn, order.seller_id, order_id) is not None:
            raise Conflict("FeedbackExists", Phrase("order %(order)s already has feedback; a "
                                                    "buyer leaves one per order", order=order_id))
        messages.add_feedback(work.conn, order_id, order.seller_id, rating, comment, work.now)
        return FeedbackLeft(order_id, rating, comment, work.now)

    return market.run(command)


def order_row(order: Order, work: Work, calendar: BusinessCalendar) -> OrderRow:
    """The order as Manage Orders lists it: its ship-by warning (L24), allowed actions and,
    while Pending, the stage it waits in (L5, L8)."""
    return OrderRow(order, seller_actions(order),
                    deadline_rules.confirm_by(order, work.now, calendar),
                    pending_stage(order, work.now, work.policy))


def show(market: Marketplace, caller: Caller, order_id: str) -> OrderDetail:
    """Everything about one order, for its seller, its buyer or the operator."""
    def query(work: Work) -> OrderDetail:
        order = order_store.load_order(work.conn, order_id, seller_id=caller.own_seller)
        if order is None or not visible(caller, order, Side.EITHER):
            raise order_not_found(order_id)
        conn, seller_id = work.conn, order.seller_id
        shipped = tuple(shipments.of_order(conn, seller_id, order_id))
        canceled = frozenset(
            label.label_id for label in labels.of_orders(conn, seller_id, (order_id,))
            if label.canceled_at is not None) if any(s.label_id for s in shipped) else frozenset()
        return OrderDetail(
            row=order_row(order, work, calendar_for(conn, order.seller_id)),
            shipments=shipped, canceled_labels=canceled,
            refunds=tuple(RefundView(r.at, Money.from_cents(r.amount_cents), r.reason)
                          for r in ledger.order_refunds(conn, seller_id, order_id)),
            messages=tuple(MessageView(at, body) for at, body in messages.of_order(
                conn, seller_id, order_id)),
            history=tuple(HistoryView(h.at, h.from_status, h.to_status, h.cause, h.reason)
                          for h in order_store.history(conn, seller_id, order_id)),
            address=projection.shipping_address(order), total=projection.shown_total(order),
            as_of=work.now)

    return market.read(query)


MAX_LIST = 1000


@dataclass(frozen=True)
class OrderList:
    """A page of Manage Orders' rows and the token of the next page (None: the last)."""

    rows: list[OrderRow]
    next_token: str | None


def manage_orders(market: Marketplace, caller: Caller, seller_id: str,
                  status: str | None = None, limit: int = MAX_LIST,
                  next_token: str | None = None) -> OrderList:
    """Manage Orders: a seller's orders, newest first, `limit` at a time (1-1000), each with
    the ship-by warning it shows from its scheduled warning time (L24) and the actions its
    status allows (L7); the answer's token gives the next page."""
    if status is not None and status not in {s.value for s in OrderStatus}:
        raise InvalidInput("OrderStatuses", f"{status!r} is not one of "
                                            f"{', '.join(s.value for s in OrderStatus)}")
    if not 1 <= limit <= MAX_LIST:
        raise InvalidInput("limit", f"{limit} is not from 1 to {MAX_LIST}")
    before = None if next_token is None else _page_start(next_token, status)

    def query(work: Work) -> OrderList:
        check_seller(work.conn, caller, seller_id)
        calendar = calendar_for(work.conn, seller_id)
        found, more = order_store.seller_orders(work.conn, seller_id, status, before, limit)
        token = None
        if more:
            last = found[-1]
            token = page_tokens.encode({"s": status, "b": [
                page_tokens.time_text(last.purchase_date), last.amazon_order_id]})
        return OrderList([order_row(o, work, calendar) for o in found], token)

    return market.read(query)


def _page_start(token: str, status: str | None) -> tuple[datetime, str]:
    """The (purchase_date, amazon_order_id) a Manage Orders token says the next page starts
    before."""
    document = page_tokens.decode(token, "NextToken", "orders")
    if document.get("s", status) != status:
        raise InvalidInput("NextToken", "was given for another status; pass the same status "
                                        "with it")
    try:
        moment = page_tokens.time_of(document["b"][0])
        order_id = str(document["b"][1])
    except (KeyError, TypeError, IndexError, ValueError):
        moment = None
    if moment is None:
        raise page_tokens.refused("NextToken", "orders")
    return moment, order_id

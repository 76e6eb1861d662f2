"""Order commands by buyers and sellers, and the order views (L6, L9-L11, L18, L19, L22)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from sellerflow.clock import iso
from sellerflow.domain import deadlines as deadline_rules
from sellerflow.domain import validation
from sellerflow.domain.errors import InvalidInput, NotFound, Refused
from sellerflow.domain.fulfillment import cancel_by_seller, check_feedback, redirect
from sellerflow.domain.fulfillment import request_address_change as address_change
from sellerflow.domain.model import Address, Order, OrderStatus
from sellerflow.domain.money import Money
from sellerflow.domain.pending import cancel_by_buyer, record_verification
from sellerflow.service.context import Marketplace, calendar_for, require_seller
from sellerflow.service.deadlines import settle
from sellerflow.service.recording import apply_decision
from sellerflow.store import orders as order_store
from sellerflow.store.schema import feedback, messages, orders, refunds, shipments
from sellerflow.wire import item_to_wire, order_to_wire


@dataclass(frozen=True)
class Cancellation:
    order: Order
    requested_only: bool   # L6: a buyer's cancel of a released order is only a request


def cancel(market: Marketplace, order_id: str, by: str, reason: str | None = None
           ) -> Cancellation:
    if by not in ("buyer", "seller"):
        raise InvalidInput("--by", f"{by!r} is not buyer or seller")
    if by == "seller" and not reason:
        raise InvalidInput("--reason", "a seller's cancellation needs one of Amazon's reason "
                                       "codes, e.g. NoInventory or BuyerCanceled")

    def command(conn: Connection, now: datetime) -> Cancellation:
        order = settle(market, conn, order_id, now)
        if by == "buyer":
            decision = cancel_by_buyer(order, reason, now)
        else:
            decision = cancel_by_seller(order, reason or "", now)
        apply_decision(conn, order, decision, now)
        requested = by == "buyer" and decision.order.status is not OrderStatus.CANCELED
        return Cancellation(decision.order, requested)

    return market.run(command)


def verify(market: Marketplace, order_id: str, outcome: str) -> Order:
    market.require_sandbox("order verify")

    def command(conn: Connection, now: datetime) -> Order:
        order = settle(market, conn, order_id, now)
        decision = record_verification(order, outcome, now, market.policy,
                                       calendar_for(conn, order.seller_id))
        apply_decision(conn, order, decision, now)
        return decision.order

    return market.run(command)


def request_address_change(market: Marketplace, order_id: str, address_json: Any
                           ) -> dict[str, Any]:
    address = Address.from_wire(address_json, "--address-change")

    def command(conn: Connection, now: datetime) -> dict[str, Any]:
        order = settle(market, conn, order_id, now)
        decision = address_change(order, address)
        apply_decision(conn, order, decision, now)
        body = {"kind": "AddressChangeRequest", "shippingAddress": address.to_wire()}
        conn.execute(insert(messages).values(amazon_order_id=order_id, seller_id=order.seller_id,
                                             kind="AddressChangeRequest",
                                             body=json.dumps(body), at=now))
        return {"orderId": order_id, **body, "at": iso(now)}

    return market.run(command)


def accept_redirect(market: Marketplace, order_id: str) -> Order:
    def command(conn: Connection, now: datetime) -> Order:
        order = settle(market, conn, order_id, now)
        decision = redirect(order, now)
        apply_decision(conn, order, decision, now)
        return decision.order

    return market.run(command)


def leave_feedback(market: Marketplace, order_id: str, rating: int, comment: str | None
                   ) -> dict[str, Any]:
    comment = validation.text(comment, "--comment", 2000)

    def command(conn: Connection, now: datetime) -> dict[str, Any]:
        order = settle(market, conn, order_id, now)
        check_feedback(order, rating)
        if conn.execute(select(feedback.c.rating)
                        .where(feedback.c.amazon_order_id == order_id)).first():
            raise Refused("FeedbackExists", f"order {order_id} already has feedback; a buyer "
                                            "leaves one per order")
        conn.execute(insert(feedback).values(amazon_order_id=order_id,
                                             seller_id=order.seller_id, rating=rating,
                                             comment=comment, at=now))
        return {"orderId": order_id, "rating": rating, "comment": comment,
                "at": iso(now)}

    return market.run(command)


def show(market: Marketplace, order_id: str) -> dict[str, Any]:
    """Everything about one order, as `order show` prints it."""
    with market.reading() as conn:
        now = market.clock.now(conn)
        order = order_store.load_order(conn, order_id)
        if order is None:
            raise NotFound(f"order {order_id} does not exist")
        calendar = calendar_for(conn, order.seller_id)
        ship_rows = conn.execute(select(shipments).where(shipments.c.amazon_order_id == order_id)
                                 .order_by(shipments.c.id)).all()
        refund_rows = conn.execute(select(refunds).where(refunds.c.amazon_order_id == order_id)
                                   .order_by(refunds.c.id)).all()
        message_rows = conn.execute(select(messages).where(messages.c.amazon_order_id == order_id)
                                    .order_by(messages.c.id)).all()
        history = order_store.history(conn, order_id)
    return {
        "order": order_to_wire(order),
        "items": [item_to_wire(order, i) for i in order.items],
        "shipments": [{"carrierCode": s.carrier_code, "carrierName": s.carrier_name,
                       "trackingNumber": s.tracking_number, "trackingValid": s.tracking_valid,
                       "shipMethod": s.ship_method, "shipDate": iso(s.ship_date),
                       "confirmedAt": iso(s.confirmed_at), "items": json.loads(s.lines),
                       "amount": _money(s.amount_cents)} for s in ship_rows],
        "refunds": [{"at": iso(r.at), "amount": _money(r.amount_cents), "reason": r.reason}
                    for r in refund_rows],
        "messages": [{"at": iso(m.at), **json.loads(m.body)} for m in message_rows],
        "history": [{**h, "at": iso(h["at"])} for h in history],
        "warning": deadline_rules.ship_warning(order, now, market.policy, calendar),
        "sellerId": order.seller_id,
    }


def _money(cents: int) -> dict[str, str]:
    return Money.from_cents(cents).to_wire()


def list_orders(market: Marketplace, seller_id: str, status: str | None = None
                ) -> list[dict[str, Any]]:
    """A seller's orders in the SP-API Order shape, newest first."""
    with market.reading() as conn:
        return [order_to_wire(o) for o in _seller_orders(conn, seller_id, status)]


def manage_orders(market: Marketplace, seller_id: str, status: str | None = None
                  ) -> list[dict[str, Any]]:
    """Manage Orders: each order with the ship-by warning it shows from 7 days before the
    ship-confirm deadline (L24)."""
    with market.reading() as conn:
        found = _seller_orders(conn, seller_id, status)
        now = market.clock.now(conn)
        calendar = calendar_for(conn, seller_id)
    return [{"order": order_to_wire(o),
             "warning": deadline_rules.ship_warning(o, now, market.policy, calendar)}
            for o in found]


def _seller_orders(conn: Connection, seller_id: str, status: str | None) -> list[Order]:
    if status is not None and status not in {s.value for s in OrderStatus}:
        raise InvalidInput("--status", f"{status!r} is not one of "
                                       f"{', '.join(s.value for s in OrderStatus)}")
    require_seller(conn, seller_id)
    query = select(orders).where(orders.c.seller_id == seller_id)
    if status:
        query = query.where(orders.c.status == status)
    return order_store.load_orders(conn, conn.execute(
        query.order_by(orders.c.purchase_date.desc())).all())

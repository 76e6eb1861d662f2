"""Checkout (L1, L2): one order per seller, stock taken in the same transaction, all or nothing."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from sellerflow.domain import deadlines as deadline_rules
from sellerflow.domain import validation
from sellerflow.domain.decisions import Decision
from sellerflow.domain.errors import InvalidInput, NotFound, Refused, RuleViolation
from sellerflow.domain.model import Address, Buyer
from sellerflow.domain.pending import record_verification
from sellerflow.domain.placement import CartLine, build_order, merge_lines, validate_cart
from sellerflow.domain.policy import BusinessCalendar
from sellerflow.payments import PAYMENT_METHODS
from sellerflow.service import accounts, ids
from sellerflow.service.context import Marketplace
from sellerflow.service.recording import record_effects
from sellerflow.store import catalog
from sellerflow.store import deadlines as deadline_store
from sellerflow.store import orders as order_store
from sellerflow.store.schema import idempotency_keys


@dataclass(frozen=True)
class Checkout:
    buyer_email: str
    lines: list[CartLine]
    shipping_address: Any
    ship_service_level: str = "Standard"
    payment_method: str = "ok"
    idempotency_key: str | None = None

    def fingerprint(self) -> str:
        body = json.dumps({"lines": [[l.seller_id, l.sku, l.quantity] for l in self.lines],
                           "address": self.shipping_address, "level": self.ship_service_level,
                           "payment": self.payment_method}, sort_keys=True, default=str)
        return hashlib.sha256(body.encode()).hexdigest()


def place_order(market: Marketplace, checkout: Checkout) -> dict[str, Any]:
    """Returns {"orders": [{"AmazonOrderId", "sellerId", "OrderStatus"}]}."""
    validate_cart(checkout.lines, checkout.ship_service_level)
    validation.text(checkout.idempotency_key, "idempotency key", 200)
    address = Address.from_wire(checkout.shipping_address)
    if checkout.payment_method not in PAYMENT_METHODS:
        raise InvalidInput("payment", f"{checkout.payment_method!r} is not one of "
                                      f"{', '.join(PAYMENT_METHODS)}")
    outcome = market.verifier.initial_outcome(checkout.payment_method)

    def command(conn: Connection, now: datetime) -> dict[str, Any]:
        buyer = _buyer(market, conn, checkout.buyer_email, now)
        if checkout.idempotency_key:
            replay = _replay(conn, buyer, checkout)
            if replay is not None:
                return replay
        result = {"orders": _place(market, conn, now, buyer, checkout, address, outcome)}
        if checkout.idempotency_key:
            conn.execute(insert(idempotency_keys).values(
                buyer_id=buyer.buyer_id, key=checkout.idempotency_key,
                request_hash=checkout.fingerprint(), response=json.dumps(result),
                created_at=now))
        return result

    return market.run(command)


def _buyer(market: Marketplace, conn: Connection, email: str, now: datetime) -> Buyer:
    buyer = catalog.get_buyer_by_email(conn, email.strip().lower())
    if buyer is not None:
        return buyer
    if not market.sandbox:
        raise NotFound(f"buyer {email} does not exist; `sellerflow buyer create` adds one")
    return accounts.insert_buyer(conn, email, None, now)[0]


def _replay(conn: Connection, buyer: Buyer, checkout: Checkout) -> dict[str, Any] | None:
    row = conn.execute(select(idempotency_keys).where(
        idempotency_keys.c.buyer_id == buyer.buyer_id,
        idempotency_keys.c.key == checkout.idempotency_key)).first()
    if row is None:
        return None
    if row.request_hash != checkout.fingerprint():
        raise Refused("IdempotencyKeyReused", f"idempotency key {checkout.idempotency_key!r} was "
                                              "already used for a different checkout; use a new "
                                              "key for a new cart")
    stored: dict[str, Any] = json.loads(row.response)
    return stored


def _place(market: Marketplace, conn: Connection, now: datetime, buyer: Buyer,
           checkout: Checkout, address: Address, outcome: str | None) -> list[dict[str, Any]]:
    wanted = merge_lines(checkout.lines)
    listings, calendars = catalog.cart_listings(conn, list(wanted))
    unknown = [f"{s}:{sku}" for s, sku in wanted if (s, sku) not in listings]
    if unknown:
        raise NotFound(f"no such listing: {', '.join(unknown)}", {"unknown": unknown})
    # L2: lock in one fixed order (listing id) so multi-item carts never deadlock.
    short: list[dict[str, Any]] = []
    for key in sorted(wanted, key=lambda k: listings[k].listing_id):
        listing = listings[key]
        if not catalog.take_stock(conn, listing.listing_id, wanted[key]):
            available = catalog.get_listing(conn, *key)
            short.append({"sellerId": key[0], "sku": key[1], "requested": wanted[key],
                          "available": available.quantity if available else 0})
    if short:
        names = "; ".join(f"{s['sellerId']}:{s['sku']} wants {s['requested']}, "
                          f"{s['available']} available" for s in short)
        raise RuleViolation("L2", f"not enough stock, nothing was ordered: {names}",
                            {"shortItems": short})
    placed = []
    for seller_id in sorted({s for s, _ in wanted}):
        lines = [(listings[k], q, ids.order_item_id()) for k, q in wanted.items()
                 if k[0] == seller_id]
        order, entry = build_order(ids.order_id(), buyer.buyer_id, seller_id, lines, address,
                                   checkout.ship_service_level, now)
        decision = Decision(order, history=[entry])
        if outcome is not None:
            verified = record_verification(order, outcome, now, market.policy,
                                           BusinessCalendar.of(*calendars[seller_id]))
            verified.history.insert(0, entry)
            decision = verified
        order_store.insert_order(conn, decision.order, checkout.payment_method)
        deadline_store.schedule(conn, order.amazon_order_id, seller_id,
                                deadline_rules.schedule(now, market.policy))
        record_effects(conn, decision, now)
        placed.append({"AmazonOrderId": order.amazon_order_id, "sellerId": seller_id,
                       "OrderStatus": decision.order.status.value})
    return placed

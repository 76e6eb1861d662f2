"""Checkout (L1, L2): one order per seller, stock taken in the same transaction, all or nothing."""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection

from sellerflow.domain import deadlines as deadline_rules
from sellerflow.domain import validation
from sellerflow.domain.callers import BUYER_SIDE, Caller, CallerKind
from sellerflow.domain.decisions import Decision
from sellerflow.domain.errors import Conflict, InvalidInput, NotFound, RuleViolation
from sellerflow.domain.model import Address, Buyer, Listing
from sellerflow.domain.pending import record_verification
from sellerflow.domain.placement import (
    CartLine,
    build_order,
    merge_gifts,
    merge_lines,
    validate_cart,
)
from sellerflow.domain.policy import BusinessCalendar
from sellerflow.domain.shipping import DEFAULT_RATES
from sellerflow.payments import PAYMENT_METHODS
from sellerflow.service import accounts, ids, sp_notifications
from sellerflow.service.context import Marketplace, Work, calendar_for
from sellerflow.service.recording import record_new_order
from sellerflow.service.views import PlacedOrder
from sellerflow.store import catalog, idempotency
from sellerflow.store import orders as order_store


@dataclass(frozen=True)
class Checkout:
    """A cart to check out. `buyer_email` names the buyer when the operator checks out for
    one (on a sandbox an unknown e-mail becomes a new buyer); a buyer checks out as itself."""

    buyer_email: str | None
    lines: list[CartLine]
    shipping_address: Any
    ship_service_level: str = "Standard"
    payment_method: str = "ok"
    idempotency_key: str | None = None
    prime: bool = False      # checked out with Prime (Amazon's IsPrime)

    def fingerprint(self) -> str:
        body = json.dumps({"lines": [[l.seller_id, l.sku, l.quantity,
                                      None if l.gift is None else list(astuple(l.gift))]
                                     for l in self.lines],
                           "address": self.shipping_address, "level": self.ship_service_level,
                           "payment": self.payment_method, "prime": self.prime},
                          sort_keys=True, default=str)
        return hashlib.sha256(body.encode()).hexdigest()


def place_order(market: Marketplace, caller: Caller, checkout: Checkout
                ) -> tuple[PlacedOrder, ...]:
    """One Pending order per seller in the cart, stock taken at once, all or nothing."""
    caller.require(*BUYER_SIDE, doing="a checkout")
    validate_cart(checkout.lines, checkout.ship_service_level)
    validation.text(checkout.idempotency_key, "idempotencyKey", 200)
    address = Address.from_wire(checkout.shipping_address)
    if checkout.payment_method not in PAYMENT_METHODS:
        raise InvalidInput("paymentMethod", f"{checkout.payment_method!r} is not one of "
                                            f"{', '.join(PAYMENT_METHODS)}")
    outcome = market.verifier.initial_outcome(checkout.payment_method)
    key = checkout.idempotency_key

    def command(work: Work) -> tuple[PlacedOrder, ...]:
        buyer = _buyer(market, work, caller, checkout.buyer_email)
        if key:
            replay = _replay(work.conn, buyer, checkout)
            if replay is not None:
                return replay
        placed = place_for(work, buyer, checkout, address, outcome)
        if key:
            idempotency.remember(work.conn, buyer.buyer_id, key, checkout.fingerprint(),
                                 json.dumps([list(astuple(p)) for p in placed]), work.now)
        return placed

    return market.run(command)


def _buyer(market: Marketplace, work: Work, caller: Caller, email: str | None) -> Buyer:
    if caller.kind is CallerKind.BUYER:
        assert caller.account_id is not None
        found = catalog.get_buyer(work.conn, caller.account_id)
        if found is None:
            raise NotFound(f"buyer {caller.account_id} does not exist")
        return found
    if not email:
        raise InvalidInput("buyerEmail", "name the buyer who checks out")
    buyer = catalog.get_buyer_by_email(work.conn, email.strip().lower())
    if buyer is not None:
        return buyer
    if not market.sandbox:
        raise NotFound(f"buyer {email} does not exist; on a live database buyers are created "
                       "before they check out", reason="unknown-buyer")
    return accounts.insert_buyer(work.conn, email, None, work.now)[0]


def _replay(conn: Connection, buyer: Buyer, checkout: Checkout
            ) -> tuple[PlacedOrder, ...] | None:
    assert checkout.idempotency_key is not None
    row = idempotency.find(conn, buyer.buyer_id, checkout.idempotency_key)
    if row is None:
        return None
    if row.request_hash != checkout.fingerprint():
        raise Conflict("IdempotencyKeyReused", f"idempotency key {checkout.idempotency_key!r} "
                                               "was already used for a different checkout; use "
                                               "a new key for a new cart")
    return tuple(PlacedOrder(*stored) for stored in json.loads(row.response))


def place_for(work: Work, buyer: Buyer, checkout: Checkout, address: Address,
              outcome: str | None) -> tuple[PlacedOrder, ...]:
    """Checkout's writes for a cart already checked (the buyer found, the address parsed, the
    payment's first outcome known), in the caller's unit of work: also what the data-set
    generator places its orders with, many to a transaction."""
    conn, now, policy = work.conn, work.now, work.policy
    wanted, gifts = merge_lines(checkout.lines), merge_gifts(checkout.lines)
    listings: dict[tuple[str, str], Listing] = {}
    unknown: list[str] = []
    short: list[dict[str, Any]] = []
    # L2: stock is taken in one fixed order (seller, SKU), so multi-item carts never deadlock.
    for key in sorted(wanted):
        taken = catalog.take_stock(conn, *key, wanted[key], now)
        if taken is not None:
            listings[key] = taken
            continue
        available = catalog.get_listing(conn, *key)
        if available is None:
            unknown.append(f"{key[0]}:{key[1]}")
        else:
            short.append({"sellerId": key[0], "sku": key[1], "requested": wanted[key],
                          "available": available.quantity})
    if unknown:
        raise NotFound(f"no such listing: {', '.join(unknown)}", {"unknown": unknown})
    if short:
        names = "; ".join(f"{s['sellerId']}:{s['sku']} wants {s['requested']}, "
                          f"{s['available']} available" for s in short)
        raise RuleViolation("L2", f"not enough stock, nothing was ordered: {names}",
                            {"shortItems": short})
    sp_notifications.record_quantities(conn, [(seller_id, sku, taken.quantity) for (
        seller_id, sku), taken in listings.items()], now)
    placed = []
    for seller_id in sorted({s for s, _ in wanted}):
        lines = [(listings[k], q, ids.order_item_id(), gifts.get(k)) for k, q in wanted.items()
                 if k[0] == seller_id]
        level = checkout.ship_service_level
        rate = catalog.shipping_rates(conn, seller_id).get(level, DEFAULT_RATES[level])
        order, entry = build_order(ids.order_id(), buyer.buyer_id, seller_id, lines, address,
                                   level, now, policy, rate, prime=checkout.prime)
        decision = Decision(order, history=[entry])
        if outcome is not None:
            # The seller's calendar dates a release; at checkout only a hold of zero releases.
            calendar = (calendar_for(conn, seller_id) if policy.hold <= timedelta(0)
                        else BusinessCalendar())
            decision = record_verification(order, outcome, now, policy, calendar)
            decision.history.insert(0, entry)
        order_store.insert_placed(conn, decision.order, checkout.payment_method,
                                  deadline_rules.schedule(now, policy), decision.history)
        record_new_order(conn, decision, now)
        placed.append(PlacedOrder(order.amazon_order_id, seller_id,
                                  decision.order.status.value))
    return tuple(placed)

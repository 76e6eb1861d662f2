"""Finances API v0 (listFinancialEventsByOrderId, listFinancialEvents) from the ledger: a
shipment event per confirmed shipment and a refund event per refund, in Amazon's shapes
(domain/finances.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sellerflow.domain.callers import SELLER_SIDE, Caller, order_not_found
from sellerflow.domain.carrier_network import BY_ID
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.finances import (
    FinancialEvent,
    Postage,
    postage_event,
    refund_event,
    shipment_events,
)
from sellerflow.domain.labels import POSTAGE, POSTAGE_REFUND
from sellerflow.domain.money import Money
from sellerflow.service.context import Marketplace, Work, check_seller
from sellerflow.store import labels, ledger, shipments
from sellerflow.store import orders as order_store

MAX_PAGE = 100
# Amazon's default window: PostedAfter 180 days back at most; PostedBefore two minutes ago.
LATEST, EARLIEST = timedelta(minutes=2), timedelta(days=180)


@dataclass(frozen=True)
class EventsPage:
    events: tuple[FinancialEvent, ...]
    next_token: str | None


def order_events(market: Marketplace, caller: Caller, order_id: str) -> EventsPage:
    """Every financial event of one of the seller's orders."""
    caller.require(*SELLER_SIDE, doing="an order's financial events")

    def read(work: Work) -> EventsPage:
        order = order_store.load_order(work.conn, order_id, seller_id=caller.own_seller)
        if order is None or not caller.acts_for_seller(order.seller_id):
            raise order_not_found(order_id)
        return EventsPage(tuple(event for _, event in _events(work, order)), None)

    return market.read(read)


def seller_events(market: Marketplace, caller: Caller, seller_id: str,
                  posted_after: datetime | None, posted_before: datetime | None, size: int,
                  next_token: str | None) -> EventsPage:
    """The seller's events posted in the window, oldest first, `size` at a time (the token
    is where the next page starts)."""
    caller.require(*SELLER_SIDE, doing="financial events")
    if not 1 <= size <= MAX_PAGE:
        raise InvalidInput("MaxResultsPerPage", f"{size} is not from 1 to {MAX_PAGE}")
    start = 0
    if next_token is not None:
        if not next_token.isdigit():
            raise InvalidInput("NextToken", "is not a token this operation gave")
        start = int(next_token)

    def read(work: Work) -> EventsPage:
        check_seller(work.conn, caller, seller_id)
        before = posted_before or work.now - LATEST
        after = posted_after or work.now - EARLIEST
        rows = ledger.entries_between(work.conn, seller_id, after, before, start, size + 1)
        # Each order's events worked out once for the page, however many of its entries.
        by_entry: dict[int, FinancialEvent] = {}
        for order_id in dict.fromkeys(row.amazon_order_id for row in rows[:size]):
            order = order_store.load_order(work.conn, order_id, seller_id=seller_id)
            if order is not None:
                by_entry.update(_events(work, order))
        found = [by_entry[row.id] for row in rows[:size] if row.id in by_entry]
        token = str(rows[size].id) if len(rows) > size else None
        return EventsPage(tuple(found), token)

    return market.read(read)


def _events(work: Work, order: Any) -> list[tuple[int, FinancialEvent]]:
    """The order's events, each with the id of its ledger entry. A shipment's fee is its
    gross less what the ledger credited; a refund's fee credit is the referral fee on it, its
    administration fee what the ledger's net leaves."""
    conn, seller_id = work.conn, order.seller_id
    entries = ledger.order_entries(conn, seller_id, order.amazon_order_id)
    shipped = [e for e in entries if e.kind == "shipment"]
    refunded = [e for e in entries if e.kind == "refund"]
    records = shipments.of_order(conn, seller_id, order.amazon_order_id)
    events = list(zip(shipped, shipment_events(order, records, [
        r.gross - Money.from_cents(e.amount_cents) for r, e in zip(records, shipped,
                                                                    strict=False)]),
        strict=False))
    for entry, refund in zip(refunded, ledger.order_refunds(conn, seller_id,
                                                            order.amazon_order_id),
                             strict=False):
        amount = Money.from_cents(refund.amount_cents)
        credit = work.policy.referral_fee(amount)
        admin = credit - (Money.from_cents(entry.amount_cents) + amount)
        events.append((entry, refund_event(order, refund.at, amount, credit, admin)))
    if any(e.kind in (POSTAGE, POSTAGE_REFUND) for e in entries):
        events += _postage(work, order, entries)
    return [(entry.id, event) for entry, event in events]


def _postage(work: Work, order: Any, entries: list[Any]) -> list[tuple[Any, FinancialEvent]]:
    """Each label's postage and its refund, paired with its label by time (bought and
    canceled in the transaction that wrote the entry)."""
    bought = {label.created_at: label for label in labels.of_orders(
        work.conn, order.seller_id, (order.amazon_order_id,))}
    canceled = {label.canceled_at: label for label in bought.values() if label.canceled_at}
    found = []
    for entry in entries:
        label = (bought if entry.kind == POSTAGE else canceled).get(entry.at) \
            if entry.kind in (POSTAGE, POSTAGE_REFUND) else None
        if label is None:
            continue
        service = BY_ID[label.service_id]
        found.append((entry, postage_event(entry.kind, order.amazon_order_id, entry.at, Postage(
            Money.from_cents(entry.amount_cents),
            f"{service.name} {label.tracking_number}", label.label_id))))
    return found

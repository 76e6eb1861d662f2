"""getOrders: a seller's orders by the filters of Amazon's Orders API, a page at a time.

The parameter rules are Amazon's (CreatedAfter or LastUpdatedAfter, never both kinds; the
upper bounds at least two minutes in the past; SellerOrderId excluding the status and
update filters; 1-100 results a page). A NextToken carries the filters and the place the last
page ended, so a walk sees every order that matches once, never twice, whatever arrives or
changes meanwhile."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sellerflow.clock import iso
from sellerflow.domain import validation
from sellerflow.domain.callers import SELLER_SIDE, Caller, order_not_found
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.model import MARKETPLACE_ID, Buyer, Order, OrderStatus
from sellerflow.domain.relay import relayed_buyer_id
from sellerflow.service import page_tokens
from sellerflow.service.context import Marketplace, Work, check_seller
from sellerflow.service.deadlines import Side, visible
from sellerflow.store import catalog
from sellerflow.store import orders as order_store
from sellerflow.store import reports as report_store

MAX_PAGE = 100
SETTLE_TIME = timedelta(minutes=2)
STATUSES = {s.value for s in OrderStatus} | {"PendingAvailability", "Unfulfillable",
                                             "InvoiceUnconfirmed"}
EASY_SHIP_STATUSES = ("PendingSchedule", "PendingPickUp", "PendingDropOff", "LabelCanceled",
                      "PickedUp", "DroppedOff", "AtOriginFC", "AtDestinationFC", "Delivered",
                      "RejectedByBuyer", "Undeliverable", "ReturningToSeller",
                      "ReturnedToSeller", "Lost", "OutForDelivery", "Damaged")
INVOICE_STATUSES = ("NotRequired", "NotFound", "Processing", "Errored", "Accepted")
DELIVERY_BOUNDS = ("earliest_delivery_since", "earliest_delivery_until",
                   "latest_delivery_since", "latest_delivery_until")
DELIVERY_PARAMETERS = ("EarliestDeliveryDateAfter", "EarliestDeliveryDateBefore",
                       "LatestDeliveryDateAfter", "LatestDeliveryDateBefore")


@dataclass(frozen=True)
class OrdersRequest:
    """getOrders' parameters as given (lists already split at commas)."""

    marketplace_ids: Sequence[str] = ()
    created_after: str | None = None
    created_before: str | None = None
    last_updated_after: str | None = None
    last_updated_before: str | None = None
    order_statuses: Sequence[str] = ()
    fulfillment_channels: Sequence[str] = ()
    payment_methods: Sequence[str] = ()
    buyer_email: str | None = None
    seller_order_id: str | None = None
    amazon_order_ids: Sequence[str] = ()
    max_results: int | None = None
    next_token: str | None = None
    # The buyers' identities are read only for a caller a restricted data token let see them.
    with_buyers: bool = True
    # Filters for kinds of order sellerflow has none of (Easy Ship, in-store pickup, supply
    # sources) or one value of (electronic invoices: NotRequired): checked and applied, never
    # ignored.
    easy_ship_statuses: Sequence[str] = ()
    electronic_invoice_statuses: Sequence[str] = ()
    is_ispu: str | None = None
    store_chain_store_id: str | None = None
    supply_source_id: str | None = None
    # EarliestDeliveryDateAfter/Before, LatestDeliveryDateAfter/Before, as given.
    delivery: tuple[str | None, str | None, str | None, str | None] = (None, None, None, None)


@dataclass(frozen=True)
class OrderPage:
    orders: tuple[Order, ...]
    buyers: dict[str, Buyer]      # empty unless the request asked with_buyers
    next_token: str | None
    created_before: datetime | None = None
    last_updated_before: datetime | None = None


@dataclass(frozen=True)
class _Filters:
    created: tuple[datetime | None, datetime | None]
    updated: tuple[datetime | None, datetime | None]
    statuses: tuple[str, ...]
    buyer_email: str | None
    order_ids: tuple[str, ...]
    none_match: bool       # a channel or payment method no order here has
    limit: int
    delivery: tuple[datetime | None, ...] = (None, None, None, None)

    def to_token(self, after: tuple[datetime, str]) -> str:
        text = page_tokens.time_text
        document = {"c": [text(d) for d in self.created], "u": [text(d) for d in self.updated],
                    "s": list(self.statuses), "b": self.buyer_email, "o": list(self.order_ids),
                    "n": self.limit, "a": [text(after[0]), after[1]],
                    "d": [text(d) for d in self.delivery]}
        return page_tokens.encode(document)

    @classmethod
    def from_token(cls, token: str) -> tuple[_Filters, tuple[datetime, str]]:
        d = page_tokens.decode(token, "NextToken", "getOrders")
        try:
            time_of = page_tokens.time_of
            filters = cls((time_of(d["c"][0]), time_of(d["c"][1])),
                          (time_of(d["u"][0]), time_of(d["u"][1])), tuple(d["s"]), d["b"],
                          tuple(d["o"]), False, int(d["n"]),
                          tuple(time_of(t) for t in d.get("d", (None,) * 4)))
            return filters, (time_of(d["a"][0]) or datetime.min, str(d["a"][1]))
        except (ValueError, KeyError, TypeError, IndexError):
            raise page_tokens.refused("NextToken", "getOrders") from None


def parse_time(text: str | None, name: str) -> datetime | None:
    if text is None or text == "":
        return None
    return validation.iso_time(text, name)


def check_windows(windows: Iterable[tuple[str, tuple[datetime | None, datetime | None]]],
                  now: datetime) -> None:
    """Amazon's rules for a time window in both Orders APIs, by the stem of its parameters'
    names (Created: CreatedAfter, CreatedBefore): the lower bound not in the future, the
    upper one not before it and at least two minutes before now."""
    for name, (since, until) in windows:
        if since is not None and since > now:
            raise InvalidInput(f"{name}After", f"{iso(since)} is in the future (it is now "
                                               f"{iso(now)})")
        if until is not None:
            if since is not None and until < since:
                raise InvalidInput(f"{name}Before", f"must be equal to or after {name}After")
            if until > now - SETTLE_TIME:
                raise InvalidInput(f"{name}Before", f"must be at least two minutes before the "
                                                    f"time of the request ({iso(now)})")


def get_orders(market: Marketplace, caller: Caller, seller_id: str, request: OrdersRequest
               ) -> OrderPage:
    caller.require(*SELLER_SIDE, doing="listing a seller's orders")
    if not request.marketplace_ids:
        raise InvalidInput("MarketplaceIds", f"is required; this marketplace is {MARKETPLACE_ID}")
    if MARKETPLACE_ID not in request.marketplace_ids:
        raise InvalidInput("MarketplaceIds", f"{', '.join(request.marketplace_ids)}: the seller "
                                             f"sells only in {MARKETPLACE_ID}")

    def query(work: Work) -> OrderPage:
        check_seller(work.conn, caller, seller_id)
        if request.next_token:
            filters, after = _Filters.from_token(request.next_token)
        else:
            filters, after = _filters(request, work.now), None
        buyer_ids: list[str] = []
        none_match = filters.none_match
        if filters.buyer_email is not None:
            buyer_ids = _buyers_with_email(work, filters.buyer_email)
            none_match = none_match or not buyer_ids
        page, more = ([], False) if none_match else order_store.find_orders(
            work.conn, seller_id, created=filters.created, updated=filters.updated,
            statuses=filters.statuses, buyer_ids=buyer_ids, order_ids=filters.order_ids,
            after=after, limit=filters.limit,
            delivery=dict(zip(DELIVERY_BOUNDS, filters.delivery, strict=True)))
        token = None
        if more:
            last = page[-1]
            token = filters.to_token((last.purchase_date, last.amazon_order_id))
        buyers = (report_store.buyers_by_id(work.conn, {o.buyer_id for o in page})
                  if request.with_buyers else {})
        return OrderPage(tuple(page), buyers, token, filters.created[1], filters.updated[1])

    return market.read(query)


def _buyers_with_email(work: Work, email: str) -> list[str]:
    """A buyer named by its own address or by the relay address sellers see."""
    relayed = relayed_buyer_id(email)
    if relayed is not None:
        return [relayed]
    buyer = catalog.get_buyer_by_email(work.conn, email.strip().lower())
    return [] if buyer is None else [buyer.buyer_id]


def _filters(r: OrdersRequest, now: datetime) -> _Filters:
    created = (parse_time(r.created_after, "CreatedAfter"),
               parse_time(r.created_before, "CreatedBefore"))
    updated = (parse_time(r.last_updated_after, "LastUpdatedAfter"),
               parse_time(r.last_updated_before, "LastUpdatedBefore"))
    if created[0] is None and updated[0] is None and not r.amazon_order_ids:
        raise InvalidInput("CreatedAfter", "either CreatedAfter or LastUpdatedAfter is required")
    if created[0] is not None and (updated[0] is not None or updated[1] is not None):
        raise InvalidInput("LastUpdatedAfter", "LastUpdatedAfter and LastUpdatedBefore cannot "
                                               "be set when CreatedAfter is set")
    if updated[0] is not None and created[1] is not None:
        raise InvalidInput("CreatedBefore", "CreatedBefore cannot be set when LastUpdatedAfter "
                                            "is set")
    check_windows((("Created", created), ("LastUpdated", updated)), now)
    if r.seller_order_id and (r.order_statuses or r.fulfillment_channels or r.payment_methods
                              or updated != (None, None) or r.buyer_email):
        raise InvalidInput("SellerOrderId", "cannot be combined with FulfillmentChannels, "
                                            "OrderStatuses, PaymentMethod, LastUpdatedAfter, "
                                            "LastUpdatedBefore or BuyerEmail")
    for status in r.order_statuses:
        if status not in STATUSES:
            raise InvalidInput("OrderStatuses", f"{status!r} is not one of "
                                                f"{', '.join(sorted(STATUSES))}")
    _check_choices("FulfillmentChannels", r.fulfillment_channels, ("MFN", "AFN"))
    _check_choices("PaymentMethods", r.payment_methods, ("COD", "CVS", "Other"))
    _check_choices("EasyShipShipmentStatuses", r.easy_ship_statuses, EASY_SHIP_STATUSES)
    _check_choices("ElectronicInvoiceStatuses", r.electronic_invoice_statuses,
                   INVOICE_STATUSES)
    if r.is_ispu is not None and r.is_ispu.lower() not in ("true", "false"):
        raise InvalidInput("IsISPU", f"{r.is_ispu!r} is not true or false")
    delivery = tuple(parse_time(text, name)
                     for text, name in zip(r.delivery, DELIVERY_PARAMETERS, strict=True))
    for (since, until), name in (((delivery[0], delivery[1]), "EarliestDeliveryDate"),
                                 ((delivery[2], delivery[3]), "LatestDeliveryDate")):
        if since is not None and until is not None and until < since:
            raise InvalidInput(f"{name}Before", f"must be equal to or after {name}After")
    # The walk covers what exists now: its upper bound is now when none is given, kept in
    # its token and echoed, as Amazon's answers say CreatedBefore / LastUpdatedBefore; the
    # next poll starts there.
    if created[0] is not None and created[1] is None:
        created = (created[0], max(created[0], now))
    if updated[0] is not None and updated[1] is None:
        updated = (updated[0], max(updated[0], now))
    limit = MAX_PAGE if r.max_results is None else r.max_results
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput("MaxResultsPerPage", f"{limit} is not 1 to {MAX_PAGE}")
    order_ids = tuple(r.amazon_order_ids)
    if len(order_ids) > 50:
        raise InvalidInput("AmazonOrderIds", "at most 50 order ids at a time")
    # Every order here is seller-fulfilled, paid "Other", delivered (no in-store pickup, no
    # Easy Ship, no supply source) and needs no electronic invoice.
    none_match = bool((r.fulfillment_channels and "MFN" not in r.fulfillment_channels)
                      or (r.payment_methods and "Other" not in r.payment_methods)
                      or r.easy_ship_statuses
                      or (r.electronic_invoice_statuses
                          and "NotRequired" not in r.electronic_invoice_statuses)
                      or (r.is_ispu or "").lower() == "true" or r.store_chain_store_id
                      or r.supply_source_id)
    if r.seller_order_id:      # sellerflow's SellerOrderId is the order id
        none_match |= bool(order_ids) and r.seller_order_id not in order_ids
        order_ids = (r.seller_order_id,)
    return _Filters(created, updated, tuple(r.order_statuses), r.buyer_email, order_ids,
                    none_match, limit, delivery)


def _check_choices(name: str, given: Sequence[str], allowed: Sequence[str]) -> None:
    for value in given:
        if value not in allowed:
            raise InvalidInput(name, f"{value!r} is not one of {', '.join(allowed)}")



def seller_order(market: Marketplace, caller: Caller, order_id: str
                 ) -> tuple[Order, Buyer | None]:
    """One order of the caller's, with its buyer (for the buyer info a token may open)."""
    caller.require(*SELLER_SIDE, doing="reading a seller's order")

    def query(work: Work) -> tuple[Order, Buyer | None]:
        order = order_store.load_order(work.conn, order_id, seller_id=caller.own_seller)
        if order is None or not visible(caller, order, Side.SELLER):
            raise order_not_found(order_id)
        return order, catalog.get_buyer(work.conn, order.buyer_id)

    return market.read(query)

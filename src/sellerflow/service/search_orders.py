"""The Orders API 2026-01-01 over the same orders as v0: searchOrders and getOrder with the
datasets asked for (includedData).

searchOrders' rules are Amazon's: exactly one of createdAfter and lastUpdatedAfter, never a
created bound with an updated one; an upper bound at least two minutes before now (the
sandbox's now, on a sandbox) and not before its lower bound; when none is given the search
stops two minutes before now, and the answer says where (createdBefore or
lastUpdatedBefore), so the next poll starts there; 1-100 orders a page (100 by default).
A paginationToken lasts 24 hours and carries the search; the other parameters may be given
with it, and then must be the ones the search began with (maxResultsPerPage and includedData
may change from page to page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sellerflow.domain.callers import SELLER_SIDE, Caller, order_not_found
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.model import MARKETPLACE_ID, Order, OrderStatus
from sellerflow.service import page_tokens
from sellerflow.service.context import Marketplace, Work, check_seller
from sellerflow.service.deadlines import Side, visible
from sellerflow.service.order_search import SETTLE_TIME, check_windows, parse_time
from sellerflow.service.projection import order_view
from sellerflow.service.views import OrderView, OrderViewPage
from sellerflow.store import orders as order_store
from sellerflow.store import reports as report_store
from sellerflow.store import shipments

MAX_PAGE = 100
TOKEN_LIFETIME = timedelta(hours=24)
MAX_MARKETPLACES = 50
DATASETS = ("BUYER", "RECIPIENT", "PROCEEDS", "EXPENSE", "PROMOTION", "CANCELLATION",
            "FULFILLMENT", "PACKAGES", "TAX", "PAYMENT", "FULFILLMENT_ORDERS")
# Amazon's FulfillmentStatus for each order status; PENDING_AVAILABILITY (pre-orders) and
# UNFULFILLABLE (digital orders) name statuses no sellerflow order has.
FULFILLMENT_STATUS = {OrderStatus.PENDING: "PENDING", OrderStatus.UNSHIPPED: "UNSHIPPED",
                      OrderStatus.PARTIALLY_SHIPPED: "PARTIALLY_SHIPPED",
                      OrderStatus.SHIPPED: "SHIPPED", OrderStatus.CANCELED: "CANCELLED"}
FULFILLMENT_STATUSES = ("PENDING_AVAILABILITY", *FULFILLMENT_STATUS.values(), "UNFULFILLABLE")
FULFILLED_BY = ("MERCHANT", "AMAZON")


@dataclass(frozen=True)
class SearchOrdersRequest:
    """searchOrders' parameters as given (lists already split at commas)."""

    created_after: str | None = None
    created_before: str | None = None
    last_updated_after: str | None = None
    last_updated_before: str | None = None
    fulfillment_statuses: Sequence[str] = ()
    marketplace_ids: Sequence[str] = ()
    fulfilled_by: Sequence[str] = ()
    max_results: int | None = None
    pagination_token: str | None = None
    included_data: Sequence[str] = ()


@dataclass(frozen=True)
class _Search:
    """A search as its pages share it: the bounds applied, the statuses, the fulfillers."""

    created: tuple[datetime | None, datetime | None]
    updated: tuple[datetime | None, datetime | None]
    statuses: tuple[str, ...]
    fulfilled_by: tuple[str, ...]
    marketplaces: tuple[str, ...]

    def token(self, after: tuple[datetime, str], issued: datetime) -> str:
        text = page_tokens.time_text
        return page_tokens.encode({
            "api": "2026-01-01", "c": [text(d) for d in self.created],
            "u": [text(d) for d in self.updated], "s": list(self.statuses),
            "f": list(self.fulfilled_by), "m": list(self.marketplaces),
            "a": [text(after[0]), after[1]], "t": text(issued)})

    @classmethod
    def from_token(cls, token: str, now: datetime
                   ) -> tuple[_Search, tuple[datetime, str]]:
        kept = page_tokens.decode(token, "paginationToken", "searchOrders")
        if kept.get("api") != "2026-01-01":
            raise page_tokens.refused("paginationToken", "searchOrders")
        try:
            time_of = page_tokens.time_of
            search = cls((time_of(kept["c"][0]), time_of(kept["c"][1])),
                         (time_of(kept["u"][0]), time_of(kept["u"][1])),
                         tuple(map(str, kept["s"])), tuple(map(str, kept["f"])),
                         tuple(map(str, kept["m"])))
            after = (time_of(kept["a"][0]) or datetime.min, str(kept["a"][1]))
            issued = time_of(kept["t"])
        except (ValueError, KeyError, TypeError, IndexError):
            raise page_tokens.refused("paginationToken", "searchOrders") from None
        if issued is None or now - issued > TOKEN_LIFETIME:
            raise InvalidInput("paginationToken", "has expired (a token lasts 24 hours); "
                                                  "search again without it")
        return search, after


def included(datasets: Sequence[str]) -> frozenset[str]:
    """includedData, checked against Amazon's dataset names."""
    for name in datasets:
        if name not in DATASETS:
            raise InvalidInput("includedData", f"{name!r} is not one of {', '.join(DATASETS)}")
    return frozenset(datasets)


def search_orders(market: Marketplace, caller: Caller, seller_id: str,
                  request: SearchOrdersRequest) -> OrderViewPage:
    caller.require(*SELLER_SIDE, doing="searching a seller's orders")
    datasets = included(request.included_data)
    limit = MAX_PAGE if request.max_results is None else request.max_results
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput("maxResultsPerPage", f"{limit} is not from 1 to {MAX_PAGE}")

    def query(work: Work) -> OrderViewPage:
        check_seller(work.conn, caller, seller_id)
        given = _search(request, work.now)
        if request.pagination_token:
            search, after = _Search.from_token(request.pagination_token, work.now)
            _same_search(request, given, search)
        else:
            search, after = _applying_bounds(given, work.now), None
        if "MERCHANT" not in search.fulfilled_by or MARKETPLACE_ID not in search.marketplaces:
            page: list[Order] = []
            more = False
        else:
            page, more = order_store.find_orders(
                work.conn, seller_id, created=search.created, updated=search.updated,
                statuses=search.statuses, buyer_ids=(), order_ids=(), after=after,
                limit=limit)
        token = None
        if more:
            token = search.token((page[-1].purchase_date, page[-1].amazon_order_id),
                                 work.now)
        return OrderViewPage(views(work, seller_id, page, datasets), token,
                             _ended(search.created), _ended(search.updated))

    return market.read(query)


def get_order(market: Marketplace, caller: Caller, order_id: str,
              included_data: Sequence[str] = ()) -> OrderView:
    """One of the caller's orders, in the datasets asked for."""
    caller.require(*SELLER_SIDE, doing="reading a seller's order")
    datasets = included(included_data)

    def query(work: Work) -> OrderView:
        order = order_store.load_order(work.conn, order_id, seller_id=caller.own_seller)
        if order is None or not visible(caller, order, Side.SELLER):
            raise order_not_found(order_id)
        return views(work, order.seller_id, [order], datasets)[0]

    return market.read(query)


def views(work: Work, seller_id: str, page: Sequence[Order], datasets: frozenset[str]
          ) -> tuple[OrderView, ...]:
    """The orders projected for their seller, each dataset's facts read for the whole page
    at once, and only for the datasets asked for."""
    if not datasets:
        return tuple(order_view(order, datasets, work.now) for order in page)
    ids = [order.amazon_order_id for order in page]
    buyers = (report_store.buyers_by_id(work.conn, {o.buyer_id for o in page})
              if "BUYER" in datasets else {})
    packages = shipments.of_orders(work.conn, seller_id, ids) if "PACKAGES" in datasets else {}
    return tuple(order_view(order, datasets, work.now, buyer=buyers.get(order.buyer_id),
                            packages=packages.get(order.amazon_order_id, ()))
                 for order in page)


def _search(r: SearchOrdersRequest, now: datetime) -> _Search:
    """The search the parameters ask for, checked; its upper bounds only as given."""
    created = (parse_time(r.created_after, "createdAfter"),
               parse_time(r.created_before, "createdBefore"))
    updated = (parse_time(r.last_updated_after, "lastUpdatedAfter"),
               parse_time(r.last_updated_before, "lastUpdatedBefore"))
    for name, values, allowed in (
            ("fulfillmentStatuses", r.fulfillment_statuses, FULFILLMENT_STATUSES),
            ("fulfilledBy", r.fulfilled_by, FULFILLED_BY)):
        for value in values:
            if value not in allowed:
                raise InvalidInput(name, f"{value!r} is not one of {', '.join(allowed)}")
    if len(r.marketplace_ids) > MAX_MARKETPLACES:
        raise InvalidInput("marketplaceIds", f"at most {MAX_MARKETPLACES} marketplaces")
    if r.marketplace_ids and MARKETPLACE_ID not in r.marketplace_ids:
        raise InvalidInput("marketplaceIds", f"{', '.join(r.marketplace_ids)}: the seller "
                                             f"sells only in {MARKETPLACE_ID} (Amazon.com); "
                                             "check the client's default marketplace")
    statuses = tuple(sorted({_status_of(s) for s in r.fulfillment_statuses}))
    check_windows((("created", created), ("lastUpdated", updated)), now)
    return _Search(created, updated, statuses, tuple(sorted(r.fulfilled_by or FULFILLED_BY)),
                   (MARKETPLACE_ID,))


def _applying_bounds(given: _Search, now: datetime) -> _Search:
    """A new search: exactly one kind of bound, the upper one two minutes before now when
    none is given."""
    created, updated = given.created, given.updated
    if created[0] is None and updated[0] is None:
        raise InvalidInput("createdAfter", "give exactly one of createdAfter and "
                                           "lastUpdatedAfter")
    if created[0] is not None and updated[0] is not None:
        raise InvalidInput("lastUpdatedAfter", "give exactly one of createdAfter and "
                                               "lastUpdatedAfter, not both")
    if created[0] is not None and updated[1] is not None:
        raise InvalidInput("lastUpdatedBefore", "cannot be given with createdAfter")
    if updated[0] is not None and created[1] is not None:
        raise InvalidInput("createdBefore", "cannot be given with lastUpdatedAfter")
    # A lower bound inside the last two minutes makes an empty window: what it would hold
    # comes in the next poll, which starts where the answer says this one ended.
    settled = now - SETTLE_TIME
    if created[0] is not None:
        created = (created[0], created[1] or settled)
    else:
        updated = (updated[0], updated[1] or settled)
    return _Search(created, updated, given.statuses, given.fulfilled_by, given.marketplaces)


def _ended(bounds: tuple[datetime | None, datetime | None]) -> datetime | None:
    """Where a search by these bounds ended: its upper bound, or its lower one where that is
    later (an empty window)."""
    since, until = bounds
    if since is None or until is None:
        return until
    return max(since, until)


def _same_search(r: SearchOrdersRequest, given: _Search, kept: _Search) -> None:
    """Parameters given beside a paginationToken must be the search's own."""
    pairs = (("createdAfter", r.created_after, given.created[0], kept.created[0]),
             ("createdBefore", r.created_before, given.created[1], kept.created[1]),
             ("lastUpdatedAfter", r.last_updated_after, given.updated[0], kept.updated[0]),
             ("lastUpdatedBefore", r.last_updated_before, given.updated[1], kept.updated[1]),
             ("fulfillmentStatuses", r.fulfillment_statuses, given.statuses, kept.statuses),
             ("fulfilledBy", r.fulfilled_by, given.fulfilled_by, kept.fulfilled_by))
    for name, raw, value, expected in pairs:
        if raw and value != expected:
            raise InvalidInput(name, "differs from the search the paginationToken continues; "
                                     "give the same value (or leave it out)")


def _status_of(fulfillment_status: str) -> str:
    """The order status a FulfillmentStatus names (a status of its own where none does)."""
    for status, name in FULFILLMENT_STATUS.items():
        if name == fulfillment_status:
            return status.value
    return fulfillment_status

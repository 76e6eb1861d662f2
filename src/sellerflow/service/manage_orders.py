"""Manage Orders as Seller Central shows it: tabs by status with their counts, search, sort and
pages, each row with its ship-by warning (L24) and the actions its status allows (L7)."""

from __future__ import annotations

from dataclasses import dataclass

from sellerflow.domain.callers import SELLER_SIDE, Caller
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.model import OrderStatus
from sellerflow.domain.text import Phrase
from sellerflow.service.context import Marketplace, Work, calendar_for, check_seller
from sellerflow.service.orders import order_row
from sellerflow.service.views import ManageOrdersPage
from sellerflow.store import order_pages

S = OrderStatus
# Seller Central's tabs and the statuses each holds: Unshipped includes Partially shipped.
TABS: dict[str, tuple[OrderStatus, ...]] = {
    "pending": (S.PENDING,),
    "unshipped": (S.UNSHIPPED, S.PARTIALLY_SHIPPED),
    "canceled": (S.CANCELED,),
    "shipped": (S.SHIPPED,),
    "all": (),
}
SORTS = order_pages.SORTS
PAGE_SIZES = (25, 50, 100)
MAX_SEARCH = 200


@dataclass(frozen=True)
class ManageOrdersQuery:
    tab: str = "unshipped"
    search: str | None = None
    sort: str = "purchase-desc"
    page: int = 1
    per_page: int = 50


def manage_orders_page(market: Marketplace, caller: Caller, seller_id: str,
                       query: ManageOrdersQuery) -> ManageOrdersPage:
    caller.require(*SELLER_SIDE, doing="listing a seller's orders")
    if query.tab not in TABS:
        raise InvalidInput("tab", f"{query.tab!r} is not one of {', '.join(TABS)}")
    if query.sort not in SORTS:
        raise InvalidInput("sort", f"{query.sort!r} is not one of {', '.join(SORTS)}")
    if query.per_page not in PAGE_SIZES:
        raise InvalidInput("per_page", f"{query.per_page} is not one of "
                                       f"{', '.join(map(str, PAGE_SIZES))}")
    if query.page < 1:
        raise InvalidInput("page", f"{query.page} is not a page number (1 or more)")
    search = (query.search or "").strip() or None
    if search is not None and len(search) > MAX_SEARCH:
        raise InvalidInput("search", Phrase(
            "is %(length)s characters long; search by an order id, SKU, ship-to name or tracking "
            "number (at most %(most)s)", length=len(search), most=MAX_SEARCH))

    def read(work: Work) -> ManageOrdersPage:
        check_seller(work.conn, caller, seller_id)
        calendar = calendar_for(work.conn, seller_id)
        statuses = [s.value for s in TABS[query.tab]]
        orders = order_pages.manage_page(
            work.conn, seller_id, statuses=statuses, search=search, sort=query.sort,
            offset=(query.page - 1) * query.per_page, limit=query.per_page)
        unshipped = TABS["unshipped"]
        tally = order_pages.tally(work.conn, seller_id, (unshipped[0].value,
                                                         unshipped[1].value), work.now)
        counts = tally.by_status
        tab_counts = {tab: (sum(counts.values()) if not held
                            else sum(counts[s.value] for s in held))
                      for tab, held in TABS.items()}
        # Unsearched, a tab's total is its count; searched, the matches are counted.
        total = (tab_counts[query.tab] if search is None else order_pages.count_matching(
            work.conn, seller_id, statuses=statuses, search=search))
        return ManageOrdersPage(
            rows=tuple(order_row(o, work, calendar) for o in orders), total=total,
            page=query.page, pages=max(1, -(-total // query.per_page)), tab_counts=tab_counts,
            partially_shipped=counts[S.PARTIALLY_SHIPPED.value], warned=tally.warned,
            time_zone=calendar.time_zone, as_of=work.now, auto_cancel=work.policy.auto_cancel)

    return market.read(read)

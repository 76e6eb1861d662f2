"""Manage Orders as the console shows it: tabs with counts, search, sort and pages (L7, L24)."""

from __future__ import annotations

import pytest

from sellerflow.domain.callers import Caller
from sellerflow.domain.errors import InvalidInput, NotFound
from sellerflow.service import listings
from sellerflow.service import orders as order_service
from sellerflow.service.context import Marketplace
from sellerflow.service.manage_orders import ManageOrdersQuery, manage_orders_page
from tests import helpers as h
from tests.helpers import OP


def _page(market: Marketplace, seller_id: str, **query: object):  # type: ignore[no-untyped-def]
    return manage_orders_page(market, Caller.seller(seller_id), seller_id,
                              ManageOrdersQuery(**query))  # type: ignore[arg-type]


def test_L7_tabs_count_each_status_and_unshipped_holds_partially_shipped(
        market: Marketplace, shop: str) -> None:
    shipped = h.released(market, shop)
    h.ship(market, shipped)
    partly = h.released(market, shop, qty=2)
    h.ship(market, partly, lines=((h.item_id(market, partly), 1),))
    canceled = h.released(market, shop)
    order_service.seller_cancel(market, OP, canceled, "BuyerCanceled")
    unshipped = h.released(market, shop)
    pending = h.place(market, shop)
    view = _page(market, shop, tab="unshipped")
    assert view.tab_counts == {"pending": 1, "unshipped": 2, "canceled": 1, "shipped": 1,
                               "all": 5}
    assert view.partially_shipped == 1 and view.total == 2
    assert {r.order.amazon_order_id for r in view.rows} == {partly, unshipped}
    pending_row = _page(market, shop, tab="pending").rows[0]
    assert pending_row.order.amazon_order_id == pending and not pending_row.actions


def test_L18_search_finds_an_order_by_id_or_part_of_it_sku_ship_to_name_and_tracking_number(
        market: Marketplace, shop: str) -> None:
    """The ship-to name is the one the list shows; a Pending order's, not shown, is never
    found by it (L18)."""
    listings.set_listing(market, OP, shop, "LAMP_50%", title="Lamp", price="20.00", quantity=5)
    mug = h.released(market, shop)
    ann = {**h.ADDRESS, "Name": "Ann Lee"}
    lamp = h.released(market, shop, sku="LAMP_50%", buyer="a.buyer@example.com", address=ann)
    h.place(market, shop, buyer="b.buyer@example.com", address=ann)      # still Pending
    h.ship(market, mug, tracking="1Z999AA10123456784")
    found = {q: {r.order.amazon_order_id for r in _page(market, shop, tab="all", search=q).rows}
             for q in (lamp, lamp[-7:], "LAMP_50%", "ann l", "1Z999AA10123456784", "nothing",
                       "a.buyer")}
    assert found == {lamp: {lamp}, lamp[-7:]: {lamp}, "LAMP_50%": {lamp}, "ann l": {lamp},
                     "1Z999AA10123456784": {mug}, "nothing": set(), "a.buyer": set()}
    # A search's % and _ are letters, not wildcards.
    assert not _page(market, shop, tab="all", search="%").rows


def test_pages_and_sorts_walk_every_order_once(market: Marketplace, shop: str) -> None:
    placed = [h.place(market, shop) for _ in range(7)]
    h.advance(market, "1m")
    seen: list[str] = []
    for page in (1, 2, 3):
        view = _page(market, shop, tab="all", sort="purchase-asc", per_page=25, page=page)
        seen += [r.order.amazon_order_id for r in view.rows]
        assert view.pages == 1 and view.total == 7
    assert sorted(seen) == sorted(placed) and len(seen) == 7
    newest = _page(market, shop, tab="all", sort="purchase-desc").rows
    oldest = _page(market, shop, tab="all", sort="purchase-asc").rows
    assert [r.order.amazon_order_id for r in newest] == [
        r.order.amazon_order_id for r in reversed(oldest)]


def test_L24_the_banner_counts_orders_past_their_ship_by_warning(market: Marketplace,
                                                                 shop: str) -> None:
    order_id = h.released(market, shop)
    assert _page(market, shop).warned == 0
    h.advance(market, "24d")
    view = _page(market, shop)
    assert view.warned == 1 and view.rows[0].order.amazon_order_id == order_id
    assert view.rows[0].confirm_by is not None


def test_bad_queries_are_refused_by_field_and_another_seller_sees_nothing(
        market: Marketplace, shop: str) -> None:
    for query, field in (({"tab": "late"}, "tab"), ({"sort": "price"}, "sort"),
                         ({"per_page": 7}, "per_page"), ({"page": 0}, "page"),
                         ({"search": "x" * 201}, "search")):
        with pytest.raises(InvalidInput) as refused:
            _page(market, shop, **query)
        assert refused.value.message.startswith(field)
    other = h.seller(market, email="other@example.com")
    with pytest.raises(NotFound):
        manage_orders_page(market, Caller.seller(other), shop, ManageOrdersQuery())


def test_orders_come_a_page_at_a_time_each_once_while_orders_arrive(market: Marketplace,
                                                                    shop: str) -> None:
    placed = []
    for _ in range(5):
        placed.append(h.place(market, shop))
        h.advance(market, "1m")
    first = order_service.manage_orders(market, OP, shop, limit=2)
    assert [r.order.amazon_order_id for r in first.rows] == placed[:2:-1]     # newest first
    h.place(market, shop)          # arrives between pages: it belongs before the first one
    seen = [r.order.amazon_order_id for r in first.rows]
    token = first.next_token
    while token is not None:
        page = order_service.manage_orders(market, OP, shop, limit=2, next_token=token)
        seen += [r.order.amazon_order_id for r in page.rows]
        token = page.next_token
    assert seen == placed[::-1]
    with pytest.raises(InvalidInput):
        order_service.manage_orders(market, OP, shop, "Pending", limit=2,
                                    next_token=first.next_token)     # another status's token

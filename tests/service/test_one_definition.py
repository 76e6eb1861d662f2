"""One rule, one place: an order line's units and money in the flat-file reports (built by the
database: printf on SQLite, format on PostgreSQL) are the Orders API's own (built in Python)
whatever happened to the order: random histories of shipments, seller cancellations of the
rest or of one item, the 30-day auto-cancel and refunds, on both databases."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sellerflow.domain.placement import CartLine
from sellerflow.service import fulfillment, reports, shipping
from sellerflow.service import orders as order_service
from sellerflow.service.checkout import Checkout, place_order
from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.helpers import OP

SKUS = ("MUG", "CUP")
# (what, item index, units): ship units of an item, cancel the rest (or one item's), refund a
# dollar, or let the ship-confirm deadline pass.
STEP = st.one_of(
    st.tuples(st.just("ship"), st.integers(0, 1), st.integers(1, 3)),
    st.tuples(st.just("cancel"), st.just(0), st.just(0)),
    st.tuples(st.just("cancel-item"), st.integers(0, 1), st.just(0)),
    st.tuples(st.just("refund"), st.just(0), st.just(0)),
    st.tuples(st.just("expire"), st.just(0), st.just(0)),
)


def _lines(market: Marketplace, seller_id: str, kind: str, order_id: str
           ) -> dict[str, dict[str, str]]:
    report = reports.build(market, OP, kind, seller_id, "2026-01-01")
    header = report.header
    by_item: dict[str, dict[str, str]] = {}
    for n, row in enumerate(report.rows):
        cells = dict(zip(header, row, strict=True))
        if cells.get("order-id", cells.get("amazon-order-id")) == order_id:
            # The All Orders Report has no item id: its lines come in the order's item order.
            by_item[cells.get("order-item-id") or str(n)] = cells
    return by_item


def _run(market: Marketplace, seller_id: str, order_id: str,
         steps: list[tuple[str, int, int]]) -> None:
    for what, index, units in steps:
        try:
            if what == "ship":
                item = h.view(market, order_id)["items"][index]
                to_ship = item["QuantityOrdered"] - item["QuantityShipped"]
                if to_ship > 0:
                    h.ship(market, order_id, lines=((item["OrderItemId"], min(units, to_ship)),))
            elif what == "cancel":
                order_service.seller_cancel(market, OP, order_id, "BuyerCanceled")
            elif what == "cancel-item":
                items = h.view(market, order_id)["items"]
                if index < len(items):
                    order_service.seller_cancel(market, OP, order_id, "BuyerCanceled",
                                                [items[index]["OrderItemId"]])
            elif what == "refund":
                fulfillment.refund_order(market, OP, order_id, "1.00", "CustomerReturn")
            else:
                h.advance(market, "31d")
        except Exception as error:          # a step the lifecycle refuses changes nothing
            assert getattr(error, "category", None) is not None, error


def test_report_lines_say_each_items_units_and_money_as_the_orders_api(
        market: Marketplace) -> None:
    seller_id = h.seller(market)
    for sku in SKUS:
        h.listing(market, seller_id, sku, quantity=100_000, price="7.25")
    # A charge per shipment as well as per unit: the line's share goes while any unit does.
    shipping.set_shipping(market, OP, seller_id, "Standard", per_shipment="4.50",
                          per_item="1.25")

    @settings(max_examples=15, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(quantities=st.lists(st.integers(1, 4), min_size=1, max_size=2),
           steps=st.lists(STEP, max_size=4))
    def check(quantities: list[int], steps: list[tuple[str, int, int]]) -> None:
        order_id = place_order(market, OP, Checkout("b@example.com", [
            CartLine(seller_id, sku, n) for sku, n in zip(SKUS, quantities, strict=False)],
            h.ADDRESS))[0].order_id
        h.advance(market, "31m")
        _run(market, seller_id, order_id, [s for s in steps if s[1] < len(quantities)])
        items: list[dict[str, Any]] = h.view(market, order_id)["items"]
        order_lines = _lines(market, seller_id, "orders", order_id)
        all_lines = list(_lines(market, seller_id, "all", order_id).values())
        assert len(all_lines) == len(items)
        for item, every in zip(items, all_lines, strict=True):
            api = (str(item["QuantityOrdered"]), item["ItemPrice"]["Amount"],
                   item["ShippingPrice"]["Amount"])
            assert (every["quantity"], every["item-price"], every["shipping-price"]) == api
            line = order_lines.get(item["OrderItemId"])
            if line is not None:            # the Order Report holds released orders
                assert (line["quantity-purchased"], line["item-price"],
                        line["shipping-price"]) == api

    check()

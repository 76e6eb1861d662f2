"""L22 by file: Amazon's order-cancellation upload (POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA),
stored and applied in batches by the same code as the shipment-confirmation upload."""

from __future__ import annotations

import pytest

from sellerflow import wire_v2026
from sellerflow.domain.errors import RuleViolation
from sellerflow.domain.placement import CartLine
from sellerflow.flatfile import CANCELLATIONS, ERROR_CODES
from sellerflow.service import search_orders, uploads
from sellerflow.service.context import Marketplace
from sellerflow.service.views import FeedView
from tests import helpers as h
from tests.helpers import OP

HEADER = "order-id\tamazon-order-item-code\tcancellation-reason-code"


def _cancel(market: Marketplace, seller_id: str, *rows: str, header: str = HEADER
            ) -> FeedView:
    content = ("\n".join([header, *rows]) + "\n").encode()
    feed_id = uploads.upload(market, OP, seller_id, content, CANCELLATIONS.feed_type)
    return uploads.process(market, OP, feed_id)


def _report_rows(result: FeedView) -> dict[int, tuple[str, str, str]]:
    """record number -> (error code, error type, message) of each report line."""
    body = result.report.split("error-message\n", 1)[1]
    return {int(cells[0]): (cells[3], cells[4], cells[5])
            for cells in (line.split("\t") for line in body.splitlines())}


@pytest.fixture
def shop(market: Marketplace) -> str:
    seller_id = h.seller(market)
    h.listing(market, seller_id, quantity=20)
    h.listing(market, seller_id, "CUP", quantity=20)
    return seller_id


def test_L22_a_cancellation_file_cancels_each_order_with_its_amazon_reason_code(
        market: Marketplace, shop: str) -> None:
    no_stock = h.released(market, shop, qty=2)
    asked = h.released(market, shop, "CUP", qty=3)
    result = _cancel(market, shop, f"{no_stock}\t\tNoInventory",
                     f"{asked}\t\tcustomerexchange")
    assert (result.status, result.processed, result.successful) == ("DONE", 2, 2)
    assert h.status(market, no_stock) == h.status(market, asked) == "Canceled"
    assert h.history(market, asked)[-1]["reason"] == "CustomerExchange"
    # L4: NoInventory empties the listing; any other reason puts the units back on sale.
    assert h.quantity(market, shop) == 0
    assert h.quantity(market, shop, "CUP") == 20


def test_L22_each_bad_cancellation_row_is_rejected_alone_with_why(
        market: Marketplace, shop: str) -> None:
    fine = h.released(market, shop)
    shipped = h.released(market, shop)
    h.ship(market, shipped)
    two_items = h.released(market, shop, lines=[CartLine(shop, "MUG", 1),
                                                CartLine(shop, "CUP", 1)])
    one_item = h.released(market, shop, "CUP")
    pending = h.place(market, shop)
    result = _cancel(market, shop,
                     f"{fine}\t\tBored",
                     f"{pending}\t\tNoInventory",
                     f"{shipped}\t\tNoInventory",
                     "111-0000000-0000000\t\tNoInventory",
                     f"{shipped}\t{h.item_id(market, shipped)}\tNoInventory",
                     f"{two_items}\t99999999999999\tNoInventory",
                     "not-an-id\t\tNoInventory",
                     f"{fine}\t\t",
                     f"{one_item}\t{h.item_id(market, one_item)}\tGeneralAdjustment")
    assert (result.processed, result.successful) == (9, 1)
    lines = _report_rows(result)
    assert {n: code for n, (code, _, _) in lines.items()} == {
        1: ERROR_CODES["bad-reason"], 2: ERROR_CODES["not-actionable"],
        3: ERROR_CODES["not-actionable"], 4: ERROR_CODES["unknown-order"],
        5: ERROR_CODES["not-actionable"], 6: ERROR_CODES["unknown-item"],
        7: ERROR_CODES["bad-order-id"], 8: ERROR_CODES["missing-value"]}
    assert "NoInventory" in lines[1][2] and "Pending" in lines[2][2]
    assert "99999999999999" in lines[6][2]
    assert h.status(market, one_item) == "Canceled"
    assert [h.status(market, o) for o in (fine, pending, shipped, two_items)] == [
        "Unshipped", "Pending", "Shipped", "Unshipped"]


def test_L22_a_cancellation_file_without_the_reason_column_is_fatal_with_nothing_applied(
        market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    result = _cancel(market, shop, f"{order_id}\t", header="order-id\tamazon-order-item-code")
    assert result.status == "FATAL" and result.processed == 0
    assert result.fatal is not None and "cancellation-reason-code" in result.fatal
    assert h.status(market, order_id) == "Unshipped"


def test_L21_an_individual_seller_cannot_upload_cancellation_files(market: Marketplace) -> None:
    individual = h.seller(market, plan="individual")
    with pytest.raises(RuleViolation) as refused:
        uploads.upload(market, OP, individual, (HEADER + "\n").encode(),
                       CANCELLATIONS.feed_type)
    assert refused.value.rule == "L21" and "order-cancellation files" in refused.value.message


def test_L22_a_row_naming_one_item_cancels_that_item_and_the_order_ships_the_others(
        market: Marketplace, shop: str) -> None:
    """Amazon cancels per item: the named item's unshipped units are canceled with the row's
    reason (NoInventory empties its listing alone), the order stays Unshipped for the other
    item, and the Orders API 2026 gives the reason on that item only."""
    order_id = h.released(market, shop, lines=[CartLine(shop, "MUG", 1),
                                               CartLine(shop, "CUP", 2)])
    mug, cup = h.item_id(market, order_id, 0), h.item_id(market, order_id, 1)
    result = _cancel(market, shop, f"{order_id}\t{cup}\tNoInventory")
    assert result.successful == 1, result.report
    assert h.status(market, order_id) == "Unshipped"
    items = {i["OrderItemId"]: i for i in h.view(market, order_id)["items"]}
    assert (items[cup]["QuantityOrdered"], items[mug]["QuantityOrdered"]) == (0, 1)
    assert h.quantity(market, shop, "CUP") == 0 and h.quantity(market, shop) == 19
    entry = h.history(market, order_id)[-1]
    assert (entry["from"], entry["to"], entry["reason"]) == ("Unshipped", "Unshipped",
                                                             "NoInventory")
    seen = wire_v2026.order(search_orders.get_order(market, OP, order_id, ["CANCELLATION"]))
    executions = {i["orderItemId"]: i.get("cancellation", {}).get("cancellationExecution")
                  for i in seen["orderItems"]}
    assert executions == {cup: {"cancelledBy": "MERCHANT", "cancelReason": "NoInventory"},
                          mug: None}
    again = _cancel(market, shop, f"{order_id}\t{cup}\tNoInventory")
    assert _report_rows(again)[1][0] == ERROR_CODES["not-actionable"]
    assert "nothing left to cancel" in _report_rows(again)[1][2]
    h.ship(market, order_id)
    assert h.status(market, order_id) == "Shipped"


def test_L22_rows_naming_every_item_of_an_order_cancel_it_and_a_shipped_item_is_refused(
        market: Marketplace, shop: str) -> None:
    """Two rows of one file, one item each, cancel the whole order; on a partly shipped
    order, naming the shipped item is refused and naming the rest leaves it Shipped."""
    both = h.released(market, shop, lines=[CartLine(shop, "MUG", 1), CartLine(shop, "CUP", 1)])
    part = h.released(market, shop, lines=[CartLine(shop, "MUG", 1), CartLine(shop, "CUP", 1)])
    mug, cup = h.item_id(market, part, 0), h.item_id(market, part, 1)
    h.ship(market, part, lines=((mug, 1),))
    result = _cancel(market, shop, f"{both}\t{h.item_id(market, both, 0)}\tCustomerExchange",
                     f"{both}\t{h.item_id(market, both, 1)}\tCustomerExchange",
                     f"{part}\t{mug}\tBuyerCanceled", f"{part}\t{cup}\tBuyerCanceled")
    assert result.successful == 3, result.report
    assert _report_rows(result)[3][0] == ERROR_CODES["not-actionable"]
    assert h.status(market, both) == "Canceled" and h.status(market, part) == "Shipped"
    assert [e["to"] for e in h.history(market, both)[-2:]] == ["Unshipped", "Canceled"]

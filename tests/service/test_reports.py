"""The three flat-file reports: who is in them (L7, L18) and Amazon's columns."""

from __future__ import annotations

import pytest

from sellerflow.domain.errors import InvalidInput
from sellerflow.service import listings, reports
from sellerflow.service import orders as order_service
from sellerflow.service.context import Marketplace
from sellerflow.store.schema import order_items
from tests import helpers as h
from tests.helpers import OP


def _ids(report: reports.Report) -> set[str]:
    return {row[0] for row in report.rows}


def test_L7_pending_orders_are_only_in_the_all_orders_report(market: Marketplace,
                                                             shop: str) -> None:
    pending = h.place(market, shop, payment="deferred")
    assert pending not in _ids(reports.build(market, OP, "orders", shop))
    assert pending not in _ids(reports.build(market, OP, "unshipped", shop))
    all_orders = reports.build(market, OP, "all", shop)
    assert pending in _ids(all_orders)
    assert "ship-address-1" not in all_orders.header
    status = all_orders.header.index("order-status")
    assert all_orders.rows[0][status] == "Pending"


def test_unshipped_report_lists_only_units_still_to_ship(market: Marketplace, shop: str) -> None:
    partial = h.released(market, shop, qty=3)
    shipped = h.released(market, shop)
    h.ship(market, partial, lines=((h.item_id(market, partial), 1),))
    h.ship(market, shipped)
    report = reports.build(market, OP, "unshipped", shop)
    assert report.header == reports.UNSHIPPED_REPORT
    assert _ids(report) == {partial}
    row = dict(zip(report.header, report.rows[0], strict=True))
    assert (row["quantity-purchased"], row["quantity-shipped"], row["quantity-to-ship"]) == (
        "3", "1", "2")
    assert row["verge-of-cancellation"] == "false"
    assert row["promise-date"] == "2026-01-08T07:59:59+00:00"
    assert row["days-past-promise"] == "-3"


def test_L24_unshipped_report_marks_the_verge_of_cancellation(market: Marketplace,
                                                              shop: str) -> None:
    order_id = h.released(market, shop)
    h.advance(market, "23d")
    row = dict(zip(reports.UNSHIPPED_REPORT,
                   reports.build(market, OP, "unshipped", shop).rows[0], strict=True))
    assert (row["order-id"], row["verge-of-cancellation"]) == (order_id, "true")


def test_order_report_has_amazons_columns_and_canceled_after_release(market: Marketplace,
                                                                    shop: str) -> None:
    canceled = h.released(market, shop)
    order_service.seller_cancel(market, OP, canceled, "GeneralAdjustment")
    report = reports.build(market, OP, "orders", shop)
    assert report.header[:3] == ["order-id", "order-item-id", "purchase-date"]
    assert report.header[-1] == "sales-channel"
    assert _ids(report) == {canceled}
    row = dict(zip(report.header, report.rows[0], strict=True))
    assert row["purchase-date"] == "2026-01-05T18:00:00+00:00"
    assert row["buyer-email"].endswith("@marketplace.sellerflow.local")
    all_row = dict(zip(reports.ALL_ORDERS_REPORT, reports.build(market, OP, "all", shop).rows[0],
                       strict=True))
    assert all_row["order-status"] == "Cancelled"
    assert all_row["fulfillment-channel"] == "Merchant"


def test_report_period_and_bad_dates(market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    assert _ids(reports.build(market, OP, "all", shop, "2026-01-05", "2026-01-05")) == {order_id}
    assert _ids(reports.build(market, OP, "all", shop, "2026-01-06", "2026-01-07")) == set()
    with pytest.raises(InvalidInput):
        reports.build(market, OP, "all", shop, "last week")
    with pytest.raises(InvalidInput):
        reports.build(market, OP, "all", shop, "2026-01-07", "2026-01-01")
    with pytest.raises(InvalidInput):
        reports.build(market, OP, "everything", shop)


def test_report_cells_follow_shipped_and_canceled_units(market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop, qty=3)
    h.ship(market, order_id, lines=((h.item_id(market, order_id), 1),))
    h.advance(market, "31d")        # L23: the two units still to ship are canceled
    item = h.view(market, order_id)["items"][0]
    assert (item["QuantityShipped"], item["QuantityOrdered"]) == (1, 1)
    all_row = dict(zip(reports.ALL_ORDERS_REPORT,
                       reports.build(market, OP, "all", shop, "2026-01-01").rows[0],
                       strict=True))
    # One definition: the units and money still ordered, as getOrderItems says them; the
    # package delivered long since (L30).
    assert (all_row["order-status"], all_row["item-status"], all_row["quantity"]) == (
        "Shipped - Delivered to Buyer", "Shipped", "1")
    assert all_row["shipping-price"] == item["ShippingPrice"]["Amount"]
    assert all_row["item-price"] == item["ItemPrice"]["Amount"] == "10.00"
    assert (all_row["ship-city"], all_row["ship-state"], all_row["ship-country"]) == (
        "Seattle", "WA", "US")
    order_row = dict(zip(reports.ORDER_REPORT,
                         reports.build(market, OP, "orders", shop, "2026-01-01").rows[0],
                         strict=True))
    assert (order_row["payments-date"], order_row["ship-address-2"]) == (
        "2026-01-05T18:30:00+00:00", "")
    assert order_row["delivery-end-date"].endswith("+00:00")


def test_report_cells_keep_quotes_commas_backslashes_and_any_script(market: Marketplace,
                                                                    shop: str) -> None:
    """PostgreSQL streams the lines through COPY's CSV format: a cell with its quote, its
    delimiter-like characters or a backslash comes out exactly as stored, as on SQLite."""
    title = 'The "Big" Mug, blue \\ 12oz; 马克杯 end'
    listings.set_listing(market, OP, shop, "ODD", title=title, price="1234.05", quantity=5)
    order_id = h.place(market, shop, "ODD", qty=2)
    report = reports.build(market, OP, "all", shop)
    row = next(r for r in report.rows if r[0] == order_id)
    cell = dict(zip(report.header, row, strict=True))
    assert cell["product-name"] == title
    assert cell["item-price"] == "2468.10"


def test_a_stored_text_holding_control_characters_keeps_its_own_line(market: Marketplace,
                                                                     shop: str) -> None:
    """Every text is checked for control characters when it is taken; a row written some
    other way (by hand, say) with the two that frame PostgreSQL's COPY still makes one line,
    the characters left out there."""
    listings.set_listing(market, OP, shop, "CTRL", title="plain", price="5.00", quantity=5)
    order_id = h.released(market, shop, "CTRL")
    later = h.released(market, shop, "CTRL")
    with market.engine.begin() as conn:
        conn.execute(order_items.update().where(order_items.c.amazon_order_id == order_id)
                     .values(title="Mug\x1e \x1fblue\x1e\x1e"))
    for kind in ("all", "orders"):
        report = reports.build(market, OP, kind, shop)
        rows = {row[0]: dict(zip(report.header, row, strict=True)) for row in report.rows}
        assert set(rows) == {order_id, later}
        title = rows[order_id]["product-name"]
        assert title.replace("\x1e", "").replace("\x1f", "") == "Mug blue"
        if market.engine.dialect.name == "postgresql":
            assert title == "Mug blue"
        assert rows[later]["product-name"] == "plain"


@pytest.mark.parametrize("kind", ["orders", "all"])
def test_a_report_holds_every_line_past_its_first_batch(market: Marketplace, shop: str,
                                                       kind: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The Order and All Orders Reports are read a batch of lines at a time: a report longer
    than a batch holds every line (SQLite reads batches; PostgreSQL streams, unbatched)."""
    from sellerflow.store import report_lines

    monkeypatch.setattr(report_lines, "BATCH", 2)
    placed = {h.place(market, shop) for _ in range(5)}
    h.advance(market, "31m")
    assert _ids(reports.build(market, OP, kind, shop)) == placed

"""L21: the shipment-confirmation upload, stored first and applied row by row."""

from __future__ import annotations

import pytest

from sellerflow.domain.placement import CartLine
from sellerflow.service import uploads
from sellerflow.service.context import Marketplace
from sellerflow.service.views import FeedView
from tests import helpers as h
from tests.helpers import OP

HEADER = ("order-id\torder-item-id\tquantity\tship-date\tcarrier-code\tcarrier-name\t"
          "tracking-number\tship-method")


def _file(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _apply(market: Marketplace, seller_id: str, content: bytes) -> FeedView:
    return uploads.process(market, OP, uploads.upload(market, OP, seller_id, content))


@pytest.fixture
def shop(market: Marketplace) -> str:
    seller_id = h.seller(market)
    h.listing(market, seller_id, quantity=100)
    h.listing(market, seller_id, "CUP", quantity=100)
    return seller_id


def test_L21_a_file_confirms_whole_orders_and_split_shipments(market: Marketplace,
                                                              shop: str) -> None:
    whole = h.place(market, shop, qty=2)
    split = h.place(market, shop, qty=3)
    h.advance(market, "30m")
    item = h.item_id(market, split)
    result = _apply(market, shop, _file(
        f"{whole}\t\t\t2026-01-05\tUPS\t\t1Z999AA10123456784\t",
        f"{split}\t{item}\t1\t2026-01-05\tUSPS\t\t9400111899223397658538\tPriority",
        f"{split}\t{item}\t2\t2026-01-05T18:20:00Z\tFedEx\t\t123456789012\t"))
    assert (result.processed, result.successful, result.rejected) == (3, 3, 0)
    assert h.status(market, whole) == h.status(market, split) == "Shipped"
    assert len(h.view(market, split)["shipments"]) == 2
    assert result.report.startswith("Feed Processing Summary:\n")
    assert "\tNumber of records successful\t\t3" in result.report


def test_L21_reads_columns_by_header_name_and_accepts_the_template_form(
        market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    content = ("TemplateType=OrderFulfillment\tVersion=2011.1102\n"
               "Order ID\tShip Date\tCarrier Code\tTracking Number\tExtra\n"
               "tracking-number\tship-date\tcarrier-code\torder-id\tcod-collection-method\n"
               f"1Z999AA10123456784\t2026-01-05\tUPS\t{order_id}\t\n").encode()
    content = content.replace(b"tracking-number\tship-date\tcarrier-code\torder-id",
                              b"order-id\tship-date\tcarrier-code\ttracking-number")
    content = content.replace(f"1Z999AA10123456784\t2026-01-05\tUPS\t{order_id}".encode(),
                              f"{order_id}\t2026-01-05\tUPS\t1Z999AA10123456784".encode())
    result = _apply(market, shop, content)
    assert result.successful == 1
    assert h.status(market, order_id) == "Shipped"


def test_L21_the_report_names_every_rejected_row_and_why(market: Marketplace, shop: str) -> None:
    other_seller = h.seller(market, email="other@example.com")
    h.listing(market, other_seller, "X", quantity=5)
    good = h.place(market, shop)
    pending_later = None
    theirs = h.place(market, other_seller, "X")
    over = h.place(market, shop, qty=1)
    h.advance(market, "30m")
    pending_later = h.place(market, shop)
    result = _apply(market, shop, _file(
        f"{good}\t\t\t2026-01-05\tUPS\t\t1Z999AA10123456784\t",           # 1 ok
        "999-9999999-9999999\t\t\t2026-01-05\tUPS\t\t1Z999AA10123456784\t",  # 2 unknown order
        f"{theirs}\t\t\t2026-01-05\tUPS\t\t1Z999AA10123456784\t",         # 3 another seller's
        f"{over}\t{h.item_id(market, over)}\t5\t2026-01-05\tUPS\t\t1Z9\t",  # 4 too many units
        f"{pending_later}\t\t\t2026-01-05\tUPS\t\t1Z999AA10123456784\t",  # 5 pending
        f"{good}x\t\t\tyesterday\tUPS\t\t1\t",                             # 6 bad order id
        f"{over}\t\t\t2026-13-45\tUPS\t\t1Z999AA10123456784\t",           # 7 bad date
        f"{over}\t\t\t2026-01-05\tOther\t\t1Z999AA10123456784\t",         # 8 Other w/o name
        f"{over}\t\t\t2026-01-05\tUPS\t\t\t",                              # 9 no tracking
        f"{over}\t\t\t2027-01-05\tUPS\t\t1Z999AA10123456784\t",           # 10 future date
        "\t\t\t\t\t\t\t"))                                                   # blank line: skipped
    assert (result.processed, result.successful, result.rejected) == (10, 1, 9)
    rows = [line.split("\t") for line in result.report.splitlines()[5:]]
    codes = {int(r[0]): r[3] for r in rows}
    assert codes == {2: "10002", 3: "10002", 4: "10005", 5: "10011", 6: "10012", 7: "10006",
                     8: "10009", 9: "10010", 10: "10007"}
    assert all(r[4] == "Error" and r[5] for r in rows)
    assert h.status(market, over) == "Unshipped"
    assert h.status(market, theirs) == "Unshipped"


def test_L21_uploading_the_same_rows_again_applies_nothing_twice(market: Marketplace,
                                                                 shop: str) -> None:
    order_id = h.released(market, shop, qty=4)
    item = h.item_id(market, order_id)
    content = _file(f"{order_id}\t{item}\t1\t2026-01-05\tUPS\t\t1Z999AA10123456784\t",
                    f"{order_id}\t{item}\t1\t2026-01-05\tUPS\t\t1Z999AA10123456784\t")
    first = _apply(market, shop, content)
    second = _apply(market, shop, content)
    assert first.successful == 2
    assert second.successful == 2 and "20002" in second.report
    view = h.view(market, order_id)
    assert view["items"][0]["QuantityShipped"] == 2
    assert h.status(market, order_id) == "PartiallyShipped"


def test_L21_invalid_tracking_is_a_warning_not_a_rejection(market: Marketplace,
                                                           shop: str) -> None:
    order_id = h.released(market, shop)
    result = _apply(market, shop, _file(f"{order_id}\t\t\t2026-01-05\tUPS\t\tnot-a-ups\t"))
    assert (result.successful, result.rejected) == (1, 0)
    assert "\t20001\tWarning\t" in result.report


@pytest.mark.parametrize(("content", "code", "says"), [
    (b"no header here\n", "90001", "no header row"),
    (b"order-id\tquantity\n", "90002", "lacks ship-date, carrier-code"),
    (b"\x00\x01binary", "90003", "NUL"),
    (b"order-id\tship-date\tcarrier-code\n\x81\x8d\x90\n", "90003", "neither UTF-8"),
])
def test_L21_a_file_that_cannot_be_read_is_a_fatal_feed_with_nothing_applied(
        market: Marketplace, shop: str, content: bytes, code: str, says: str) -> None:
    order_id = h.released(market, shop)
    result = _apply(market, shop, content)
    assert result.status == "FATAL" and result.processed == 0
    assert result.fatal is not None and says in result.fatal
    line = result.report.splitlines()[-1].split("\t")
    assert line[0] == "0" and line[3:5] == [code, "Fatal"]
    assert h.status(market, order_id) == "Unshipped"
    assert uploads.unfinished(market) == []


def test_L21_an_unknown_column_is_a_record_0_warning_and_the_rest_is_applied(
        market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    header = HEADER.replace("ship-method", "shiping-method")
    result = _apply(market, shop, _file(
        f"{order_id}\t\t\t2026-01-05\tUPS\t\t1Z999AA10123456784\tGround", header=header))
    assert (result.status, result.successful) == ("DONE", 1)
    warning = next(line for line in result.report.splitlines() if line.startswith("0\t"))
    assert "\t20003\tWarning\t" in warning
    assert "shiping-method (did you mean ship-method?)" in warning


def test_L21_the_header_is_the_first_line_holding_order_id_in_any_column(
        market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    content = ("Some title line\n"
               "carrier-code\ttracking-number\torder-id\tship-date\n"
               f"UPS\t1Z999AA10123456784\t{order_id}\t2026-01-05\n").encode()
    assert _apply(market, shop, content).successful == 1
    assert h.status(market, order_id) == "Shipped"


def test_L21_latin1_files_are_read(market: Marketplace, shop: str) -> None:
    order_id = h.released(market, shop)
    content = _file(f"{order_id}\t\t\t2026-01-05\tOther\tCorreos Espa\u00f1a\tES123\t")
    result = _apply(market, shop, content.decode().encode("iso-8859-1"))
    assert result.successful == 1
    assert h.view(market, order_id)["shipments"][0]["carrierName"] == "Correos Espa\u00f1a"


def test_L21_processing_resumes_where_it_stopped(market: Marketplace, shop: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    orders = [h.place(market, shop) for _ in range(3)]
    h.advance(market, "30m")
    content = _file(*[f"{o}\t\t\t2026-01-05\tUPS\t\t1Z999AA10123456784\t" for o in orders])
    feed_id = uploads.upload(market, OP, shop, content)
    monkeypatch.setattr(uploads, "BATCH_ROWS", 1)

    def killed(done: int, total: int) -> None:
        raise KeyboardInterrupt    # as if the process died once row 1 committed

    with pytest.raises(KeyboardInterrupt):
        uploads.process(market, OP, feed_id, killed)
    assert uploads.result(market, OP, feed_id).processed == 1
    assert uploads.unfinished(market) == [feed_id]
    result = uploads.process(market, OP, feed_id)
    assert (result.processed, result.successful) == (3, 3)
    assert all(len(h.view(market, o)["shipments"]) == 1 for o in orders)
    assert uploads.unfinished(market) == []


def test_L21_multi_item_order_blank_item_ships_every_unit(market: Marketplace,
                                                          shop: str) -> None:
    order_id = h.place(market, shop, lines=[CartLine(shop, "MUG", 2), CartLine(shop, "CUP", 1)])
    h.advance(market, "30m")
    result = _apply(market, shop, _file(f"{order_id}\t\t\t2026-01-05\tDHL\t\t1234567890\t"))
    assert result.successful == 1
    assert h.status(market, order_id) == "Shipped"

"""Every seller-owned table keyed with seller_id first (migration 0010), so a sharded
PostgreSQL can keep each seller's rows together (docs/scaling.md)."""

from __future__ import annotations

from sqlalchemy import inspect

from sellerflow.service import orders as order_service
from sellerflow.service import uploads
from sellerflow.service.context import Marketplace
from sellerflow.store import migrate
from tests import helpers as h
from tests.helpers import OP

SELLER_OWNED = ("orders", "order_items", "order_history", "deadlines", "shipments", "refunds",
                "ledger", "messages", "feedback", "listings", "feeds", "feed_documents",
                "feed_results", "report_requests", "shipping_rates", "order_counts")


def _busy_shop(market: Marketplace, shop: str) -> None:
    """A seller with orders in every state, a message, feedback and an uploaded file."""
    h.place(market, shop)
    shipped = h.released(market, shop)
    h.ship(market, shipped)
    order_service.leave_feedback(market, OP, shipped, 5, "Fine")
    order_service.send_text(market, OP, shipped, "Thanks")
    order_service.seller_cancel(market, OP, h.released(market, shop), "BuyerCanceled")
    content = (b"order-id\torder-item-id\tquantity\tship-date\tcarrier-code\ttracking-number\n"
               b"000-0000000-0000000\t1\t1\t2026-01-01\tUPS\t1Z999AA10123456784\n")
    uploads.process(market, OP, uploads.upload(market, OP, shop, content))


def test_every_seller_owned_table_is_keyed_seller_first(market: Marketplace) -> None:
    found = inspect(market.engine)
    serial_on_sqlite = {"listings", "order_history", "deadlines", "shipments", "refunds",
                        "ledger", "messages"}
    for table in SELLER_OWNED:
        key = found.get_pk_constraint(table)["constrained_columns"]
        if market.engine.dialect.name == "sqlite" and table in serial_on_sqlite:
            # SQLite numbers rows only through a one-column INTEGER PRIMARY KEY; the table's
            # lookups go through seller-first indexes instead.
            assert key in (["id"], ["listing_id"]), table
            assert any(index["column_names"][0] == "seller_id"
                       for index in found.get_indexes(table)) or table == "listings", table
        else:
            assert key[0] == "seller_id", (table, key)
        for foreign_key in found.get_foreign_keys(table):
            if foreign_key["referred_table"] not in ("sellers", "buyers"):
                assert foreign_key["constrained_columns"][0] == "seller_id", (table,
                                                                              foreign_key)


SCANS = ("first_scan_at", "delivered_at", "lost_at", "deliver_by", "label_id")


def test_migration_0010_keeps_every_row(market: Marketplace, shop: str) -> None:
    _busy_shop(market, shop)
    # A listing's created_at (0012) is rebuilt from its updated_at on the way back up, an
    # item's cancellation reason and side (0013) from its order's history; a shipment's scans
    # (0017) are not kept below 0017 (a valid number's first scan comes back as its ship
    # date, the rest unknown).
    others = [table for table in SELLER_OWNED if table != "listings"]
    before = (h.rows_without_ids(market, others, also=SCANS),
              h.rows_without_ids(market, ["listings"], also=("created_at",)))
    migrate.downgrade(market.engine, "0009")
    assert inspect(market.engine).get_pk_constraint("orders")["constrained_columns"] == [
        "amazon_order_id"]

    migrate.upgrade(market.engine)

    assert (h.rows_without_ids(market, others, also=SCANS),
            h.rows_without_ids(market, ["listings"], also=("created_at",))) == before
    # The orders go on through their lifecycle under their new keys.
    h.ship(market, h.released(market, shop))
    h.assert_every_unit_is_accounted_for(market)
    h.assert_order_counts_match_the_orders(market)

"""Order placement throughput: sellerflow's service layer against a plain DB-API floor.

The floor writes the same rows (order, item, two history entries, four deadlines, the stock
decrement, the seller's count of Pending orders) with the same transaction boundaries (one
transaction per order, SQLite's write lock taken up front), reading only what any
implementation must read (the buyer and the listing). Both run in this process, on fresh
databases of the same kind, in many short alternating rounds (who goes first alternates too),
and the median round of each counts: a busy moment of the machine (a disk flush, another
process) lands on both alike, and no lucky round decides the ratio.
Prints one line per database:

    placement-sqlite ratio=R sellerflow=X/s floor=Y/s
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import string
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from sellerflow.domain.callers import Caller
from sellerflow.domain.placement import CartLine
from sellerflow.service import accounts, listings
from sellerflow.service.checkout import Checkout, place_order
from sellerflow.service.context import open_marketplace
from sellerflow.service.database import initialise

OPERATOR = Caller.operator()
PG_ADMIN = os.environ.get("SELLERFLOW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
ADDRESS = {"Name": "Jane Doe", "AddressLine1": "1 Main St", "City": "Seattle",
           "StateOrRegion": "WA", "PostalCode": "98101", "CountryCode": "US"}
ADDRESS_JSON = json.dumps(ADDRESS, sort_keys=True)


def _setup(url: str) -> tuple[Any, str]:
    # A live database, as in production: the system clock, payments approved at checkout.
    initialise(url, sandbox=False)
    market = open_marketplace(url)
    seller = accounts.create_seller(market, OPERATOR, "Bench", "professional",
                                    "bench@example.com")
    listings.set_listing(market, OPERATOR, seller.seller_id, "SKU", title="Bench item",
                         price="9.99", quantity=10_000_000)
    accounts.create_buyer(market, OPERATOR, "buyer@example.com")
    return market, seller.seller_id


def sellerflow_placer(url: str) -> tuple[Callable[[], None], Callable[[], None]]:
    """Returns (place one order, close)."""
    market, seller = _setup(url)
    checkout = Checkout("buyer@example.com", [CartLine(seller, "SKU", 1)], ADDRESS)
    return (lambda: place_order(market, OPERATOR, checkout)), market.close


def _digits(n: int) -> str:
    return "".join(random.choice(string.digits) for _ in range(n))


def floor_placer(url: str, connect: Callable[[], Any], placeholder: str, begin: str,
                 commit: Callable[[Any], None]) -> tuple[Callable[[], None], Callable[[], None]]:
    market, seller = _setup(url)
    market.close()
    db = connect()
    p = placeholder

    def place_one() -> None:
        now = datetime.now(UTC).replace(microsecond=0)
        cur = db.cursor()
        if begin:
            cur.execute(begin)
        cur.execute(f"SELECT buyer_id FROM buyers WHERE email = {p}", ("buyer@example.com",))
        buyer_id = cur.fetchone()[0]
        cur.execute(f"SELECT listing_id, sku, asin, title, price_cents, handling_days "
                    f"FROM listings WHERE seller_id = {p} AND sku = {p}", (seller, "SKU"))
        listing_id, sku, asin, title, price, handling = cur.fetchone()
        cur.execute(f"UPDATE listings SET quantity = quantity - 1 WHERE listing_id = {p} "
                    f"AND quantity >= 1", (listing_id,))
        assert cur.rowcount == 1
        order_id = f"{_digits(3)}-{_digits(7)}-{_digits(7)}"
        naive = now.replace(tzinfo=None)
        cur.execute(
            "INSERT INTO orders (amazon_order_id, seller_id, buyer_id, status, version, "
            "purchase_date, last_update, verification, payment_method, ship_service_level, "
            "shipping_address, buyer_cancel_requested, charged_cents, refunded_cents, currency)"
            f" VALUES ({', '.join([p] * 15)})",
            (order_id, seller, buyer_id, "Pending", 0, naive, naive, "approved", "ok",
             "Standard", ADDRESS_JSON, False, 0, 0, "USD"))
        cur.execute(
            "INSERT INTO order_items (order_item_id, amazon_order_id, seller_id, listing_id, "
            "position, sku, asin, title, quantity_ordered, quantity_shipped, quantity_canceled,"
            " unit_price_cents, unit_shipping_cents, handling_days)"
            f" VALUES ({', '.join([p] * 14)})",
            (_digits(14), order_id, seller, listing_id, 0, sku, asin, title, 1, 0, 0, price, 399,
             handling))
        cur.executemany(
            "INSERT INTO order_history (amazon_order_id, seller_id, at, from_status, to_status,"
            f" cause, reason) VALUES ({', '.join([p] * 7)})",
            [(order_id, seller, naive, None, "Pending", "buyer", "placed"),
             (order_id, seller, naive, "Pending", "Pending", "verification", "approved")])
        cur.executemany(
            "INSERT INTO deadlines (amazon_order_id, seller_id, kind, due_at)"
            f" VALUES ({p}, {p}, {p}, {p})",
            [(order_id, seller, kind, naive + offset) for kind, offset in (
                ("hold_ends", timedelta(minutes=30)), ("verification_expires",
                                                        timedelta(days=21)),
                ("ship_warning", timedelta(days=23)), ("ship_deadline", timedelta(days=30)))])
        cur.execute(
            "INSERT INTO order_counts (seller_id, status, orders) "
            f"VALUES ({p}, {p}, 1) ON CONFLICT (seller_id, status) "
            "DO UPDATE SET orders = order_counts.orders + excluded.orders", (seller, "Pending"))
        commit(db)

    return place_one, db.close


def compare(name: str, ours: tuple[Callable[[], None], Callable[[], None]],
            floor: tuple[Callable[[], None], Callable[[], None]], count: int,
            rounds: int = 20) -> None:
    """Alternate short rounds of both, each going first in turn; report each one's median
    round."""
    rates: dict[str, list[float]] = {"ours": [], "floor": []}
    per_round = max(count // rounds, 1)
    for place, _ in (ours, floor):
        for _ in range(per_round):
            place()   # warm caches
    sides = [("ours", ours), ("floor", floor)]
    for n in range(rounds):
        for key, (place, _) in sides if n % 2 == 0 else reversed(sides):
            started = time.perf_counter()
            for _ in range(per_round):
                place()
            rates[key].append(per_round / (time.perf_counter() - started))
    for _, close in (ours, floor):
        close()
    report(name, statistics.median(rates["ours"]), statistics.median(rates["floor"]))


def bench_sqlite(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        def connect() -> sqlite3.Connection:
            db = sqlite3.connect(f"{folder}/floor.db", isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            return db

        compare("placement-sqlite", sellerflow_placer(f"sqlite:///{folder}/sellerflow.db"),
                floor_placer(f"sqlite:///{folder}/floor.db", connect, "?", "BEGIN IMMEDIATE",
                             lambda db: db.execute("COMMIT")), count)


def bench_postgresql(count: int) -> None:
    names = [f"sf_bench_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    base = PG_ADMIN.rsplit("/", 1)[0]
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            for name in names:
                admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        print(f"placement-postgresql skipped: PostgreSQL unreachable ({error})".strip())
        return
    try:
        ours_url = f"{base.replace('postgresql://', 'postgresql+psycopg://')}/{names[0]}"
        compare("placement-postgresql", sellerflow_placer(ours_url),
                floor_placer(f"{base}/{names[1]}",
                             lambda: psycopg.connect(f"{base}/{names[1]}"), "%s", "",
                             lambda db: db.commit()), count)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def report(name: str, ours: float, floor: float) -> None:
    print(f"{name} ratio={ours / floor:.2f} sellerflow={ours:.0f}/s floor={floor:.0f}/s",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000, help="orders per measurement")
    args = parser.parse_args()
    bench_sqlite(args.orders)
    bench_postgresql(args.orders)


if __name__ == "__main__":
    sys.exit(main())

"""Shipment-file throughput (L21): `sellerflow shipments upload` against a set-based floor.

Both confirm every order of the same database (released orders, one unit each) from the same
tab-separated file, on copies of one prepared SQLite file. sellerflow runs as a user runs it,
the `sellerflow shipments upload` command in its own process (its start, storing the file and
the processing report included); the floor, in this process, reads the same file and writes
the same rows (each order's new state and item, a history entry, a ledger entry, a shipment,
the feed's progress) with one executemany per table per batch of 500 rows, a transaction per
batch as sellerflow has. Rounds alternate who goes first; the median round of each counts.
The peak memory (RSS) of the upload command is given for a file of a tenth of the rows too:
it should barely grow with the file.

    upload-100k ratio=R ours=X/s floor=Y/s rss-10k=A MB rss-100k=B MB

Preparing 100,000 released orders through the services takes minutes; the prepared database
is kept in bench/.cache (keyed by the migrations that made it) for the next run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sellerflow.clock import parse_duration
from sellerflow.domain.callers import Caller
from sellerflow.domain.placement import CartLine
from sellerflow.service import accounts, listings
from sellerflow.service import clock as clock_service
from sellerflow.service.checkout import Checkout, place_order
from sellerflow.service.context import open_marketplace
from sellerflow.service.database import initialise
from sellerflow.store.migrate import MIGRATIONS

OPERATOR = Caller.operator()
CACHE = Path(__file__).parent / ".cache"
ADDRESS = {"Name": "Jane Doe", "AddressLine1": "1 Main St", "City": "Seattle",
           "StateOrRegion": "WA", "PostalCode": "98101", "CountryCode": "US"}
BATCH = 500
# A wrapper that runs a command and prints its peak resident memory in KiB.
MEASURED = ("import resource, subprocess, sys; "
            "done = subprocess.run(sys.argv[1:], capture_output=True); "
            "sys.stderr.buffer.write(done.stderr); sys.stdout.buffer.write(done.stdout); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
            "sys.exit(done.returncode)")


def _progress(label: str, done: int, total: int) -> None:
    if done % 5000 == 0 or done == total:
        print(f"\r  {label}: {done}/{total}", end="\n" if done == total else "",
              file=sys.stderr, flush=True)


def prepared(orders: int) -> Path:
    """A sandbox database with one Professional seller and `orders` released orders."""
    CACHE.mkdir(exist_ok=True)
    schema = hashlib.sha256(b"".join(f.read_bytes() for f in sorted(
        (MIGRATIONS / "versions").glob("*.py")))).hexdigest()[:12]
    path = CACHE / f"released-{orders}-{schema}.db"
    if path.exists():
        return path
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    url = f"sqlite:///{building}"
    initialise(url, sandbox=True)
    market = open_marketplace(url)
    seller = accounts.create_seller(market, OPERATOR, "Bench", "professional",
                                    "bench@example.com")
    listings.set_listing(market, OPERATOR, seller.seller_id, "SKU", title="Bench item",
                         price="9.99", quantity=orders)
    checkout = Checkout("buyer@example.com", [CartLine(seller.seller_id, "SKU", 1)], ADDRESS)
    for n in range(1, orders + 1):
        place_order(market, OPERATOR, checkout)
        _progress("placing orders", n, orders)
    print("  releasing them (clock advance 31m)...", file=sys.stderr, flush=True)
    clock_service.advance(market, OPERATOR, parse_duration("31m"))
    market.close()
    building.rename(path)
    return path


def write_file(database: Path, target: Path, rows: int) -> tuple[str, int]:
    """The shipment file confirming the first `rows` orders; returns (seller id, rows)."""
    db = sqlite3.connect(database)
    seller = db.execute("SELECT seller_id FROM sellers").fetchone()[0]
    today = db.execute("SELECT value FROM settings WHERE key = 'clock_now'").fetchone()
    ship_date = (today[0][:10] if today else datetime.now(UTC).date().isoformat())
    found = db.execute("SELECT o.amazon_order_id, i.order_item_id FROM orders o JOIN "
                       "order_items i USING (amazon_order_id) WHERE o.status = 'Unshipped' "
                       "ORDER BY o.purchase_date LIMIT ?", (rows,)).fetchall()
    db.close()
    with target.open("w", encoding="utf-8") as out:
        out.write("order-id\torder-item-id\tquantity\tship-date\tcarrier-code\t"
                  "tracking-number\n")
        for n, (order_id, item_id) in enumerate(found):
            out.write(f"{order_id}\t{item_id}\t1\t{ship_date}\tFedEx\t{n:012d}\n")
    return seller, len(found)


def ours(database: Path, upload: Path, seller: str, rows: int) -> tuple[float, int]:
    """(rows per second, peak RSS in KiB) of `sellerflow shipments upload`."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, sys.executable, "-m", "sellerflow", "--db",
         f"sqlite:///{database}", "--json", "shipments", "upload", seller, str(upload)],
        capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"upload failed ({done.returncode}): {done.stdout}{done.stderr}")
    result = json.loads(done.stdout)
    if result["successful"] != rows:
        raise SystemExit(f"upload applied {result['successful']} of {rows} rows")
    return rows / elapsed, int(done.stderr.strip().splitlines()[-1])


def _chunks(upload: Path) -> Iterator[list[list[str]]]:
    with upload.open(encoding="utf-8") as lines:
        next(lines)
        chunk: list[list[str]] = []
        for line in lines:
            chunk.append(line.rstrip("\n").split("\t"))
            if len(chunk) == BATCH:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def floor(database: Path, upload: Path, seller: str, rows: int) -> float:
    """Rows per second writing the same confirmations set-based, a transaction per batch."""
    started = time.perf_counter()
    db = sqlite3.connect(database, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    now = db.execute("SELECT value FROM settings WHERE key = 'clock_now'").fetchone()[0]
    at = datetime.fromisoformat(now).astimezone(UTC).replace(tzinfo=None)
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO feeds (feed_id, seller_id, feed_type, status, created_at, "
               "next_record, total_records, processed, successful) VALUES "
               "('FLOOR', ?, 'POST_FLAT_FILE_FULFILLMENT_DATA', 'IN_QUEUE', ?, 1, ?, 0, 0)",
               (seller, at, rows))
    db.execute("INSERT INTO feed_documents (seller_id, feed_id, content) VALUES "
               "(?, 'FLOOR', ?)", (seller, upload.read_bytes()))
    db.execute("COMMIT")
    applied = 0
    for chunk in _chunks(upload):
        db.execute("BEGIN IMMEDIATE")
        wanted = {cells[0]: cells for cells in chunk}
        marks = ",".join("?" * len(wanted))
        found = db.execute(
            "SELECT o.amazon_order_id, o.version, o.charged_cents, o.shipping_address, "
            "i.order_item_id, i.unit_price_cents, i.unit_shipping_cents FROM orders o JOIN "
            "order_items i USING (seller_id, amazon_order_id) WHERE o.seller_id = ? AND "
            f"o.amazon_order_id IN ({marks}) AND o.status = 'Unshipped'",
            [seller, *wanted]).fetchall()
        orders, items, history, ledger, shipments = [], [], [], [], []
        for order_id, version, charged, ship_to, item_id, price, shipping in found:
            cells = wanted[order_id]
            gross = price + shipping
            orders.append(("Shipped", version + 1, at, charged + gross, seller, order_id,
                           version))
            items.append((1, seller, item_id))
            history.append((order_id, seller, at, "Unshipped", "Shipped", "seller",
                            "shipment-confirmed"))
            ledger.append((seller, order_id, at, "shipment", gross - gross * 15 // 100))
            shipments.append((order_id, seller, "FedEx", None, cells[5], True, "Standard",
                              datetime.fromisoformat(cells[3]), at, ship_to,
                              json.dumps([{"orderItemId": item_id, "quantity": 1}]), gross,
                              "k" + cells[5]))
        db.executemany("UPDATE orders SET status = ?, version = ?, last_update = ?, "
                       "charged_cents = ? WHERE seller_id = ? AND amazon_order_id = ? AND "
                       "version = ?", orders)
        db.executemany("UPDATE order_items SET quantity_shipped = ? WHERE seller_id = ? AND "
                       "order_item_id = ?", items)
        db.executemany("INSERT INTO order_history (amazon_order_id, seller_id, at, "
                       "from_status, to_status, cause, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       history)
        db.executemany("INSERT INTO ledger (seller_id, amazon_order_id, at, kind, "
                       "amount_cents) VALUES (?, ?, ?, ?, ?)", ledger)
        db.executemany("INSERT INTO shipments (amazon_order_id, seller_id, carrier_code, "
                       "carrier_name, tracking_number, tracking_valid, ship_method, ship_date,"
                       " confirmed_at, ship_to, lines, amount_cents, upload_key) VALUES "
                       "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", shipments)
        applied += len(found)
        db.execute("UPDATE feeds SET next_record = next_record + ?, processed = processed + ?,"
                   " successful = successful + ?, status = 'IN_PROGRESS' WHERE feed_id = "
                   "'FLOOR' AND seller_id = ?", (len(chunk), len(chunk), len(found), seller))
        db.execute("COMMIT")
    db.execute("UPDATE feeds SET status = 'DONE', done_at = ? WHERE seller_id = ? AND "
               "feed_id = 'FLOOR'", (at, seller))
    db.close()
    if applied != rows:
        raise SystemExit(f"the floor applied {applied} of {rows} rows")
    return rows / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    source = prepared(args.orders)
    label = f"{args.orders // 1000}k" if args.orders % 1000 == 0 else str(args.orders)
    rates: dict[str, list[float]] = {"ours": [], "floor": []}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        seller, rows = write_file(source, work / "all.txt", args.orders)
        small_seller, small = write_file(source, work / "tenth.txt", args.orders // 10)
        peak: dict[str, int] = {}
        copy = work / "copy.db"
        shutil.copyfile(source, copy)
        peak["small"] = ours(copy, work / "tenth.txt", small_seller, small)[1]
        for n in range(args.rounds):
            for side in ("ours", "floor") if n % 2 == 0 else ("floor", "ours"):
                shutil.copyfile(source, copy)
                for suffix in ("-wal", "-shm"):
                    Path(f"{copy}{suffix}").unlink(missing_ok=True)
                if side == "ours":
                    rate, peak["all"] = ours(copy, work / "all.txt", seller, rows)
                else:
                    rate = floor(copy, work / "all.txt", seller, rows)
                rates[side].append(rate)
    mine, base = statistics.median(rates["ours"]), statistics.median(rates["floor"])
    small_label = f"{args.orders // 10000}k" if args.orders % 10000 == 0 else str(small)
    print(f"upload-{label} ratio={mine / base:.2f} ours={mine:.0f}/s floor={base:.0f}/s "
          f"rss-{small_label}={peak['small'] / 1024:.0f}MB rss-{label}={peak['all'] / 1024:.0f}MB",
          flush=True)


if __name__ == "__main__":
    sys.exit(main())

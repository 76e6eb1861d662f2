"""A soak: minutes of mixed load against `sellerflow serve --workers 2` on PostgreSQL, then
the books checked.

Client threads, each with its own connection, place checkouts (one or two sellers a cart),
confirm shipments one by one and by uploaded file, cancel as the seller and as the buyer,
refund, restock listings, and move the sandbox clock (minutes to days, so holds end,
verifications run out, ship-by warnings and the 30-day cancellation fall due while the load
goes on). An answer of 5xx or a dropped connection fails the soak; a 4xx is a command the
rules refused (a late cancel, a refund before shipment, a sold-out listing) and is counted.
After the load the server stops, one worker pass fires what is still due, and the database
must show:

- units: every unit a listing stocked is on sale, open in an order, shipped or written off;
- money: each order's refunds add up to its refunded amount, never more than it was
  charged, and each shipment and refund has its one ledger entry;
- history: each order's entries chain from its placement to its status, one entry per
  transition (no transition recorded twice, none missing), and no deadline transition
  twice;
- deadlines: nothing due is left unfired;
- each seller's per-status order counts match its orders.

    soak ok minutes=M requests=N (X/s) refused=R orders=O shipped=S canceled=C refunds=F
        uploads=U clock-jumps=J deadlines-fired=D

Then getOrders' p99 while the worker sweeps 100,000 orders, against its idle p99 (goal: at
most 5 times; bench/sweep_latency.py says how):

    sweep-p99 ratio=R idle-p99=Xms sweep-p99=Yms ...

    python bench/soak.py [--minutes M] [--clients N] [--sweep-orders N]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Connection, func, select

sys.path.insert(0, str(Path(__file__).parent))
from http_api import access_token, free_port, wait_until_up  # noqa: E402
from sweep import ADDRESS, OPERATOR, database  # noqa: E402
from sweep_latency import measure as sweep_p99  # noqa: E402

from sellerflow.service import accounts, listings  # noqa: E402
from sellerflow.service.context import open_marketplace  # noqa: E402
from sellerflow.service.database import initialise  # noqa: E402
from sellerflow.store.schema import (  # noqa: E402
    deadlines,
    ledger,
    order_counts,
    order_history,
    order_items,
    orders,
    refunds,
    shipments,
)
from sellerflow.store.schema import listings as listings_table  # noqa: E402

SELLERS, BUYERS, SKUS = 4, 40, ("MUG", "CUP", "BOWL")
MARKET = "ATVPDKIKX0DER"
# The clock moves every CLOCK_EVERY seconds by one of these, small steps mostly: about 8
# sandbox hours a jump, so ten minutes of load cover some 40 days of orders' lives.
CLOCK_STEPS = {"10m": 5, "31m": 4, "2h": 3, "1d": 2, "3d": 1}
CLOCK_EVERY = 5.0
FAILURE: list[str] = []


class Shop:
    """The load's view of the marketplace: who sells, who buys, which orders exist."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.sellers: list[dict[str, Any]] = []
        self.buyers: list[str] = []       # their tokens
        # By seller: (order id, its buyer's token).
        self.orders: dict[str, list[tuple[str, str]]] = collections.defaultdict(list)
        self.lock = threading.Lock()
        self.counts: collections.Counter[str] = collections.Counter()

    def remember(self, seller_id: str, order_id: str, buyer: str) -> None:
        with self.lock:
            self.orders[seller_id].append((order_id, buyer))

    def some_order(self, rng: random.Random) -> tuple[dict[str, Any], tuple[str, str]] | None:
        """A seller and one of its orders (with the order's buyer's token)."""
        seller = rng.choice(self.sellers)
        with self.lock:
            known = self.orders[seller["sellerId"]]
            if not known:
                return None
            # Recent orders mostly: those are the ones still open.
            return seller, known[max(0, len(known) - 1 - int(rng.expovariate(1 / 40)))]


def _call(client: httpx.Client, shop: Shop, what: str, method: str, path: str,
          **kwargs: Any) -> httpx.Response | None:
    try:
        answer = client.request(method, path, **kwargs)
    except httpx.HTTPError as error:
        FAILURE.append(f"{what}: {method} {path}: {error!r}")
        return None
    with shop.lock:
        shop.counts["requests"] += 1
        if answer.status_code >= 500:
            FAILURE.append(f"{what}: {method} {path} answered {answer.status_code}: "
                           f"{answer.text[:500]}")
        elif answer.status_code >= 400:
            shop.counts["refused"] += 1
        else:
            shop.counts[what] += 1
    return answer if answer.status_code < 400 else None


def checkout(client: httpx.Client, shop: Shop, rng: random.Random) -> None:
    sellers = rng.sample(shop.sellers, rng.choice((1, 1, 1, 2)))
    items = [{"sellerId": s["sellerId"], "sku": rng.choice(SKUS), "quantity": rng.randint(1, 2)}
             for s in sellers]
    buyer = rng.choice(shop.buyers)
    placed = _call(client, shop, "orders", "POST", "/buyer/v1/checkout",
                   headers={"Authorization": f"Bearer {buyer}"},
                   json={"items": items, "shippingAddress": ADDRESS,
                         "shipServiceLevel": rng.choice(("Standard", "Expedited"))})
    if placed is not None:
        for order in placed.json()["orders"]:
            shop.remember(order["sellerId"], order["AmazonOrderId"], buyer)


def _items(client: httpx.Client, seller: dict[str, Any], order_id: str
           ) -> list[dict[str, Any]]:
    answer = client.get(f"/orders/v0/orders/{order_id}/orderItems",
                        headers={"x-amz-access-token": seller["token"]})
    if answer.status_code != 200:
        return []
    return list(answer.json()["payload"]["OrderItems"])


def ship(client: httpx.Client, shop: Shop, rng: random.Random) -> None:
    picked = shop.some_order(rng)
    if picked is None:
        return
    seller, (order_id, _) = picked
    lines = [{"orderItemId": i["OrderItemId"], "quantity": i["QuantityOrdered"]
              - int(i.get("QuantityShipped", 0))} for i in _items(client, seller, order_id)]
    lines = [line for line in lines if line["quantity"] > 0]
    if not lines:
        return
    _call(client, shop, "shipped", "POST", f"/orders/v0/orders/{order_id}/shipmentConfirmation",
          headers={"x-amz-access-token": seller["token"]},
          json={"marketplaceId": MARKET, "packageDetail": {
              "packageReferenceId": "1", "carrierCode": "UPS",
              "trackingNumber": f"1Z{rng.randrange(10**15):015d}",
              "shipDate": _now(client), "orderItems": lines}})


def _now(client: httpx.Client) -> str:
    return str(client.get("/sandbox/v1/clock").json()["now"])


def seller_cancel(client: httpx.Client, shop: Shop, rng: random.Random) -> None:
    picked = shop.some_order(rng)
    if picked is not None:
        seller, (order_id, _) = picked
        _call(client, shop, "canceled", "POST", f"/sellerflow/v1/orders/{order_id}/cancellation",
              headers={"x-amz-access-token": seller["token"]},
              json={"reason": rng.choice(("BuyerCanceled", "NoInventory"))})


def buyer_cancel(client: httpx.Client, shop: Shop, rng: random.Random) -> None:
    picked = shop.some_order(rng)
    if picked is not None:
        _, (order_id, buyer) = picked
        _call(client, shop, "canceled", "POST", f"/buyer/v1/orders/{order_id}/cancel",
              headers={"Authorization": f"Bearer {buyer}"}, json={"reason": "changed mind"})


def refund(client: httpx.Client, shop: Shop, rng: random.Random) -> None:
    picked = shop.some_order(rng)
    if picked is not None:
        seller, (order_id, _) = picked
        body: dict[str, Any] = {"reason": "CustomerReturn"}
        if rng.random() < 0.5:
            body["amount"] = {"CurrencyCode": "USD", "Amount": "1.00"}
        _call(client, shop, "refunds", "POST", f"/sellerflow/v1/orders/{order_id}/refunds",
              headers={"x-amz-access-token": seller["token"]}, json=body)


def restock(client: httpx.Client, shop: Shop, rng: random.Random) -> None:
    """The seller sets a listing's quantity through the Listings Items API (a NoInventory
    cancellation empties the listing; sold-out listings refill)."""
    seller = rng.choice(shop.sellers)
    _call(client, shop, "restocks", "PATCH",
          f"/listings/2021-08-01/items/{seller['sellerId']}/{rng.choice(SKUS)}",
          params={"marketplaceIds": MARKET}, headers={"x-amz-access-token": seller["token"]},
          json={"productType": "HOME", "patches": [{
              "op": "replace", "path": "/attributes/fulfillment_availability",
              "value": [{"fulfillment_channel_code": "DEFAULT",
                         "quantity": rng.randint(50, 500)}]}]})


def upload(client: httpx.Client, shop: Shop, rng: random.Random) -> None:
    """A shipment-confirmation file of a few of a seller's orders, through the Feeds API."""
    seller = rng.choice(shop.sellers)
    with shop.lock:
        chosen = [order_id for order_id, _ in shop.orders[seller["sellerId"]][-30:]]
    chosen = rng.sample(chosen, min(5, len(chosen)))
    rows = ["order-id\torder-item-id\tquantity\tship-date\tcarrier-code\ttracking-number"]
    today = _now(client)[:10]
    for order_id in chosen:
        for item in _items(client, seller, order_id):
            rows.append(f"{order_id}\t{item['OrderItemId']}\t{item['QuantityOrdered']}\t"
                        f"{today}\tUSPS\t9400{rng.randrange(10**18):018d}")
    headers = {"x-amz-access-token": seller["token"]}
    document = _call(client, shop, "documents", "POST", "/feeds/2021-06-30/documents",
                     headers=headers, json={"contentType": "text/tab-separated-values"})
    if document is None:
        return
    document_id = document.json()["feedDocumentId"]
    stored = _call(client, shop, "stored", "PUT", "/documents/v1/" + document_id,
                   content="\n".join(rows).encode() + b"\n")
    if stored is not None:
        _call(client, shop, "uploads", "POST", "/feeds/2021-06-30/feeds", headers=headers,
              json={"feedType": "POST_FLAT_FILE_FULFILLMENT_DATA", "marketplaceIds": [MARKET],
                    "inputFeedDocumentId": document_id})


def clock_loop(shop: Shop, until: float) -> None:
    """Moves the sandbox clock while the load goes on; the server fires every deadline at its
    own time as it moves."""
    rng = random.Random(0)
    steps, weights = zip(*CLOCK_STEPS.items(), strict=True)
    with httpx.Client(base_url=shop.base, timeout=300) as client:
        while time.time() + CLOCK_EVERY < until and len(FAILURE) < 20:
            time.sleep(CLOCK_EVERY)
            _call(client, shop, "clock-jumps", "POST", "/sandbox/v1/clock/advance",
                  json={"duration": rng.choices(steps, weights)[0]})


ACTIONS: list[tuple[Callable[[httpx.Client, Shop, random.Random], None], int]] = [
    (checkout, 40), (ship, 16), (seller_cancel, 3), (buyer_cancel, 3), (refund, 5),
    (upload, 2), (restock, 3)]


def client_loop(shop: Shop, until: float, seed: int) -> None:
    rng = random.Random(seed)
    actions, weights = zip(*ACTIONS, strict=True)
    with httpx.Client(base_url=shop.base, timeout=120) as client:
        while time.time() < until and len(FAILURE) < 20:
            rng.choices(actions, weights)[0](client, shop, rng)


def seed_marketplace(url: str) -> tuple[list[Any], list[str]]:
    market = open_marketplace(url)
    try:
        sellers = []
        for n in range(SELLERS):
            seller = accounts.create_seller(market, OPERATOR, f"Soak {n}", "professional",
                                            f"soak{n}@example.com")
            for sku, quantity in zip(SKUS, (5_000, 5_000, 300), strict=True):
                listings.set_listing(market, OPERATOR, seller.seller_id, sku, title=sku.title(),
                                     price="12.50", quantity=quantity)
            sellers.append(seller)
        buyers = [accounts.create_buyer(market, OPERATOR, f"buyer{n}@example.com").token
                  for n in range(BUYERS)]
        return sellers, buyers
    finally:
        market.close()


def check_books(url: str) -> dict[str, int]:
    """The invariants, on the database as the load left it; raises SystemExit naming the
    first one broken."""
    market = open_marketplace(url)
    try:
        return market.read(lambda work: _check(work.conn, work.now))
    finally:
        market.close()


def _fail(what: str) -> None:
    raise SystemExit(f"soak FAILED: {what}")


def _check(conn: Connection, now: Any) -> dict[str, int]:
    i = order_items.c
    for row in conn.execute(select(listings_table)):
        open_units, shipped = conn.execute(
            select(func.coalesce(func.sum(i.quantity_ordered - i.quantity_shipped
                                          - i.quantity_canceled), 0),
                   func.coalesce(func.sum(i.quantity_shipped), 0))
            .where(i.seller_id == row.seller_id, i.listing_id == row.listing_id)).one()
        if row.quantity < 0 or row.units_stocked != (row.quantity + open_units + shipped
                                                     + row.units_written_off):
            _fail(f"units of listing {row.seller_id}:{row.sku} do not add up: stocked "
                  f"{row.units_stocked}, on sale {row.quantity}, open {open_units}, shipped "
                  f"{shipped}, written off {row.units_written_off}")
    refunded = dict(conn.execute(select(refunds.c.amazon_order_id,
                                        func.sum(refunds.c.amount_cents))
                                 .group_by(refunds.c.amazon_order_id)).all())
    entries = collections.Counter(
        (order_id, kind) for order_id, kind in conn.execute(
            select(ledger.c.amazon_order_id, ledger.c.kind)))
    shipment_rows = collections.Counter(conn.execute(select(shipments.c.amazon_order_id))
                                        .scalars())
    refund_rows = collections.Counter(conn.execute(select(refunds.c.amazon_order_id))
                                      .scalars())
    chains: dict[str, list[Any]] = collections.defaultdict(list)
    for entry in conn.execute(select(order_history).order_by(order_history.c.id)):
        chains[entry.amazon_order_id].append(entry)
    statuses: collections.Counter[str] = collections.Counter()
    for order in conn.execute(select(orders)):
        oid = order.amazon_order_id
        statuses[order.status] += 1
        if refunded.get(oid, 0) != order.refunded_cents or order.refunded_cents > \
                order.charged_cents:
            _fail(f"order {oid}: refunds {refunded.get(oid, 0)} against refunded "
                  f"{order.refunded_cents} of {order.charged_cents} charged")
        if entries[(oid, "shipment")] != shipment_rows[oid] or \
                entries[(oid, "refund")] != refund_rows[oid]:
            _fail(f"order {oid}: {shipment_rows[oid]} shipments and {refund_rows[oid]} refunds "
                  f"but ledger entries {dict((k, n) for (o, k), n in entries.items() if o == oid)}")
        chain = chains[oid]
        if not chain or chain[0].from_status is not None:
            _fail(f"order {oid}: its history does not start with its placement")
        for before, after in zip(chain, chain[1:], strict=False):
            if after.from_status != before.to_status:
                _fail(f"order {oid}: history goes {before.to_status} then "
                      f"{after.from_status} -> {after.to_status}")
        if chain[-1].to_status != order.status:
            _fail(f"order {oid} is {order.status} but its history ends {chain[-1].to_status}")
        deadline_moves = collections.Counter(
            (e.from_status, e.to_status, e.reason) for e in chain
            if e.cause == "deadline" and e.from_status != e.to_status)
        if any(n > 1 for n in deadline_moves.values()):
            _fail(f"order {oid}: a deadline transition recorded twice: {deadline_moves}")
    due = conn.execute(select(func.count()).select_from(deadlines).where(
        deadlines.c.fired_at.is_(None), deadlines.c.due_at <= now)).scalar_one()
    if due:
        _fail(f"{due} deadlines due by {now} never fired")
    counted = collections.Counter({(seller, status): n for seller, status, n in conn.execute(
        select(orders.c.seller_id, orders.c.status, func.count())
        .group_by(orders.c.seller_id, orders.c.status))})
    kept = {(r.seller_id, r.status): r.orders for r in conn.execute(select(order_counts))
            if r.orders}
    if kept != dict(counted):
        _fail(f"order counts kept {kept} differ from the orders {dict(counted)}")
    fired = conn.execute(select(func.count()).select_from(deadlines)
                         .where(deadlines.c.fired_at.is_not(None))).scalar_one()
    return {"orders": sum(statuses.values()), "deadlines-fired": int(fired),
            **{status.lower(): n for status, n in statuses.items()}}


def soak(minutes: float, clients: int) -> None:
    with database("postgresql") as url:
        initialise(url, sandbox=True)
        sellers, buyers = seed_marketplace(url)
        port = free_port()
        # The server's log (a line per request) goes to a file: a pipe read only at the end
        # would fill up and stop the server.
        log = tempfile.TemporaryFile("w+")
        server = subprocess.Popen(
            [sys.executable, "-m", "sellerflow", "--db", url, "serve", "--port", str(port),
             "--workers", "2"], stderr=log, text=True)
        base = f"http://127.0.0.1:{port}"
        try:
            shop = Shop(base)
            wait_until_up(base)
            shop.sellers = [{"sellerId": seller.seller_id, "token": access_token(base, seller)}
                            for seller in sellers]
            shop.buyers = buyers
            start = time.time()
            until = start + minutes * 60
            threads = [threading.Thread(target=client_loop, args=(shop, until, n))
                       for n in range(clients)]
            threads.append(threading.Thread(target=clock_loop, args=(shop, until)))
            for thread in threads:
                thread.start()
            while any(thread.is_alive() for thread in threads):
                time.sleep(10)
                done = min(1.0, (time.time() - start) / (minutes * 60))
                print(f"  {done:4.0%} {shop.counts['requests']:,} requests, "
                      f"{shop.counts['orders']:,} checkouts, {len(FAILURE)} failures",
                      file=sys.stderr, flush=True)
            took = time.time() - start
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.seek(0)
            errors = "".join(line for line in log if " sellerflow.access " not in line)
            log.close()
        if FAILURE:
            raise SystemExit("soak FAILED under load:\n" + "\n".join(FAILURE[:20])
                             + f"\nserver's log:\n{errors[-3000:]}")
        if server.returncode != 0:
            raise SystemExit(f"the server exited {server.returncode}:\n{errors[-3000:]}")
        # What fell due since the workers' last pass.
        subprocess.run([sys.executable, "-m", "sellerflow", "--db", url, "worker", "--once"],
                       check=True, capture_output=True)
        books = check_books(url)
    c = shop.counts
    statuses = {k: v for k, v in books.items() if k not in ("orders", "deadlines-fired")}
    print(f"soak ok minutes={took / 60:.1f} requests={c['requests']} "
          f"({c['requests'] / took:.0f}/s) refused={c['refused']} orders={books['orders']} "
          f"shipped={c['shipped']} canceled={c['canceled']} refunds={c['refunds']} "
          f"uploads={c['uploads']} clock-jumps={c['clock-jumps']} "
          f"deadlines-fired={books['deadlines-fired']} statuses={json.dumps(statuses)}",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--sweep-orders", type=int, default=100_000,
                        help="orders the worker sweeps while getOrders' p99 is measured")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    soak(args.minutes, args.clients)
    print(sweep_p99(args.sweep_orders, clients=4), flush=True)


if __name__ == "__main__":
    main()

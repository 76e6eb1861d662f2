"""The Manage Orders page against the JSON getOrders route for the same rows, in the same run.

    console-orders-page ratio=R console=X/s getorders=Y/s

A seller with 10,000 orders; the page shows 50 of them (all tab, oldest first, as getOrders
lists them) and getOrders answers the same 50 (MaxResultsPerPage=50), both from one uvicorn
worker, loaded by Debian's `wrk` with 16 connections in alternating rounds. The ratio is the
median of the rounds' ratios. Goal: at least 0.5.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from http_api import ADDRESS, ORDERS, ROUNDS, SERVER, WRK, _free_port, _measure


def main() -> None:
    from sellerflow.domain.callers import Caller
    from sellerflow.domain.placement import CartLine
    from sellerflow.service import accounts, listings
    from sellerflow.service.checkout import Checkout, place_order
    from sellerflow.service.context import open_marketplace
    from sellerflow.service.database import initialise

    if not WRK:
        raise SystemExit("bench/console.py needs Debian's wrk as its load generator: "
                         "apt-get install -y wrk")
    folder = Path(tempfile.mkdtemp(prefix="sf-console-"))
    url = f"sqlite:///{folder}/bench.db"
    initialise(url, sandbox=True)
    market, op = open_marketplace(url), Caller.operator()
    seller = accounts.create_seller(market, op, "Bench", "professional", "b@example.com")
    listings.set_listing(market, op, seller.seller_id, "MUG", title="Mug", price="9.99",
                         quantity=10_000_000)
    accounts.create_buyer(market, op, "buyer@example.com")
    for _ in range(ORDERS):
        place_order(market, op, Checkout("buyer@example.com",
                                         [CartLine(seller.seller_id, "MUG", 1)], ADDRESS))
    market.close()
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, url, str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        browser = httpx.Client(base_url=base, follow_redirects=False)
        for _ in range(200):
            try:
                page = browser.get("/signin")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        signed = browser.post("/signin", data={"csrf_token": csrf, "email": "b@example.com",
                                               "password": seller.password})
        assert signed.status_code == 303, signed.text
        cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
        token = httpx.post(base + "/auth/o2/token", data={
            "grant_type": "refresh_token", "refresh_token": seller.refresh_token,
            "client_id": seller.client_id, "client_secret": seller.client_secret}
        ).json()["access_token"]
        console_path = "/orders-v3?tab=all&sort=purchase-asc&per_page=50"
        api_path = ("/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER"
                    "&CreatedAfter=2000-01-01T00:00:00Z&MaxResultsPerPage=50")
        shown = browser.get(console_path).text
        listed = httpx.get(base + api_path, headers={"x-amz-access-token": token}).json()
        first = listed["payload"]["Orders"]
        assert len(first) == 50 and all(o["AmazonOrderId"] in shown for o in first)
        pages, jsons = [], []
        for _ in range(ROUNDS):
            pages.append(_measure(base, "GET", console_path, {"Cookie": cookie}, None))
            jsons.append(_measure(base, "GET", api_path, {"x-amz-access-token": token}, None))
        ratio = statistics.median(p / j for p, j in zip(pages, jsons, strict=True))
        print(f"console-orders-page ratio={ratio:.2f} console={statistics.median(pages):.0f}/s "
              f"getorders={statistics.median(jsons):.0f}/s", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()

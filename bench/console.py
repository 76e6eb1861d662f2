"""The Manage Orders page against the JSON getOrders route for the same rows, in the same run.

    console-orders-page ratio=R console=X/s getorders=Y/s

A seller with 10,000 orders; the page shows 50 of them (all tab, oldest first, as getOrders
lists them) and getOrders answers the same 50 (MaxResultsPerPage=50), both from one uvicorn
worker, loaded by Debian's `wrk` with 16 connections in alternating rounds. The ratio is the
median of the rounds' ratios. Goal: at least 0.5.
"""

from __future__ import annotations

import statistics

import httpx
from http_api import ROUNDS, _measure, access_token, seeded_server


def main() -> None:
    with seeded_server() as (base, seller):
        browser = httpx.Client(base_url=base, follow_redirects=False)
        page = browser.get("/signin")
        csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        signed = browser.post("/signin", data={"csrf_token": csrf, "email": "b@example.com",
                                               "password": seller.password})
        assert signed.status_code == 303, signed.text
        cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
        token = access_token(base, seller)
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


if __name__ == "__main__":
    main()

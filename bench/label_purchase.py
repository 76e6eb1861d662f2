"""Buying a label against confirming a shipment, on the same kind of orders, in the same run:

    label-purchase ratio=R createShipment=X/s confirmShipment=Y/s

A sandbox seller with Unshipped one-unit orders, served by one uvicorn worker. Each round
confirms ORDERS_PER_ROUND orders with confirmShipment (Orders v0: the seller's own tracking
number) and buys a label for as many others with createShipment (Merchant Fulfillment v0: the
rates worked out, the label drawn as a PDF, the shipment confirmed, the postage charged), from
CONCURRENCY client threads, alternating. The ratio is the median of the rounds' ratios.
Goal: at least 0.5.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from http_api import ADDRESS, SERVER, access_token, free_port, wait_until_up

ROUNDS, ORDERS_PER_ROUND, CONCURRENCY = 5, 200, 8
MARKET = "ATVPDKIKX0DER"
SHIP_FROM = {"Name": "Bench Dock", "AddressLine1": "100 Dock Rd", "City": "Portland",
             "StateOrProvinceCode": "OR", "PostalCode": "97201", "CountryCode": "US",
             "Email": "dock@example.com", "Phone": "5035550100"}


def _seed(url: str, orders: int) -> Any:
    from sellerflow.clock import parse_duration
    from sellerflow.domain.callers import Caller
    from sellerflow.domain.placement import CartLine
    from sellerflow.service import accounts, clock, listings
    from sellerflow.service.checkout import Checkout, place_order
    from sellerflow.service.context import open_marketplace
    from sellerflow.service.database import initialise

    initialise(url, sandbox=True)
    market, op = open_marketplace(url), Caller.operator()
    seller = accounts.create_seller(market, op, "Bench", "professional", "b@example.com")
    listings.set_listing(market, op, seller.seller_id, "MUG", title="Mug", price="9.99",
                         quantity=10_000_000)
    accounts.create_buyer(market, op, "buyer@example.com")
    for _ in range(orders):
        place_order(market, op, Checkout("buyer@example.com",
                                         [CartLine(seller.seller_id, "MUG", 1)], ADDRESS))
    clock.advance(market, op, parse_duration("31m"))     # the holds end: all Unshipped
    market.close()
    return seller


def _rate(calls: list[Callable[[httpx.Client], httpx.Response]], base: str) -> float:
    """Calls per second, CONCURRENCY at a time; every answer must be a success."""
    clients = [httpx.Client(base_url=base, timeout=60) for _ in range(CONCURRENCY)]
    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        answers = list(pool.map(lambda n: calls[n](clients[n % CONCURRENCY]),
                                range(len(calls))))
    elapsed = time.perf_counter() - started
    for answer in answers:
        if answer.status_code >= 300:
            raise SystemExit(f"{answer.request.method} {answer.request.url.path}: "
                             f"{answer.status_code} {answer.text[:300]}")
    return len(calls) / elapsed


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="sf-labels-"))
    url = f"sqlite:///{folder}/bench.db"
    seller = _seed(url, 2 * ROUNDS * ORDERS_PER_ROUND)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, url, str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        token = access_token(base, seller)
        headers = {"x-amz-access-token": token}
        control = httpx.Client(base_url=base, headers=headers, timeout=60)
        rdt = control.post("/tokens/2021-03-01/restrictedDataToken", json={
            "restrictedResources": [{"method": "POST", "path": "/mfn/v0/shipments"}]}
        ).json()["restrictedDataToken"]
        orders, after = [], None
        while True:
            params = {"MarketplaceIds": MARKET, "CreatedAfter": "2000-01-01T00:00:00Z",
                      "MaxResultsPerPage": "100", **({"NextToken": after} if after else {})}
            page = control.get("/orders/v0/orders", params=params).json()["payload"]
            orders += [o["AmazonOrderId"] for o in page["Orders"]]
            after = page.get("NextToken")
            if not after:
                break
        now = control.get("/sandbox/v1/clock").json()["now"]
        items = {o: control.get(f"/orders/v0/orders/{o}/orderItems").json()["payload"][
            "OrderItems"][0]["OrderItemId"] for o in orders}

        def confirm(order_id: str) -> Callable[[httpx.Client], httpx.Response]:
            return lambda client: client.post(
                f"/orders/v0/orders/{order_id}/shipmentConfirmation", headers=headers, json={
                    "marketplaceId": MARKET, "packageDetail": {
                        "packageReferenceId": "1", "carrierCode": "UPS",
                        "trackingNumber": "1Z999AA10123456784",
                        "shipDate": now,
                        "orderItems": [{"orderItemId": items[order_id], "quantity": 1}]}})

        def buy(order_id: str) -> Callable[[httpx.Client], httpx.Response]:
            return lambda client: client.post(
                "/mfn/v0/shipments", headers={"x-amz-access-token": rdt}, json={
                    "ShippingServiceId": "USPS_PTP_GA", "ShipmentRequestDetails": {
                        "AmazonOrderId": order_id,
                        "ItemList": [{"OrderItemId": items[order_id], "Quantity": 1}],
                        "ShipFromAddress": SHIP_FROM,
                        "PackageDimensions": {"Length": 9, "Width": 6, "Height": 3,
                                              "Unit": "inches"},
                        "Weight": {"Value": 14, "Unit": "oz"},
                        "ShippingServiceOptions": {"DeliveryExperience": "NoTracking",
                                                   "CarrierWillPickUp": False,
                                                   "LabelFormat": "PDF"}}})

        confirms, labels = [], []
        for n in range(ROUNDS):
            chunk = orders[2 * n * ORDERS_PER_ROUND:2 * (n + 1) * ORDERS_PER_ROUND]
            confirms.append(_rate([confirm(o) for o in chunk[:ORDERS_PER_ROUND]], base))
            labels.append(_rate([buy(o) for o in chunk[ORDERS_PER_ROUND:]], base))
        ratio = statistics.median(b / c for b, c in zip(labels, confirms, strict=True))
        print(f"label-purchase ratio={ratio:.2f} "
              f"createShipment={statistics.median(labels):.0f}/s "
              f"confirmShipment={statistics.median(confirms):.0f}/s", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()

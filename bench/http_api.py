"""HTTP throughput of `sellerflow serve` (one uvicorn worker) against a floor on the same
server process: a route of the same app answering a precomputed body of the same size.

Debian's `wrk`, in its own process, keeps 16 connections busy for a few seconds per target
(`apt-get install wrk`), alternating sellerflow and floor rounds; the ratio is the median of
the rounds' ratios, the rates the median rounds.

    checkout-http ratio=R sellerflow=X/s floor=Y/s     POST /buyer/v1/checkout, 1 unit
    getorders-http ratio=R sellerflow=X/s floor=Y/s    getOrders, MaxResultsPerPage=20, over
                                                       a seller with 10,000 orders
    searchorders-http ratio=R sellerflow=X/s floor=Y/s searchOrders (Orders 2026-01-01),
                                                       maxResultsPerPage=20, the same seller
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROUNDS, SECONDS, CONCURRENCY, ORDERS = 7, 3, 16, 10_000
WRK = shutil.which("wrk") or ""
ADDRESS = {"Name": "Jane Doe", "AddressLine1": "1 Main St", "City": "Seattle",
           "StateOrRegion": "WA", "PostalCode": "98101", "CountryCode": "US"}

SERVER = '''
import sys
import uvicorn
from fastapi import Request, Response
from sellerflow.api.app import create_app
from sellerflow.service.context import open_marketplace

app = create_app(open_marketplace(sys.argv[1]), throttle=False)
bodies = {}

@app.api_route("/bench/floor", methods=["GET", "POST"])
async def floor(request: Request, size: int) -> Response:
    await request.body()
    if size not in bodies:
        bodies[size] = b'{"x": "' + b"x" * (size - 9) + b'"}'
    return Response(bodies[size], media_type="application/json")

# Where a route of the API would be: after the API's routes, before the catch-all answers
# for SP-API paths not served and the console that answers every other path.
from sellerflow.api import unserved
routes = app.router.routes
routes.insert(next(n for n, r in enumerate(routes)
                   if getattr(r, "original_router", None) is unserved.router
                   or getattr(r, "name", "") == "console"), routes.pop())
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
'''


def _lua(method: str, headers: dict[str, str], body: bytes | None) -> str:
    """wrk's request script: the method, headers and body of every request."""
    lines = [f"wrk.method = {json.dumps(method)}"]
    lines += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()]
    if body:
        lines.append(f"wrk.body = {json.dumps(body.decode())}")
    # Any answer but a success makes the round fail: a benchmark of errors measures nothing.
    lines.append("response = function(status, headers, body) "
                 "if status >= 300 then print(body); os.exit(1) end end")
    return "\n".join(lines) + "\n"


def _measure(base: str, method: str, path: str, headers: dict[str, str],
             body: bytes | None) -> float:
    """Requests per second that wrk, in its own process, gets with CONCURRENCY connections."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(method, headers, body))
    out = subprocess.run([WRK, "-t1", f"-c{CONCURRENCY}", f"-d{SECONDS}s", "-s", script.name,
                          base + path], capture_output=True, text=True)
    Path(script.name).unlink()
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out.stdout)
    if out.returncode != 0 or rate is None or "Non-2xx" in out.stdout:
        raise SystemExit(f"wrk failed on {method} {path}:\n{out.stdout}{out.stderr}")
    return float(rate.group(1))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def seeded_server() -> Iterator[tuple[str, Any]]:
    """A sandbox database with one seller of ORDERS orders, served by one uvicorn worker (the
    floor route added); yields the server's address and the seller's credentials."""
    from sellerflow.clock import parse_duration
    from sellerflow.domain.callers import Caller
    from sellerflow.domain.placement import CartLine
    from sellerflow.service import accounts, clock, listings
    from sellerflow.service.checkout import Checkout, place_order
    from sellerflow.service.context import open_marketplace
    from sellerflow.service.database import initialise

    if not WRK:
        raise SystemExit("the HTTP benchmarks need Debian's wrk as their load generator: "
                         "apt-get install -y wrk")
    folder = Path(tempfile.mkdtemp(prefix="sf-http-"))
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
    # searchOrders ends two minutes before now: the sandbox clock moves past that (the
    # orders stay Pending, their holds are 30 minutes).
    clock.advance(market, op, parse_duration("3m"))
    market.close()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, url, str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        yield base, seller
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_until_up(base: str, seconds: float = 30) -> None:
    """Once the server at `base` answers (a server process takes a moment to start)."""
    for _ in range(int(seconds * 10)):
        try:
            httpx.get(base + "/sandbox/v1/clock")
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"the server at {base} did not answer within {seconds:.0f} s")


def access_token(base: str, seller: Any) -> str:
    return str(httpx.post(base + "/auth/o2/token", data={
        "grant_type": "refresh_token", "refresh_token": seller.refresh_token,
        "client_id": seller.client_id, "client_secret": seller.client_secret}
    ).json()["access_token"])


def main() -> None:
    with seeded_server() as (base, seller):
        buyer_token = httpx.post(base + "/sandbox/v1/buyers",
                                 json={"email": "checkout@example.com"}).json()["token"]
        token = access_token(base, seller)
        checkout = json.dumps({"items": [{"sellerId": seller.seller_id, "sku": "MUG",
                                          "quantity": 1}], "shippingAddress": ADDRESS}).encode()
        targets = {
            "checkout-http": ("POST", "/buyer/v1/checkout",
                              {"Authorization": f"Bearer {buyer_token}",
                               "Content-Type": "application/json"}, checkout),
            "getorders-http": ("GET", "/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER"
                                      "&CreatedAfter=2000-01-01T00:00:00Z&MaxResultsPerPage=20",
                               {"x-amz-access-token": token}, None),
            "searchorders-http": ("GET", "/orders/2026-01-01/orders?marketplaceIds=ATVPDKIKX0DER"
                                         "&createdAfter=2000-01-01T00:00:00Z"
                                         "&maxResultsPerPage=20",
                                  {"x-amz-access-token": token}, None),
        }
        for name, (method, path, headers, body) in targets.items():
            sample = httpx.request(method, base + path, headers=headers, content=body)
            size = len(sample.content)
            ours, floors = [], []
            for _ in range(ROUNDS):
                ours.append(_measure(base, method, path, headers, body))
                floors.append(_measure(base, method, f"/bench/floor?size={size}",
                                       {"Content-Type": "application/json"}, body))
            # Each round's ratio sets sellerflow beside the floor measured right after it, so a
            # machine that slows down or speeds up during the run moves both alike.
            ratio = statistics.median(m / f for m, f in zip(ours, floors, strict=True))
            mine, floor = statistics.median(ours), statistics.median(floors)
            # Three decimals: a ratio at its goal's line shows on which side it is.
            print(f"{name} ratio={ratio:.3f} sellerflow={mine:.0f}/s floor={floor:.0f}/s",
                  flush=True)


if __name__ == "__main__":
    main()

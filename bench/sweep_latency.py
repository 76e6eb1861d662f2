"""getOrders' latency while the worker sweeps 100,000 orders, against the same server idle.

A PostgreSQL sandbox gets ORDERS orders placed over one sandbox day by `sellerflow demo`
(checkout's own code, a thousand a transaction); the clock ends at the day's end, so every
order's 30-minute hold is due and nothing has fired it. `sellerflow serve --workers 2
--no-worker` serves it. Client threads call getOrders (one seller, 20 a page) in a loop:
first for IDLE_SECONDS with nothing else running, then while `sellerflow worker --once` (the
process `serve` runs beside itself) fires every due deadline, 500 orders a transaction. The
ratio is the p99 during the sweep over the idle p99 (goal: at most 5).

    sweep-p99 ratio=R idle-p99=Xms sweep-p99=Yms idle-median=.. sweep-median=..
        requests=N fired=F sweep=Ss orders=O

    python bench/sweep_latency.py [--orders N] [--clients N]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from http_api import access_token, free_port, wait_until_up  # noqa: E402
from sweep import OPERATOR, database  # noqa: E402

from sellerflow.service import credentials  # noqa: E402
from sellerflow.service.context import open_marketplace  # noqa: E402
from sellerflow.store import deadlines  # noqa: E402

ORDERS, CLIENTS, IDLE_SECONDS, GOAL = 100_000, 4, 20.0, 5.0
SELLERFLOW = [sys.executable, "-m", "sellerflow"]


def _p99(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def _load(base: str, token: str, clients: int, until: Callable[[], bool]) -> list[float]:
    """Seconds each getOrders took, from `clients` threads calling until `until()`."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            while not until() and not failures:
                start = time.perf_counter()
                answer = http.get("/orders/v0/orders", headers={"x-amz-access-token": token},
                                  params={"MarketplaceIds": "ATVPDKIKX0DER",
                                          "CreatedAfter": "2000-01-01T00:00:00Z",
                                          "MaxResultsPerPage": "20"})
                took = time.perf_counter() - start
                with lock:
                    if answer.status_code != 200:
                        failures.append(f"{answer.status_code} {answer.text[:300]}")
                    latencies.append(took)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"sweep-p99 FAILED: getOrders answered {failures[0]}")
    return latencies


def measure(orders: int, clients: int) -> str:
    with database("postgresql") as url:
        subprocess.run([*SELLERFLOW, "--db", url, "init", "--sandbox"], check=True,
                       capture_output=True)
        print(f"  placing {orders:,} orders over one sandbox day", file=sys.stderr, flush=True)
        made = subprocess.run([*SELLERFLOW, "--db", url, "--json", "demo", "--orders",
                               str(orders), "--days", "1"], check=True, capture_output=True,
                              text=True)
        demo = json.loads(made.stdout)
        market = open_marketplace(url)
        try:
            seller = credentials.rotate_seller_credentials(market, OPERATOR,
                                                           demo["sellerIds"][0])
        finally:
            market.close()
        port = free_port()
        log = tempfile.TemporaryFile("w+")
        server = subprocess.Popen([*SELLERFLOW, "--db", url, "serve", "--port", str(port),
                                   "--workers", "2", "--no-worker"], stderr=log, text=True)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base)
            token = access_token(base, seller)
            warm_until = time.time() + 3    # the pools' connections opened, code paths run
            _load(base, token, clients, lambda: time.time() > warm_until)
            idle_until = time.time() + IDLE_SECONDS
            idle = _load(base, token, clients, lambda: time.time() > idle_until)
            print(f"  idle: {len(idle):,} requests; sweeping {demo['due']:,} due deadlines",
                  file=sys.stderr, flush=True)
            started = time.time()
            worker = subprocess.Popen([*SELLERFLOW, "--db", url, "worker", "--once"],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True)
            during = _load(base, token, clients, lambda: worker.poll() is not None)
            swept = time.time() - started
            out, err = worker.communicate()
            if worker.returncode != 0:
                raise SystemExit(f"sweep-p99 FAILED: the worker exited {worker.returncode}:\n"
                                 f"{out}{err}")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
            log.close()
        market = open_marketplace(url)
        try:
            left = market.read(lambda work: deadlines.count_unfired_due(work.conn, work.now))
        finally:
            market.close()
        if left:
            raise SystemExit(f"sweep-p99 FAILED: {left} deadlines still due after the sweep")
    ratio = _p99(during) / _p99(idle)
    verdict = "" if ratio <= GOAL else f" (over the goal of {GOAL:g})"
    return (f"sweep-p99 ratio={ratio:.2f} idle-p99={_p99(idle) * 1000:.0f}ms "
            f"sweep-p99={_p99(during) * 1000:.0f}ms "
            f"idle-median={statistics.median(idle) * 1000:.0f}ms "
            f"sweep-median={statistics.median(during) * 1000:.0f}ms "
            f"requests={len(idle) + len(during)} due={demo['due']} sweep={swept:.0f}s "
            f"orders={orders}{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--orders", type=int, default=ORDERS)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    args = parser.parse_args()
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    print(measure(args.orders, args.clients), flush=True)


if __name__ == "__main__":
    main()

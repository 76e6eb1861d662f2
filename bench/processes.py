"""Several processes on one PostgreSQL database: placements with 1, 2 and 4 client
processes, and hold releases with 1, 2 and 3 worker processes.

Placements: each client process checks out one-unit orders for its own seller (shops of one
marketplace), one order per transaction, for SECONDS; the rate is all processes' orders over
the time. Sweeps: the data-set generator places ORDERS orders, the clock moves 31 minutes, and
a copy of that database (CREATE DATABASE ... TEMPLATE) is swept by 1, 2 and 3 `sweep` worker
processes at once; the rate is the holds released over the time until every process found
nothing more due. After each sweep every due deadline must have fired exactly once.

    placement-pg-1proc rate=X/s
    placement-pg-4proc rate=X/s scaling=S        S: the rate over the 1-process rate
    sweep-pg-1workers rate=X/s
    sweep-pg-3workers rate=X/s scaling=S

    python bench/processes.py [--seconds S] [--orders N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).parent))
from sweep import ADDRESS, OPERATOR, PG_ADMIN, database  # noqa: E402

from sellerflow.domain.placement import CartLine  # noqa: E402
from sellerflow.service import accounts, dataset, listings  # noqa: E402
from sellerflow.service.checkout import Checkout, place_order  # noqa: E402
from sellerflow.service.context import open_marketplace  # noqa: E402
from sellerflow.service.database import initialise  # noqa: E402
from sellerflow.service.deadlines import sweep  # noqa: E402
from sellerflow.store import deadlines as deadline_store  # noqa: E402
from sellerflow.store.settings import set_clock


def _place_for(url: str, seller_id: str, seconds: float, start: float,
               placed: multiprocessing.Queue[int]) -> None:
    market = open_marketplace(url)
    checkout = Checkout("buyer@example.com", [CartLine(seller_id, "MUG", 1)], ADDRESS)
    while time.time() < start:
        time.sleep(0.001)
    count = 0
    while time.time() < start + seconds:
        place_order(market, OPERATOR, checkout)
        count += 1
    market.close()
    placed.put(count)


def placements(seconds: float) -> None:
    with database("postgresql") as url:
        initialise(url, sandbox=True)
        market = open_marketplace(url)
        sellers = []
        for n in range(4):
            seller = accounts.create_seller(market, OPERATOR, f"Shop {n}", "professional",
                                            f"shop{n}@example.com")
            listings.set_listing(market, OPERATOR, seller.seller_id, "MUG", title="Mug",
                                 price="9.99", quantity=10_000_000)
            sellers.append(seller.seller_id)
        accounts.create_buyer(market, OPERATOR, "buyer@example.com")
        market.close()
        single = 0.0
        for processes in (1, 2, 4):
            queue: multiprocessing.Queue[int] = multiprocessing.Queue()
            start = time.time() + 2        # every process imported and connected by then
            workers = [multiprocessing.Process(target=_place_for,
                                               args=(url, sellers[n], seconds, start, queue))
                       for n in range(processes)]
            for worker in workers:
                worker.start()
            total = sum(queue.get() for _ in workers)
            for worker in workers:
                worker.join()
            rate = total / seconds
            single = single or rate
            scaling = "" if processes == 1 else f" scaling={rate / single:.2f}"
            print(f"placement-pg-{processes}proc rate={rate:.0f}/s{scaling}", flush=True)


def _sweep(url: str, start: float, fired: multiprocessing.Queue[int]) -> None:
    market = open_marketplace(url)
    while time.time() < start:
        time.sleep(0.001)
    fired.put(sweep(market))
    market.close()


def sweeps(orders: int) -> None:
    with database("postgresql") as url:
        initialise(url, sandbox=True)
        market = open_marketplace(url)
        dataset.generate(market, OPERATOR, orders, days=1, sellers=4, buyers=max(1, orders // 10))
        # Every order's hold ends; nothing else falls due within 31 minutes of the last one.
        market.run(lambda work: set_clock(work.conn, work.now + timedelta(minutes=31)))
        due = market.read(lambda work: deadline_store.count_unfired_due(work.conn, work.now))
        market.close()
        template = url.rsplit("/", 1)[1]
        single = 0.0
        for workers in (1, 2, 3):
            name = f"sf_sweep_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            copy = url.rsplit("/", 1)[0] + f"/{name}"
            try:
                queue: multiprocessing.Queue[int] = multiprocessing.Queue()
                start = time.time() + 2
                processes = [multiprocessing.Process(target=_sweep, args=(copy, start, queue))
                             for _ in range(workers)]
                for process in processes:
                    process.start()
                fired = sum(queue.get() for _ in processes)
                took = time.time() - start
                for process in processes:
                    process.join()
                check = open_marketplace(copy)
                left = check.read(lambda work: deadline_store.count_unfired_due(work.conn,
                                                                                work.now))
                check.close()
                if fired != due or left:
                    raise SystemExit(f"{workers} workers fired {fired} of {due} due deadlines "
                                     f"({left} left unfired)")
            finally:
                with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            rate = fired / took
            single = single or rate
            scaling = "" if workers == 1 else f" scaling={rate / single:.2f}"
            print(f"sweep-pg-{workers}workers rate={rate:.0f}/s{scaling}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args()
    placements(args.seconds)
    sweeps(args.orders)


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    main()

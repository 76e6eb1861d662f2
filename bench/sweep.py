"""Whether the deadline sweep keeps up with checkout: hold releases per second against
placements per second, on the same database in the same run.

A sandbox database of each kind gets ORDERS orders of one seller (one item each) placed one
by one through the checkout service, as buyers place them; then the clock moves 31 minutes
and the sweep releases every one of them when its 30-minute hold ends (their history,
promise dates and the two notifications each, queued), as the worker's sweep does when it
wakes. The notifications' delivery is the dispatcher's, measured apart. Between the two,
PostgreSQL's statistics are refreshed (ANALYZE), as its autovacuum would have done
meanwhile. The ratio is releases/s over placements/s: at 1.0 or more the sweeper releases
orders at least as fast as they arrive.

    sweep-release-sqlite ratio=R releases=X/s placements=Y/s
    sweep-release-postgresql ratio=R releases=X/s placements=Y/s
    dispatch-KIND ratio=R notifications=X/s placements=Y/s   (two notifications an order)

    python bench/sweep.py [--orders N] [--database sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import psycopg

from sellerflow.domain.callers import Caller
from sellerflow.domain.placement import CartLine
from sellerflow.service import accounts, listings, notifications
from sellerflow.service.checkout import Checkout, place_order
from sellerflow.service.context import Marketplace, open_marketplace
from sellerflow.service.database import initialise
from sellerflow.service.deadlines import sweep
from sellerflow.store import db
from sellerflow.store.settings import set_clock

OPERATOR = Caller.operator()
PG_ADMIN = os.environ.get("SELLERFLOW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
ADDRESS = {"Name": "Jane Doe", "AddressLine1": "1 Main St", "City": "Seattle",
           "StateOrRegion": "WA", "PostalCode": "98101", "CountryCode": "US"}


@contextmanager
def database(kind: str) -> Iterator[str]:
    """The URL of a new, empty database of this kind, dropped afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="sf-sweep-") as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    name = f"sf_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") \
            + f"/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def timed(what: Callable[[], object]) -> float:
    start = time.perf_counter()
    what()
    return time.perf_counter() - start


def place_all(market: Marketplace, seller_id: str, count: int) -> None:
    checkout = Checkout("buyer@example.com", [CartLine(seller_id, "MUG", 1)], ADDRESS)
    for n in range(count):
        place_order(market, OPERATOR, checkout)
        if n % 10_000 == 9_999:
            print(f"  placed {n + 1:,}", file=sys.stderr, flush=True)


def run(kind: str, count: int) -> None:
    with database(kind) as url:
        initialise(url, sandbox=True)
        market = open_marketplace(url)
        try:
            seller = accounts.create_seller(market, OPERATOR, "Bench", "professional",
                                            "bench@example.com")
            listings.set_listing(market, OPERATOR, seller.seller_id, "MUG", title="Mug",
                                 price="9.99", quantity=10_000_000)
            accounts.create_buyer(market, OPERATOR, "buyer@example.com")
            placing = timed(lambda: place_all(market, seller.seller_id, count))
            # What PostgreSQL's autovacuum does while orders pour in (this machine's server
            # runs without it): the planner then knows the seller's orders are many.
            market.run(lambda work: db.analyze(work.conn))
            market.run(lambda work: set_clock(work.conn,
                                                     work.now + timedelta(minutes=31)))
            fired = 0

            def release() -> None:
                nonlocal fired
                fired = sweep(market)

            releasing = timed(release)
            delivering = timed(lambda: notifications.dispatch(market, limit=10 * count))
        finally:
            market.close()
    if fired != count:
        raise SystemExit(f"the sweep fired {fired} deadlines; {count} holds were due")
    placements, releases = count / placing, count / releasing
    print(f"sweep-release-{kind} ratio={releases / placements:.2f} releases={releases:.0f}/s "
          f"placements={placements:.0f}/s", flush=True)
    print(f"dispatch-{kind} ratio={2 * count / delivering / placements:.2f} "
          f"notifications={2 * count / delivering:.0f}/s placements={placements:.0f}/s",
          flush=True)


def run_each(doc: str, default_orders: int, run: Callable[[str, int], None]) -> None:
    """A benchmark's command line, `[--orders N] [--database sqlite|postgresql]...`: runs it
    on each database kind asked for (both by default)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=default_orders)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), action="append")
    args = parser.parse_args()
    for kind in args.database or ("sqlite", "postgresql"):
        run(kind, args.orders)


def main() -> None:
    run_each(__doc__ or "", 100_000, run)


if __name__ == "__main__":
    main()

"""Command start-up: `sellerflow orders SELLER` on a small database against the floor of
importing the libraries every command needs (`python -c "import sqlalchemy, typer, rich"`).

Both run as new processes, alternating (who goes first alternates too), and the median of
each counts. Prints:

    cli-startup ratio=R floor=Xms sellerflow=Yms
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sellerflow.domain.callers import Caller
from sellerflow.domain.placement import CartLine
from sellerflow.service import accounts, listings
from sellerflow.service.checkout import Checkout, place_order
from sellerflow.service.context import open_marketplace
from sellerflow.service.database import initialise

OPERATOR = Caller.operator()
ADDRESS = {"Name": "Jane Doe", "AddressLine1": "1 Main St", "City": "Seattle",
           "StateOrRegion": "WA", "PostalCode": "98101", "CountryCode": "US"}


def small_database(folder: Path) -> tuple[str, str]:
    """A sandbox with one seller and a screenful of orders; returns (url, seller id)."""
    url = f"sqlite:///{folder}/small.db"
    initialise(url, sandbox=True)
    market = open_marketplace(url)
    seller = accounts.create_seller(market, OPERATOR, "Bench", "professional",
                                    "bench@example.com").seller_id
    listings.set_listing(market, OPERATOR, seller, "SKU", title="Bench item", price="9.99",
                         quantity=100)
    for _ in range(10):
        place_order(market, OPERATOR, Checkout("buyer@example.com",
                                               [CartLine(seller, "SKU", 1)], ADDRESS))
    market.close()
    return url, seller


def _seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    command = Path(sys.executable).with_name("sellerflow")
    with tempfile.TemporaryDirectory() as folder:
        url, seller = small_database(Path(folder))
        sides = {"floor": [sys.executable, "-c", "import sqlalchemy, typer, rich"],
                 "ours": [str(command), "--db", url, "orders", seller]}
        times: dict[str, list[float]] = {"floor": [], "ours": []}
        for side in sides:
            _seconds(sides[side])    # warm the file cache
        for n in range(args.runs):
            for side in ("floor", "ours") if n % 2 == 0 else ("ours", "floor"):
                times[side].append(_seconds(sides[side]))
    floor, ours = statistics.median(times["floor"]), statistics.median(times["ours"])
    print(f"cli-startup ratio={floor / ours:.2f} floor={floor * 1000:.0f}ms "
          f"sellerflow={ours * 1000:.0f}ms", flush=True)


if __name__ == "__main__":
    sys.exit(main())

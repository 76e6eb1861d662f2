"""Builders for tests: sellers, listings, orders and clock moves through the real services."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Connection, func, select

from sellerflow.clock import parse_duration
from sellerflow.domain.callers import Caller
from sellerflow.domain.fulfillment import ShipmentRequest
from sellerflow.domain.placement import CartLine
from sellerflow.service import accounts, fulfillment, listings, notifications
from sellerflow.service import clock as clock_service
from sellerflow.service import orders as order_service
from sellerflow.service.checkout import Checkout, place_order
from sellerflow.service.context import Marketplace
from sellerflow.service.metrics import seller_metrics
from sellerflow.service.views import Confirmation
from sellerflow.store.schema import listings as listings_table
from sellerflow.store.schema import order_counts, order_items
from sellerflow.store.schema import orders as orders_table
from sellerflow.wire import (
    detail_to_wire,
    ledger_to_wire,
    mail_to_wire,
    metrics_to_wire,
    row_to_wire,
)

# The operator: the command line's caller, acting for every seller.
OP = Caller.operator()

ADDRESS = {"Name": "Jane Doe", "AddressLine1": "1 Main St", "City": "Seattle",
           "StateOrRegion": "WA", "PostalCode": "98101", "CountryCode": "US"}
OTHER_ADDRESS = {"Name": "Jane Doe", "AddressLine1": "500 Office Park Dr", "City": "Portland",
                 "StateOrRegion": "OR", "PostalCode": "97205", "CountryCode": "US"}
UPS_TRACKING = "1Z999AA10123456784"


def seller(market: Marketplace, plan: str = "professional", email: str = "shop@example.com",
           time_zone: str | None = None) -> str:
    return accounts.create_seller(market, OP, "Shop", plan, email, time_zone).seller_id


def listing(market: Marketplace, seller_id: str, sku: str = "MUG", quantity: int = 10,
            price: str = "10.00", handling_days: int = 2) -> None:
    listings.set_listing(market, OP, seller_id, sku, title=f"Item {sku}", price=price,
                         quantity=quantity, handling_days=handling_days)


def quantity(market: Marketplace, seller_id: str, sku: str = "MUG") -> int:
    return listings.get_listing(market, OP, seller_id, sku).quantity


def place(market: Marketplace, seller_id: str, sku: str = "MUG", qty: int = 1, *,
          payment: str = "ok", level: str = "Standard", buyer: str = "buyer@example.com",
          lines: list[CartLine] | None = None, key: str | None = None,
          address: dict[str, str] | None = None) -> str:
    result = place_order(market, OP, Checkout(buyer, lines or [CartLine(seller_id, sku, qty)],
                                          address or ADDRESS, level, payment, key))
    return result[0].order_id


def advance(market: Marketplace, duration: str) -> int:
    return clock_service.advance(market, OP, parse_duration(duration)).fired


def released(market: Marketplace, seller_id: str, sku: str = "MUG", qty: int = 1,
             **kwargs: Any) -> str:
    order_id = place(market, seller_id, sku, qty, **kwargs)
    advance(market, "30m")
    return order_id


def view(market: Marketplace, order_id: str) -> dict[str, Any]:
    return detail_to_wire(order_service.show(market, OP, order_id))


def status(market: Marketplace, order_id: str) -> str:
    return str(view(market, order_id)["order"]["OrderStatus"])


def history(market: Marketplace, order_id: str) -> list[dict[str, Any]]:
    return list(view(market, order_id)["history"])


def ship(market: Marketplace, order_id: str, lines: tuple[tuple[str, int], ...] | None = None,
         tracking: str = UPS_TRACKING, carrier: str = "UPS", **kwargs: Any
         ) -> Confirmation:
    return fulfillment.ship(market, OP, order_id, ShipmentRequest(
        carrier=carrier, tracking_number=tracking, lines=lines, **kwargs))


def item_id(market: Marketplace, order_id: str, n: int = 0) -> str:
    return str(view(market, order_id)["items"][n]["OrderItemId"])


def orders(market: Marketplace, seller_id: str, status: str | None = None,
           caller: Caller = OP) -> list[dict[str, Any]]:
    """Manage Orders rows as `orders --json` prints them."""
    rows, token = [], None
    while True:
        page = order_service.manage_orders(market, caller, seller_id, status, next_token=token)
        rows += [row_to_wire(r) for r in page.rows]
        if page.next_token is None:
            return rows
        token = page.next_token


def ledger(market: Marketplace, seller_id: str) -> dict[str, Any]:
    return ledger_to_wire(fulfillment.seller_ledger(market, OP, seller_id))


def mailbox(market: Marketplace, to: str | None = None) -> list[dict[str, Any]]:
    return [mail_to_wire(m) for m in notifications.mailbox(market, OP, to)]


@contextmanager
def reading(market: Marketplace) -> Iterator[Connection]:
    """A read-only connection, for tests that look at the rows themselves."""
    with market.reading() as work:
        yield work.conn


@contextmanager
def writing(market: Marketplace) -> Iterator[Connection]:
    with market.writing() as work:
        yield work.conn


def snapshot(market: Marketplace) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to show that a refused command wrote nothing."""
    from sellerflow.store.schema import metadata
    with reading(market) as conn:
        return {table.name: sorted((tuple(row) for row in conn.execute(table.select())), key=repr)
                for table in metadata.sorted_tables}


def rows_without_ids(market: Marketplace, tables: Sequence[str] | None = None,
                     also: Sequence[str] = ()) -> dict[str, list[str]]:
    """Every row of these tables (default all) without its sequence number, which follows the
    order rows were written in, nor the columns named in `also`: for comparing two databases
    that should hold the same."""
    from sellerflow.store.schema import metadata
    skipped = {"id", *also}
    with reading(market) as conn:
        return {table.name: sorted(repr({k: v for k, v in row._mapping.items()
                                         if k not in skipped})
                                   for row in conn.execute(table.select()))
                for table in metadata.sorted_tables if tables is None or table.name in tables}


def metrics(market: Marketplace, seller_id: str) -> dict[str, Any]:
    return metrics_to_wire(seller_metrics(market, OP, seller_id))


def assert_every_unit_is_accounted_for(market: Marketplace) -> None:
    """Every unit a listing ever stocked is on sale, open in an order, shipped or written off
    (L2-L4), and no listing's quantity is negative."""
    with reading(market) as conn:
        for row in conn.execute(select(listings_table)):
            i = order_items.c
            open_units, shipped = conn.execute(
                select(func.coalesce(func.sum(i.quantity_ordered - i.quantity_shipped
                                              - i.quantity_canceled), 0),
                       func.coalesce(func.sum(i.quantity_shipped), 0))
                .where(i.listing_id == row.listing_id)).one()
            assert row.quantity >= 0
            assert row.units_stocked == (row.quantity + open_units + shipped
                                         + row.units_written_off), row


def assert_order_counts_match_the_orders(market: Marketplace) -> None:
    """Each seller's kept count of orders per status (Manage Orders' tabs) is the count of
    its orders of that status (a status without a kept count counts 0)."""
    with reading(market) as conn:
        counted = {(r.seller_id, r.status): r.n for r in conn.execute(
            select(orders_table.c.seller_id, orders_table.c.status, func.count().label("n"))
            .group_by(orders_table.c.seller_id, orders_table.c.status))}
        kept = {(r.seller_id, r.status): r.orders for r in conn.execute(select(order_counts))}
    assert {key: n for key, n in kept.items() if n} == counted


class Served(subprocess.Popen[str]):
    """A server whose stderr (its log: a line per request) goes to a file, read whole by
    `communicate` once it has stopped: a pipe nobody reads fills up and stops the server."""

    log: Path

    def communicate(self, input: str | None = None,  # noqa: A002 - Popen's own name
                    timeout: float | None = None) -> tuple[str, str]:
        self.wait(timeout)
        return "", self.log.read_text()


def start_serve(url: str, *options: str) -> tuple[Served, str]:
    """`sellerflow serve` on a free port, returned once it answers: its process (whose
    `communicate` gives its log) and its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    log = Path(tempfile.mkstemp(prefix="sellerflow-serve-", suffix=".log")[1])
    with log.open("w") as stderr:
        process = Served([sys.executable, "-m", "sellerflow", "--db", url, "serve",
                          "--port", str(port), *options],
                         stdout=subprocess.DEVNULL, stderr=stderr, text=True)
    process.log = log
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(base + "/sandbox/v1/clock")
            return process, base
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                _, err = process.communicate(timeout=30)
                raise AssertionError(f"sellerflow serve did not start: {err}") from None
            time.sleep(0.1)


def wait_for(check: Any, what: str, seconds: float = 30) -> Any:
    """What `check()` returns once it is truthy (the server's worker does the work meanwhile);
    a failure naming `what` if that takes longer than `seconds`."""
    deadline = time.monotonic() + seconds
    while not (found := check()):
        assert time.monotonic() < deadline, f"{what} did not happen in {seconds}s"
        time.sleep(0.2)
    return found

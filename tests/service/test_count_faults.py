"""L7: Manage Orders' counts stay equal to the orders whatever fails, wherever it fails.

Every public function of every store module is made to fail in turn — before it runs, and
after it has run (its writes done, then the failure) — inside each writing command: a
checkout, a release by the clock, a payment verification, a shipment, a seller's and a
buyer's cancellation, a refund, a shipment file (whose batch falls back to one row at a time
under savepoints when the database refuses a value) and the 30-day auto-cancel. After every
failure the kept counts are the orders' own."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy.exc import DataError

import sellerflow
import sellerflow.service
import sellerflow.store
from sellerflow.service import fulfillment, uploads
from sellerflow.service import orders as order_service
from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.helpers import OP

# Not calls a writing command makes: the schema, engines, migrations and the tests' readers.
_NOT_CALLS = {"schema", "db", "migrate", "driver", "types", "migrations"}


class Injected(DataError):
    """The failure put in a store call: a DataError, as a database refusing a value raises,
    which is what the shipment file's fallback catches."""

    def __init__(self, where: str) -> None:
        super().__init__(f"injected failure in {where}", {}, Exception(where))


class Injector:
    """Counts store calls and fails the `fail_at`-th, before or after it runs."""

    def __init__(self) -> None:
        self.calls = 0
        self.fail_at: int | None = None
        self.after = False
        self.fired: str | None = None

    def arm(self, n: int, *, after: bool) -> None:
        self.calls, self.fail_at, self.after, self.fired = 0, n, after, None

    def disarm(self) -> None:
        self.fail_at = None

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(function)
        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            due = self.calls == self.fail_at
            if due and not self.after:
                self.fired = name
                raise Injected(name)
            result = function(*args, **kwargs)
            if due:
                self.fired = name
                raise Injected(name)
            return result

        return call


def _store_modules() -> Iterator[ModuleType]:
    for found in pkgutil.iter_modules(sellerflow.store.__path__):
        if found.name not in _NOT_CALLS:
            yield importlib.import_module(f"sellerflow.store.{found.name}")


@pytest.fixture
def injector(monkeypatch: pytest.MonkeyPatch) -> Injector:
    """Every store function replaced, wherever a service or store module holds it."""
    injector = Injector()
    wrapped: dict[int, Callable[..., Any]] = {}
    for module in _store_modules():
        for name, function in vars(module).items():
            if (inspect.isfunction(function) and function.__module__ == module.__name__
                    and not name.startswith("_")):
                wrapped[id(function)] = injector.wrap(f"{module.__name__}.{name}", function)
    holders = [*_store_modules(), *(importlib.import_module(f"sellerflow.service.{m.name}")
                                    for m in pkgutil.iter_modules(sellerflow.service.__path__))]
    for module in holders:
        for name, value in list(vars(module).items()):
            if id(value) in wrapped:
                monkeypatch.setattr(module, name, wrapped[id(value)])
    assert len(wrapped) > 50, "the store's functions were not found"
    return injector


HEADER = "order-id\torder-item-id\tquantity\tship-date\tcarrier-code\ttracking-number"


def test_L7_counts_match_the_orders_after_a_failure_in_any_store_call(
        market: Marketplace, injector: Injector) -> None:
    shop = h.seller(market)
    h.listing(market, shop, quantity=5000)

    def released() -> str:
        return h.released(market, shop, qty=2)

    # Unshipped orders for the steps that do not move the clock, made a batch at a time (one
    # release of the clock for them all): the clock's step is the costly part of making one.
    ready: list[str] = []

    def unshipped() -> str:
        if not ready:
            ready.extend(h.place(market, shop, qty=2) for _ in range(25))
            h.advance(market, "30m")
        return ready.pop(0)

    def shipped() -> str:
        order_id = unshipped()
        h.ship(market, order_id)
        return order_id

    def shipment_file(order_id: str) -> None:
        item = h.item_id(market, order_id)
        today = market.now().date().isoformat()
        content = "\n".join([
            HEADER, f"{order_id}\t{item}\t1\t{today}\tUPS\t{h.UPS_TRACKING}",
            f"{order_id}\t{item}\t1\t{today}\tUSPS\t9400111899223397658538",
            f"999-0000000-0000000\t\t1\t{today}\tUPS\t1Z999AA10123456784"]) + "\n"
        result = uploads.process(market, OP, uploads.upload(market, OP, shop, content.encode()))
        assert injector.fired or result.successful == 2, result.report

    def nothing() -> str:
        return ""

    # (what, makes the order it acts on, acts): each try acts on an order made for it, with
    # no failure injected while it is made.
    steps: list[tuple[str, Callable[[], str], Callable[[str], Any]]] = [
        ("checkout", nothing, lambda _: h.place(market, shop, qty=2)),
        ("payment verification", lambda: h.place(market, shop, payment="deferred"),
         lambda order_id: order_service.verify(market, OP, order_id, "approved")),
        ("buyer's cancellation", lambda: h.place(market, shop),
         lambda order_id: order_service.buyer_cancel(market, OP, order_id)),
        ("release", lambda: h.place(market, shop), lambda _: h.advance(market, "31m")),
        ("shipment", unshipped, lambda order_id: h.ship(market, order_id)),
        ("refund", shipped, lambda order_id: fulfillment.refund_order(
            market, OP, order_id, "1.00", "CustomerReturn")),
        ("seller's cancellation", unshipped, lambda order_id: order_service.seller_cancel(
            market, OP, order_id, "BuyerCanceled")),
        ("shipment file", unshipped, shipment_file),
        ("auto-cancel", released, lambda _: h.advance(market, "31d")),
    ]
    failures = 0
    for what, prepare, act in steps:
        # The n-th call fails before it runs, then (on the next try) after it ran, n = 1, 2, ...
        # until the step makes fewer calls than n: it has then succeeded, and the next begins.
        for n in range(1, 10_000):
            for after in (False, True):
                subject = prepare()
                injector.arm(n, after=after)
                try:
                    act(subject)
                except Injected:
                    pass
                finally:
                    injector.disarm()
                where = f"{what}, failing {'after' if after else 'before'} {injector.fired}"
                try:
                    h.assert_order_counts_match_the_orders(market)
                except AssertionError as error:
                    raise AssertionError(f"{where}: {error}") from None
                if injector.fired is None:
                    break
                failures += 1
            if injector.fired is None:
                break
    assert failures > 100, f"only {failures} failures were injected"


def test_L7_every_savepoint_carries_the_count_changes_with_it() -> None:
    """A savepoint opened around order_counts.savepoint would roll back its rows and keep its
    count changes: none is."""
    source = Path(sellerflow.__file__).parent
    opened = [str(path.relative_to(source)) for path in source.rglob("*.py")
              if "begin_nested(" in path.read_text()]
    assert opened == ["store/order_counts.py"]

"""`sellerflow demo --orders N`: a large sandbox data set, for trying sellerflow at a busy
marketplace's volume and for the benchmarks.

Sellers, listings and buyers are made through the account and listing services. Orders are
placed by checkout's own code (`place_for`: the same rows, history, deadlines, counts and
notifications as a buyer's checkout) over `days` of sandbox time, a thousand to a transaction
rather than one: a million orders take minutes, not hours. The deadlines that fall due
meanwhile are left to the worker (`sellerflow worker --once`), or fired at the end with
`settle`."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from faker import Faker

from sellerflow.clock import iso
from sellerflow.domain.callers import MARKETPLACE_SIDE, Caller
from sellerflow.domain.errors import InvalidInput, Refused
from sellerflow.domain.model import Address, Buyer
from sellerflow.domain.placement import CartLine
from sellerflow.service import accounts, listings, notifications
from sellerflow.service.checkout import Checkout, place_for
from sellerflow.service.context import Marketplace, Work
from sellerflow.service.deadlines import sweep
from sellerflow.store import db, order_counts, sandbox
from sellerflow.store import deadlines as deadline_store
from sellerflow.store.settings import set_clock

# Called as orders are placed: (orders placed, orders in all).
DatasetProgress = Callable[[int, int], None]
ORDERS_PER_TRANSACTION = 1000
ORDERS_PER_SELLER = 5000
SKUS_PER_SELLER = 20
MAX_ORDERS = 10_000_000


def generate(market: Marketplace, caller: Caller, orders: int, *, days: int = 30,
             sellers: int | None = None, buyers: int | None = None, seed: int = 7,
             settle: bool = False, progress: DatasetProgress | None = None) -> dict[str, Any]:
    """Place `orders` orders over `days` from the sandbox clock's time on, which ends at the
    last day's end; refused on a database that already has orders (its counts would mix)."""
    caller.require(*MARKETPLACE_SIDE, doing="generating a data set")
    market.require_sandbox("a generated data set")
    if not 1 <= orders <= MAX_ORDERS:
        raise InvalidInput("orders", f"{orders} is not from 1 to {MAX_ORDERS:,}")
    if days < 1:
        raise InvalidInput("days", f"{days} must be at least 1")
    seller_count = sellers or max(1, min(200, orders // ORDERS_PER_SELLER))
    buyer_count = buyers or max(1, orders // 10)
    for name, count in (("sellers", seller_count), ("buyers", buyer_count)):
        if count < 1 or count > orders:
            raise InvalidInput(name, f"{count} must be from 1 to the number of orders")
    existing = market.read(lambda work: sandbox.counts(work.conn))[2]
    if existing:
        raise Refused("NotEmpty", f"the data set needs a sandbox without orders, and this one "
                                  f"has {existing}; make one with `sellerflow --db "
                                  "sqlite:///big.db init --sandbox`", {"orders": existing})
    plan = Plan.make(market, orders, days, seller_count, buyer_count, seed)
    placed = 0
    while placed < orders:
        batch = min(ORDERS_PER_TRANSACTION, orders - placed)

        def place_batch(work: Work, first: int = placed, count: int = batch) -> None:
            for cart in plan.carts(first, count):
                place_for(Work(work.conn, cart.at, work.policy), cart.buyer, cart.checkout,
                          cart.address,
                          market.verifier.initial_outcome(cart.checkout.payment_method))
            set_clock(work.conn, plan.at(first + count))

        market.run(place_batch)
        placed += batch
        if progress is not None:
            progress(placed, orders)
    start, catalog, people = plan.start, plan.catalog, plan.people
    market.run(lambda work: set_clock(work.conn, start + timedelta(days=days)))
    market.run(lambda work: db.analyze(work.conn))
    fired = 0
    if settle:
        fired = sweep(market)
        notifications.dispatch(market, limit=10 * orders)

    def summary(work: Work) -> dict[str, Any]:
        by_status: dict[str, int] = {}
        for seller_id, _ in catalog:
            for status, count in order_counts.counts(work.conn, seller_id).items():
                by_status[status] = by_status.get(status, 0) + count
        return {"orders": orders, "sellers": len(catalog),
                "sellerIds": [seller_id for seller_id, _ in catalog], "buyers": len(people),
                "listings": len(catalog) * SKUS_PER_SELLER, "fired": fired,
                "due": deadline_store.count_unfired_due(work.conn, work.now),
                "ordersByStatus": by_status, "from": iso(start), "now": iso(work.now)}

    return market.read(summary)


class Cart(NamedTuple):
    """One order to place: when, by whom, what, to where."""

    at: datetime
    buyer: Buyer
    checkout: Checkout
    address: Address


@dataclass
class Plan:
    """The data set's sellers, listings and buyers (made through the services) and the carts
    its orders come from, the same for the same seed."""

    start: datetime
    step: timedelta
    catalog: list[tuple[str, list[str]]]
    people: list[Buyer]
    addresses: list[Address]
    rng: random.Random

    @classmethod
    def make(cls, market: Marketplace, orders: int, days: int, sellers: int, buyers: int,
             seed: int) -> Plan:
        rng = random.Random(seed)
        fake = Faker("en_US")
        fake.seed_instance(seed)
        start = market.now()
        catalog = _sellers(market, sellers, rng)
        people = _buyers(market, buyers, fake)
        addresses = [_address(fake) for _ in range(min(buyers, 2000))]
        return cls(start, timedelta(days=days) / orders, catalog, people, addresses, rng)

    def at(self, n: int) -> datetime:
        return self.start + self.step * n

    def carts(self, first: int, count: int) -> Iterator[Cart]:
        """Orders first to first + count - 1: 1 to 3 lines of one seller's listings, 1 or 2
        units each, 5 % with payment verification deferred, 15 % Expedited."""
        rng = self.rng
        for n in range(first, first + count):
            seller_id, skus = self.catalog[rng.randrange(len(self.catalog))]
            lines = [CartLine(seller_id, sku, rng.choice((1, 1, 1, 2)))
                     for sku in rng.sample(skus, rng.choice((1, 1, 1, 1, 2, 3)))]
            payment = "deferred" if rng.random() < 0.05 else "ok"
            level = "Expedited" if rng.random() < 0.15 else "Standard"
            buyer, address = self.people[n % len(self.people)], self.addresses[
                n % len(self.addresses)]
            wire = {k: v for k, v in asdict(address).items() if v is not None}
            yield Cart(self.at(n), buyer, Checkout(buyer.email, lines, wire, level, payment),
                       address)


def _sellers(market: Marketplace, count: int, rng: random.Random
             ) -> list[tuple[str, list[str]]]:
    """Professional sellers, each with SKUS_PER_SELLER listings stocked for any demand."""
    made = []
    for n in range(count):
        seller = accounts.create_seller(market, Caller.operator(), f"Seller {n + 1}",
                                        "professional", f"seller{n + 1}@sellers.example")
        skus = [f"SKU-{n + 1:04d}-{k + 1:02d}" for k in range(SKUS_PER_SELLER)]
        for k, sku in enumerate(skus):
            listings.set_listing(market, Caller.operator(), seller.seller_id, sku,
                                 title=f"Item {k + 1} of seller {n + 1}",
                                 price=f"{rng.randint(300, 9000) / 100:.2f}",
                                 quantity=10_000_000, handling_days=rng.choice((1, 2, 3)))
        made.append((seller.seller_id, skus))
    return made


def _buyers(market: Marketplace, count: int, fake: Faker) -> list[Buyer]:
    made: list[Buyer] = []
    while len(made) < count:
        batch = min(5000, count - len(made))

        def insert(work: Work, first: int = len(made), size: int = batch) -> list[Buyer]:
            return [accounts.insert_buyer(work.conn, f"buyer{n + 1}@buyers.example",
                                          fake.name(), work.now)[0]
                    for n in range(first, first + size)]

        made.extend(market.run(insert))
    return made


def _address(fake: Faker) -> Address:
    return Address.from_wire({"Name": fake.name(), "AddressLine1": fake.street_address(),
                              "City": fake.city(), "StateOrRegion": fake.state_abbr(),
                              "PostalCode": fake.zipcode(), "CountryCode": "US"})

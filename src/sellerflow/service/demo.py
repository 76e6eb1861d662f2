"""`sellerflow demo`: a sandbox marketplace with every lifecycle rule at work, produced by
driving the real services through 45 simulated days (nothing is written around them)."""

from __future__ import annotations

import heapq
import itertools
import random
import string
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sellerflow.clock import SandboxClock, iso
from sellerflow.domain.callers import MARKETPLACE_SIDE, Caller
from sellerflow.domain.errors import SellerflowError
from sellerflow.domain.fulfillment import ShipmentRequest
from sellerflow.domain.placement import CartLine
from sellerflow.service import accounts, fulfillment, listings, shipment_file
from sellerflow.service import clock as clock_service
from sellerflow.service import orders as order_service
from sellerflow.service.checkout import Checkout, place_order
from sellerflow.service.context import Marketplace
from sellerflow.service.demo_data import CATALOGS, CITIES, FIRST_NAMES, LAST_NAMES, SELLERS
from sellerflow.service.views import SellerCreated
from sellerflow.store import orders as order_store

Action = Callable[[], object]
# Called as the simulation moves on: (days done, days in all, the simulated time).
DemoProgress = Callable[[int, int, str], None]
OPERATOR = Caller.operator()


class _Script:
    """Events in time order; running one may schedule more."""

    def __init__(self) -> None:
        self._heap: list[tuple[datetime, int, Action]] = []
        self._seq = itertools.count()

    def at(self, when: datetime, action: Action) -> None:
        heapq.heappush(self._heap, (when, next(self._seq), action))

    def pop(self) -> tuple[datetime, Action] | None:
        if not self._heap:
            return None
        when, _, action = heapq.heappop(self._heap)
        return when, action


def tracking_number(rng: random.Random, carrier: str, valid: bool = True) -> str:
    def digits(n: int) -> str:
        return "".join(rng.choice(string.digits) for _ in range(n))

    if not valid:
        return "TRK" + digits(7)
    if carrier == "UPS":
        return "1Z" + "".join(rng.choice(string.ascii_uppercase + string.digits)
                              for _ in range(16))
    return {"USPS": lambda: "94" + digits(20), "FedEx": lambda: digits(12),
            "DHL": lambda: digits(10)}[carrier]()


def has_orders(market: Marketplace) -> bool:
    return market.read(lambda work: order_store.count_orders(work.conn) > 0)


def seed(market: Marketplace, caller: Caller, days: int = 45, seed: int = 7,
         progress: DemoProgress | None = None, *, if_empty: bool = False
         ) -> dict[str, Any] | None:
    """Seed the demo; with `if_empty`, only on a database without orders (None otherwise)."""
    caller.require(*MARKETPLACE_SIDE, doing="seeding the demo")
    market.require_sandbox("the demo")
    if if_empty and has_orders(market):
        return None
    rng = random.Random(seed)
    if not has_orders(market):
        # Start in the past, so the demo's 45 days end about now.
        market.run(lambda work: SandboxClock.set(work.conn, work.now - timedelta(days=days)))
    start = market.now()
    sellers = [accounts.create_seller(market, OPERATOR, name, plan, email, tz)
               for name, plan, email, tz in SELLERS]
    skus: list[list[str]] = []
    for seller, catalog in zip(sellers, CATALOGS, strict=True):
        skus.append([])
        for n, (title, price) in enumerate(catalog):
            sku = f"{seller.seller_id[-4:]}-{n + 1:03d}"
            listings.set_listing(market, OPERATOR, seller.seller_id, sku, title=title, price=price,
                                 quantity=rng.randint(60, 300),
                                 handling_days=rng.choice([1, 2, 2, 3]))
            skus[-1].append(sku)
    buyers = []
    for n in range(40):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        email = f"{name.lower().replace(' ', '.')}.{n}@buyers.example"
        accounts.create_buyer(market, OPERATOR, email, name)
        buyers.append((email, name))
    demo = _Demo(market, rng, sellers, skus, buyers)
    script = _Script()
    for day in range(days):
        for _ in range(rng.randint(8, 12)):
            script.at(start + timedelta(days=day, seconds=rng.randint(0, 86399)), demo.place)
        script.at(start + timedelta(days=day, hours=23), demo.upload_shipments)
    demo.script = script
    end = start + timedelta(days=days)
    while (event := script.pop()) is not None:
        when, action = event
        if when > end:
            continue
        now = market.now()
        if when > now:
            clock_service.advance(market, OPERATOR, when - now)
        action()
        if progress is not None:
            progress(min(days, (when - start).days), days, iso(when) or "")
    if market.now() < end:
        clock_service.advance(market, OPERATOR, end - market.now())
    return demo.summary()


class _Demo:
    def __init__(self, market: Marketplace, rng: random.Random, sellers: list[SellerCreated],
                 skus: list[list[str]], buyers: list[tuple[str, str]]) -> None:
        self.market, self.rng, self.sellers, self.skus, self.buyers = (market, rng, sellers,
                                                                       skus, buyers)
        self.script = _Script()
        self.to_upload: list[tuple[str, str]] = []
        self.counts: dict[str, int] = {}

    def _count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def _later(self, delay: timedelta, action: Action) -> None:
        self.script.at(self.market.now() + delay, action)

    def _try(self, what: str, action: Callable[[], Any]) -> bool:
        try:
            action()
        except SellerflowError:
            self._count(f"refused:{what}")
            return False
        self._count(what)
        return True

    def place(self) -> None:
        rng = self.rng
        seller_index = rng.choices([0, 1, 2], weights=[5, 4, 2])[0]
        seller = self.sellers[seller_index].seller_id
        chosen = rng.sample(self.skus[seller_index], k=rng.choice([1, 1, 1, 2]))
        lines = [CartLine(seller, sku, rng.choice([1, 1, 1, 2, 3])) for sku in chosen]
        email, name = rng.choice(self.buyers)
        city, state, postal = rng.choice(CITIES)
        address = {"Name": name, "AddressLine1": f"{rng.randint(1, 9999)} Main St",
                   "City": city, "StateOrRegion": state, "PostalCode": postal,
                   "CountryCode": "US"}
        payment = rng.choices(["ok", "deferred", "declined", "fraud"],
                              weights=[82, 10, 4, 4])[0]
        level = rng.choices(["Standard", "Expedited", "SecondDay", "NextDay"],
                            weights=[70, 15, 10, 5])[0]
        try:
            placed = place_order(self.market, OPERATOR,
                                 Checkout(email, lines, address, level, payment))
        except SellerflowError as refusal:
            self._count("refused:place")
            # L3: a seller who ran out (say, after a NoInventory cancel) restocks next week.
            for short in (refusal.details or {}).get("shortItems", []):
                self._later(timedelta(days=self.rng.randint(3, 8)), partial(self._restock, short))
            return
        self._count("placed")
        order_id = placed[0].order_id
        if payment in ("declined", "fraud"):
            return
        if rng.random() < 0.05:
            self._later(timedelta(minutes=rng.randint(2, 25)), lambda: self._try(
                "buyer-cancel", lambda: order_service.buyer_cancel(
                    self.market, OPERATOR, order_id, "Changed my mind")))
            return
        if payment == "deferred":
            if rng.random() < 0.7:
                self._later(timedelta(hours=rng.randint(6, 96)), lambda: self._try(
                    "verified", lambda: order_service.verify(self.market, OPERATOR, order_id,
                                                             "approved")))
                self._plan(order_id, seller_index, timedelta(days=4))
            return
        self._plan(order_id, seller_index, timedelta(0))

    def _restock(self, short: dict[str, Any]) -> None:
        self._try("restocked", lambda: listings.set_listing(
            self.market, OPERATOR, short["sellerId"], short["sku"],
            quantity=self.rng.randint(40, 120)))

    def _plan(self, order_id: str, seller_index: int, offset: timedelta) -> None:
        rng = self.rng
        fate = rng.choices(
            ["ship", "late", "partial", "partial-never", "seller-cancel", "buyer-request",
             "never", "redirect"], weights=[58, 8, 6, 5, 6, 5, 6, 6])[0]
        soon = offset + timedelta(hours=rng.randint(12, 40))
        if fate == "ship":
            self._later(soon, lambda: self._ship(order_id, seller_index))
        elif fate == "late":
            self._later(offset + timedelta(days=rng.randint(5, 9)),
                        lambda: self._ship(order_id, seller_index))
        elif fate in ("partial", "partial-never"):
            self._later(soon, lambda: self._ship_partly(order_id, fate == "partial"))
        elif fate == "seller-cancel":
            reason = rng.choice(["NoInventory", "ShippingAddressUndeliverable",
                                 "GeneralAdjustment"])
            self._later(soon, lambda: self._try(
                "seller-cancel", lambda: order_service.seller_cancel(
                    self.market, OPERATOR, order_id, reason)))
        elif fate == "buyer-request":
            self._later(timedelta(hours=2), lambda: self._try(
                "buyer-cancel-request", lambda: order_service.buyer_cancel(
                    self.market, OPERATOR, order_id, "Found it cheaper")))
            self._later(soon + timedelta(hours=3), lambda: self._try(
                "seller-cancel", lambda: order_service.seller_cancel(
                    self.market, OPERATOR, order_id, "BuyerCanceled")))
        elif fate == "redirect":
            city, state, postal = rng.choice(CITIES)
            new_address = {"Name": "Front Desk", "AddressLine1": "500 Office Park Dr",
                           "City": city, "StateOrRegion": state, "PostalCode": postal,
                           "CountryCode": "US"}
            self._later(timedelta(hours=3), lambda: self._try(
                "address-change", lambda: order_service.request_address_change(
                    self.market, OPERATOR, order_id, new_address)))
            self._later(soon, lambda: self._try(
                "redirect", lambda: order_service.accept_redirect(self.market, OPERATOR,
                                                                  order_id)))
            self._later(soon + timedelta(hours=1), lambda: self._ship(order_id, seller_index))
        # "never": left alone, so the ship-confirm deadline cancels it (L23).

    def _shipment(self, lines: tuple[tuple[str, int], ...] | None = None) -> ShipmentRequest:
        carrier = self.rng.choice(["UPS", "USPS", "FedEx", "DHL"])
        valid = self.rng.random() > 0.05
        return ShipmentRequest(carrier=carrier, lines=lines,
                               tracking_number=tracking_number(self.rng, carrier, valid))

    def _ship(self, order_id: str, seller_index: int) -> None:
        if seller_index == 0:
            # The first seller confirms by file at the end of the day (L21).
            self.to_upload.append((order_id, self.sellers[0].seller_id))
            return
        if self._try("shipped", lambda: fulfillment.ship(self.market, OPERATOR, order_id,
                                                         self._shipment())):
            self._after_shipment(order_id)

    def _ship_partly(self, order_id: str, finish: bool) -> None:
        order = order_service.show(self.market, OPERATOR, order_id).order
        item = order.items[0]
        if item.quantity_to_ship < 2 and len(order.items) < 2:
            self._try("shipped", lambda: fulfillment.ship(self.market, OPERATOR, order_id,
                                                          self._shipment()))
            return
        lines = ((item.order_item_id, 1),)
        if self._try("partially-shipped", lambda: fulfillment.ship(
                self.market, OPERATOR, order_id, self._shipment(lines))) and finish:
            self._later(timedelta(days=2), lambda: self._try(
                "shipped", lambda: fulfillment.ship(self.market, OPERATOR, order_id,
                                                    self._shipment())))

    def _after_shipment(self, order_id: str) -> None:
        rng = self.rng
        if rng.random() < 0.08:
            amount = None if rng.random() < 0.5 else "5.00"
            self._later(timedelta(days=rng.randint(2, 6)), lambda: self._try(
                "refund", lambda: fulfillment.refund_order(self.market, OPERATOR, order_id,
                                                           amount, "CustomerReturn")))
        if rng.random() < 0.25:
            rating = rng.choices([5, 4, 3, 2, 1], weights=[60, 20, 8, 6, 6])[0]
            self._later(timedelta(days=rng.randint(3, 8)), lambda: self._try(
                "feedback", lambda: order_service.leave_feedback(
                    self.market, OPERATOR, order_id, rating, "Demo feedback")))

    def upload_shipments(self) -> None:
        if not self.to_upload:
            return
        rows = ["order-id\torder-item-id\tquantity\tship-date\tcarrier-code\tcarrier-name\t"
                "tracking-number\tship-method"]
        today = self.market.now().date().isoformat()
        for order_id, _ in self.to_upload:
            request = self._shipment()
            rows.append(f"{order_id}\t\t\t{today}\t{request.carrier}\t\t"
                        f"{request.tracking_number}\t")
        seller = self.to_upload[0][1]
        uploaded = [order_id for order_id, _ in self.to_upload]
        self.to_upload = []
        feed_id = shipment_file.upload(self.market, OPERATOR, seller,
                                       ("\n".join(rows) + "\n").encode())
        result = shipment_file.process(self.market, OPERATOR, feed_id)
        self.counts["shipped"] = self.counts.get("shipped", 0) + result.successful
        self._count("uploads")
        for order_id in uploaded:
            self._after_shipment(order_id)

    def summary(self) -> dict[str, Any]:
        by_status = self.market.read(lambda work: order_store.count_by_status(work.conn))
        return {"now": iso(self.market.now()),
                "sellers": [{"sellerId": s.seller_id, "plan": s.plan.value, "email": s.email,
                             "password": s.password} for s in self.sellers],
                "buyers": len(self.buyers), "listings": sum(len(s) for s in self.skus),
                "ordersByStatus": by_status, "actions": dict(sorted(self.counts.items()))}

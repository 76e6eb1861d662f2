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

from faker import Faker

from sellerflow.clock import iso
from sellerflow.domain.callers import MARKETPLACE_SIDE, Caller
from sellerflow.domain.errors import Refused, SellerflowError
from sellerflow.domain.fulfillment import ShipmentRequest
from sellerflow.domain.placement import CartLine
from sellerflow.service import accounts, fulfillment, listings, shipping, uploads
from sellerflow.service import clock as clock_service
from sellerflow.service import orders as order_service
from sellerflow.service.checkout import Checkout, place_order
from sellerflow.service.context import Marketplace, Work
from sellerflow.service.demo_data import CATALOGS, HABITS, SELLERS, SHIPPING
from sellerflow.service.views import SellerCreated
from sellerflow.store import orders as order_store
from sellerflow.store import sandbox, settings
from sellerflow.store.settings import set_clock

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


DEMO_STATE = "demo.state"     # "running since CLOCK" while seeding, "done" after


def seed(market: Marketplace, caller: Caller, days: int = 45, seed: int = 7,
         progress: DemoProgress | None = None, *, if_empty: bool = False
         ) -> dict[str, Any] | None:
    """Seed the demo on a new sandbox, all or nothing: interrupted (Ctrl-C, an error), what it
    made is removed again; killed outright, the next `demo` removes it before starting. On a
    database that already has the demo, or data of its own, it is refused; with `if_empty`
    it does nothing there and returns None."""
    caller.require(*MARKETPLACE_SIDE, doing="seeding the demo")
    market.require_sandbox("the demo")
    state, (sellers, buyers, orders) = market.read(
        lambda work: (settings.get(work.conn, DEMO_STATE), sandbox.counts(work.conn)))
    if state is not None and state.startswith("running since "):
        # An earlier demo was killed part-way: undo it, then seed afresh.
        _undo(market, state.removeprefix("running since "))
    elif state == "done" or sellers or buyers or orders:
        if if_empty:
            return None
        if state == "done":
            raise Refused("DemoExists", f"this database already has the demo ({sellers} "
                                        f"sellers, {orders} orders); `demo --if-empty` skips "
                                        "quietly, and a new sandbox takes another demo",
                          {"sellers": sellers, "orders": orders})
        raise Refused("NotEmpty", f"the demo needs a new sandbox database, and this one has "
                                  f"{sellers} seller(s), {buyers} buyer(s) and {orders} "
                                  "order(s) of its own; make one with `sellerflow --db "
                                  "sqlite:///demo.db init --sandbox`",
                      {"sellers": sellers, "buyers": buyers, "orders": orders})
    began = market.now()
    market.run(lambda work: settings.put(work.conn, DEMO_STATE, f"running since {iso(began)}"))
    try:
        summary = _simulate(market, days, seed, progress)
    except BaseException:
        _undo(market, iso(began) or "")
        raise
    market.run(lambda work: settings.put(work.conn, DEMO_STATE, "done"))
    return summary


def _undo(market: Marketplace, clock: str) -> None:
    """Remove everything a demo made and set the clock back to where it was."""
    began = datetime.fromisoformat(clock.replace("Z", "+00:00"))

    def command(work: Work) -> None:
        sandbox.wipe(work.conn)
        set_clock(work.conn, began)
        settings.delete(work.conn, DEMO_STATE)

    market.run(command)


def _simulate(market: Marketplace, days: int, seed: int, progress: DemoProgress | None
              ) -> dict[str, Any]:
    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    # Start in the past, so the demo's days end about now.
    market.run(lambda work: set_clock(work.conn, work.now - timedelta(days=days)))
    start = market.now()
    sellers = [accounts.create_seller(market, OPERATOR, name, plan, email, tz)
               for name, plan, email, tz in SELLERS]
    for seller, charges in zip(sellers, SHIPPING, strict=True):
        for level, (per_shipment, per_item) in charges.items():
            shipping.set_shipping(market, OPERATOR, seller.seller_id, level, per_shipment,
                                  per_item)
    skus: list[list[str]] = []
    for seller, catalog in zip(sellers, CATALOGS, strict=True):
        skus.append([])
        for n, (title, price) in enumerate(catalog):
            sku = f"{seller.seller_id[-4:]}-{n + 1:03d}"
            # The first of the second seller's listings is nearly sold out (see _no_inventory).
            quantity = 3 if (seller, n) == (sellers[1], 0) else rng.randint(60, 300)
            listings.set_listing(market, OPERATOR, seller.seller_id, sku, title=title, price=price,
                                 quantity=quantity, handling_days=rng.choice([1, 2, 2, 3]))
            skus[-1].append(sku)
    buyers = []
    for n in range(150):
        name = fake.name()
        email = f"{name.lower().replace(' ', '.').replace('..', '.')}.{n}@buyers.example"
        accounts.create_buyer(market, OPERATOR, email, name)
        buyers.append((email, name))
    demo = _Demo(market, rng, fake, sellers, skus, buyers, start + timedelta(days=days))
    script = demo.script
    for day in range(days):
        for _ in range(rng.randint(8, 12)):
            script.at(start + timedelta(days=day, seconds=rng.randint(0, 86399)), demo.place)
        for hour in (5, 11, 17, 23):
            # The uploading seller's shipping software sends a file every six hours.
            script.at(start + timedelta(days=day, hours=hour), demo.upload_shipments)
    demo.showcase(start)
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
    def __init__(self, market: Marketplace, rng: random.Random, fake: Faker,
                 sellers: list[SellerCreated], skus: list[list[str]],
                 buyers: list[tuple[str, str]], end: datetime) -> None:
        self.market, self.rng, self.fake = market, rng, fake
        self.sellers, self.skus, self.buyers, self.end = sellers, skus, buyers, end
        self.script = _Script()
        self.to_upload: list[tuple[str, str]] = []
        self.counts: dict[str, int] = {}
        # Per seller: orders planned, confirmations made (their habits count these).
        self.planned = [0] * len(sellers)
        self.confirmed = [0] * len(sellers)

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

    def _address(self, name: str) -> dict[str, str]:
        state = self.fake.state_abbr(include_territories=False)
        return {"Name": name, "AddressLine1": self.fake.street_address(),
                "City": self.fake.city(), "StateOrRegion": state,
                "PostalCode": self.fake.zipcode_in_state(state), "CountryCode": "US",
                "Phone": self.fake.numerify("###-###-####"),
                "AddressType": self.rng.choice(["Residential"] * 9 + ["Commercial"])}

    def _checkout(self, seller_index: int, payment: str = "ok", units: int | None = None,
                  sku: str | None = None) -> str | None:
        """A buyer checks out one or two of the seller's listings (or `sku`); the order id."""
        rng = self.rng
        seller = self.sellers[seller_index].seller_id
        chosen = [sku] if sku else rng.sample(self.skus[seller_index],
                                              k=rng.choice([1, 1, 1, 2]))
        lines = [CartLine(seller, s, units or rng.choice([1, 1, 1, 2, 3])) for s in chosen]
        email, name = rng.choice(self.buyers)
        address = self._address(name)
        level = rng.choices(["Standard", "Expedited", "SecondDay", "NextDay"],
                            weights=[72, 16, 8, 4])[0]
        # A few buyers check out with Prime, on the fast levels.
        prime = level in ("SecondDay", "NextDay") and rng.random() < 0.4
        try:
            placed = place_order(self.market, OPERATOR,
                                 Checkout(email, lines, address, level, payment, prime=prime))
        except SellerflowError as refusal:
            self._count("refused:place")
            # L3: a seller who sold out restocks within the week.
            for short in (refusal.details or {}).get("shortItems", []):
                self._later(timedelta(days=rng.randint(2, 6)), partial(self._restock, short))
            return None
        self._count("placed")
        return placed[0].order_id

    def place(self) -> None:
        rng = self.rng
        seller_index = rng.choices(range(len(HABITS)), weights=[h.weight for h in HABITS])[0]
        payment = rng.choices(["ok", "deferred"], weights=[97, 3])[0]
        order_id = self._checkout(seller_index, payment)
        if order_id is None:
            return
        if rng.random() < 0.02:
            # L6: the buyer changes their mind within the 30-minute hold.
            self._later(timedelta(minutes=rng.randint(2, 25)), lambda: self._try(
                "buyer-cancel", lambda: order_service.buyer_cancel(
                    self.market, OPERATOR, order_id, "Changed my mind")))
            return
        if payment == "deferred":
            # Verified hours or days later (L9); the seller plans the order once it is released.
            def verified() -> None:
                if self._try("verified", lambda: order_service.verify(
                        self.market, OPERATOR, order_id, "approved")):
                    self._plan(order_id, seller_index)

            self._later(timedelta(hours=rng.randint(6, 72)), verified)
            return
        self._plan(order_id, seller_index)

    def _restock(self, short: dict[str, Any]) -> None:
        self._try("restocked", lambda: listings.set_listing(
            self.market, OPERATOR, short["sellerId"], short["sku"],
            quantity=self.rng.randint(40, 120)))

    def _plan(self, order_id: str, seller_index: int) -> None:
        """What the seller does with a new order, by its habits."""
        rng = self.rng
        # Released at the end of the 30-minute hold (or at verification, if later).
        offset = timedelta(minutes=30)
        habits = HABITS[seller_index]
        self.planned[seller_index] += 1
        n = self.planned[seller_index]
        soon = offset + timedelta(hours=rng.randint(3, 20))
        quiet_week = self.market.now() + soon > self.end - timedelta(days=8)
        if habits.late_every and n % habits.late_every == 0:
            self._later(offset + timedelta(days=rng.randint(6, 9)),
                        lambda: self._ship(order_id, seller_index))
        elif habits.cancel_every and n % habits.cancel_every == 0 and not quiet_week:
            reason = rng.choice(["ShippingAddressUndeliverable", "GeneralAdjustment"])
            self._later(soon, lambda: self._try(
                "seller-cancel", lambda: order_service.seller_cancel(
                    self.market, OPERATOR, order_id, reason)))
        else:
            fate = rng.choices(["ship", "partial", "buyer-request", "redirect"],
                               weights=[93, 4, 1, 2])[0]
            if fate == "partial":
                self._later(soon, lambda: self._ship_partly(order_id, seller_index))
            elif fate == "buyer-request":
                # L6: after release a buyer's cancel is a request; the seller grants it.
                self._later(timedelta(hours=1), lambda: self._try(
                    "buyer-cancel-request", lambda: order_service.buyer_cancel(
                        self.market, OPERATOR, order_id, "Found it cheaper")))
                self._later(soon + timedelta(hours=2), lambda: self._try(
                    "seller-cancel", lambda: order_service.seller_cancel(
                        self.market, OPERATOR, order_id, "BuyerCanceled")))
            elif fate == "redirect":
                self._later(timedelta(hours=1), lambda: self._try(
                    "address-change", lambda: order_service.request_address_change(
                        self.market, OPERATOR, order_id, self._address(self.fake.name()))))
                self._later(soon, lambda: self._try(
                    "redirect", lambda: order_service.accept_redirect(
                        self.market, OPERATOR, order_id)))
                self._later(soon + timedelta(hours=1), lambda: self._ship(order_id,
                                                                          seller_index))
            else:
                self._later(soon, lambda: self._ship(order_id, seller_index))

    def showcase(self, start: datetime) -> None:
        """The rare turns of the lifecycle, once each, timed so that they show in the orders
        without tipping any seller's health (they fall outside the metrics' windows)."""
        self.script.at(start + timedelta(days=1, hours=10), self._never_shipped)
        self.script.at(start + timedelta(days=2, hours=9), partial(self._payment, "fraud"))
        self.script.at(start + timedelta(days=3, hours=15), partial(self._payment, "declined"))
        self.script.at(start + timedelta(days=4, hours=11), self._payment_never_verified)
        self.script.at(start + timedelta(days=1, hours=16), self._no_inventory)
        self.script.at(start + timedelta(days=6, hours=12), self._defect)
        # The last minutes: an order still in its hold, one shipped in part.
        self.script.at(self.end - timedelta(minutes=12), lambda: self._checkout(0))
        self.script.at(self.end - timedelta(hours=5), self._partly_shipped_now)

    def _never_shipped(self) -> None:
        # L23: unconfirmed 30 days after purchase, the order cancels itself. Early in the
        # demo, so the cancel and the missed ship-by date fall outside the health windows.
        self._checkout(1)

    def _payment(self, outcome: str) -> None:
        # L10, L11: a declined payment or a fraud finding cancels the order.
        order_id = self._checkout(self.rng.randrange(len(HABITS)), "deferred")
        if order_id is not None:
            self._later(timedelta(hours=5), lambda: self._try(
                outcome, lambda: order_service.verify(self.market, OPERATOR, order_id,
                                                      outcome)))

    def _payment_never_verified(self) -> None:
        # L12: no outcome within 21 days: the order is canceled.
        self._checkout(2, "deferred")

    def _no_inventory(self) -> None:
        # L4: a buyer takes the last units of a listing, and the seller finds them damaged:
        # it cancels with NoInventory. The listing was sold out, so only the canceled units
        # are written off, then it is restocked.
        seller = self.sellers[1].seller_id
        sku = self.skus[1][0]
        left = listings.get_listing(self.market, OPERATOR, seller, sku).quantity
        if left > 3:     # restocked meanwhile: try again when it runs low
            self._later(timedelta(days=1), self._no_inventory)
            return
        if not left:     # sold out already: a last couple of units come back in
            left = listings.set_listing(self.market, OPERATOR, seller, sku, quantity=2).quantity
        order_id = self._checkout(1, units=left, sku=sku)
        if order_id is None:
            return
        self._later(timedelta(hours=2), lambda: self._try(
            "seller-cancel", lambda: order_service.seller_cancel(
                self.market, OPERATOR, order_id, "NoInventory")))
        self._later(timedelta(days=4), lambda: self._restock({"sellerId": seller, "sku": sku}))

    def _defect(self) -> None:
        # L27: one unhappy buyer for the healthy seller, within its defect rate target.
        order_id = self._checkout(0)
        if order_id is not None:
            self._later(timedelta(hours=1), lambda: self._ship(order_id, 0))
            self._later(timedelta(days=3), lambda: self._try(
                "feedback", lambda: order_service.leave_feedback(
                    self.market, OPERATOR, order_id, 1, "Arrived broken")))

    def _partly_shipped_now(self) -> None:
        order_id = self._checkout(1, units=3)
        if order_id is not None:
            self._later(timedelta(hours=1), lambda: self._ship_partly(order_id, 1,
                                                                      finish=False))

    def _shipment(self, seller_index: int, lines: tuple[tuple[str, int], ...] | None = None
                  ) -> ShipmentRequest:
        carrier = self.rng.choice(["UPS", "USPS", "USPS", "FedEx", "DHL"])
        self.confirmed[seller_index] += 1
        every = HABITS[seller_index].invalid_every
        valid = not (every and self.confirmed[seller_index] % every == 0)
        return ShipmentRequest(carrier=carrier, lines=lines,
                               tracking_number=tracking_number(self.rng, carrier, valid))

    def _ship(self, order_id: str, seller_index: int) -> None:
        if HABITS[seller_index].uploads:
            # This seller confirms by file, several times a day (L21).
            self.to_upload.append((order_id, self.sellers[seller_index].seller_id))
            return
        if self._try("shipped", lambda: fulfillment.ship(self.market, OPERATOR, order_id,
                                                         self._shipment(seller_index))):
            self._after_shipment(order_id)

    def _ship_partly(self, order_id: str, seller_index: int, finish: bool = True) -> None:
        order = order_service.show(self.market, OPERATOR, order_id).order
        item = order.items[0]
        if item.quantity_to_ship < 2 and len(order.items) < 2:
            self._ship(order_id, seller_index)
            return
        lines = ((item.order_item_id, 1),)
        if self._try("partially-shipped", lambda: fulfillment.ship(
                self.market, OPERATOR, order_id, self._shipment(seller_index, lines))) \
                and finish:
            self._later(timedelta(hours=20), lambda: self._try(
                "shipped", lambda: fulfillment.ship(self.market, OPERATOR, order_id,
                                                    self._shipment(seller_index))))

    def _after_shipment(self, order_id: str) -> None:
        rng = self.rng
        if rng.random() < 0.03:
            amount = None if rng.random() < 0.5 else "5.00"
            self._later(timedelta(days=rng.randint(2, 6)), lambda: self._try(
                "refund", lambda: fulfillment.refund_order(self.market, OPERATOR, order_id,
                                                           amount, "CustomerReturn")))
        if rng.random() < 0.15:
            rating = rng.choices([5, 4, 3], weights=[75, 20, 5])[0]
            self._later(timedelta(days=rng.randint(3, 8)), lambda: self._try(
                "feedback", lambda: order_service.leave_feedback(
                    self.market, OPERATOR, order_id, rating,
                    rng.choice(["Great, thanks!", "As described.", "Fast shipping.",
                                "Good value.", "Well packed."]))))

    def upload_shipments(self) -> None:
        if not self.to_upload:
            return
        rows = ["order-id\torder-item-id\tquantity\tship-date\tcarrier-code\tcarrier-name\t"
                "tracking-number\tship-method"]
        today = self.market.now().date().isoformat()
        for order_id, _ in self.to_upload:
            request = self._shipment(0)
            rows.append(f"{order_id}\t\t\t{today}\t{request.carrier}\t\t"
                        f"{request.tracking_number}\t")
        seller = self.to_upload[0][1]
        uploaded = [order_id for order_id, _ in self.to_upload]
        self.to_upload = []
        feed_id = uploads.upload(self.market, OPERATOR, seller,
                                       ("\n".join(rows) + "\n").encode())
        result = uploads.process(self.market, OPERATOR, feed_id)
        self.counts["shipped"] = self.counts.get("shipped", 0) + result.successful
        self._count("uploads")
        for order_id in uploaded:
            self._after_shipment(order_id)

    def summary(self) -> dict[str, Any]:
        by_status = self.market.read(lambda work: order_store.count_by_status(work.conn))
        return {"now": iso(self.market.now()),
                "sellers": [{"sellerId": s.seller_id, "plan": s.plan.value, "email": s.email,
                             "password": s.password, "clientId": s.client_id,
                             "clientSecret": s.client_secret, "refreshToken": s.refresh_token}
                            for s in self.sellers],
                "buyers": len(self.buyers), "listings": sum(len(s) for s in self.skus),
                "ordersByStatus": by_status, "actions": dict(sorted(self.counts.items()))}

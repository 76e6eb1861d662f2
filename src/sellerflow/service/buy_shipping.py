"""Buy Shipping (L29) over the simulated carriers: the services a package can go by and their
rates, a label bought (confirming its shipment, its postage charged), a label read and
canceled, Shipping v2's rate answers kept for its purchases, and a package's tracking (L30).
Merchant Fulfillment v0, Shipping v2 and the console all come here."""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from sellerflow.domain import carrier_network as network
from sellerflow.domain import labels as rules
from sellerflow.domain.callers import SELLER_SIDE, Caller, order_not_found
from sellerflow.domain.decisions import ShipmentRecord
from sellerflow.domain.errors import InvalidInput, NotFound, Unauthenticated
from sellerflow.domain.fulfillment import BoughtLabel, ShipmentRequest
from sellerflow.domain.model import Address, Order
from sellerflow.domain.money import Money
from sellerflow.domain.policy import BusinessCalendar
from sellerflow.domain.text import Phrase
from sellerflow.service.auth import SellerSession
from sellerflow.service.context import Marketplace, Work, carrier_days, check_seller
from sellerflow.service.deadlines import Side, settle
from sellerflow.service.recording import apply_decision
from sellerflow.service.views import Tracking, package_tracking, scans_by
from sellerflow.store import labels as store
from sellerflow.store import ledger, shipments
from sellerflow.store import orders as order_store

RATES_KEPT = timedelta(hours=24)       # how long a getRates answer can be purchased from
LABEL_FORMATS = ("PDF", "ZPL", "PNG")


@dataclass(frozen=True)
class LabelRequest:
    """What both APIs and the console ask: the order and the units in the package (None:
    all still to ship), where it ships from, the box, and the day it goes."""

    order_id: str
    lines: tuple[tuple[str, int], ...] | None
    ship_from: Address
    package: network.Package
    ship_date: datetime | date | None = None
    zone: tzinfo = UTC          # whose day a bare ship date is (the seller's, in the console)

    def to_json(self) -> dict[str, Any]:
        p = self.package
        return {"orderId": self.order_id,
                "lines": None if self.lines is None else [list(line) for line in self.lines],
                "shipFrom": self.ship_from.to_wire(),
                "package": [str(p.length), str(p.width), str(p.height), str(p.weight_oz)],
                "shipDate": None if self.ship_date is None else self._moment().isoformat()}

    def _moment(self) -> datetime:
        """The ship date as a time: a bare day is noon in `zone`."""
        given = self.ship_date
        assert given is not None
        if isinstance(given, datetime):
            return given
        return datetime.combine(given, time(12), self.zone).astimezone(UTC)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LabelRequest:
        lines = data["lines"]
        return cls(data["orderId"],
                   None if lines is None else tuple((str(i), int(q)) for i, q in lines),
                   Address(**data["shipFrom"]),
                   network.Package(*(Decimal(v) for v in data["package"])),
                   None if data["shipDate"] is None else datetime.fromisoformat(
                       data["shipDate"]))


@dataclass(frozen=True)
class Offers:
    """The services that can carry the package, cheapest first, and those that cannot."""

    order: Order
    request: LabelRequest
    ship_date: datetime
    quotes: tuple[network.Quote, ...]
    refusals: tuple[network.Refusal, ...]
    request_token: str | None = None        # Shipping v2's, to purchase one of them


@dataclass(frozen=True)
class Label:
    """A bought label as each door shows it."""

    label_id: str
    api: str
    order_id: str
    seller_id: str
    service: network.CarrierService
    tracking_number: str
    charge: Money
    label_format: str
    ship_from: Address
    ship_to: Address
    package: network.Package
    lines: tuple[tuple[str, int], ...]
    ship_date: datetime
    earliest_delivery: datetime
    latest_delivery: datetime
    created_at: datetime
    canceled_at: datetime | None
    scans: tuple[network.Scan, ...]        # those that have happened
    on_time: bool                          # its window ends by the order's promise

    @property
    def status(self) -> str:
        """Merchant Fulfillment's ShipmentStatus."""
        return "Purchased" if self.canceled_at is None else "RefundApplied"


def _order(work: Work, caller: Caller, order_id: str) -> Order:
    found = order_store.load_order(work.conn, order_id, seller_id=caller.own_seller)
    if found is None or not caller.acts_for_seller(found.seller_id):
        raise order_not_found(order_id)
    return found


def _offers(work: Work, order: Order, request: LabelRequest, field: str,
            days: BusinessCalendar | None = None) -> Offers:
    """`days`: the carriers' working days for the seller, when the caller has them."""
    rules.check_order(order)
    when = rules.ship_date(request.ship_date, work.now, field, request.zone)
    quotes, refusals = network.quotes(
        request.package, request.ship_from.PostalCode, order.shipping_address.PostalCode,
        order.shipping_address.CountryCode, when,
        order.promise.latest_delivery if order.promise is not None else None,
        days or carrier_days(work.conn, order.seller_id))
    return Offers(order, request, when, tuple(quotes), tuple(refusals))


def offers(market: Marketplace, caller: Caller, request: LabelRequest,
           ship_date_field: str = "ShipDate") -> Offers:
    """getEligibleShipmentServices: every service's quote for the package."""
    caller.require(*SELLER_SIDE, doing="shipping service quotes")
    return market.read(lambda work: _offers(work, _order(work, caller, request.order_id),
                                            request, ship_date_field))


def rates(market: Marketplace, caller: Caller, request: LabelRequest) -> Offers:
    """getRates: the quotes, kept a day under a request token for purchaseShipment."""
    caller.require(*SELLER_SIDE, doing="shipping rates")

    def command(work: Work) -> Offers:
        found = _offers(work, _order(work, caller, request.order_id), request, "shipDate")
        token = "amzn1.rq." + secrets.token_hex(12)
        store.put_rate_request(work.conn, token, found.order.seller_id, request.to_json(),
                               work.now)
        return Offers(found.order, request, found.ship_date, found.quotes, found.refusals,
                      token)

    return market.run(command)


def buy(market: Marketplace, caller: Caller, request: LabelRequest, service_id: str,
        label_format: str, api: str, service_field: str = "ShippingServiceId",
        ship_date_field: str = "ShipDate") -> Label:
    """createShipment (and the console's Buy shipping): the label for one service offered,
    its shipment confirmed and its postage charged, in one transaction."""
    caller.require(*SELLER_SIDE, doing="buying a shipping label")
    if label_format not in LABEL_FORMATS:
        raise InvalidInput("LabelFormat", Phrase("%(format)r is not one of %(formats)s",
                                                 format=label_format,
                                                 formats=", ".join(LABEL_FORMATS)))

    def command(work: Work) -> Label:
        order = settle(work, caller, request.order_id, Side.SELLER)
        return _buy(work, order, request, service_id, label_format, api,
                    (service_field, ship_date_field))

    return market.run(command)


def _buy(work: Work, order: Order, request: LabelRequest, service_id: str, label_format: str,
         api: str, fields: tuple[str, str]) -> Label:
    """`fields`: what the caller calls the service and the ship date, for its refusals."""
    service_field, ship_date_field = fields
    days = carrier_days(work.conn, order.seller_id)
    found = _offers(work, order, request, ship_date_field, days)
    quote = next((q for q in found.quotes if q.service.service_id == service_id), None)
    if quote is None:
        offered = ", ".join(q.service.service_id for q in found.quotes) or "none"
        raise InvalidInput(service_field, Phrase(
            "%(service)r is not a service offered for this package; offered: %(offered)s",
            service=service_id, offered=offered))
    label_id = str(uuid.uuid4())
    service = quote.service
    tracking = network.tracking_number(service.carrier, label_id)
    shipment = ShipmentRequest(
        carrier=service.carrier, tracking_number=tracking, ship_method=service.name,
        lines=request.lines, label=BoughtLabel(label_id, work.now, quote.ship_date,
                                               (quote.earliest_delivery,
                                                quote.latest_delivery)))
    decision = rules.buy_label(order, shipment, quote.charge, work.now, work.policy, days)
    apply_decision(work.conn, order, decision, work.now)
    assert decision.shipment is not None
    row = {"seller_id": order.seller_id, "label_id": label_id,
           "amazon_order_id": order.amazon_order_id, "api": api,
           "service_id": service.service_id, "carrier": service.carrier,
           "tracking_number": tracking, "charge_cents": quote.charge.cents,
           "label_format": label_format, "ship_from": json.dumps(request.ship_from.to_wire()),
           "package": json.dumps(request.to_json()["package"]),
           "lines": json.dumps([list(line) for line in decision.shipment.lines]),
           "ship_date": quote.ship_date, "earliest_delivery": quote.earliest_delivery,
           "latest_delivery": quote.latest_delivery, "created_at": work.now,
           "canceled_at": None}
    store.record(work.conn, row)
    return _label(work, row, decision.shipment)


def purchase(market: Marketplace, caller: Caller, request_token: str, rate_id: str,
             label_format: str) -> Label:
    """purchaseShipment: the rate `rate_id` of a getRates answer (its requestToken)."""
    caller.require(*SELLER_SIDE, doing="buying a shipping label")
    if label_format not in LABEL_FORMATS:
        raise InvalidInput("requestedDocumentSpecification.format", Phrase(
            "%(format)r is not one of %(formats)s", format=label_format,
            formats=", ".join(LABEL_FORMATS)))

    def command(work: Work) -> Label:
        seller = caller.own_seller
        kept = store.rate_request(work.conn, request_token, seller) if seller else None
        if kept is None or kept[1] + RATES_KEPT < work.now:
            raise InvalidInput("requestToken", Phrase(
                "%(token)r is not the requestToken of a getRates answer of the last 24 hours; "
                "call getRates again", token=request_token))
        request = LabelRequest.from_json(kept[0])
        order = settle(work, caller, request.order_id, Side.SELLER)
        return _buy(work, order, request, rate_id, label_format, "shipping",
                    ("rateId", "shipDate"))

    return market.run(command)


def label(market: Marketplace, caller: Caller, label_id: str) -> Label:
    """getShipment: a label of the seller's, with the scans its package has had."""
    caller.require(*SELLER_SIDE, doing="a shipping label")

    def query(work: Work) -> Label:
        row = _own(work, caller, label_id)
        return _label_of(work, row)

    return market.read(query)


def cancel(market: Marketplace, caller: Caller, label_id: str) -> Label:
    """cancelShipment: the label void and its postage back, before the carrier scans it."""
    caller.require(*SELLER_SIDE, doing="canceling a shipping label")

    def command(work: Work) -> Label:
        row = _own(work, caller, label_id, lock=True)
        shipment = shipments.of_label(work.conn, row.seller_id, label_id)
        entry = rules.void_label(label_id, row.canceled_at,
                                 shipment.first_scan_at if shipment is not None else None,
                                 Money.from_cents(row.charge_cents), work.now)
        order = order_store.load_order(work.conn, row.amazon_order_id,
                                       seller_id=row.seller_id)
        assert order is not None
        ledger.record_entries(work.conn, [(order, entry)])
        store.cancel(work.conn, row.seller_id, label_id, work.now)
        return _label_of(work, store.get(work.conn, row.seller_id, label_id))

    return market.run(command)


def _own(work: Work, caller: Caller, label_id: str, *, lock: bool = False) -> Any:
    seller = caller.own_seller
    row = store.get(work.conn, seller, label_id, lock=lock) if seller else None
    if row is None:
        raise NotFound(Phrase("shipment %(label)s does not exist", label=label_id))
    return row


def _label_of(work: Work, row: Any) -> Label:
    shipment = shipments.of_label(work.conn, row.seller_id, row.label_id)
    assert shipment is not None
    return _label(work, row._mapping, shipment)


def _label(work: Work, row: Mapping[str, Any], shipment: ShipmentRecord) -> Label:
    """The label as its row keeps it (ship from, package and lines as JSON) and its
    shipment's scans so far."""
    return Label(
        row["label_id"], row["api"], row["amazon_order_id"], row["seller_id"],
        network.BY_ID[row["service_id"]], row["tracking_number"],
        Money.from_cents(row["charge_cents"]), row["label_format"],
        Address(**json.loads(row["ship_from"])), shipment.ship_to,
        network.Package(*(Decimal(v) for v in json.loads(row["package"]))),
        tuple((str(i), int(q)) for i, q in json.loads(row["lines"])), row["ship_date"],
        row["earliest_delivery"], row["latest_delivery"], row["created_at"],
        row["canceled_at"],
        scans_by(network.milestones(row["created_at"], shipment.first_scan_at,
                                    shipment.delivered_at, shipment.lost_at), work.now),
        shipment.deliver_by is None or row["latest_delivery"] <= shipment.deliver_by)


def tracking(market: Marketplace, caller: Caller, tracking_id: str, carrier_id: str
             ) -> Tracking:
    """getTracking: the scans of one of the seller's packages so far."""
    caller.require(*SELLER_SIDE, doing="tracking a package")
    carrier = network.CARRIER_OF_ID.get(carrier_id.upper())
    if carrier is None:
        raise InvalidInput("carrierId", Phrase("%(carrier)r is not a carrier id: %(ids)s",
                                               carrier=carrier_id,
                                               ids=", ".join(network.CARRIER_OF_ID)))

    def query(work: Work) -> Tracking:
        seller = caller.own_seller
        found = [s for s in (shipments.tracked(work.conn, seller, tracking_id.strip())
                             if seller else []) if s.carrier_code == carrier]
        if not found:
            raise NotFound(Phrase("no %(carrier)s package of yours has tracking number "
                                  "%(number)s", carrier=carrier, number=tracking_id))
        return package_tracking(found[0], work.now)

    return market.read(query)


def require_restricted(session: SellerSession, method: str, path: str) -> None:
    """Merchant Fulfillment's createShipment, getShipment and cancelShipment are restricted
    operations (the label holds the buyer's address): they take a restricted data token
    made for `method path`."""
    if not session.opens(method, path):
        raise Unauthenticated(Phrase(
            "Access to requested resource is denied. %(method)s %(path)s is a restricted "
            "operation: call it with a restricted data token made for it "
            "(createRestrictedDataToken)", method=method, path=path), reason="restricted")


def last_ship_from(market: Marketplace, caller: Caller, seller_id: str) -> Address | None:
    """Where the seller's last label shipped from: the console offers it again."""
    caller.require(*SELLER_SIDE, doing="a seller's ship-from address")

    def query(work: Work) -> Address | None:
        check_seller(work.conn, caller, seller_id)
        found = store.latest_ship_from(work.conn, seller_id)
        return None if found is None else Address(**found)

    return market.read(query)

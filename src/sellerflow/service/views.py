"""Read models: what the services return, and what every front door renders (the SP-API shapes
in `wire`, the CLI's text and --json, the console's pages). Plain typed values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple

from sellerflow.domain import carrier_network as network
from sellerflow.domain.deadlines import warning_text
from sellerflow.domain.decisions import ShipmentRecord
from sellerflow.domain.lifecycle import Action, allows
from sellerflow.domain.model import Address, Buyer, Order, OrderStatus, Plan
from sellerflow.domain.money import Money
from sellerflow.domain.pending import PendingStage, promise_note
from sellerflow.domain.text import Phrase

SELLER_ACTIONS = (Action.SHIP, Action.SELLER_CANCEL, Action.REDIRECT, Action.REFUND)


def seller_actions(order: Order) -> frozenset[Action]:
    """What Manage Orders offers on an order: the seller's actions its status allows (L7: none
    on a Pending or Canceled order); a redirect only once the buyer asked for one (L19)."""
    return _seller_actions(order.status, order.requested_address is not None)


@cache
def _seller_actions(status: OrderStatus, redirect_asked: bool) -> frozenset[Action]:
    # Ten combinations in all, and Manage Orders asks for every row of its page.
    return frozenset(a for a in SELLER_ACTIONS if allows(status, a)
                     and (a is not Action.REDIRECT or redirect_asked))


@dataclass(frozen=True)
class OrderRow:
    """A Manage Orders row: the order, its ship-by warning (L24; `confirm_by` its date in the
    seller's time zone), what may be done and, while Pending, which stage it waits in."""

    order: Order
    actions: frozenset[Action]
    confirm_by: date | None = None
    pending: PendingStage | None = None

    @property
    def warning(self) -> str | None:
        return None if self.confirm_by is None else warning_text(self.confirm_by)


@dataclass(frozen=True)
class ManageOrdersPage:
    """A page of Manage Orders: its rows, how many orders match in all, how many each tab holds
    (Pending, Unshipped with Partially shipped, Canceled, Shipped, All), how many orders show
    the ship-by warning (L24), the seller's time zone for the dates shown and the marketplace's
    time it was read at."""

    rows: tuple[OrderRow, ...]
    total: int
    page: int
    pages: int
    tab_counts: dict[str, int]
    partially_shipped: int
    warned: int
    time_zone: str
    as_of: datetime
    auto_cancel: str = "30-days"      # the policy orders placed now are scheduled with


class OrderView(NamedTuple):
    """An order as the Orders API 2026-01-01 shows it to its seller: the datasets asked for
    (includedData), each holding only what the seller may see of it (service/projection.py
    decides; a door formats what is present). A named tuple rather than a frozen dataclass:
    a page makes a hundred, and a tuple is made in a fifth of the time."""

    order: Order
    datasets: frozenset[str]
    priced: bool                          # the items' unit prices (none while Pending)
    buyer: Buyer | None = None            # BUYER
    recipient: Address | None = None      # RECIPIENT: none for a canceled or unreleased order
    proceeds: Money | None = None         # PROCEEDS: none while Pending or once canceled
    packages: tuple[ShipmentRecord, ...] = ()                 # PACKAGES
    cancellation: bool = False            # CANCELLATION: each canceled item's reason, side
    cancel_request: str | None = None     # CANCELLATION: the buyer's reason for asking
    fulfillment: bool = False             # FULFILLMENT


@dataclass(frozen=True)
class OrderViewPage:
    """A page of searchOrders, the token of the next (None: the last) and the upper bounds
    the search applied."""

    orders: tuple[OrderView, ...]
    next_token: str | None
    created_before: datetime | None
    last_updated_before: datetime | None


@dataclass(frozen=True)
class RefundView:
    at: datetime
    amount: Money
    reason: str


@dataclass(frozen=True)
class MessageView:
    at: datetime
    body: dict[str, Any]


@dataclass(frozen=True)
class HistoryView:
    at: datetime
    from_status: str | None
    to_status: str
    cause: str
    reason: str


@dataclass(frozen=True)
class Tracking:
    """A package as its carrier's scans tell it (L30): those that have happened, oldest
    first, and the delivery promised the buyer."""

    tracking_number: str
    carrier: str
    ship_to: Address
    promised: datetime
    scans: tuple[network.Scan, ...]

    @property
    def status(self) -> str:
        """Shipping v2's summary: PreTransit, InTransit, OutForDelivery, Delivered, Lost."""
        return network.status(list(self.scans))

    @property
    def delivered(self) -> bool:
        return self.status == "Delivered"


def scans_by(scans: list[network.Scan], now: datetime) -> tuple[network.Scan, ...]:
    return tuple(scan for scan in scans if scan.at <= now)


def package_tracking(shipment: ShipmentRecord, now: datetime) -> Tracking:
    """A shipment's package at `now` (a bought label's scans begin when the label was made,
    with its confirmation)."""
    scans = network.milestones(shipment.confirmed_at if shipment.label_id else None,
                               shipment.first_scan_at, shipment.delivered_at, shipment.lost_at)
    return Tracking(shipment.tracking_number, shipment.carrier_code, shipment.ship_to,
                    shipment.deliver_by or shipment.ship_date, scans_by(scans, now))


@dataclass(frozen=True)
class OrderDetail:
    """Everything about one order, as its seller (or buyer) sees it."""

    row: OrderRow
    shipments: tuple[ShipmentRecord, ...]
    refunds: tuple[RefundView, ...]
    messages: tuple[MessageView, ...]
    history: tuple[HistoryView, ...]
    # As the viewer may see them (service/projection.py): no address for an order canceled
    # or never released, no total while Pending or once canceled.
    address: Address | None = None
    total: Money | None = None
    as_of: datetime | None = None        # the time it was read (the sandbox's, if simulated)
    canceled_labels: frozenset[str] = frozenset()    # Buy Shipping labels canceled (L29)

    @property
    def order(self) -> Order:
        return self.row.order

    @property
    def packages(self) -> tuple[Tracking, ...]:
        """Each shipment's package as its scans tell it when the order was read (L30)."""
        now = self.as_of
        return () if now is None else tuple(package_tracking(s, now) for s in self.shipments)

    @property
    def dates_note(self) -> str | None:
        """Why the order has no promise dates, when it has none."""
        return promise_note(self.row.order)


@dataclass(frozen=True)
class Cancellation:
    order: Order
    requested_only: bool   # L6: a buyer's cancel of a released order is only a request


@dataclass(frozen=True)
class Confirmation:
    order: Order
    warnings: tuple[Phrase, ...]


@dataclass(frozen=True)
class RefundDone:
    order_id: str
    at: datetime
    amount: Money
    reason: str
    fee_credit: Money
    admin_fee: Money
    total_refunded: Money


@dataclass(frozen=True)
class AddressChangeRequested:
    order_id: str
    shipping_address: dict[str, str]
    at: datetime


@dataclass(frozen=True)
class FeedbackLeft:
    order_id: str
    rating: int
    comment: str
    at: datetime


@dataclass(frozen=True)
class LedgerLine:
    at: datetime
    order_id: str
    kind: str
    amount: Money


@dataclass(frozen=True)
class SellerLedger:
    balance: Money
    entries: tuple[LedgerLine, ...]


@dataclass(frozen=True)
class Metric:
    """One L27 metric over its window."""

    numerator: int
    denominator: int
    target: Decimal
    window_days: int
    upper_bound: bool   # True: the value must stay under the target; False: over it

    @property
    def value(self) -> Decimal | None:
        if self.denominator == 0:
            return None
        return (Decimal(self.numerator) / Decimal(self.denominator)).quantize(Decimal("0.0001"))

    @property
    def status(self) -> str | None:
        """`bad` past the target; `atRisk` within 20% of it; else `ok`."""
        value = self.value
        if value is None:
            return None
        if self.upper_bound:
            if value >= self.target:
                return "bad"
            return "atRisk" if value >= self.target * Decimal("0.8") else "ok"
        if value <= self.target:
            return "bad"
        miss_allowed = 1 - self.target
        return "atRisk" if (1 - value) >= miss_allowed * Decimal("0.8") else "ok"


@dataclass(frozen=True)
class SellerMetrics:
    cancel_rate: Metric
    late_shipment_rate: Metric
    valid_tracking_rate: Metric
    order_defect_rate: Metric
    on_time_delivery_rate: Metric


@dataclass(frozen=True)
class MetricHistory:
    """A metric now, its value (None: nothing to count) at the same time on each of the last
    days, oldest first, and the orders counting against it now (the newest, of
    `against_total`)."""

    now: Metric
    days: tuple[datetime, ...]
    values: tuple[Decimal | None, ...]
    against: tuple[str, ...]
    against_total: int


@dataclass(frozen=True)
class AccountHealth:
    order_defect_rate: MetricHistory
    cancel_rate: MetricHistory
    late_shipment_rate: MetricHistory
    valid_tracking_rate: MetricHistory
    on_time_delivery_rate: MetricHistory
    time_zone: str


@dataclass(frozen=True)
class FeedSummary:
    """A stored upload: its status (IN_QUEUE, IN_PROGRESS, DONE, or FATAL when the file could
    not be read at all) and its counts."""

    feed_id: str
    seller_id: str
    feed_type: str
    status: str
    created_at: datetime
    done_at: datetime | None
    total: int
    processed: int
    successful: int

    @property
    def rejected(self) -> int:
        return self.processed - self.successful


@dataclass(frozen=True)
class FeedView(FeedSummary):
    """A stored upload with its processing report so far; `fatal` says why a FATAL file was
    not read."""

    report: str
    fatal: str | None
    fatal_code: str | None = None     # its error code (docs/shipment-upload.md)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    kind: str
    sent_at: datetime | None
    attempts: int = 0
    last_error: str | None = None


@dataclass(frozen=True)
class SellerProfile:
    seller_id: str
    name: str
    plan: Plan
    email: str
    time_zone: str
    holidays: tuple[str, ...]


@dataclass(frozen=True)
class SellerCreated:
    """A new seller and its credentials, shown this once (only hashes are stored)."""

    seller_id: str
    plan: Plan
    email: str
    client_id: str
    client_secret: str
    refresh_token: str
    password: str


@dataclass(frozen=True)
class BuyerCreated:
    buyer_id: str
    email: str
    token: str


@dataclass(frozen=True)
class PlacedOrder:
    order_id: str
    seller_id: str
    status: str


@dataclass(frozen=True)
class ClockReading:
    now: datetime
    fired: int



@dataclass(frozen=True)
class ShippingLevel:
    service_level: str
    per_shipment: Money
    per_item: Money
    is_default: bool        # the seller set nothing for this level


@dataclass(frozen=True)
class ShippingSettings:
    seller_id: str
    levels: tuple[ShippingLevel, ...]

    def level(self, name: str) -> ShippingLevel:
        return next(level for level in self.levels if level.service_level == name)

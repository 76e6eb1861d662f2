"""What a domain command decides: the changed order plus every effect the store must record."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sellerflow.domain.lifecycle import HistoryEntry
from sellerflow.domain.model import Address, Cause, Order
from sellerflow.domain.money import Money
from sellerflow.domain.text import Phrase


class DeadlineKind(StrEnum):
    HOLD_ENDS = "hold_ends"                         # L5, L9
    VERIFICATION_EXPIRES = "verification_expires"   # L12
    SHIP_WARNING = "ship_warning"                   # L24
    SHIP_DEADLINE = "ship_deadline"                 # L23
    AUTO_CANCEL_WARNING = "auto_cancel_warning"     # L24a
    AUTO_CANCEL = "auto_cancel"                     # L23a
    TRACKING_SCAN = "tracking_scan"                 # L30: a bought label's package scanned


@dataclass(frozen=True)
class Notification:
    """A message the domain decided to send to the order's `buyer` or `seller`: its kind and
    the facts it tells. The service finds the address; the templates write the text."""

    kind: str
    recipient: str
    order_id: str
    facts: dict[str, str]
    items: tuple[tuple[int, str, str], ...] = ()   # (units, title, SKU) when it lists them

    @property
    def key(self) -> str:
        """At most one message of a kind per order."""
        return f"{self.order_id}:{self.kind}"


@dataclass(frozen=True)
class LedgerEntry:
    at: datetime
    kind: str
    amount: Money


@dataclass(frozen=True)
class ShipmentRecord:
    carrier_code: str
    carrier_name: str | None
    tracking_number: str
    tracking_valid: bool
    ship_method: str
    ship_date: datetime
    confirmed_at: datetime
    ship_to: Address
    lines: tuple[tuple[str, int], ...]
    gross: Money
    # What the carrier's scans tell (L30): when it first scanned the package, when it
    # delivered or lost it (times that may still be ahead), and the delivery promised the
    # buyer (L31).
    first_scan_at: datetime | None = None
    delivered_at: datetime | None = None
    lost_at: datetime | None = None
    deliver_by: datetime | None = None
    label_id: str | None = None


@dataclass(frozen=True)
class RefundRecord:
    at: datetime
    amount: Money
    reason: str
    fee_credit: Money
    admin_fee: Money


@dataclass
class Decision:
    order: Order
    history: list[HistoryEntry] = field(default_factory=list)
    restock: dict[int, int] = field(default_factory=dict)
    written_off: dict[int, int] = field(default_factory=dict)   # L4 NoInventory
    notifications: list[Notification] = field(default_factory=list)
    ledger: list[LedgerEntry] = field(default_factory=list)
    shipment: ShipmentRecord | None = None
    refund: RefundRecord | None = None
    warnings: list[Phrase] = field(default_factory=list)
    # Deadlines the decision schedules (L23a's, known once the order is released).
    deadlines: list[tuple[DeadlineKind, datetime]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.history)


def cancel_rest(decision: Decision, reason: str, cause: Cause, *, return_units: bool = True,
                item_ids: Collection[str] | None = None) -> None:
    """Cancel every unit still to ship (of the items named, if `item_ids` names some), each
    item keeping the reason and side; L4: units canceled before they ship go back on sale."""
    for item in decision.order.items:
        units = item.quantity_to_ship
        if units == 0 or (item_ids is not None and item.order_item_id not in item_ids):
            continue
        item.quantity_canceled += units
        item.cancel_reason, item.canceled_by = reason, cause
        units_by_listing = decision.restock if return_units else decision.written_off
        units_by_listing[item.listing_id] = units_by_listing.get(item.listing_id, 0) + units

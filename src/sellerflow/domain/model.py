"""The seller's world as plain data: sellers, buyers, listings, orders and their items."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from typing import Any

from sellerflow.domain import validation
from sellerflow.domain.countries import COUNTRY_CODES
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.money import Money
from sellerflow.domain.text import Phrase

MARKETPLACE_ID = "ATVPDKIKX0DER"
SALES_CHANNEL = "Amazon.com"
CURRENCY = "USD"


class OrderStatus(StrEnum):
    PENDING = "Pending"
    UNSHIPPED = "Unshipped"
    PARTIALLY_SHIPPED = "PartiallyShipped"
    SHIPPED = "Shipped"
    CANCELED = "Canceled"


class Plan(StrEnum):
    INDIVIDUAL = "individual"
    PROFESSIONAL = "professional"


class Verification(StrEnum):
    """Where the payment and order-detail verification stands (L8-L12)."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    FRAUD = "fraud"
    EXPIRED = "expired"


class Cause(StrEnum):
    BUYER = "buyer"
    SELLER = "seller"
    VERIFICATION = "verification"
    DEADLINE = "deadline"


SHIP_SERVICE_LEVELS = ("Standard", "Expedited", "SecondDay", "NextDay")


@dataclass(frozen=True)
class GiftOption:
    """What a buyer asked for an item sent as a gift (Amazon's GiftOption, v0's gift fields):
    a message to enclose, a level of gift wrap; at least one of them."""

    message: str | None = None
    wrap_level: str | None = None


@dataclass(frozen=True)
class Address:
    """Amazon's SP-API Address; the fields sellerflow keeps, in Amazon's casing."""

    Name: str
    AddressLine1: str
    City: str
    PostalCode: str
    CountryCode: str
    StateOrRegion: str | None = None
    AddressLine2: str | None = None
    AddressLine3: str | None = None
    CompanyName: str | None = None
    County: str | None = None
    District: str | None = None
    Municipality: str | None = None
    Phone: str | None = None
    AddressType: str | None = None

    @classmethod
    def from_wire(cls, data: Any, where: str = "shippingAddress") -> Address:
        if not isinstance(data, dict):
            raise InvalidInput(where, "must be a JSON object like "
                               '{"Name": "Jane Doe", "AddressLine1": "1 Main St", "City": '
                               '"Seattle", "StateOrRegion": "WA", "PostalCode": "98101", '
                               '"CountryCode": "US"}')
        values: dict[str, str] = {}
        for key, value in data.items():
            if key not in _ADDRESS_FIELDS:
                continue
            if value is None:
                continue
            if not isinstance(value, str):
                raise InvalidInput(f"{where}.{key}", f"must be a string, got {value!r}")
            cleaned = validation.text(value, f"{where}.{key}", 200)
            if cleaned:
                values[key] = cleaned
        missing = [name for name in ("Name", "AddressLine1", "City", "PostalCode", "CountryCode")
                   if name not in values]
        country = values.get("CountryCode", "")
        if country == "US" and "StateOrRegion" not in values:
            missing.append("StateOrRegion")
        if missing:
            raise InvalidInput(where, Phrase("missing %(fields)s", fields=", ".join(missing)))
        if country not in COUNTRY_CODES:
            raise InvalidInput(f"{where}.CountryCode", Phrase(
                "%(country)r is not an ISO 3166-1 alpha-2 country code like US, CA or GB",
                country=country))
        if values.get("AddressType") not in (None, "Residential", "Commercial"):
            raise InvalidInput(f"{where}.AddressType", "must be Residential or Commercial")
        return cls(**values)

    def to_wire(self) -> dict[str, str]:
        return {name: value for name in _ADDRESS_FIELDS
                if (value := getattr(self, name)) is not None}


ADDRESS_FIELDS = tuple(f.name for f in fields(Address))
_ADDRESS_FIELDS = ADDRESS_FIELDS


@dataclass(frozen=True)
class Seller:
    seller_id: str
    name: str
    plan: Plan
    email: str
    time_zone: str


@dataclass(frozen=True)
class Buyer:
    buyer_id: str
    email: str
    name: str


@dataclass
class Listing:
    listing_id: int
    seller_id: str
    sku: str
    asin: str
    title: str
    price: Money
    quantity: int
    handling_days: int
    product_type: str = "PRODUCT"
    # Every attribute as the Listings Items API last gave it (JSON), those sellerflow does not
    # read included; None for a listing made otherwise.
    attributes: str | None = None
    updated_at: datetime | None = None       # any change: its offer, its stock
    created_at: datetime | None = None

    @property
    def buyable(self) -> bool:
        """L3: a listing at quantity 0 leaves the catalog but stays in the inventory."""
        return self.quantity > 0


@dataclass
class OrderItem:
    order_item_id: str
    listing_id: int
    sku: str
    asin: str
    title: str
    quantity_ordered: int
    unit_price: Money
    unit_shipping: Money
    handling_days: int
    quantity_shipped: int = 0
    quantity_canceled: int = 0
    # The shipping charged once for the line, not per unit: the seller's per-shipment amount,
    # carried by an order's first line. Charged with the line's first shipped unit.
    line_shipping: Money = field(default_factory=Money.zero)
    # The reason and the side of the cancellation that took the item's units, as Amazon keeps
    # them per item (a cancellation file's row may name one item of an order).
    cancel_reason: str | None = None
    canceled_by: Cause | None = None
    gift: GiftOption | None = None

    @property
    def quantity_to_ship(self) -> int:
        return self.quantity_ordered - self.quantity_shipped - self.quantity_canceled

    @property
    def quantity_still_ordered(self) -> int:
        """Amazon's QuantityOrdered: a canceled unit leaves the item (0 once all are)."""
        return self.quantity_ordered - self.quantity_canceled

    @property
    def item_price(self) -> Money:
        """Amazon's ItemPrice: the units still ordered at their unit price."""
        return self.unit_price.times(self.quantity_still_ordered)

    @property
    def shipping_price(self) -> Money:
        """Amazon's ShippingPrice: the per-unit amount for each unit still ordered, plus the
        amount charged once for the line while any unit of it is."""
        units = self.quantity_still_ordered
        return self.unit_shipping.times(units) + (self.line_shipping if units else
                                                  Money.zero(self.unit_price.currency))


@dataclass(frozen=True)
class PromiseDates:
    """L15: what the seller promised at release, all in UTC."""

    earliest_ship: datetime
    latest_ship: datetime
    earliest_delivery: datetime
    latest_delivery: datetime


@dataclass
class Order:
    amazon_order_id: str
    seller_id: str
    buyer_id: str
    purchase_date: datetime
    ship_service_level: str
    shipping_address: Address
    items: list[OrderItem]
    status: OrderStatus = OrderStatus.PENDING
    verification: Verification = Verification.PENDING
    released_at: datetime | None = None
    promise: PromiseDates | None = None
    buyer_cancel_requested: bool = False
    buyer_cancel_reason: str | None = None
    requested_address: Address | None = None
    charged: Money = field(default_factory=Money.zero)
    refunded: Money = field(default_factory=Money.zero)
    last_update: datetime | None = None
    version: int = 0
    # L24, L23: when this order's warning and ship-confirm deadline were scheduled at
    # placement; a later change of the deployment's numbers does not move them.
    ship_warning_at: datetime | None = None
    ship_deadline_at: datetime | None = None
    is_prime: bool = False      # Amazon's IsPrime: checked out with Prime

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    def unit_counts(self) -> tuple[int, int]:
        """(units shipped, units to ship) in one pass over the items."""
        shipped = to_ship = 0
        for item in self.items:
            shipped += item.quantity_shipped
            to_ship += item.quantity_ordered - item.quantity_shipped - item.quantity_canceled
        return shipped, to_ship

    @property
    def units_shipped(self) -> int:
        return sum(item.quantity_shipped for item in self.items)

    @property
    def units_to_ship(self) -> int:
        return sum(item.quantity_to_ship for item in self.items)

    @property
    def handling_days(self) -> int:
        """L15: an order's handling time is the largest of its items'."""
        return max(item.handling_days for item in self.items)

    def copy(self) -> Order:
        """An independent copy: items are the only mutable parts (the rest is immutable).
        Every command copies its order, so this copies the fields directly."""
        duplicate = object.__new__(Order)
        duplicate.__dict__.update(self.__dict__)
        duplicate.items = [_copied(item) for item in self.items]
        return duplicate

    def item(self, order_item_id: str) -> OrderItem | None:
        for item in self.items:
            if item.order_item_id == order_item_id:
                return item
        return None


def _copied(item: OrderItem) -> OrderItem:
    duplicate = object.__new__(OrderItem)
    duplicate.__dict__.update(item.__dict__)
    return duplicate

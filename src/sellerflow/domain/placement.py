"""Checkout: a cart becomes one Pending order per seller (L1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sellerflow.domain import validation
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.lifecycle import HistoryEntry, placement_entry
from sellerflow.domain.model import (
    SHIP_SERVICE_LEVELS,
    Address,
    GiftOption,
    Listing,
    Order,
    OrderItem,
)
from sellerflow.domain.policy import THIRTY_DAYS, Policy
from sellerflow.domain.shipping import ShippingRate, charges
from sellerflow.domain.text import Phrase
from sellerflow.domain.validation import MAX_UNITS_PER_LINE


@dataclass(frozen=True)
class CartLine:
    seller_id: str
    sku: str
    quantity: int
    gift: GiftOption | None = None


MAX_GIFT_MESSAGE = 240
MAX_GIFT_WRAP_LEVEL = 40


def gift_option(message: str | None, wrap_level: str | None, field: str) -> GiftOption | None:
    """A cart line's gift option from what the buyer typed (`field` names the line), or None
    when neither a message nor a wrap is asked for."""
    text = validation.text(message, f"{field}.giftMessage", MAX_GIFT_MESSAGE)
    level = validation.text(wrap_level, f"{field}.giftWrapLevel", MAX_GIFT_WRAP_LEVEL)
    return GiftOption(text or None, level or None) if text or level else None


def validate_cart(lines: list[CartLine], service_level: str) -> None:
    if not lines:
        raise InvalidInput("items", "the cart is empty; give at least one SELLER:SKU:QTY item")
    for n, line in enumerate(lines, 1):
        if not 1 <= line.quantity <= MAX_UNITS_PER_LINE:
            raise InvalidInput(f"items[{n}].quantity", Phrase(
                "%(quantity)s must be a whole number of units from 1 to %(most)s",
                quantity=line.quantity, most=MAX_UNITS_PER_LINE))
    merge_gifts(lines)
    if service_level not in SHIP_SERVICE_LEVELS:
        raise InvalidInput("shipServiceLevel", Phrase(
            "%(level)r is not one of %(levels)s", level=service_level,
            levels=", ".join(SHIP_SERVICE_LEVELS)))


def merge_lines(lines: list[CartLine]) -> dict[tuple[str, str], int]:
    """The same SKU twice in a cart is one line with the summed quantity."""
    merged: dict[tuple[str, str], int] = {}
    for line in lines:
        key = (line.seller_id, line.sku)
        merged[key] = merged.get(key, 0) + line.quantity
    return merged


def merge_gifts(lines: list[CartLine]) -> dict[tuple[str, str], GiftOption]:
    """Each SKU's gift option: a SKU given twice (one item of the order) has one, so two
    different ones are refused rather than one silently dropped."""
    gifts: dict[tuple[str, str], GiftOption] = {}
    for n, line in enumerate(lines, 1):
        key = (line.seller_id, line.sku)
        if line.gift is None:
            continue
        if gifts.setdefault(key, line.gift) != line.gift:
            raise InvalidInput(f"items[{n}].giftMessage",
                               f"{line.seller_id}:{line.sku} is in the cart twice with different "
                               "gift options; give the SKU once with its quantity")
    return gifts


def build_order(order_id: str, buyer_id: str, seller_id: str,
                lines: list[tuple[Listing, int, str, GiftOption | None]], address: Address,
                service_level: str,
                at: datetime, policy: Policy, rate: ShippingRate, *, prime: bool = False
                ) -> tuple[Order, HistoryEntry]:
    """`lines` holds (listing, quantity, order item id, gift option) for one seller's part of
    the cart; `rate` is that seller's shipping for the service level."""
    shipping = charges(rate, [quantity for _, quantity, _, _ in lines])
    items = [OrderItem(order_item_id=item_id, listing_id=listing.listing_id, sku=listing.sku,
                       asin=listing.asin, title=listing.title, quantity_ordered=quantity,
                       unit_price=listing.price, unit_shipping=per_unit,
                       handling_days=listing.handling_days, line_shipping=per_line, gift=gift)
             for (listing, quantity, item_id, gift), (per_unit, per_line) in zip(
                 lines, shipping, strict=True)]
    order = Order(amazon_order_id=order_id, seller_id=seller_id, buyer_id=buyer_id,
                  purchase_date=at, ship_service_level=service_level,
                  shipping_address=address, items=items, last_update=at,
                  is_prime=prime)
    if policy.auto_cancel == THIRTY_DAYS:       # L23a's are known once the order is released
        order.ship_warning_at = at + policy.ship_warning
        order.ship_deadline_at = at + policy.ship_deadline
    return order, placement_entry(order, at)

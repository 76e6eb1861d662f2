"""What a viewer may see of an order: decided here once, for every front door. A door shows
what these give and never decides itself.

- L18: the ship-to address belongs to released orders only, never to a canceled one;
  without a restricted data token the SP-API shows only its city, region, postal code and
  country, and no buyer's name or e-mail.
- A Pending order has no total yet (it is not final), a canceled one none at all; nor do its
  items have prices yet.
- The Orders API 2026-01-01 needs no restricted data token: what a seller's datasets show is
  decided by the same rules (`order_view`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sellerflow.domain.decisions import ShipmentRecord
from sellerflow.domain.model import Address, Buyer, Order, OrderItem, OrderStatus
from sellerflow.domain.money import Money
from sellerflow.domain.relay import relay_email
from sellerflow.service.views import OrderView

# What an address shows without a restricted data token (Amazon's Orders API, as at Amazon).
NON_PERSONAL_ADDRESS = ("City", "StateOrRegion", "PostalCode", "CountryCode")


def address_visible(order: Order) -> bool:
    """L18: the ship-to address is for released orders; never for one canceled while Pending."""
    return order.is_released


def shipping_address(order: Order) -> Address | None:
    """The ship-to address as its seller sees it in the console: none for a canceled order or
    one never released."""
    if order.status is OrderStatus.CANCELED or not address_visible(order):
        return None
    return order.shipping_address


def shown_address(order: Order, *, personal: bool) -> dict[str, str] | None:
    """The SP-API ShippingAddress: none for a canceled order or one never released, only the
    city, region, postal code and country without a restricted data token."""
    address = shipping_address(order)
    if address is None:
        return None
    wire = address.to_wire()
    if personal:
        return wire
    return {k: v for k, v in wire.items() if k in NON_PERSONAL_ADDRESS}


def buyer_info(buyer: Buyer | None, *, personal: bool) -> dict[str, str]:
    """The SP-API BuyerInfo: the buyer's relay e-mail and name with a restricted data token,
    nothing personal without."""
    if buyer is None or not personal:
        return {}
    return {"BuyerEmail": relay_email(buyer), "BuyerName": buyer.name}


def item_buyer_info(item: OrderItem, *, personal: bool) -> dict[str, str]:
    """The SP-API ItemBuyerInfo: the buyer's gift message and gift wrap level for the item,
    with a restricted data token (the operations that give it are restricted); nothing
    without, nor for an item that is no gift."""
    if item.gift is None or not personal:
        return {}
    shown = {"GiftMessageText": item.gift.message, "GiftWrapLevel": item.gift.wrap_level}
    return {name: value for name, value in shown.items() if value is not None}


def order_total(order: Order) -> Money:
    """Amazon's OrderTotal: the sum of the items' money as getOrderItems shows it."""
    total = Money.zero(order.items[0].unit_price.currency)
    for item in order.items:
        total = total + item.item_price + item.shipping_price
    return total


def shown_total(order: Order) -> Money | None:
    """The total a page shows: none while Pending (not final) or once canceled."""
    if order.status in (OrderStatus.PENDING, OrderStatus.CANCELED):
        return None
    return order_total(order)


def priced(order: Order) -> bool:
    """Whether the items' prices show: not while Pending (Amazon's models: not final)."""
    return order.status is not OrderStatus.PENDING


def recipient(order: Order, now: datetime) -> Address | None:
    """The Orders API 2026's deliveryAddress: the ship-to address as its seller sees it, the
    phone suppressed once a shipped order is past its latest delivery date (as at Amazon)."""
    address = shipping_address(order)
    if (address is not None and address.Phone is not None
            and order.status is OrderStatus.SHIPPED and order.promise is not None
            and now > order.promise.latest_delivery):
        return replace(address, Phone=None)
    return address


def order_view(order: Order, datasets: frozenset[str], now: datetime, *,
               buyer: Buyer | None = None, packages: Sequence[ShipmentRecord] = ()
               ) -> OrderView:
    """The order as the Orders API 2026-01-01 shows it to its seller, in the datasets asked
    for (the facts of a dataset not asked for need not be given)."""
    if not datasets:        # most searches: nothing but the order itself
        return OrderView(order, datasets, priced(order))
    asked_cancellation = "CANCELLATION" in datasets
    return OrderView(
        order, datasets, priced(order),
        buyer if "BUYER" in datasets else None,
        recipient(order, now) if "RECIPIENT" in datasets else None,
        shown_total(order) if "PROCEEDS" in datasets else None,
        tuple(packages) if "PACKAGES" in datasets else (),
        asked_cancellation,
        (order.buyer_cancel_reason if asked_cancellation and order.buyer_cancel_requested
         else None),
        "FULFILLMENT" in datasets)

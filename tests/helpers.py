"""Builders for tests: sellers, listings, orders and clock moves through the real services."""

from __future__ import annotations

from typing import Any

from sellerflow.clock import parse_duration
from sellerflow.domain.fulfillment import ShipmentRequest
from sellerflow.domain.placement import CartLine
from sellerflow.service import accounts, fulfillment, listings
from sellerflow.service import clock as clock_service
from sellerflow.service import orders as order_service
from sellerflow.service.checkout import Checkout, place_order
from sellerflow.service.context import Marketplace

ADDRESS = {"Name": "Jane Doe", "AddressLine1": "1 Main St", "City": "Seattle",
           "StateOrRegion": "WA", "PostalCode": "98101", "CountryCode": "US"}
OTHER_ADDRESS = {"Name": "Jane Doe", "AddressLine1": "500 Office Park Dr", "City": "Portland",
                 "StateOrRegion": "OR", "PostalCode": "97205", "CountryCode": "US"}
UPS_TRACKING = "1Z999AA10123456784"


def seller(market: Marketplace, plan: str = "professional", email: str = "shop@example.com",
           time_zone: str | None = None) -> str:
    return str(accounts.create_seller(market, "Shop", plan, email, time_zone)["sellerId"])


def listing(market: Marketplace, seller_id: str, sku: str = "MUG", quantity: int = 10,
            price: str = "10.00", handling_days: int = 2) -> None:
    listings.set_listing(market, seller_id, sku, title=f"Item {sku}", price=price,
                         quantity=quantity, handling_days=handling_days)


def quantity(market: Marketplace, seller_id: str, sku: str = "MUG") -> int:
    return listings.get_listing(market, seller_id, sku).quantity


def place(market: Marketplace, seller_id: str, sku: str = "MUG", qty: int = 1, *,
          payment: str = "ok", level: str = "Standard", buyer: str = "buyer@example.com",
          lines: list[CartLine] | None = None, key: str | None = None) -> str:
    result = place_order(market, Checkout(buyer, lines or [CartLine(seller_id, sku, qty)],
                                          ADDRESS, level, payment, key))
    return str(result["orders"][0]["AmazonOrderId"])


def advance(market: Marketplace, duration: str) -> int:
    return clock_service.advance(market, parse_duration(duration))[1]


def released(market: Marketplace, seller_id: str, sku: str = "MUG", qty: int = 1,
             **kwargs: Any) -> str:
    order_id = place(market, seller_id, sku, qty, **kwargs)
    advance(market, "30m")
    return order_id


def view(market: Marketplace, order_id: str) -> dict[str, Any]:
    return order_service.show(market, order_id)


def status(market: Marketplace, order_id: str) -> str:
    return str(view(market, order_id)["order"]["OrderStatus"])


def history(market: Marketplace, order_id: str) -> list[dict[str, Any]]:
    return list(view(market, order_id)["history"])


def ship(market: Marketplace, order_id: str, lines: tuple[tuple[str, int], ...] | None = None,
         tracking: str = UPS_TRACKING, carrier: str = "UPS", **kwargs: Any
         ) -> fulfillment.Confirmation:
    return fulfillment.ship(market, order_id, ShipmentRequest(
        carrier=carrier, tracking_number=tracking, lines=lines, **kwargs))


def item_id(market: Marketplace, order_id: str, n: int = 0) -> str:
    return str(view(market, order_id)["items"][n]["OrderItemId"])

"""Amazon's wire shapes for the Orders API 2026-01-01 (orders_2026-01-01.json): an Order from
the read model a service projected for its seller (service/projection.py), each dataset
formatted where the view holds it."""

from __future__ import annotations

from typing import Any

from sellerflow.clock import iso
from sellerflow.domain.decisions import ShipmentRecord
from sellerflow.domain.model import MARKETPLACE_ID, Address, Cause, OrderItem
from sellerflow.domain.money import Money
from sellerflow.domain.relay import relay_email
from sellerflow.service.search_orders import FULFILLMENT_STATUS
from sellerflow.service.views import OrderView, OrderViewPage

SALES_CHANNEL = {"channelName": "AMAZON", "marketplaceId": MARKETPLACE_ID,
                 "marketplaceName": "Amazon.com"}
SERVICE_LEVEL = {"Standard": "STANDARD", "Expedited": "EXPEDITED", "SecondDay": "SECOND_DAY",
                 "NextDay": "NEXT_DAY"}
CANCELLED_BY = {Cause.BUYER: "BUYER", Cause.SELLER: "MERCHANT",
                Cause.VERIFICATION: "AMAZON", Cause.DEADLINE: "AMAZON"}
# Amazon's AddressType values for the two sellerflow keeps.
ADDRESS_TYPE = {"Residential": "RESIDENTIAL", "Commercial": "COMMERCIAL"}
CONDITION = {"conditionType": "NEW", "conditionSubtype": "NEW"}


def money(amount: Money) -> dict[str, str]:
    return {"amount": f"{amount.amount:.2f}", "currencyCode": amount.currency}


def search_page(page: OrderViewPage) -> dict[str, Any]:
    """SearchOrdersResponse."""
    document: dict[str, Any] = {"orders": [order(view) for view in page.orders]}
    if page.next_token is not None:
        document["pagination"] = {"nextToken": page.next_token}
    if page.created_before is not None:
        document["createdBefore"] = iso(page.created_before)
    if page.last_updated_before is not None:
        document["lastUpdatedBefore"] = iso(page.last_updated_before)
    return document


def order(view: OrderView) -> dict[str, Any]:
    """An Order: what every answer holds, then each dataset the view holds."""
    o = view.order
    wire: dict[str, Any] = {
        "orderId": o.amazon_order_id,
        "createdTime": iso(o.purchase_date),
        "lastUpdatedTime": iso(o.last_update or o.purchase_date),
        "programs": ["PRIME"] if o.is_prime else [],
        "salesChannel": SALES_CHANNEL,
    }
    if view.buyer is not None:
        wire["buyer"] = {"buyerName": view.buyer.name, "buyerEmail": relay_email(view.buyer)}
    if view.recipient is not None:
        wire["recipient"] = {"deliveryAddress": delivery_address(view.recipient)}
    if view.proceeds is not None:
        zero = Money.zero(view.proceeds.currency)
        wire["proceeds"] = {"grandTotal": money(view.proceeds), "breakdowns": [
            {"type": "ITEM", "subtotal": money(sum((i.item_price for i in o.items), zero))},
            {"type": "SHIPPING",
             "subtotal": money(sum((i.shipping_price for i in o.items), zero))}]}
    if view.fulfillment:
        wire["fulfillment"] = fulfillment(view)
    wire["orderItems"] = [item(view, i) for i in o.items]
    if "PACKAGES" in view.datasets:
        wire["packages"] = [package(n, p) for n, p in enumerate(view.packages, 1)]
    return wire


def fulfillment(view: OrderView) -> dict[str, Any]:
    o = view.order
    wire: dict[str, Any] = {"fulfillmentStatus": FULFILLMENT_STATUS[o.status],
                            "fulfilledBy": "MERCHANT",
                            "fulfillmentServiceLevel": SERVICE_LEVEL[o.ship_service_level]}
    if o.promise is not None:
        wire["shipByWindow"] = {"earliestDateTime": iso(o.promise.earliest_ship),
                                "latestDateTime": iso(o.promise.latest_ship)}
        wire["deliverByWindow"] = {"earliestDateTime": iso(o.promise.earliest_delivery),
                                   "latestDateTime": iso(o.promise.latest_delivery)}
    return wire


def item(view: OrderView, i: OrderItem) -> dict[str, Any]:
    product: dict[str, Any] = {"asin": i.asin, "title": i.title, "sellerSku": i.sku,
                               "condition": CONDITION}
    if view.priced:
        product["price"] = {"unitPrice": money(i.unit_price)}
    wire: dict[str, Any] = {"orderItemId": i.order_item_id,
                            "quantityOrdered": i.quantity_still_ordered, "product": product}
    if view.proceeds is not None:
        wire["proceeds"] = {"proceedsTotal": money(i.item_price + i.shipping_price),
                            "breakdowns": [{"type": "ITEM", "subtotal": money(i.item_price)},
                                           {"type": "SHIPPING",
                                            "subtotal": money(i.shipping_price)}]}
    cancellation: dict[str, Any] = {}
    if view.cancel_request is not None:
        cancellation["cancellationRequest"] = {"requester": "BUYER",
                                               "cancelReason": view.cancel_request}
    if view.cancellation and i.quantity_canceled > 0 and i.canceled_by is not None:
        cancellation["cancellationExecution"] = {"cancelledBy": CANCELLED_BY[i.canceled_by],
                                                 "cancelReason": i.cancel_reason}
    if cancellation:
        wire["cancellation"] = cancellation
    if view.fulfillment:
        wire["fulfillment"] = {"quantityFulfilled": i.quantity_shipped,
                               "quantityUnfulfilled": i.quantity_to_ship}
        if i.gift is not None:
            gift = {"giftMessage": i.gift.message, "giftWrapLevel": i.gift.wrap_level}
            wire["fulfillment"]["packing"] = {"giftOption": {
                name: value for name, value in gift.items() if value is not None}}
    return wire


def delivery_address(address: Address) -> dict[str, str]:
    """Amazon's CustomerAddress, from the address in v0's casing."""
    wire = {"name": address.Name, "companyName": address.CompanyName,
            "addressLine1": address.AddressLine1, "addressLine2": address.AddressLine2,
            "addressLine3": address.AddressLine3, "city": address.City,
            "districtOrCounty": address.County or address.District,
            "stateOrRegion": address.StateOrRegion, "municipality": address.Municipality,
            "postalCode": address.PostalCode, "countryCode": address.CountryCode,
            "phone": address.Phone,
            "addressType": ADDRESS_TYPE.get(address.AddressType or "")}
    return {key: value for key, value in wire.items() if value is not None}


def package(number: int, shipment: ShipmentRecord) -> dict[str, Any]:
    """An OrderPackage from a confirmed shipment; its reference is its place among the
    order's shipments (1, 2, …)."""
    wire: dict[str, Any] = {
        "packageReferenceId": str(number), "createdTime": iso(shipment.confirmed_at),
        "packageStatus": {"status": "SHIPPED"},
        "carrier": shipment.carrier_name or shipment.carrier_code,
        "shipTime": iso(shipment.ship_date), "trackingNumber": shipment.tracking_number,
        "packageItems": [{"orderItemId": item_id, "quantity": quantity}
                         for item_id, quantity in shipment.lines]}
    if shipment.ship_method:
        wire["shippingService"] = shipment.ship_method
    return wire

"""Amazon's wire shapes for orders and items (SP-API Orders v0), shared by the CLI and HTTP."""

from __future__ import annotations

from typing import Any

from sellerflow.clock import iso
from sellerflow.domain.model import MARKETPLACE_ID, SALES_CHANNEL, Order, OrderItem, OrderStatus
from sellerflow.domain.money import Money

SERVICE_LEVEL_CATEGORY = {"Standard": "Standard", "Expedited": "Expedited",
                          "SecondDay": "SecondDay", "NextDay": "NextDay"}


def address_visible(order: Order) -> bool:
    """L18: the ship-to address is for released orders; never for one canceled while Pending."""
    return order.is_released


def order_to_wire(order: Order) -> dict[str, Any]:
    active = [i for i in order.items if i.quantity_ordered > i.quantity_canceled]
    total = Money.zero()
    for item in active:
        units = item.quantity_ordered - item.quantity_canceled
        total = total + (item.unit_price + item.unit_shipping).times(units)
    wire: dict[str, Any] = {
        "AmazonOrderId": order.amazon_order_id,
        "PurchaseDate": iso(order.purchase_date),
        "LastUpdateDate": iso(order.last_update or order.purchase_date),
        "OrderStatus": order.status.value,
        "FulfillmentChannel": "MFN",
        "SalesChannel": SALES_CHANNEL,
        "ShipServiceLevel": order.ship_service_level,
        "NumberOfItemsShipped": order.units_shipped,
        "NumberOfItemsUnshipped": order.units_to_ship,
        "PaymentMethod": "Other",
        "PaymentMethodDetails": ["Standard"],
        "MarketplaceId": MARKETPLACE_ID,
        "ShipmentServiceLevelCategory": SERVICE_LEVEL_CATEGORY[order.ship_service_level],
        "OrderType": "StandardOrder",
        "IsBusinessOrder": False,
        "IsPrime": False,
        "IsPremiumOrder": False,
        "IsGlobalExpressEnabled": False,
        "IsReplacementOrder": False,
        "IsSoldByAB": False,
        "IsISPU": False,
        "IsAccessPointOrder": False,
        "HasRegulatedItems": False,
    }
    if order.status is not OrderStatus.CANCELED:
        wire["OrderTotal"] = total.to_wire()
    if order.promise is not None:
        wire.update({
            "EarliestShipDate": iso(order.promise.earliest_ship),
            "LatestShipDate": iso(order.promise.latest_ship),
            "EarliestDeliveryDate": iso(order.promise.earliest_delivery),
            "LatestDeliveryDate": iso(order.promise.latest_delivery),
        })
    if address_visible(order):
        wire["ShippingAddress"] = order.shipping_address.to_wire()
    return wire


def item_to_wire(order: Order, item: OrderItem) -> dict[str, Any]:
    return {
        "ASIN": item.asin,
        "SellerSKU": item.sku,
        "OrderItemId": item.order_item_id,
        "Title": item.title,
        "QuantityOrdered": item.quantity_ordered,
        "QuantityShipped": item.quantity_shipped,
        "ItemPrice": item.unit_price.times(item.quantity_ordered).to_wire(),
        "ShippingPrice": item.unit_shipping.times(item.quantity_ordered).to_wire(),
        "ItemTax": Money.zero(item.unit_price.currency).to_wire(),
        "ShippingTax": Money.zero(item.unit_price.currency).to_wire(),
        "PromotionDiscount": Money.zero(item.unit_price.currency).to_wire(),
        "IsGift": "false",
        "ConditionId": "New",
        "ConditionSubtypeId": "New",
        "BuyerRequestedCancel": {
            "IsBuyerRequestedCancel": "true" if order.buyer_cancel_requested else "false",
            "BuyerCancelReason": order.buyer_cancel_reason or "",
        },
    }


def listing_to_wire(listing: Any) -> dict[str, Any]:
    return {"sellerId": listing.seller_id, "sku": listing.sku, "asin": listing.asin,
            "title": listing.title, "price": listing.price.to_wire(),
            "quantity": listing.quantity, "buyable": listing.buyable,
            "handlingDays": listing.handling_days}

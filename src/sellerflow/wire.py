"""Amazon's wire shapes for orders and items (SP-API Orders v0), shared by the CLI and HTTP."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sellerflow.clock import iso
from sellerflow.domain.model import (
    MARKETPLACE_ID,
    SALES_CHANNEL,
    Buyer,
    Listing,
    Order,
    OrderItem,
    OrderStatus,
)
from sellerflow.domain.money import Money
from sellerflow.service.projection import (
    address_visible,
    buyer_info,
    order_total,
    shown_address,
)
from sellerflow.service.views import (
    AddressChangeRequested,
    BuyerCreated,
    FeedbackLeft,
    FeedSummary,
    FeedView,
    Mail,
    Metric,
    OrderDetail,
    OrderRow,
    PlacedOrder,
    RefundDone,
    SellerCreated,
    SellerLedger,
    SellerMetrics,
    SellerProfile,
    ShippingSettings,
)

if TYPE_CHECKING:     # only a type here; the command that rotates loads it
    from collections.abc import Sequence
    from datetime import datetime

    from sellerflow.domain.finances import FinancialEvent, Postage
    from sellerflow.service.credentials import RotatedBuyerToken, RotatedCredentials

# Amazon's US names for the four service levels (ShipServiceLevel); the level itself is
# Amazon's ShipmentServiceLevelCategory.
SHIP_SERVICE_LEVEL = {"Standard": "Std US D2D Dom", "Expedited": "Exp US D2D Dom",
                      "SecondDay": "Second US D2D Dom", "NextDay": "Next US D2D Dom"}


def sp_order(order: Order, buyer: Buyer | None, *, address: bool, buyer_data: bool
             ) -> dict[str, Any]:
    """An Order as the Orders API answers it to a seller: the street address and the buyer's
    identity only where a restricted data token opened them."""
    wire = order_to_wire(order, with_address=False)
    shown = shown_address(order, personal=address)
    if shown is not None:
        wire["ShippingAddress"] = shown
    wire["BuyerInfo"] = buyer_info(buyer, personal=buyer_data)
    return wire


# What every order of a seller-fulfilled US marketplace says alike.
_ORDER_ALIKE = {
    "FulfillmentChannel": "MFN", "SalesChannel": SALES_CHANNEL, "PaymentMethod": "Other",
    "MarketplaceId": MARKETPLACE_ID, "OrderType": "StandardOrder", "IsBusinessOrder": False,
    "IsPremiumOrder": False, "IsGlobalExpressEnabled": False, "IsReplacementOrder": False,
    "IsSoldByAB": False, "IsISPU": False, "IsAccessPointOrder": False,
    "HasRegulatedItems": False,
}


def order_to_wire(order: Order, *, with_address: bool = True) -> dict[str, Any]:
    shipped, to_ship = order.unit_counts()
    wire: dict[str, Any] = {
        "AmazonOrderId": order.amazon_order_id,
        "SellerOrderId": order.amazon_order_id,
        "PurchaseDate": iso(order.purchase_date),
        "LastUpdateDate": iso(order.last_update or order.purchase_date),
        "OrderStatus": order.status.value,
        "ShipServiceLevel": SHIP_SERVICE_LEVEL[order.ship_service_level],
        "ShipmentServiceLevelCategory": order.ship_service_level,
        "NumberOfItemsShipped": shipped,
        "NumberOfItemsUnshipped": to_ship,
        "PaymentMethodDetails": ["Standard"],
        "IsPrime": order.is_prime,
        **_ORDER_ALIKE,
    }
    if order.status not in (OrderStatus.PENDING, OrderStatus.CANCELED):
        # As at Amazon: a Pending order's total is not final, a canceled one has none.
        wire["OrderTotal"] = order_total(order).to_wire()
    if order.promise is not None:
        wire.update({
            "EarliestShipDate": iso(order.promise.earliest_ship),
            "LatestShipDate": iso(order.promise.latest_ship),
            "EarliestDeliveryDate": iso(order.promise.earliest_delivery),
            "LatestDeliveryDate": iso(order.promise.latest_delivery),
        })
    if with_address and address_visible(order):
        wire["ShippingAddress"] = order.shipping_address.to_wire()
    return wire


def item_to_wire(order: Order, item: OrderItem, *, priced: bool = True,
                 buyer_info: dict[str, str] | None = None) -> dict[str, Any]:
    """An OrderItem; without `priced` (getOrderItems of a Pending order, as Amazon answers it)
    none of its money, tax, promotion or gift fields; its BuyerInfo when given one."""
    wire: dict[str, Any] = {
        "ASIN": item.asin,
        "SellerSKU": item.sku,
        "OrderItemId": item.order_item_id,
        "Title": item.title,
        "QuantityOrdered": item.quantity_still_ordered,
        "QuantityShipped": item.quantity_shipped,
    }
    if priced:
        zero = Money.zero(item.unit_price.currency).to_wire()
        wire.update({
            "ItemPrice": item.item_price.to_wire(),
            "ShippingPrice": item.shipping_price.to_wire(),
            "ItemTax": zero, "ShippingTax": zero, "PromotionDiscount": zero,
            "IsGift": "false" if item.gift is None else "true"})
    if buyer_info:
        wire["BuyerInfo"] = buyer_info
    wire.update({
        "ConditionId": "New",
        "ConditionSubtypeId": "New",
        "BuyerRequestedCancel": {
            "IsBuyerRequestedCancel": "true" if order.buyer_cancel_requested else "false",
            "BuyerCancelReason": order.buyer_cancel_reason or "",
        },
    })
    return wire


def listing_to_wire(listing: Listing) -> dict[str, Any]:
    return {"sellerId": listing.seller_id, "sku": listing.sku, "asin": listing.asin,
            "title": listing.title, "price": listing.price.to_wire(),
            "quantity": listing.quantity, "buyable": listing.buyable,
            "handlingDays": listing.handling_days}


# sellerflow's own documents (the CLI's --json, the /sellerflow/v1 routes), from read models.

def detail_to_wire(detail: OrderDetail) -> dict[str, Any]:
    order = detail.order
    return {
        "order": order_to_wire(order),
        "items": [item_to_wire(order, i) for i in order.items],
        "shipments": [{"carrierCode": s.carrier_code, "carrierName": s.carrier_name,
                       "trackingNumber": s.tracking_number, "trackingValid": s.tracking_valid,
                       "shipMethod": s.ship_method, "shipDate": iso(s.ship_date),
                       "confirmedAt": iso(s.confirmed_at),
                       "items": [{"orderItemId": i, "quantity": q} for i, q in s.lines],
                       "amount": s.gross.to_wire()} for s in detail.shipments],
        "refunds": [{"at": iso(r.at), "amount": r.amount.to_wire(), "reason": r.reason}
                    for r in detail.refunds],
        "messages": [{"at": iso(m.at), **m.body} for m in detail.messages],
        "history": [{"at": iso(h.at), "from": h.from_status, "to": h.to_status,
                     "cause": h.cause, "reason": h.reason} for h in detail.history],
        "warning": detail.row.warning,
        "datesNote": detail.dates_note,
        "actions": sorted(a.value for a in detail.row.actions),
        "sellerId": order.seller_id,
    }


def row_to_wire(row: OrderRow) -> dict[str, Any]:
    """A Manage Orders row: the SP-API Order with sellerflow's warning and allowed actions."""
    return {**order_to_wire(row.order), "ShipByWarning": row.warning,
            "SellerActions": sorted(a.value for a in row.actions)}


def placed_to_wire(placed: tuple[PlacedOrder, ...]) -> dict[str, Any]:
    return {"orders": [{"AmazonOrderId": p.order_id, "sellerId": p.seller_id,
                        "OrderStatus": p.status} for p in placed]}


def refund_to_wire(done: RefundDone) -> dict[str, Any]:
    return {"orderId": done.order_id, "at": iso(done.at), "amount": done.amount.to_wire(),
            "reason": done.reason, "referralFeeCredit": done.fee_credit.to_wire(),
            "refundAdministrationFee": done.admin_fee.to_wire(),
            "totalRefunded": done.total_refunded.to_wire()}


def ledger_to_wire(ledger: SellerLedger) -> dict[str, Any]:
    return {"balance": ledger.balance.to_wire(),
            "entries": [{"at": iso(e.at), "orderId": e.order_id, "kind": e.kind,
                         "amount": e.amount.to_wire()} for e in ledger.entries]}


def metric_to_wire(metric: Metric) -> dict[str, Any]:
    value = metric.value
    return {"value": None if value is None else float(value), "target": float(metric.target),
            "status": metric.status, "numerator": metric.numerator,
            "denominator": metric.denominator, "windowDays": metric.window_days}


def metrics_to_wire(metrics: SellerMetrics) -> dict[str, Any]:
    return {"cancelRate": metric_to_wire(metrics.cancel_rate),
            "lateShipmentRate": metric_to_wire(metrics.late_shipment_rate),
            "validTrackingRate": metric_to_wire(metrics.valid_tracking_rate),
            "orderDefectRate": metric_to_wire(metrics.order_defect_rate),
            "onTimeDeliveryRate": metric_to_wire(metrics.on_time_delivery_rate)}


def feed_to_wire(feed: FeedSummary) -> dict[str, Any]:
    """A feed's status and counts; with its processing report (and, for a FATAL file, why it
    was not read) when the view has them."""
    document = {"feedId": feed.feed_id, "sellerId": feed.seller_id, "feedType": feed.feed_type,
                "status": feed.status, "createdAt": iso(feed.created_at),
                "doneAt": iso(feed.done_at), "records": feed.total,
                "processed": feed.processed, "successful": feed.successful,
                "rejected": feed.rejected}
    if isinstance(feed, FeedView):
        document.update(fatal=feed.fatal, report=feed.report)
    return document


def mail_to_wire(mail: Mail) -> dict[str, Any]:
    wire: dict[str, Any] = {"to": mail.to, "subject": mail.subject, "body": mail.body,
                            "sentAt": iso(mail.sent_at), "kind": mail.kind}
    if mail.last_error is not None:
        wire.update(attempts=mail.attempts, lastError=mail.last_error)
    return wire


def profile_to_wire(profile: SellerProfile) -> dict[str, Any]:
    return {"sellerId": profile.seller_id, "name": profile.name, "plan": profile.plan.value,
            "email": profile.email, "timeZone": profile.time_zone,
            "holidays": list(profile.holidays)}


def seller_created_to_wire(created: SellerCreated) -> dict[str, Any]:
    return {"sellerId": created.seller_id, "plan": created.plan.value, "email": created.email,
            "clientId": created.client_id, "clientSecret": created.client_secret,
            "refreshToken": created.refresh_token, "password": created.password}


def rotated_to_wire(rotated: RotatedCredentials) -> dict[str, Any]:
    return {"sellerId": rotated.seller_id, "clientId": rotated.client_id,
            "clientSecret": rotated.client_secret, "refreshToken": rotated.refresh_token,
            "tokensRevoked": rotated.tokens_revoked}


def buyer_token_to_wire(rotated: RotatedBuyerToken) -> dict[str, Any]:
    return {"buyerId": rotated.buyer_id, "email": rotated.email, "token": rotated.token}


def buyer_created_to_wire(created: BuyerCreated) -> dict[str, Any]:
    return {"buyerId": created.buyer_id, "email": created.email, "token": created.token}


def message_to_wire(sent: AddressChangeRequested) -> dict[str, Any]:
    return {"orderId": sent.order_id, "kind": "AddressChangeRequest",
            "shippingAddress": sent.shipping_address, "at": iso(sent.at)}


def feedback_to_wire(left: FeedbackLeft) -> dict[str, Any]:
    return {"orderId": left.order_id, "rating": left.rating, "comment": left.comment,
            "at": iso(left.at)}


def shipping_to_wire(settings: ShippingSettings) -> dict[str, Any]:
    return {"sellerId": settings.seller_id, "levels": [
        {"shipServiceLevel": level.service_level, "perShipment": level.per_shipment.to_wire(),
         "perItem": level.per_item.to_wire(), "isDefault": level.is_default}
        for level in settings.levels]}


# Listings Items 2021-08-01.

def listing_attributes(listing: Listing) -> dict[str, Any]:
    """The listing's attributes as given, with the three sellerflow reads as they now are."""
    attributes: dict[str, Any] = json.loads(listing.attributes or "{}")
    attributes["item_name"] = [{"value": listing.title, "language_tag": "en_US",
                                "marketplace_id": MARKETPLACE_ID}]
    attributes["purchasable_offer"] = [{
        "currency": listing.price.currency, "marketplace_id": MARKETPLACE_ID,
        "our_price": [{"schedule": [{"value_with_tax": float(listing.price.amount)}]}]}]
    attributes["fulfillment_availability"] = [{
        "fulfillment_channel_code": "DEFAULT", "quantity": listing.quantity,
        "lead_time_to_ship_max_days": listing.handling_days}]
    return attributes


def listings_item_to_wire(listing: Listing, included: set[str]) -> dict[str, Any]:
    """An Item in the parts asked for (includedData; summaries by default). L3: a listing at
    quantity 0 is DISCOVERABLE but not BUYABLE."""
    item: dict[str, Any] = {"sku": listing.sku}
    when = iso(listing.updated_at) or "1970-01-01T00:00:00Z"
    if "summaries" in included:
        item["summaries"] = [{
            "marketplaceId": MARKETPLACE_ID, "asin": listing.asin,
            "productType": listing.product_type, "conditionType": "new_new",
            "status": ["BUYABLE", "DISCOVERABLE"] if listing.buyable else ["DISCOVERABLE"],
            "itemName": listing.title,
            "createdDate": iso(listing.created_at) or when, "lastUpdatedDate": when}]
    if "attributes" in included:
        item["attributes"] = listing_attributes(listing)
    if "issues" in included:
        item["issues"] = []
    if "offers" in included:
        item["offers"] = [{"marketplaceId": MARKETPLACE_ID, "offerType": "B2C",
                           "price": {"currencyCode": listing.price.currency,
                                     "amount": f"{listing.price.amount:.2f}"}}]
    if "fulfillmentAvailability" in included:
        item["fulfillmentAvailability"] = [{"fulfillmentChannelCode": "DEFAULT",
                                            "quantity": listing.quantity}]
    return item


def _currency(money: Money) -> dict[str, Any]:
    """The Finances API's Currency: CurrencyAmount a number (BigDecimal), not a string."""
    return {"CurrencyCode": money.currency, "CurrencyAmount": float(money.amount)}


def financial_events_to_wire(events: Sequence[FinancialEvent]) -> dict[str, Any]:
    """Finances v0's FinancialEvents: ShipmentEventList, RefundEventList (a refund is a
    ShipmentEvent whose items are adjustments) and AdjustmentEventList (labels' postage)."""
    shipped: list[dict[str, Any]] = []
    refunded: list[dict[str, Any]] = []
    adjusted: list[dict[str, Any]] = []
    for event in events:
        if event.postage is not None:
            adjusted.append(_postage_to_wire(event.kind, event.posted, event.postage))
            continue
        refund = event.kind == "refund"
        items = [{
            "SellerSKU": item.sku, "OrderItemId": item.order_item_id,
            "QuantityShipped": item.quantity,
            ("ItemChargeAdjustmentList" if refund else "ItemChargeList"): [
                {"ChargeType": kind, "ChargeAmount": _currency(amount)}
                for kind, amount in item.charges],
            ("ItemFeeAdjustmentList" if refund else "ItemFeeList"): [
                {"FeeType": kind, "FeeAmount": _currency(amount)} for kind, amount in item.fees],
        } for item in event.items]
        (refunded if refund else shipped).append({
            "AmazonOrderId": event.order_id, "MarketplaceName": "Amazon.com",
            "PostedDate": iso(event.posted),
            ("ShipmentItemAdjustmentList" if refund else "ShipmentItemList"): items})
    return {"ShipmentEventList": shipped, "RefundEventList": refunded,
            "AdjustmentEventList": adjusted}


def _postage_to_wire(kind: str, posted: datetime, postage: Postage) -> dict[str, Any]:
    """A label's postage as Amazon's AdjustmentEvent (PostageBilling, PostageRefund)."""
    return {"AdjustmentType": "PostageBilling" if kind == "postage" else "PostageRefund",
            "PostedDate": iso(posted), "StoreName": "Amazon.com",
            "AdjustmentAmount": _currency(postage.amount),
            "AdjustmentItemList": [{"Quantity": "1", "PerUnitAmount": _currency(postage.amount),
                                    "TotalAmount": _currency(postage.amount),
                                    "ProductDescription": postage.label,
                                    "TransactionNumber": postage.transaction}]}

"""The SP-API notifications' documents, in Amazon's schemas (notifications-schemas/): what an
integration reads from its queue. Built from the domain's facts; the ids and times are given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sellerflow.clock import iso
from sellerflow.domain.model import MARKETPLACE_ID, Order

ORDER_CHANGE = "ORDER_CHANGE"
REPORT_PROCESSING_FINISHED = "REPORT_PROCESSING_FINISHED"
FEED_PROCESSING_FINISHED = "FEED_PROCESSING_FINISHED"
LISTINGS_ITEM_MFN_QUANTITY_CHANGE = "LISTINGS_ITEM_MFN_QUANTITY_CHANGE"
# The payload versions Amazon defines for each type (createSubscription's payloadVersion).
PAYLOAD_VERSIONS = {ORDER_CHANGE: "1.0", REPORT_PROCESSING_FINISHED: "2020-09-04",
                    FEED_PROCESSING_FINISHED: "2020-09-04",
                    LISTINGS_ITEM_MFN_QUANTITY_CHANGE: "1.0"}
# Amazon's two workflows: each type goes to an SQS queue or to an EventBridge bus, never
# both (sellerflow's webhook takes any).
EVENTBRIDGE_TYPES = frozenset({LISTINGS_ITEM_MFN_QUANTITY_CHANGE})
STATUS_CHANGE, BUYER_REQUEST = "OrderStatusChange", "BuyerRequestedChange"


@dataclass(frozen=True)
class Delivery:
    """Who a document is for and its identity: the subscription it goes through, its own
    NotificationId (for de-duplication) and when it was published."""

    application_id: str
    subscription_id: str
    notification_id: str
    publish_time: datetime


def _ms(moment: datetime | None) -> str | None:
    """Amazon's notification times carry milliseconds (2020-07-13T19:42:04.284Z)."""
    text = iso(moment)
    return None if text is None else text[:-1] + ".000Z"


def order_change(order: Order, change_type: str, reason: str, at: datetime,
                 delivery: Delivery) -> dict[str, Any]:
    """ORDER_CHANGE (payload 1.0): the order's summary after the change."""
    summary: dict[str, Any] = {
        "MarketplaceId": MARKETPLACE_ID, "OrderStatus": order.status.value,
        "PurchaseDate": _ms(order.purchase_date),
        "DestinationPostalCode": order.shipping_address.PostalCode,
        "FulfillmentType": "MFN", "OrderType": "StandardOrder",
        "NumberOfItemsShipped": order.units_shipped,
        "NumberOfItemsUnshipped": order.units_to_ship,
        "ElectronicInvoiceStatus": "NotRequired",
        "OrderItems": [{
            "OrderItemId": item.order_item_id, "SellerSKU": item.sku,
            # sellerflow's sellers ship from one place: no supply source is named.
            "SupplySourceId": "", "Quantity": item.quantity_still_ordered,
            "QuantityShipped": item.quantity_shipped,
            "OrderItemStatus": "Shipped" if item.quantity_to_ship == 0
            and item.quantity_shipped else "Unshipped",
            "IsBuyerRequestedCancel": order.buyer_cancel_requested}
            for item in order.items]}
    if order.is_prime:
        summary["OrderPrograms"] = ["Prime"]
    if order.promise is not None:
        summary.update(EarliestShipDate=_ms(order.promise.earliest_ship),
                       LatestShipDate=_ms(order.promise.latest_ship),
                       EarliestDeliveryDate=_ms(order.promise.earliest_delivery),
                       LatestDeliveryDate=_ms(order.promise.latest_delivery))
    return _document(ORDER_CHANGE, "1.0", at, {"OrderChangeNotification": {
        "NotificationLevel": "OrderLevel", "SellerId": order.seller_id,
        "AmazonOrderId": order.amazon_order_id, "OrderChangeType": change_type,
        "OrderChangeTrigger": {"TimeOfOrderChange": _ms(at), "ChangeReason": reason},
        "Summary": summary}}, delivery, capitalised=True)


def mfn_quantity_change(seller_id: str, sku: str, quantity: int, at: datetime,
                        delivery: Delivery) -> dict[str, Any]:
    """LISTINGS_ITEM_MFN_QUANTITY_CHANGE (payload 1.0): a merchant-fulfilled listing's
    quantity available, after a sale, a cancellation's restock or the seller's change."""
    return _document(LISTINGS_ITEM_MFN_QUANTITY_CHANGE, "1.0", at, {
        "SellerId": seller_id, "FulfillmentChannelCode": "DEFAULT", "Sku": sku,
        "Quantity": quantity}, delivery, capitalised=True)


def processing_finished(notification_type: str, seller_id: str, facts: dict[str, str],
                        at: datetime, delivery: Delivery) -> dict[str, Any]:
    """REPORT_PROCESSING_FINISHED or FEED_PROCESSING_FINISHED (payload 2020-09-04): `facts`
    are the report's (reportId, reportType, processingStatus, reportDocumentId) or the feed's
    (feedId, feedType, processingStatus, resultFeedDocumentId), absent ones left out."""
    key = ("reportProcessingFinishedNotification"
           if notification_type == REPORT_PROCESSING_FINISHED
           else "feedProcessingFinishedNotification")
    return _document(notification_type, "2020-09-04", at, {key: {
        "sellerId": seller_id, "accountId": f"amzn1.merchant.o.{seller_id}", **facts}},
        delivery, capitalised=False)


def _document(kind: str, version: str, at: datetime, payload: dict[str, Any],
              delivery: Delivery, *, capitalised: bool) -> dict[str, Any]:
    """The envelope: ORDER_CHANGE's names are capitalised, the 2020-09-04 types' are not."""
    metadata = {"ApplicationId": delivery.application_id,
                "SubscriptionId": delivery.subscription_id,
                "PublishTime": _ms(delivery.publish_time),
                "NotificationId": delivery.notification_id}
    if not capitalised:
        metadata = {name[0].lower() + name[1:]: value for name, value in metadata.items()}
    document: dict[str, Any] = {
        "NotificationVersion": version, "NotificationType": kind, "PayloadVersion": version,
        "EventTime": _ms(at), "Payload": payload, "NotificationMetadata": metadata}
    if capitalised:
        return document
    return {name[0].lower() + name[1:]: value for name, value in document.items()}

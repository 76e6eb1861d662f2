"""The SP-API notifications' documents, in Amazon's schemas (notifications-schemas/): what an
integration reads from its queue. Built from the domain's facts; the ids and times are given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sellerflow.clock import iso
from sellerflow.domain import carrier_network as network
from sellerflow.domain.model import MARKETPLACE_ID, Address, Order

ORDER_CHANGE = "ORDER_CHANGE"
REPORT_PROCESSING_FINISHED = "REPORT_PROCESSING_FINISHED"
FEED_PROCESSING_FINISHED = "FEED_PROCESSING_FINISHED"
LISTINGS_ITEM_MFN_QUANTITY_CHANGE = "LISTINGS_ITEM_MFN_QUANTITY_CHANGE"
SHIPMENT_TRACKING_MILESTONE_CHANGED = "SHIPMENT_TRACKING_MILESTONE_CHANGED"
# The payload versions Amazon defines for each type (createSubscription's payloadVersion).
PAYLOAD_VERSIONS = {ORDER_CHANGE: "1.0", REPORT_PROCESSING_FINISHED: "2020-09-04",
                    FEED_PROCESSING_FINISHED: "2020-09-04",
                    LISTINGS_ITEM_MFN_QUANTITY_CHANGE: "1.0",
                    SHIPMENT_TRACKING_MILESTONE_CHANGED: "2026-01-30"}
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


# A scan as a tracking milestone: its status code and description (Amazon's example's words).
MILESTONES = {
    network.READY: ("CARRIER_ASSIGNED", "Carrier was assigned"),
    network.PICKED_UP: ("PICKED_UP", "Carrier picked up the shipment"),
    network.DEPARTED: ("SHIPPED", "Shipment has departed origin"),
    network.ARRIVED: ("IN_TRANSIT", "Shipment arrived at the carrier's local facility"),
    network.OUT_FOR_DELIVERY: ("OUT_FOR_DELIVERY", "Shipment is out for delivery"),
    network.DELIVERED: ("DELIVERED", "Shipment delivered"),
    network.LOST: ("LOST", "Carrier reported the shipment lost"),
}


@dataclass(frozen=True)
class Package:
    """A bought label's package as its milestone notification tells it."""

    label_id: str
    carrier_id: str
    tracking_number: str
    ship_to: Address
    window: tuple[datetime, datetime]


def tracking_milestone(package: Package, scans: list[network.Scan], at: datetime,
                       delivery: Delivery) -> dict[str, Any]:
    """SHIPMENT_TRACKING_MILESTONE_CHANGED (payload 2026-01-30): the newest milestone and
    every one before it, newest first, and the delivery estimate."""
    def milestone(scan: network.Scan) -> dict[str, Any]:
        code, description = MILESTONES[scan.code]
        found: dict[str, Any] = {"status": {"code": code, "description": description},
                                 "occurredAt": iso(scan.at)}
        if scan.at_destination:
            address = {"city": package.ship_to.City, "countryCode": package.ship_to.CountryCode}
            if package.ship_to.StateOrRegion:
                address["region"] = package.ship_to.StateOrRegion
            found["location"] = {"address": address}
        return found

    history = [milestone(scan) for scan in reversed(scans)]
    return _document(SHIPMENT_TRACKING_MILESTONE_CHANGED, "2026-01-30", at, {
        "shipmentTrackingMilestoneChangedNotification": {"trackingDetail": {
            "identifier": {"shipmentId": package.label_id, "carrierId": package.carrier_id,
                           "trackingId": package.tracking_number},
            "latestMilestone": history[0], "milestoneHistory": history,
            "trackingEstimates": [{
                "type": "ESTIMATED_DELIVERY_DATE",
                "estimatedInterval": {"startTime": iso(package.window[0]),
                                      "endTime": iso(package.window[1])},
                "lastUpdatedTime": iso(scans[-1].at)}]}}}, delivery, capitalised=False,
        notification_version="1.0")


def _document(kind: str, version: str, at: datetime, payload: dict[str, Any],
              delivery: Delivery, *, capitalised: bool,
              notification_version: str | None = None) -> dict[str, Any]:
    """The envelope: ORDER_CHANGE's names are capitalised, the later types' are not; a
    type's notification version is its payload version unless Amazon gives another."""
    metadata = {"ApplicationId": delivery.application_id,
                "SubscriptionId": delivery.subscription_id,
                "PublishTime": _ms(delivery.publish_time),
                "NotificationId": delivery.notification_id}
    if not capitalised:
        metadata = {name[0].lower() + name[1:]: value for name, value in metadata.items()}
    document: dict[str, Any] = {
        "NotificationVersion": notification_version or version, "NotificationType": kind,
        "PayloadVersion": version,
        "EventTime": _ms(at), "Payload": payload, "NotificationMetadata": metadata}
    if capitalised:
        return document
    return {name[0].lower() + name[1:]: value for name, value in document.items()}

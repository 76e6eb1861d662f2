"""Amazon's usage plans (rate per second, burst) for each SP-API operation sellerflow serves,
as the models state them, applied per seller and operation (service/throttle.py: buckets in the
database, shared by every server process).

The throttle is on for a live database and off for a sandbox by default (a tester's script
should not wait on Amazon's quotas); `serve --throttle/--no-throttle` chooses."""

from __future__ import annotations

from sellerflow.domain.rates import UsagePlan
from sellerflow.service import throttle
from sellerflow.service.context import Marketplace

USAGE_PLANS = {
    "getOrders": UsagePlan(0.0167, 20), "getOrder": UsagePlan(0.5, 30),
    "listFinancialEventsByOrderId": UsagePlan(0.5, 30),
    "listFinancialEvents": UsagePlan(0.5, 30),
    "getOrderBuyerInfo": UsagePlan(0.5, 30), "getOrderAddress": UsagePlan(0.5, 30),
    "getOrderItems": UsagePlan(0.5, 30), "getOrderItemsBuyerInfo": UsagePlan(0.5, 30),
    "confirmShipment": UsagePlan(2, 10),
    "getEligibleShipmentServices": UsagePlan(6, 12), "createShipment": UsagePlan(2, 2),
    "getShipment": UsagePlan(1, 1), "cancelShipment": UsagePlan(1, 1),
    **{operation: UsagePlan(80, 100) for operation in (
        "getRates", "purchaseShipment", "getShipmentDocuments", "getTracking",
        "cancelShipment_shipping_v2")},
    "searchOrders": UsagePlan(0.0056, 20), "getOrder_2026_01_01": UsagePlan(0.5, 30),
    "createRestrictedDataToken": UsagePlan(1, 10),
    "getMarketplaceParticipations": UsagePlan(0.016, 15), "getAccount": UsagePlan(0.016, 15),
    "getListingsItem": UsagePlan(5, 10), "putListingsItem": UsagePlan(5, 10),
    "searchListingsItems": UsagePlan(5, 5),
    "patchListingsItem": UsagePlan(5, 5), "deleteListingsItem": UsagePlan(5, 5),
    "createReport": UsagePlan(0.0167, 15), "getReports": UsagePlan(0.0222, 10),
    "getReport": UsagePlan(2, 15), "cancelReport": UsagePlan(0.0222, 10),
    "getReportDocument": UsagePlan(0.0167, 15),
    "createFeedDocument": UsagePlan(0.5, 15), "createFeed": UsagePlan(0.0083, 15),
    "getFeeds": UsagePlan(0.0222, 10), "getFeed": UsagePlan(2, 15),
    "cancelFeed": UsagePlan(2, 15), "getFeedDocument": UsagePlan(0.0222, 10),
    **{operation: UsagePlan(1, 5) for operation in (
        "getSubscriptions", "getSubscription", "createSubscription", "getSubscriptionById",
        "deleteSubscriptionById", "getDestinations", "createDestination", "getDestination",
        "deleteDestination", "sendTestNotification")},
}


class Throttle:
    """The usage plans applied (or not) to each seller's SP-API calls."""

    def __init__(self, enabled: bool, market: Marketplace) -> None:
        self.enabled = enabled
        self._market = market

    def admit(self, seller_id: str, operation: str) -> bool:
        """Take one token from the seller's bucket for the operation; False when empty."""
        if not self.enabled:
            return True
        return throttle.admit(self._market, seller_id, operation, USAGE_PLANS[operation])

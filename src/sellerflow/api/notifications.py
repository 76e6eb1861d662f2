"""Notifications API v1 (SP-API-compatible): destinations, taken by a grantless token as at
Amazon, and a seller's subscriptions, taken by its access token (getSubscriptionById and
deleteSubscriptionById by the grantless one)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from sellerflow.api.calls import call
from sellerflow.api.deps import Market, sp_api_seller, split_list
from sellerflow.domain.errors import InvalidInput
from sellerflow.service import sp_notifications, subscriptions
from sellerflow.service.auth import SellerSession
from sellerflow.service.subscriptions import Destination, Subscription

router = APIRouter(prefix="/notifications/v1", tags=["Notifications v1"])


def _seller(operation: str) -> Any:
    return Depends(sp_api_seller(operation))


def _grantless(operation: str) -> Any:
    return Depends(sp_api_seller(operation, grantless=True))


def _destination(found: Destination) -> dict[str, Any]:
    return {"name": found.name, "destinationId": found.destination_id,
            "resource": {found.kind: found.resource}}


def _subscription(found: Subscription) -> dict[str, Any]:
    wire: dict[str, Any] = {"subscriptionId": found.subscription_id,
                            "payloadVersion": found.payload_version,
                            "destinationId": found.destination_id}
    if found.processing_directive:
        wire["processingDirective"] = found.processing_directive
    return wire


class CreateDestinationRequest(BaseModel):
    name: Any = None
    resourceSpecification: Any = None


class SendTestNotificationRequest(BaseModel):
    destinationId: Any = None
    testNotification: Any = None


class CreateSubscriptionRequest(BaseModel):
    payloadVersion: Any = None
    destinationId: Any = None
    processingDirective: Any = None


@router.post("/destinations", operation_id="createDestination")
async def create_destination(body: CreateDestinationRequest, market: Market,
                             session: Annotated[SellerSession,
                                                _grantless("createDestination")]
                             ) -> dict[str, Any]:
    """An SQS queue (`{"sqs": {"arn"}}`), an EventBridge partner event source made in the AWS
    account named (`{"eventBridge": {"region", "accountId"}}`) or, sellerflow's own, an HTTP
    webhook (`{"webhook": {"url"}}`: the answer carries the `signingSecret` its requests are
    signed with, once)."""
    made = await call(market, subscriptions.create_destination, market, session.caller,
                      session.seller_id, body.name, body.resourceSpecification)
    payload = _destination(made)
    if made.secret is not None:
        payload["signingSecret"] = made.secret
    return {"payload": payload}


@router.get("/destinations", operation_id="getDestinations")
async def get_destinations(market: Market, session: Annotated[SellerSession,
                                                              _grantless("getDestinations")]
                           ) -> dict[str, Any]:
    found = await call(market, subscriptions.destinations, market, session.caller,
                       session.seller_id)
    return {"payload": [_destination(d) for d in found]}


@router.get("/destinations/{destinationId}", operation_id="getDestination")
async def get_destination(destinationId: str, market: Market,
                          session: Annotated[SellerSession, _grantless("getDestination")]
                          ) -> dict[str, Any]:
    found = await call(market, subscriptions.destination, market, session.caller,
                       session.seller_id, destinationId)
    return {"payload": _destination(found)}


@router.delete("/destinations/{destinationId}", operation_id="deleteDestination")
async def delete_destination(destinationId: str, market: Market,
                             session: Annotated[SellerSession,
                                                _grantless("deleteDestination")]
                             ) -> dict[str, Any]:
    """Refused (409) while a subscription still sends to it."""
    await call(market, subscriptions.delete_destination, market, session.caller,
               session.seller_id, destinationId)
    return {}


@router.get("/subscriptions", operation_id="getSubscriptions")
async def get_subscriptions(market: Market,
                            session: Annotated[SellerSession, _seller("getSubscriptions")],
                            notificationTypes: Annotated[list[str] | None, Query()] = None,
                            payloadVersion: str | None = None, pageSize: str | None = None,
                            nextToken: str | None = None) -> dict[str, Any]:
    """The seller's subscriptions of one notification type (Amazon takes one a request)."""
    types = split_list(notificationTypes)
    if len(types) != 1:
        raise InvalidInput("notificationTypes", "give exactly one notification type")
    if nextToken:
        raise InvalidInput("nextToken", "is not a token a getSubscriptions answer gave (a "
                                        "seller has one subscription a type: one page)")
    found = await call(market, subscriptions.all_subscriptions, market, session.caller,
                       session.seller_id, types[0], payloadVersion)
    return {"payload": {"subscriptions": [_subscription(s) for s in found]}}


@router.post("/subscriptions/{notificationType}", operation_id="createSubscription")
async def create_subscription(notificationType: str, body: CreateSubscriptionRequest,
                              market: Market,
                              session: Annotated[SellerSession, _seller("createSubscription")]
                              ) -> dict[str, Any]:
    """ORDER_CHANGE (payload 1.0; an eventFilter of orderChangeTypes and marketplaceIds
    narrows it), REPORT_PROCESSING_FINISHED and FEED_PROCESSING_FINISHED (2020-09-04), to an
    SQS queue; LISTINGS_ITEM_MFN_QUANTITY_CHANGE (1.0) to an EventBridge destination (a
    webhook takes any)."""
    made = await call(market, subscriptions.create_subscription, market, session.caller,
                      session.seller_id, notificationType, body.payloadVersion,
                      body.destinationId, body.processingDirective)
    return {"payload": _subscription(made)}


@router.post("/subscriptions/{notificationType}/testNotification",
             operation_id="sendTestNotification")
async def send_test_notification(notificationType: str, body: SendTestNotificationRequest,
                                 market: Market,
                                 session: Annotated[SellerSession,
                                                    _grantless("sendTestNotification")]
                                 ) -> dict[str, Any]:
    """Sandbox only: a notification of the type for `testNotification.testScenario`
    (ORDER_CHANGE: OrderStatusChange or BuyerRequestedChange, of the seller's latest order;
    REPORT_/FEED_PROCESSING_FINISHED: DONE, CANCELLED or FATAL, of a mock report or feed),
    queued for the destination and delivered by the worker as any other."""
    await call(market, sp_notifications.send_test, market, session.caller,
               session.seller_id, notificationType, body.destinationId,
               body.testNotification)
    return {}


@router.get("/subscriptions/{notificationType}", operation_id="getSubscription")
async def get_subscription(notificationType: str, market: Market,
                           session: Annotated[SellerSession, _seller("getSubscription")],
                           payloadVersion: str | None = None) -> dict[str, Any]:
    found = await call(market, subscriptions.subscription, market, session.caller,
                       session.seller_id, notificationType)
    return {"payload": _subscription(found)}


@router.get("/subscriptions/{notificationType}/{subscriptionId}",
            operation_id="getSubscriptionById")
async def get_subscription_by_id(notificationType: str, subscriptionId: str, market: Market,
                                 session: Annotated[SellerSession,
                                                    _grantless("getSubscriptionById")]
                                 ) -> dict[str, Any]:
    found = await call(market, subscriptions.subscription_by_id, market, session.caller,
                       session.seller_id, notificationType, subscriptionId)
    return {"payload": _subscription(found)}


@router.delete("/subscriptions/{notificationType}/{subscriptionId}",
               operation_id="deleteSubscriptionById")
async def delete_subscription_by_id(notificationType: str, subscriptionId: str,
                                    market: Market,
                                    session: Annotated[SellerSession,
                                                       _grantless("deleteSubscriptionById")]
                                    ) -> dict[str, Any]:
    """Nothing more is sent through it; what it already queued is still delivered."""
    await call(market, subscriptions.delete_subscription, market, session.caller,
               session.seller_id, notificationType, subscriptionId)
    return {}

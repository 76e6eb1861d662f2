"""Notifications API v1: destinations (an SQS queue, an EventBridge partner event source in
the integration's AWS account, or sellerflow's own HTTP webhook) and a seller's subscriptions
to notification types, each type to the kind of destination Amazon's workflow for it names.
Destinations belong to the application that made them with a grantless token, which in
sellerflow is the seller whose client credentials it is; subscriptions belong to the seller
whose token made them."""

from __future__ import annotations

import json
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sellerflow.domain.callers import SELLER_SIDE, Caller
from sellerflow.domain.errors import Conflict, InvalidInput, NotFound
from sellerflow.domain.model import MARKETPLACE_ID
from sellerflow.notifications.sp_api import EVENTBRIDGE_TYPES, PAYLOAD_VERSIONS
from sellerflow.notifications.transports import DeliveryFailed, Sender
from sellerflow.service.context import Marketplace, Work, check_seller
from sellerflow.store import catalog
from sellerflow.store import subscriptions as store

SQS_ARN = re.compile(r"arn:aws:sqs:([a-z0-9-]+):([0-9]{12}):([A-Za-z0-9_-]{1,80}(\.fifo)?)")
AWS_REGION = re.compile(r"[a-z]{2}(-gov)?-[a-z]+-[0-9]")
AWS_ACCOUNT = re.compile(r"[0-9]{12}")
# The partner event source an EventBridge destination puts to: one per application and AWS
# account, named after the application.
EVENT_SOURCE_PREFIX = "aws.partner/sellingpartnerapi.amazon/"
NOTIFICATION_TYPES = tuple(PAYLOAD_VERSIONS)
ORDER_CHANGE_TYPES = ("BuyerRequestedChange", "DeliveryTipChange", "OrderStatusChange")
MAX_NAME = 256


@dataclass(frozen=True)
class Destination:
    destination_id: str
    name: str
    kind: str                       # sqs, eventBridge or webhook
    resource: dict[str, Any]        # as Amazon's DestinationResource shows it
    secret: str | None = None       # a webhook's signing key, shown when it is made


@dataclass(frozen=True)
class Subscription:
    subscription_id: str
    notification_type: str
    destination_id: str
    payload_version: str
    processing_directive: dict[str, Any] | None
    created_at: datetime


def _destination(row: Any, with_secret: bool = False) -> Destination:
    return Destination(row.destination_id, row.name, row.kind, json.loads(row.target),
                       row.secret if with_secret else None)


def _subscription(row: Any) -> Subscription:
    directive = json.loads(row.processing_directive) if row.processing_directive else None
    return Subscription(row.subscription_id, row.notification_type, row.destination_id,
                        row.payload_version, directive, row.created_at)


def _resource(spec: Any) -> tuple[str, dict[str, Any]]:
    """(kind, resource) from createDestination's resourceSpecification: one of sqs,
    eventBridge (its region and account; the source's name is the service's to add) or
    sellerflow's webhook."""
    where = "resourceSpecification"
    if not isinstance(spec, dict):
        raise InvalidInput(where, 'give one resource: {"sqs": {"arn": "arn:aws:sqs:..."}}, '
                                  'or {"webhook": {"url": "https://..."}}')
    given = [k for k in ("sqs", "eventBridge", "webhook") if spec.get(k) is not None]
    unknown = sorted(set(spec) - {"sqs", "eventBridge", "webhook"})
    if unknown or len(given) != 1:
        raise InvalidInput(where, "give exactly one of sqs, eventBridge or webhook"
                                  + (f" ({', '.join(unknown)} is none of them)" if unknown
                                     else ""))
    kind, value = given[0], spec[given[0]]
    if not isinstance(value, dict):
        raise InvalidInput(f"{where}.{kind}", "must be an object")
    if kind == "sqs":
        arn = value.get("arn")
        if not isinstance(arn, str) or not SQS_ARN.fullmatch(arn):
            raise InvalidInput(f"{where}.sqs.arn", f"{arn!r} is not an SQS queue ARN like "
                                                   "arn:aws:sqs:us-east-1:123456789012:queue")
        return kind, {"arn": arn}
    if kind == "eventBridge":
        region, account = value.get("region"), value.get("accountId")
        if not isinstance(region, str) or not AWS_REGION.fullmatch(region):
            raise InvalidInput(f"{where}.eventBridge.region", f"{region!r} is not an AWS "
                                                              "region like us-east-1")
        if not isinstance(account, str) or not AWS_ACCOUNT.fullmatch(account):
            raise InvalidInput(f"{where}.eventBridge.accountId",
                               f"{account!r} is not a 12-digit AWS account id")
        return kind, {"region": region, "accountId": account}
    url = value.get("url")
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc \
            or len(str(url)) > 1000:
        raise InvalidInput(f"{where}.webhook.url", f"{url!r} is not an http(s) URL")
    return kind, {"url": url}


def create_destination(market: Marketplace, caller: Caller, seller_id: str, name: Any,
                       spec: Any) -> Destination:
    """createDestination (grantless). The same queue, bus or URL twice is a conflict."""
    caller.require(*SELLER_SIDE, doing="creating a notification destination")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        raise InvalidInput("name", f"give the destination a name of 1 to {MAX_NAME} "
                                   "characters")
    kind, resource = _resource(spec)
    if kind == "eventBridge":
        resource = _event_source(market, caller, seller_id, resource)

    def command(work: Work) -> Destination:
        check_seller(work.conn, caller, seller_id)
        _check_new(work, seller_id, kind, resource)
        destination_id = str(uuid.uuid4())
        secret = secrets.token_hex(32) if kind == "webhook" else None
        store.add_destination(work.conn, {
            "destination_id": destination_id, "seller_id": seller_id, "name": name.strip(),
            "kind": kind, "target": json.dumps(resource), "secret": secret,
            "created_at": work.now})
        return Destination(destination_id, name.strip(), kind, resource, secret)

    return market.run(command)


def _check_new(work: Work, seller_id: str, kind: str, resource: dict[str, Any]) -> None:
    """The same queue or URL twice, or a second EventBridge destination for one AWS account
    (Amazon allows one), is a conflict."""
    for existing in store.destinations_of(work.conn, seller_id):
        target = json.loads(existing.target)
        if existing.kind == kind and (target == resource or kind == "eventBridge" and target[
                "accountId"] == resource["accountId"]):
            raise Conflict("Conflict", f"destination {existing.destination_id} already "
                                       "sends to this resource")


def _event_source(market: Marketplace, caller: Caller, seller_id: str,
                  resource: dict[str, Any]) -> dict[str, Any]:
    """An EventBridge destination's resource, its partner event source created in the AWS
    account named, as Amazon creates it (before the destination is recorded: a source that
    cannot be created leaves no destination behind)."""
    def application(work: Work) -> str:
        check_seller(work.conn, caller, seller_id)
        _check_new(work, seller_id, "eventBridge", resource)
        return catalog.client_ids(work.conn, {seller_id}).get(seller_id, seller_id)

    name = EVENT_SOURCE_PREFIX + market.read(application)
    try:
        Sender().create_event_source(resource["region"], resource["accountId"], name)
    except DeliveryFailed as error:
        raise InvalidInput("resourceSpecification.eventBridge",
                           f"EventBridge did not create the partner event source {name} in "
                           f"account {resource['accountId']}: {error}") from error
    return {"name": name, **resource}


def destinations(market: Marketplace, caller: Caller, seller_id: str) -> list[Destination]:
    def query(work: Work) -> list[Destination]:
        check_seller(work.conn, caller, seller_id)
        return [_destination(row) for row in store.destinations_of(work.conn, seller_id)]

    return market.read(query)


def destination(market: Marketplace, caller: Caller, seller_id: str,
                destination_id: str) -> Destination:
    def query(work: Work) -> Destination:
        check_seller(work.conn, caller, seller_id)
        row = store.destination(work.conn, destination_id, seller_id)
        if row is None:
            raise NotFound(f"destination {destination_id} does not exist")
        return _destination(row)

    return market.read(query)


def delete_destination(market: Marketplace, caller: Caller, seller_id: str,
                       destination_id: str) -> None:
    """deleteDestination; refused while a subscription still sends to it."""
    def command(work: Work) -> Any:
        check_seller(work.conn, caller, seller_id)
        row = store.destination(work.conn, destination_id, seller_id)
        if row is None:
            raise NotFound(f"destination {destination_id} does not exist")
        used = store.using(work.conn, seller_id, destination_id)
        if used:
            raise Conflict("Conflict", f"destination {destination_id} receives the "
                                       f"{', '.join(used)} subscription(s); delete them first")
        store.delete_destination(work.conn, seller_id, destination_id)
        return row

    gone = market.run(command)
    if gone.kind == "eventBridge":
        target = json.loads(gone.target)
        Sender().delete_event_source(target["region"], target["accountId"], target["name"])


def _check_type(notification_type: str) -> None:
    if notification_type not in NOTIFICATION_TYPES:
        raise InvalidInput("notificationType", f"{notification_type!r} is not one sellerflow "
                                               f"sends: {', '.join(NOTIFICATION_TYPES)}")


def _directive(notification_type: str, given: Any) -> dict[str, Any] | None:
    """The processingDirective, checked: an ORDER_CHANGE eventFilter of order change types
    and marketplaces (aggregation is accepted and ignored: sellerflow sends at once)."""
    if given is None:
        return None
    if not isinstance(given, dict) or set(given) - {"eventFilter"}:
        raise InvalidInput("processingDirective", "takes an eventFilter only")
    event_filter = given.get("eventFilter")
    if event_filter is None:
        return given
    if notification_type != "ORDER_CHANGE" or not isinstance(event_filter, dict) \
            or event_filter.get("eventFilterType") != "ORDER_CHANGE":
        raise InvalidInput("processingDirective.eventFilter",
                           "is for ORDER_CHANGE only, with eventFilterType ORDER_CHANGE")
    for name, allowed in (("orderChangeTypes", ORDER_CHANGE_TYPES),
                          ("marketplaceIds", None)):
        values = event_filter.get(name)
        if values is None:
            continue
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise InvalidInput(f"processingDirective.eventFilter.{name}", "must be a list")
        wrong = [v for v in values if allowed is not None and v not in allowed]
        if wrong:
            raise InvalidInput(f"processingDirective.eventFilter.{name}",
                               f"{', '.join(wrong)} is not one of {', '.join(allowed or ())}")
    return given


def create_subscription(market: Marketplace, caller: Caller, seller_id: str,
                        notification_type: str, payload_version: Any, destination_id: Any,
                        processing_directive: Any = None) -> Subscription:
    """createSubscription: one per seller and type (a second is a conflict)."""
    caller.require(*SELLER_SIDE, doing="subscribing to notifications")
    _check_type(notification_type)
    wanted = PAYLOAD_VERSIONS[notification_type]
    if payload_version != wanted:
        raise InvalidInput("payloadVersion", f"{payload_version!r}: {notification_type} "
                                             f"notifications are of payload version {wanted}")
    directive = _directive(notification_type, processing_directive)

    def command(work: Work) -> Subscription:
        check_seller(work.conn, caller, seller_id)
        destination = given_destination(work, seller_id, destination_id)
        _check_workflow(notification_type, destination.kind)
        existing = store.subscription(work.conn, seller_id, notification_type)
        if existing is not None:
            raise Conflict("Conflict", f"seller {seller_id} is already subscribed to "
                                       f"{notification_type} (subscription "
                                       f"{existing.subscription_id})")
        made = Subscription(str(uuid.uuid4()), notification_type, destination_id, wanted,
                            directive, work.now)
        store.add_subscription(work.conn, {
            "subscription_id": made.subscription_id, "seller_id": seller_id,
            "notification_type": notification_type, "destination_id": destination_id,
            "payload_version": wanted,
            "processing_directive": json.dumps(directive) if directive else None,
            "created_at": work.now})
        return made

    return market.run(command)


def given_destination(work: Work, seller_id: str, destination_id: Any) -> Any:
    """The seller's destination a request names by `destinationId`; any other is bad input."""
    destination = (store.destination(work.conn, destination_id, seller_id)
                   if isinstance(destination_id, str) else None)
    if destination is None:
        raise InvalidInput("destinationId", f"{destination_id!r} is not one of your "
                                            "destinations; create one with createDestination")
    return destination


def _check_workflow(notification_type: str, kind: str) -> None:
    """Amazon sends each type through one workflow: SQS or EventBridge (sellerflow's webhook
    takes any)."""
    bridged = notification_type in EVENTBRIDGE_TYPES
    if kind == "sqs" and bridged or kind == "eventBridge" and not bridged:
        wanted_kind = "an EventBridge destination" if bridged else "an SQS queue"
        raise InvalidInput("destinationId", f"{notification_type} notifications go to "
                                            f"{wanted_kind} (Amazon's "
                                            f"{'EventBridge' if bridged else 'SQS'} "
                                            f"workflow), not to this {kind} destination")


def subscription(market: Marketplace, caller: Caller, seller_id: str,
                 notification_type: str) -> Subscription:
    _check_type(notification_type)

    def query(work: Work) -> Subscription:
        check_seller(work.conn, caller, seller_id)
        row = store.subscription(work.conn, seller_id, notification_type)
        if row is None:
            raise NotFound(f"no {notification_type} subscription; create one with "
                           "createSubscription")
        return _subscription(row)

    return market.read(query)


def all_subscriptions(market: Marketplace, caller: Caller, seller_id: str,
                      notification_type: str, payload_version: str | None = None
                      ) -> list[Subscription]:
    """getSubscriptions: the seller's subscriptions of a type (and payload version)."""
    def query(work: Work) -> list[Subscription]:
        check_seller(work.conn, caller, seller_id)
        return [_subscription(row) for row in store.subscriptions_of(work.conn, seller_id)
                if row.notification_type == notification_type
                and payload_version in (None, row.payload_version)]

    return market.read(query)


def subscription_by_id(market: Marketplace, caller: Caller, seller_id: str,
                       notification_type: str, subscription_id: str) -> Subscription:
    _check_type(notification_type)

    return market.read(lambda work: _subscription(_owned(work, caller, seller_id,
                                                         notification_type, subscription_id)))


def _owned(work: Work, caller: Caller, seller_id: str, notification_type: str,
           subscription_id: str) -> Any:
    """The seller's subscription of that type and id; any other is not found."""
    check_seller(work.conn, caller, seller_id)
    row = store.subscription_by_id(work.conn, subscription_id, seller_id)
    if row is None or row.notification_type != notification_type:
        raise NotFound(f"subscription {subscription_id} does not exist")
    return row


def delete_subscription(market: Marketplace, caller: Caller, seller_id: str,
                        notification_type: str, subscription_id: str) -> None:
    """deleteSubscriptionById: nothing more is sent through it (what is queued still goes)."""
    _check_type(notification_type)

    def command(work: Work) -> None:
        _owned(work, caller, seller_id, notification_type, subscription_id)
        store.delete_subscription(work.conn, seller_id, subscription_id)

    market.run(command)


def wanted(directive: dict[str, Any] | None, change_type: str) -> bool:
    """Whether an ORDER_CHANGE subscription's eventFilter lets this change through."""
    event_filter = (directive or {}).get("eventFilter") or {}
    types = event_filter.get("orderChangeTypes")
    markets = event_filter.get("marketplaceIds")
    return ((types is None or change_type in types)
            and (markets is None or MARKETPLACE_ID in markets))

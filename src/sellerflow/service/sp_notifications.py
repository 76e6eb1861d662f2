"""SP-API notifications: what fires (ORDER_CHANGE on an order's status change or a buyer's
request, REPORT_PROCESSING_FINISHED, FEED_PROCESSING_FINISHED), written to the outbox in the
transaction of the change that caused it, one message per subscription; and their delivery
to each subscription's destination after commit.

Delivery is at least once (a crash between the destination's acceptance and its record sends
again; each document's NotificationId lets a reader drop the repeat), in order per
destination (a message waiting to be tried again holds back the later ones for its
destination), with a growing pause between attempts and, after MAX_ATTEMPTS, set aside with
the destination's own error, visible and re-sendable (`sellerflow notifications`)."""

from __future__ import annotations

import json
import uuid
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection

from sellerflow.domain import carrier_network as network
from sellerflow.domain.callers import MARKETPLACE_SIDE, SELLER_SIDE, Caller
from sellerflow.domain.errors import InvalidInput, NotFound
from sellerflow.domain.model import Order
from sellerflow.notifications import sp_api
from sellerflow.notifications.transports import LANES, Lane, Sender
from sellerflow.service.config import from_settings
from sellerflow.service.context import Marketplace, Work, check_seller
from sellerflow.service.notifications import MAX_ATTEMPTS, in_batches, retry_delay
from sellerflow.service.subscriptions import given_destination, wanted
from sellerflow.store import (
    catalog,
    documents,
    feeds,
    labels,
    orders,
    outbox,
    settings,
    shipments,
)
from sellerflow.store import subscriptions as store

BATCH = 200             # a transaction's messages: twenty requests to a queue
PASS_LIMIT = 20_000


@dataclass(frozen=True)
class OrderEvent:
    order: Order
    change_type: str       # OrderStatusChange or BuyerRequestedChange
    reason: str
    at: datetime


def order_events(before: Order | None, after: Order, at: datetime
                 ) -> list[OrderEvent]:
    """The ORDER_CHANGE events of one recorded change (a new order's only if the marketplace
    tells of new orders: the caller decides)."""
    if before is None:
        return [OrderEvent(after, sp_api.STATUS_CHANGE, "New order", at)]
    events = []
    if before.status != after.status:
        events.append(OrderEvent(after, sp_api.STATUS_CHANGE,
                                 f"Order status changed from {before.status.value} to "
                                 f"{after.status.value}", at))
    if after.buyer_cancel_requested and not before.buyer_cancel_requested:
        events.append(OrderEvent(after, sp_api.BUYER_REQUEST, "Buyer Requested Cancel", at))
    if after.requested_address is not None and before.requested_address is None:
        events.append(OrderEvent(after, sp_api.BUYER_REQUEST,
                                 "Buyer Requested Address Change", at))
    return events


def record_order_changes(conn: Connection, changes: Sequence[tuple[Order | None, Order,
                                                                   datetime]]) -> None:
    """Enqueue ORDER_CHANGE for every subscribed seller's changed orders (called by
    recording.apply_changes, in the change's transaction)."""
    if not changes:
        return
    subscribed = store.subscribers(conn, {after.seller_id for _, after, _ in changes},
                                   sp_api.ORDER_CHANGE)
    if not subscribed:
        return
    by_seller = {row.seller_id: row for row in subscribed}
    new_orders = None
    messages = []
    applications = _applications(conn, by_seller)
    for before, after, at in changes:
        row = by_seller.get(after.seller_id)
        if row is None:
            continue
        if before is None:
            if new_orders is None:
                new_orders = from_settings(settings.get_all(conn)).new_order_notifications
            if not new_orders:
                continue
        directive = json.loads(row.processing_directive) if row.processing_directive else None
        for event in order_events(before, after, at):
            if not wanted(directive, event.change_type):
                continue
            delivery = _delivery(applications, row, at)
            document = sp_api.order_change(event.order, event.change_type, event.reason,
                                           event.at, delivery)
            messages.append(_message(row, delivery, sp_api.ORDER_CHANGE,
                                     after.amazon_order_id, document, at))
    outbox.enqueue(conn, messages)


def record_quantities(conn: Connection, changed: Sequence[tuple[str, str, int]],
                      at: datetime) -> None:
    """Enqueue LISTINGS_ITEM_MFN_QUANTITY_CHANGE for subscribed sellers' listings whose
    quantity available changed: (seller, SKU, quantity now)."""
    if changed:
        _record_quantities(conn, {seller for seller, _, _ in changed}, lambda: changed, at)


def record_restocks(conn: Connection, listings: Sequence[tuple[str, int]],
                    at: datetime) -> None:
    """The same for listings given by (seller, listing id) whose stock an order's
    cancellation returned or wrote off: their quantities are read only if anyone listens."""
    if listings:
        _record_quantities(conn, {seller for seller, _ in listings},
                           lambda: catalog.quantities(conn, listings), at)


def _record_quantities(conn: Connection, sellers: set[str],
                       changed: Callable[[], Sequence[tuple[str, str, int]]],
                       at: datetime) -> None:
    subscribed = store.subscribers(conn, sellers, sp_api.LISTINGS_ITEM_MFN_QUANTITY_CHANGE)
    if not subscribed:
        return
    by_seller = {row.seller_id: row for row in subscribed}
    applications = _applications(conn, by_seller)
    messages = []
    for seller_id, sku, quantity in changed():
        row = by_seller.get(seller_id)
        if row is None:
            continue
        delivery = _delivery(applications, row, at)
        document = sp_api.mfn_quantity_change(seller_id, sku, quantity, at, delivery)
        # The SKU is the subject's one word: its lane, so each SKU's changes keep their order.
        messages.append(_message(row, delivery, sp_api.LISTINGS_ITEM_MFN_QUANTITY_CHANGE,
                                 quote(sku, safe=""), document, at))
    outbox.enqueue(conn, messages)


def record_milestones(conn: Connection, due: Sequence[tuple[str, str, datetime]]) -> None:
    """SHIPMENT_TRACKING_MILESTONE_CHANGED for each bought label's scan due at its time
    (seller, order, when) to a subscribed seller (L30); a canceled label's package is never
    scanned, so it tells nothing."""
    subscribed = store.subscribers(conn, {seller for seller, _, _ in due},
                                   sp_api.SHIPMENT_TRACKING_MILESTONE_CHANGED)
    if not subscribed:
        return
    by_seller = {row.seller_id: row for row in subscribed}
    applications = _applications(conn, by_seller)
    messages = []
    for seller_id, order_id, at in due:
        row = by_seller.get(seller_id)
        if row is None:
            continue
        for label in labels.of_orders(conn, seller_id, (order_id,)):
            shipment = shipments.of_label(conn, seller_id, label.label_id)
            if shipment is None or label.canceled_at is not None:
                continue
            scans = [scan for scan in network.milestones(
                shipment.confirmed_at, shipment.first_scan_at, shipment.delivered_at,
                shipment.lost_at) if scan.at <= at]
            if not scans or scans[-1].at != at:
                continue
            package = sp_api.Package(label.label_id, network.CARRIER_IDS[label.carrier],
                                     label.tracking_number, shipment.ship_to,
                                     (label.earliest_delivery, label.latest_delivery))
            delivery = _delivery(applications, row, at)
            messages.append(_message(row, delivery, sp_api.SHIPMENT_TRACKING_MILESTONE_CHANGED,
                                     label.tracking_number,
                                     sp_api.tracking_milestone(package, scans, at, delivery),
                                     at))
    outbox.enqueue(conn, messages)


def record_processing_finished(conn: Connection, notification_type: str, seller_id: str,
                               facts: dict[str, str], at: datetime) -> None:
    """Enqueue REPORT_PROCESSING_FINISHED or FEED_PROCESSING_FINISHED for a subscribed seller
    (`facts` as sp_api.processing_finished takes them)."""
    subscribed = store.subscribers(conn, {seller_id}, notification_type)
    if not subscribed:
        return
    row = subscribed[0]
    delivery = _delivery(_applications(conn, {seller_id: row}), row, at)
    document = sp_api.processing_finished(notification_type, seller_id, facts, at, delivery)
    subject = facts.get("reportId") or facts.get("feedId") or ""
    outbox.enqueue(conn, [_message(row, delivery, notification_type, subject, document, at)])


def record_feed_finished(conn: Connection, seller_id: str, feed_id: str, at: datetime) -> None:
    """FEED_PROCESSING_FINISHED for a feed that has ended (DONE, FATAL or CANCELLED), with
    its result document when it has one (a feed submitted through the Feeds API)."""
    feed = feeds.get_feed(conn, feed_id, seller_id)
    if feed is None or feed.status not in ("DONE", "FATAL", "CANCELLED"):
        return
    facts = {"feedId": feed_id, "feedType": feed.feed_type, "processingStatus": feed.status}
    result = documents.of_subject(conn, "result", feed_id)
    if result is not None and feed.status != "CANCELLED":
        facts["resultFeedDocumentId"] = result
    record_processing_finished(conn, sp_api.FEED_PROCESSING_FINISHED, seller_id, facts, at)


# sendTestNotification's testScenario values: for ORDER_CHANGE its change types, for the
# others the processingStatus the mock report or feed ended with.
TEST_SCENARIOS = {sp_api.ORDER_CHANGE: (sp_api.STATUS_CHANGE, sp_api.BUYER_REQUEST),
                  sp_api.REPORT_PROCESSING_FINISHED: ("DONE", "CANCELLED", "FATAL"),
                  sp_api.FEED_PROCESSING_FINISHED: ("DONE", "CANCELLED", "FATAL")}
TEST_REPORT_TYPE = "GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING"
TEST_FEED_TYPE = "POST_FLAT_FILE_FULFILLMENT_DATA"


def send_test(market: Marketplace, caller: Caller, seller_id: str, notification_type: str,
              destination_id: Any, test_notification: Any) -> None:
    """sendTestNotification (grantless, sandbox only): a notification of the type for the
    scenario given, queued for one of the seller's destinations as any other. ORDER_CHANGE
    tells of the seller's latest order as it stands; a report's or feed's is a mock (ids
    TEST-...), since nothing was built."""
    caller.require(*SELLER_SIDE, doing="sending a test notification")
    if not market.sandbox:
        raise InvalidInput("sendTestNotification", "is a sandbox operation: Amazon serves it "
                                                    "on its sandbox endpoint only, sellerflow "
                                                    "on a sandbox database")
    if notification_type not in TEST_SCENARIOS:
        raise InvalidInput("notificationType", f"{notification_type!r} is not one sellerflow "
                                               f"sends: {', '.join(TEST_SCENARIOS)}")
    given = test_notification if isinstance(test_notification, dict) else {}
    version = sp_api.PAYLOAD_VERSIONS[notification_type]
    if given.get("payloadVersion") != version:
        raise InvalidInput("testNotification.payloadVersion",
                           f"{given.get('payloadVersion')!r}: {notification_type} "
                           f"notifications are of payload version {version}")
    scenario = given.get("testScenario")
    if scenario not in TEST_SCENARIOS[notification_type]:
        raise InvalidInput("testNotification.testScenario",
                           f"{scenario!r}: give one of "
                           f"{', '.join(TEST_SCENARIOS[notification_type])}")

    def command(work: Work) -> None:
        check_seller(work.conn, caller, seller_id)
        given_destination(work, seller_id, destination_id)
        subscribed = store.subscription(work.conn, seller_id, notification_type)
        row = SimpleNamespace(seller_id=seller_id, destination_id=destination_id,
                              subscription_id=subscribed.subscription_id if subscribed
                              else "")
        delivery = _delivery(_applications(work.conn, {seller_id: row}), row, work.now)
        if notification_type == sp_api.ORDER_CHANGE:
            latest, _ = orders.seller_orders(work.conn, seller_id, None, None, 1)
            if not latest:
                raise InvalidInput("notificationType", "an ORDER_CHANGE test tells of your "
                                                       "latest order: place one first")
            reason = ("Order status changed" if scenario == sp_api.STATUS_CHANGE
                      else "Buyer Requested Cancel")
            document = sp_api.order_change(latest[0], scenario, reason, work.now, delivery)
            subject = latest[0].amazon_order_id
        else:
            subject = f"TEST-{delivery.notification_id[:8]}"
            report = notification_type == sp_api.REPORT_PROCESSING_FINISHED
            facts = ({"reportId": subject, "reportType": TEST_REPORT_TYPE} if report
                     else {"feedId": subject, "feedType": TEST_FEED_TYPE})
            facts["processingStatus"] = scenario
            document = sp_api.processing_finished(notification_type, seller_id, facts,
                                                  work.now, delivery)
        outbox.enqueue(work.conn, [_message(row, delivery, notification_type, subject,
                                            document, work.now)])

    market.run(command)


def _applications(conn: Connection, rows: dict[str, Any]) -> dict[str, str]:
    """Each seller's application id: its LWA client id, the application that subscribed."""
    return catalog.client_ids(conn, set(rows))


def _delivery(applications: dict[str, str], row: Any, at: datetime) -> sp_api.Delivery:
    return sp_api.Delivery(applications.get(row.seller_id, ""), row.subscription_id,
                           str(uuid.uuid4()), at)


def _message(row: Any, delivery: sp_api.Delivery, notification_type: str, subject: str,
             document: dict[str, Any], at: datetime) -> outbox.Message:
    """The outbox's message: keyed by the NotificationId, for the subscription's destination,
    its subject the type and what it is about (an order, a report, a feed)."""
    return outbox.Message(delivery.notification_id, outbox.SP_API + notification_type,
                          row.destination_id, f"{notification_type} {subject} {row.seller_id}",
                          json.dumps(document), at)


def dispatch(market: Marketplace, limit: int = PASS_LIMIT, sender: Sender | None = None
             ) -> int:
    """Attempt up to `limit` due notifications once each, a batch at a time; returns how many
    were delivered (a long-lived `sender` keeps its connections from pass to pass). On
    PostgreSQL a batch's rows stay locked while they are sent (another worker skips them) and
    nobody else waits for that. On SQLite a transaction that writes
    holds up every writer of the database, so the batch is read, sent with no transaction
    open, then recorded: a slow queue never stalls a checkout. (Two workers on one SQLite file
    may then send a batch twice: a reader drops the repeat by its NotificationId.)"""
    sender = sender or Sender()
    if market.engine.dialect.name == "sqlite":
        return in_batches(market, partial(_attempt_outside, market=market, sender=sender),
                          limit, BATCH, transaction=False)
    return in_batches(market, partial(_attempt_within, sender=sender), limit, BATCH)


def connect(market: Marketplace, sender: Sender) -> int:
    """Make `sender` ready for every AWS destination (queues and event buses), so the first
    notifications after a worker starts do not wait for boto3 to load; returns how many."""
    found = market.read(lambda work: store.of_kind(work.conn, "sqs")
                        + store.of_kind(work.conn, "eventBridge"))
    for destination in found:
        sender.connect(destination.kind, json.loads(destination.target))
    return len(found)


@dataclass
class _Batch:
    rows: list[Any]
    destinations: dict[str, Any]
    held: dict[str, int]            # destination -> the oldest message waiting to be retried
    failed: dict[int, str] = field(default_factory=dict)
    sent: list[int] = field(default_factory=list)


def _due(work: Work, after_id: int, size: int) -> _Batch | None:
    rows = outbox.deliverable(work.conn, work.now, size, after_id=after_id, sp_api=True)
    if not rows:
        return None
    return _Batch(rows, store.destinations_by_id(work.conn, {r.recipient for r in rows}),
                  outbox.waiting(work.conn, work.now))


def _send(sender: Sender, batch: _Batch) -> None:
    """The batch's messages, each destination's in order per what they are about (an order, a
    report, a feed: its lane), ten to a request for a queue, several lanes at once; one waiting
    to be retried holds back the later ones for its destination."""
    lanes: dict[tuple[str, int], list[Any]] = {}
    for message in batch.rows:
        if message.recipient in batch.held and message.id > batch.held[message.recipient]:
            continue            # an earlier one for this destination waits: keep the order
        about = _about(message)
        lanes.setdefault((message.recipient, zlib.crc32(about.encode()) % LANES),
                         []).append(message)
    sending: list[tuple[list[Any], Lane]] = []
    for (destination_id, _), messages in lanes.items():
        target = batch.destinations.get(destination_id)
        if target is None:
            for message in messages:
                batch.failed[message.id] = f"destination {destination_id} was deleted"
            continue
        sending.append((messages, (target.kind, json.loads(target.target), target.secret, [
            (m.kind.removeprefix(outbox.SP_API), m.dedupe_key, m.body,
             _about(m) or destination_id) for m in messages])))
    outcomes = sender.send_lanes([lane for _, lane in sending])
    for (messages, _), outcome in zip(sending, outcomes, strict=True):
        for message, error in zip(messages, outcome, strict=True):
            if error is None:
                batch.sent.append(message.id)
            elif error:                 # NOT_TRIED (after a failure): left due, held back
                batch.failed[message.id] = error


def _about(message: Any) -> str:
    """What a message is about (the order, report or feed id in its subject)."""
    return str(message.subject.split(" ")[1])


def _record(work: Work, batch: _Batch) -> tuple[int, int, int]:
    for message in batch.rows:
        if message.id in batch.failed:
            attempts = message.attempts + 1
            retry_at = work.now + retry_delay(attempts) if attempts < MAX_ATTEMPTS else None
            outbox.mark_failed(work.conn, message.id, batch.failed[message.id], retry_at,
                               work.now)
    outbox.mark_sent(work.conn, batch.sent, work.now)
    return batch.rows[-1].id, len(batch.rows), len(batch.sent)


def _attempt_within(work: Work, sender: Sender, after_id: int, size: int
                    ) -> tuple[int, int, int] | None:
    """PostgreSQL: read (rows locked, others skip them), send and record in one transaction."""
    batch = _due(work, after_id, size)
    if batch is None:
        return None
    _send(sender, batch)
    return _record(work, batch)


def _attempt_outside(market: Marketplace, sender: Sender, after_id: int, size: int
                     ) -> tuple[int, int, int] | None:
    """SQLite: read, send with no transaction open, then record."""
    batch = market.read(partial(_due, after_id=after_id, size=size))
    if batch is None:
        return None
    _send(sender, batch)
    return market.run(partial(_record, batch=batch))


@dataclass(frozen=True)
class NotificationRow:
    """A notification as `sellerflow notifications` lists it."""

    outbox_id: int
    notification_id: str
    notification_type: str
    about: str
    seller_id: str
    destination_id: str
    created_at: datetime
    sent_at: datetime | None
    attempts: int
    last_error: str | None
    set_aside: bool


def listed(market: Marketplace, caller: Caller, *, failed_only: bool = False,
           limit: int = 100) -> list[NotificationRow]:
    """The latest notifications (or those set aside), newest first."""
    caller.require(*MARKETPLACE_SIDE, doing="reading the notifications sent")

    def query(work: Work) -> list[NotificationRow]:
        found = []
        for row in outbox.notifications(work.conn, failed_only=failed_only, limit=limit):
            kind, about, seller_id = (row.subject.split(" ") + ["", ""])[:3]
            found.append(NotificationRow(row.id, row.dedupe_key, kind, about, seller_id,
                                         row.recipient, row.created_at, row.sent_at,
                                         row.attempts, row.last_error,
                                         row.failed_at is not None))
        return found

    return market.read(query)


def resend(market: Marketplace, caller: Caller, outbox_ids: Sequence[int]) -> int:
    """Make notifications set aside due again; returns how many."""
    caller.require(*MARKETPLACE_SIDE, doing="re-sending notifications")

    def command(work: Work) -> int:
        moved = outbox.resend(work.conn, outbox_ids)
        if moved != len(set(outbox_ids)):
            raise NotFound("only notifications not yet delivered can be sent again; "
                           "`sellerflow notifications list` shows them")
        return moved

    return market.run(command)

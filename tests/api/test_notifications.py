"""Notifications API v1 and ORDER_CHANGE, REPORT_PROCESSING_FINISHED delivered to SQS (moto's
server, read back with boto3) and to a signed webhook, on both databases: each document valid
against Amazon's schema, in order, only the subscribed seller's, nothing after a delete; a queue
that does not exist shows its own error and its notifications wait, in order, to be resent."""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sellerflow.service import orders as order_service
from sellerflow.service import report_requests, sp_notifications
from sellerflow.service.context import Marketplace
from tests import aws
from tests import helpers as h
from tests.api.conftest import CheckedClient, Seller
from tests.helpers import OP

SCHEMAS = Path(__file__).parent / "sp_api_models" / "notifications-schemas"
GRANTLESS_SCOPE = "sellingpartnerapi::notifications"
MARKET = "ATVPDKIKX0DER"


@pytest.fixture(scope="module")
def moto() -> Iterator[str]:
    with aws.moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def on_aws(moto: str, monkeypatch: pytest.MonkeyPatch) -> str:
    for name, value in aws.environment(moto).items():
        monkeypatch.setenv(name, value)
    return moto


def _schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMAS / f"{name}.json").read_text())
    return schema


def _grantless(api: CheckedClient, seller: Seller) -> dict[str, str]:
    answer = api.post("/auth/o2/token", data={
        "grant_type": "client_credentials", "client_id": seller.credentials["client_id"],
        "client_secret": seller.credentials["client_secret"], "scope": GRANTLESS_SCOPE})
    assert answer.status_code == 200, answer.text
    assert "refresh_token" not in answer.json()
    return {"x-amz-access-token": answer.json()["access_token"]}


def _subscribe(api: CheckedClient, seller: Seller, kind: str, resource: dict[str, Any],
               version: str = "1.0", directive: dict[str, Any] | None = None
               ) -> tuple[str, str]:
    """A destination and a subscription of `kind` to it: (destination id, subscription id)."""
    grantless = _grantless(api, seller)
    made = api.post("/notifications/v1/destinations", headers=grantless, json={
        "name": f"{kind} queue", "resourceSpecification": resource})
    assert made.status_code == 200, made.text
    destination_id = made.json()["payload"]["destinationId"]
    body: dict[str, Any] = {"payloadVersion": version, "destinationId": destination_id}
    if directive:
        body["processingDirective"] = directive
    subscribed = seller.post(f"/notifications/v1/subscriptions/{kind}", json=body)
    assert subscribed.status_code == 200, subscribed.text
    return destination_id, subscribed.json()["payload"]["subscriptionId"]


def _documents(url: str) -> list[dict[str, Any]]:
    return [json.loads(body) for body in aws.received(url)]


def test_order_changes_and_a_finished_report_arrive_in_the_sellers_queue_in_order(
        api: CheckedClient, seller: Seller, market: Marketplace, on_aws: str) -> None:
    url, arn = aws.new_queue(f"orders-{seller.seller_id}")
    other_url, other_arn = aws.new_queue(f"other-{seller.seller_id}")
    other = Seller(api, market, "other@example.com")
    _subscribe(api, other, "ORDER_CHANGE", {"sqs": {"arn": other_arn}})
    destination_id, subscription_id = _subscribe(api, seller, "ORDER_CHANGE",
                                                 {"sqs": {"arn": arn}})
    h.listing(market, seller.seller_id, quantity=5)
    order_id = h.place(market, seller.seller_id)
    h.advance(market, "30m")
    h.ship(market, order_id)
    assert sp_notifications.dispatch(market) == 3

    documents = _documents(url)
    schema = _schema("OrderChangeNotification")
    for document in documents:
        jsonschema.validate(document, schema)
    changes = [d["Payload"]["OrderChangeNotification"] for d in documents]
    assert [(c["AmazonOrderId"], c["OrderChangeType"], c["Summary"]["OrderStatus"])
            for c in changes] == [(order_id, "OrderStatusChange", "Pending"),
                                  (order_id, "OrderStatusChange", "Unshipped"),
                                  (order_id, "OrderStatusChange", "Shipped")]
    assert {d["NotificationMetadata"]["SubscriptionId"] for d in documents} == {
        subscription_id}
    assert len({d["NotificationMetadata"]["NotificationId"] for d in documents}) == 3
    assert changes[1]["Summary"]["LatestShipDate"] and changes[2]["Summary"][
        "NumberOfItemsShipped"] == 1
    assert aws.received(other_url) == []            # another seller's queue: nothing

    # A buyer's request: BuyerRequestedChange; the eventFilter can leave status changes out.
    second = h.released(market, seller.seller_id)
    order_service.buyer_cancel(market, OP, second, "Ordered by mistake")
    sp_notifications.dispatch(market)
    last = _documents(url)[-1]["Payload"]["OrderChangeNotification"]
    assert (last["OrderChangeType"], last["OrderChangeTrigger"]["ChangeReason"]) == (
        "BuyerRequestedChange", "Buyer Requested Cancel")
    assert last["Summary"]["OrderItems"][0]["IsBuyerRequestedCancel"] is True

    # After deleting the subscription nothing more arrives.
    grantless = _grantless(api, seller)
    gone = api.delete(f"/notifications/v1/subscriptions/ORDER_CHANGE/{subscription_id}",
                      headers=grantless)
    assert gone.status_code == 200, gone.text
    h.released(market, seller.seller_id)
    sp_notifications.dispatch(market)
    assert aws.received(url) == []
    # The destination can go once no subscription uses it.
    assert api.delete(f"/notifications/v1/destinations/{destination_id}",
                      headers=grantless).status_code == 200


def test_notifications_of_many_orders_go_several_requests_at_once_each_orders_in_order(
        api: CheckedClient, seller: Seller, market: Marketplace, on_aws: str) -> None:
    """Lanes: a destination's notifications are sent several requests at once, split by the
    order they are about, so each order's arrive in the order they happened."""
    url, arn = aws.new_queue(f"lanes-{seller.seller_id}")
    _subscribe(api, seller, "ORDER_CHANGE", {"sqs": {"arn": arn}})
    h.listing(market, seller.seller_id, quantity=100)
    order_ids = [h.place(market, seller.seller_id) for _ in range(24)]
    h.advance(market, "30m")
    for order_id in order_ids[::2]:
        h.ship(market, order_id)
    assert sp_notifications.dispatch(market) == 24 * 2 + 12

    seen: dict[str, list[str]] = {}
    for document in _documents(url):
        change = document["Payload"]["OrderChangeNotification"]
        seen.setdefault(change["AmazonOrderId"], []).append(change["Summary"]["OrderStatus"])
    assert seen == {order_id: ["Pending", "Unshipped"] + ["Shipped"] * (n % 2 == 0)
                    for n, order_id in enumerate(order_ids)}


def test_the_worker_delivers_a_change_without_waiting_for_its_next_pass(
        api: CheckedClient, seller: Seller, market: Marketplace, on_aws: str) -> None:
    """The worker's notification thread looks every NOTIFY_PAUSE, whatever its --interval:
    a change reaches the queue long before a 60-second pass would come round."""
    import time

    from sellerflow import worker

    url, arn = aws.new_queue(f"worker-{seller.seller_id}")
    _subscribe(api, seller, "ORDER_CHANGE", {"sqs": {"arn": arn}})
    h.listing(market, seller.seller_id)
    stop = threading.Event()
    running = threading.Thread(target=worker.loop, args=(market, stop, 60.0))
    running.start()
    try:
        time.sleep(0.5)                 # the first pass is under way: the next is 60 s off
        order_id = h.place(market, seller.seller_id)
        documents: list[dict[str, Any]] = []
        deadline = time.monotonic() + 20
        while not documents and time.monotonic() < deadline:
            documents = _documents(url)
            time.sleep(0.05)
    finally:
        stop.set()
        running.join(timeout=30)
    assert [d["Payload"]["OrderChangeNotification"]["AmazonOrderId"] for d in documents] == [
        order_id]
    assert not running.is_alive()


def test_a_test_notification_arrives_in_the_destination_in_amazons_schema(
        api: CheckedClient, seller: Seller, market: Marketplace, on_aws: str,
        tmp_path: Path) -> None:
    """sendTestNotification (grantless, sandbox only): ORDER_CHANGE of the seller's latest
    order, a mock report's REPORT_PROCESSING_FINISHED; a wrong scenario, destination or token
    is refused, and a live database refuses it altogether."""
    from sellerflow.domain.callers import Caller
    from sellerflow.domain.errors import InvalidInput
    from sellerflow.service.context import open_marketplace
    from sellerflow.service.database import initialise

    url, arn = aws.new_queue(f"test-{seller.seller_id}")
    destination_id, subscription_id = _subscribe(api, seller, "ORDER_CHANGE",
                                                 {"sqs": {"arn": arn}})
    grantless = _grantless(api, seller)
    path = "/notifications/v1/subscriptions/{}/testNotification"
    order_test = {"destinationId": destination_id, "testNotification": {
        "payloadVersion": "1.0", "testScenario": "OrderStatusChange"}}
    none_yet = api.post(path.format("ORDER_CHANGE"), headers=grantless, json=order_test)
    assert none_yet.status_code == 400 and "place one first" in none_yet.text
    h.listing(market, seller.seller_id)
    order_id = h.released(market, seller.seller_id)
    sp_notifications.dispatch(market)
    aws.received(url)                           # the order's own notifications: not these

    sent = api.post(path.format("ORDER_CHANGE"), headers=grantless, json=order_test)
    assert sent.status_code == 200 and sent.json() == {}
    report_test = {"destinationId": destination_id, "testNotification": {
        "payloadVersion": "2020-09-04", "testScenario": "DONE"}}
    assert api.post(path.format("REPORT_PROCESSING_FINISHED"), headers=grantless,
                    json=report_test).status_code == 200
    assert sp_notifications.dispatch(market) == 2
    # Each arrives in its own lane (what it is about differs): in either order.
    order_document, report_document = sorted(_documents(url), key=lambda d: "payload" in d)
    jsonschema.validate(order_document, _schema("OrderChangeNotification"))
    jsonschema.validate(report_document, _schema("ReportProcessingFinishedNotification"))
    change = order_document["Payload"]["OrderChangeNotification"]
    assert (change["AmazonOrderId"], change["Summary"]["OrderStatus"]) == (order_id,
                                                                           "Unshipped")
    assert order_document["NotificationMetadata"]["SubscriptionId"] == subscription_id
    finished = report_document["payload"]["reportProcessingFinishedNotification"]
    assert finished["processingStatus"] == "DONE" and finished["reportId"].startswith("TEST-")

    for body, field in (({**order_test, "testNotification": {"payloadVersion": "1.0"}},
                         "testScenario"),
                        ({**order_test, "destinationId": "nope"}, "destinationId")):
        refused = api.post(path.format("ORDER_CHANGE"), headers=grantless, json=body)
        assert refused.status_code == 400 and field in refused.json()["errors"][0]["message"]
    assert seller.post(path.format("ORDER_CHANGE"), json=order_test).status_code == 403
    live_url = f"sqlite:///{tmp_path}/live.db"
    initialise(live_url, sandbox=False)
    live = open_marketplace(live_url)
    with pytest.raises(InvalidInput, match="sandbox operation"):
        sp_notifications.send_test(live, Caller.seller("A1"), "A1", "ORDER_CHANGE",
                                   destination_id, order_test["testNotification"])
    live.engine.dispose()


def test_listing_quantity_changes_reach_an_eventbridge_destination(
        api: CheckedClient, seller: Seller, market: Marketplace, on_aws: str) -> None:
    """EventBridge workflow: createDestination makes the partner event source in the AWS
    account named; LISTINGS_ITEM_MFN_QUANTITY_CHANGE (a sale, a restock, the seller's change)
    is put to it, the type as detail-type and the document as detail, and a rule of that
    account routes it on (here to a queue). Each type goes to its own workflow's kind."""
    bridge = {"eventBridge": {"region": aws.REGION, "accountId": aws.ACCOUNT}}
    destination_id, subscription_id = _subscribe(api, seller,
                                                 "LISTINGS_ITEM_MFN_QUANTITY_CHANGE", bridge)
    grantless = _grantless(api, seller)
    resource = api.get(f"/notifications/v1/destinations/{destination_id}",
                       headers=grantless).json()["payload"]["resource"]["eventBridge"]
    source = resource["name"]
    assert source == "aws.partner/sellingpartnerapi.amazon/" + seller.credentials["client_id"]
    assert (resource["region"], resource["accountId"]) == (aws.REGION, aws.ACCOUNT)
    events = aws.client("events")
    assert events.describe_event_source(Name=source)["Name"] == source
    # The integration's side: a rule for the source, sending to a queue. (moto puts partner
    # events on the account's default bus, where AWS puts them on the partner bus.)
    url, arn = aws.new_queue(f"bridge-{seller.seller_id}")
    rule = f"sp-api-{seller.seller_id}"
    events.put_rule(Name=rule, EventPattern=json.dumps({"source": [source]}))
    events.put_targets(Rule=rule, Targets=[{"Id": "queue", "Arn": arn}])

    h.listing(market, seller.seller_id, quantity=5)
    order_id = h.place(market, seller.seller_id, qty=2)
    order_service.buyer_cancel(market, OP, order_id, "Ordered by mistake")
    h.listing(market, seller.seller_id, quantity=5)          # unchanged: nothing is told
    h.listing(market, seller.seller_id, quantity=8)
    assert sp_notifications.dispatch(market) == 4
    events_seen = [json.loads(body) for body in aws.received(url)]
    assert {(e["source"], e["detail-type"]) for e in events_seen} == {
        (source, "LISTINGS_ITEM_MFN_QUANTITY_CHANGE")}
    documents = [e["detail"] for e in events_seen]
    assert [d["Payload"]["Quantity"] for d in documents] == [5, 3, 5, 8]
    assert all(d["Payload"] == {"SellerId": seller.seller_id, "Sku": "MUG",
                                "FulfillmentChannelCode": "DEFAULT",
                                "Quantity": d["Payload"]["Quantity"]}
               and d["NotificationType"] == "LISTINGS_ITEM_MFN_QUANTITY_CHANGE"
               and d["NotificationMetadata"]["SubscriptionId"] == subscription_id
               for d in documents), documents

    # One EventBridge destination per AWS account; each type to its own workflow's kind.
    again = api.post("/notifications/v1/destinations", headers=grantless, json={
        "name": "again", "resourceSpecification": bridge})
    assert again.status_code == 409
    wrong = seller.post("/notifications/v1/subscriptions/ORDER_CHANGE", json={
        "payloadVersion": "1.0", "destinationId": destination_id})
    assert wrong.status_code == 400 and "SQS queue" in wrong.text
    bad = api.post("/notifications/v1/destinations", headers=grantless, json={
        "name": "bus", "resourceSpecification": {"eventBridge": {"region": "mars",
                                                                  "accountId": "1"}}})
    assert bad.status_code == 400 and "region" in bad.json()["errors"][0]["message"]


def test_a_finished_report_is_told_to_its_subscriber(
        api: CheckedClient, seller: Seller, market: Marketplace, on_aws: str) -> None:
    url, arn = aws.new_queue(f"reports-{seller.seller_id}")
    _subscribe(api, seller, "REPORT_PROCESSING_FINISHED", {"sqs": {"arn": arn}},
               version="2020-09-04")
    h.listing(market, seller.seller_id)
    h.released(market, seller.seller_id)
    report_id = seller.post("/reports/2021-06-30/reports", json={
        "reportType": "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",
        "marketplaceIds": [MARKET]}).json()["reportId"]
    report_requests.process_queued(market)
    sp_notifications.dispatch(market)
    [document] = _documents(url)
    jsonschema.validate(document, _schema("ReportProcessingFinishedNotification"))
    told = document["payload"]["reportProcessingFinishedNotification"]
    report = seller.get(f"/reports/2021-06-30/reports/{report_id}").json()
    assert (told["reportId"], told["processingStatus"], told["reportDocumentId"]) == (
        report_id, "DONE", report["reportDocumentId"])


class _Hook(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Hook.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_: Any) -> None:
        pass


def test_a_webhook_destination_receives_the_same_documents_signed(
        api: CheckedClient, seller: Seller, market: Marketplace) -> None:
    hook = HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    _Hook.received = []
    try:
        grantless = _grantless(api, seller)
        made = api.post("/notifications/v1/destinations", headers=grantless, json={
            "name": "my server", "resourceSpecification": {"webhook": {
                "url": f"http://127.0.0.1:{hook.server_port}/sp-api"}}}).json()["payload"]
        secret = made["signingSecret"]
        seller.post("/notifications/v1/subscriptions/ORDER_CHANGE", json={
            "payloadVersion": "1.0", "destinationId": made["destinationId"],
            "processingDirective": {"eventFilter": {"eventFilterType": "ORDER_CHANGE",
                                                    "orderChangeTypes": ["OrderStatusChange"]}}})
        h.listing(market, seller.seller_id)
        order_id = h.released(market, seller.seller_id)
        sp_notifications.dispatch(market)
    finally:
        hook.shutdown()
    assert len(_Hook.received) == 2
    for headers, body in _Hook.received:
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-Sellerflow-Signature"], expected)
        document = json.loads(body)
        jsonschema.validate(document, _schema("OrderChangeNotification"))
        assert headers["X-Sellerflow-Notification-Id"] == document["NotificationMetadata"][
            "NotificationId"]
        assert document["Payload"]["OrderChangeNotification"]["AmazonOrderId"] == order_id


def _cli(db_url: str, *args: str) -> Any:
    done = subprocess.run([sys.executable, "-m", "sellerflow", "--db", db_url, "--json", *args],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_queue_that_does_not_exist_shows_its_error_and_holds_its_notifications_in_order(
        api: CheckedClient, seller: Seller, market: Marketplace, db_url: str,
        on_aws: str) -> None:
    missing = f"arn:aws:sqs:{aws.REGION}:{aws.ACCOUNT}:missing-{seller.seller_id}"
    _subscribe(api, seller, "ORDER_CHANGE", {"sqs": {"arn": missing}})
    h.listing(market, seller.seller_id)
    h.released(market, seller.seller_id)
    assert sp_notifications.dispatch(market) == 0
    listed = _cli(db_url, "notifications", "list")["notifications"]
    assert [n["state"] for n in listed] == ["waiting", "waiting"]
    # Both went in one request to the queue (ten go in one), which the queue refused.
    assert all(n["attempts"] == 1 and "NonExistentQueue" in (n["lastError"] or "")
               and n["notificationType"] == "ORDER_CHANGE" for n in listed), listed
    # The queue now exists: once resent, both arrive, the older first.
    url, _ = aws.new_queue(f"missing-{seller.seller_id}")
    assert _cli(db_url, "notifications", "resend", *(str(n["id"]) for n in listed)) == {
        "resent": 2}
    assert sp_notifications.dispatch(market) == 2
    statuses = [d["Payload"]["OrderChangeNotification"]["Summary"]["OrderStatus"]
                for d in _documents(url)]
    assert statuses == ["Pending", "Unshipped"]


def test_notification_operations_take_the_token_amazon_asks_for(
        api: CheckedClient, seller: Seller) -> None:
    """Destinations take a grantless token, subscriptions the seller's access token; each
    refuses the other, and a grantless token opens nothing else."""
    grantless = _grantless(api, seller)
    spec = {"name": "q", "resourceSpecification": {"sqs": {
        "arn": f"arn:aws:sqs:{aws.REGION}:{aws.ACCOUNT}:q"}}}
    assert seller.post("/notifications/v1/destinations", json=spec).status_code == 403
    made = api.post("/notifications/v1/destinations", headers=grantless, json=spec)
    assert made.status_code == 200
    again = api.post("/notifications/v1/destinations", headers=grantless, json=spec)
    assert again.status_code == 409
    body = {"payloadVersion": "1.0", "destinationId": made.json()["payload"]["destinationId"]}
    assert api.post("/notifications/v1/subscriptions/ORDER_CHANGE", headers=grantless,
                    json=body).status_code == 403
    assert api.get("/orders/v0/orders", headers=grantless, params={
        "MarketplaceIds": MARKET, "CreatedAfter": "2020-01-01"}).status_code == 403
    for wrong, field in (({**body, "payloadVersion": "2.0"}, "payloadVersion"),
                         ({**body, "destinationId": "nope"}, "destinationId")):
        refused = seller.post("/notifications/v1/subscriptions/ORDER_CHANGE", json=wrong)
        assert refused.status_code == 400 and field in refused.json()["errors"][0]["message"]
    assert seller.post("/notifications/v1/subscriptions/ANY_OFFER_CHANGED",
                       json=body).status_code == 400
    assert seller.post("/notifications/v1/subscriptions/ORDER_CHANGE",
                       json=body).status_code == 200
    twice = seller.post("/notifications/v1/subscriptions/ORDER_CHANGE", json=body)
    assert twice.status_code == 409, twice.text
    bad_arn = api.post("/notifications/v1/destinations", headers=grantless, json={
        "name": "q", "resourceSpecification": {"sqs": {"arn": "my-queue"}}})
    assert bad_arn.status_code == 400 and "arn" in bad_arn.json()["errors"][0]["message"]


def test_new_orders_are_told_of_unless_the_marketplace_turns_it_off(
        api: CheckedClient, seller: Seller, market: Marketplace, on_aws: str) -> None:
    from sellerflow.service import config

    url, arn = aws.new_queue(f"new-{seller.seller_id}")
    _subscribe(api, seller, "ORDER_CHANGE", {"sqs": {"arn": arn}})
    h.listing(market, seller.seller_id)
    config.set_value(market, OP, "new-order-notifications", "off")
    h.released(market, seller.seller_id)
    sp_notifications.dispatch(market)
    assert [d["Payload"]["OrderChangeNotification"]["Summary"]["OrderStatus"]
            for d in _documents(url)] == ["Unshipped"]


def test_a_finished_feed_is_told_to_its_subscriber_with_its_result_document(
        api: CheckedClient, seller: Seller, market: Marketplace, on_aws: str) -> None:
    from sellerflow.service import uploads

    url, arn = aws.new_queue(f"feeds-{seller.seller_id}")
    _subscribe(api, seller, "FEED_PROCESSING_FINISHED", {"sqs": {"arn": arn}},
               version="2020-09-04")
    feed_ids = []
    for content in (b"order-id\tcarrier-code\tship-date\n", b"not a shipment file\n"):
        document = seller.post("/feeds/2021-06-30/documents", json={
            "contentType": "text/tab-separated-values"}).json()
        seller.api.put(document["url"], content=content)
        feed_ids.append(seller.post("/feeds/2021-06-30/feeds", json={
            "feedType": "POST_FLAT_FILE_FULFILLMENT_DATA", "marketplaceIds": [MARKET],
            "inputFeedDocumentId": document["feedDocumentId"]}).json()["feedId"])
    for waiting in uploads.unfinished(market):
        uploads.process(market, OP, waiting)
    sp_notifications.dispatch(market)
    documents = _documents(url)
    schema = _schema("FeedProcessingFinishedNotification")
    for document in documents:
        jsonschema.validate(document, schema)
    told = {d["payload"]["feedProcessingFinishedNotification"]["feedId"]:
            d["payload"]["feedProcessingFinishedNotification"] for d in documents}
    assert sorted(told) == sorted(feed_ids)
    for feed_id in feed_ids:
        feed = seller.get(f"/feeds/2021-06-30/feeds/{feed_id}").json()
        assert told[feed_id]["processingStatus"] == feed["processingStatus"]
        assert told[feed_id]["resultFeedDocumentId"] == feed["resultFeedDocumentId"]
    assert {t["processingStatus"] for t in told.values()} == {"DONE", "FATAL"}


def test_L30_each_scan_of_a_bought_label_is_told_as_a_tracking_milestone(
        api: CheckedClient, seller: Seller, market: Marketplace, on_aws: str) -> None:
    from tests.api.test_buy_shipping import SHIP_FROM_V2, no_surprises

    no_surprises(market)
    url, arn = aws.new_queue(f"tracking-{seller.seller_id}")
    _subscribe(api, seller, "SHIPMENT_TRACKING_MILESTONE_CHANGED", {"sqs": {"arn": arn}},
               version="2026-01-30")
    h.listing(market, seller.seller_id)
    order_id = h.released(market, seller.seller_id)
    rates = seller.post("/shipping/v2/shipments/rates", json={
        "shipFrom": SHIP_FROM_V2, "channelDetails": {
            "channelType": "AMAZON", "amazonOrderDetails": {"orderId": order_id}},
        "packages": [{"dimensions": {"length": 8, "width": 6, "height": 2, "unit": "INCH"},
                      "weight": {"value": 1, "unit": "POUND"},
                      "insuredValue": {"value": 0, "unit": "USD"},
                      "packageClientReferenceId": order_id, "items": [{"quantity": 1}]}]}
                        ).json()["payload"]
    bought = seller.post("/shipping/v2/shipments", json={
        "requestToken": rates["requestToken"], "rateId": rates["rates"][0]["rateId"],
        "requestedDocumentSpecification": {"format": "PDF", "size": {
            "width": 4, "length": 6, "unit": "INCH"}, "needFileJoining": False,
            "requestedDocumentTypes": ["LABEL"]}}).json()["payload"]
    tracking_id = bought["packageDocumentDetails"][0]["trackingId"]
    h.advance(market, "12d")
    sp_notifications.dispatch(market)
    documents = [d for d in _documents(url)
                 if d["notificationType"] == "SHIPMENT_TRACKING_MILESTONE_CHANGED"]
    codes = [d["payload"]["shipmentTrackingMilestoneChangedNotification"]["trackingDetail"][
        "latestMilestone"]["status"]["code"] for d in documents]
    assert codes == ["PICKED_UP", "SHIPPED", "IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED"]
    last = documents[-1]
    assert (last["notificationVersion"], last["payloadVersion"]) == ("1.0", "2026-01-30")
    detail = last["payload"]["shipmentTrackingMilestoneChangedNotification"]["trackingDetail"]
    assert detail["identifier"]["trackingId"] == tracking_id
    assert len(detail["milestoneHistory"]) == 6     # the label made, and every scan since
    assert detail["latestMilestone"]["location"]["address"]["city"] == h.ADDRESS["City"]

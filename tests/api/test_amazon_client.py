"""The real PyPI client `python-amazon-sp-api`, unchanged, against `sellerflow serve`: an
integration developer's day, end to end, on a live server with its worker."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sp_api.api import Feeds, ListingsItems, Orders, Reports, Sellers, Tokens
from sp_api.base import AccessTokenClient
from sp_api.base.exceptions import SellingApiForbiddenException

from tests import helpers as h

pytestmark = pytest.mark.slow
MARKET = "ATVPDKIKX0DER"


@dataclass(frozen=True)
class LocalMarketplace:
    """What the client takes for a marketplace: where to send requests."""

    endpoint: str
    marketplace_id: str = MARKET
    region: str = "us-east-1"


def _client_classes(base: str) -> tuple[LocalMarketplace, type[AccessTokenClient]]:
    class LocalLogin(AccessTokenClient):
        scheme = "http://"
        host = base.removeprefix("http://")

    return LocalMarketplace(base), LocalLogin


def test_an_amazon_client_works_unchanged_against_sellerflow(server: str, tmp_path: Path
                                                             ) -> None:
    control = httpx.Client(base_url=server)
    seller = control.post("/sandbox/v1/sellers", json={
        "name": "Acme", "plan": "professional", "email": "acme@example.com"}).json()
    buyer = control.post("/sandbox/v1/buyers", json={"email": "jo@example.com"}).json()
    marketplace, login = _client_classes(server)
    credentials = {"refresh_token": seller["refreshToken"], "lwa_app_id": seller["clientId"],
                   "lwa_client_secret": seller["clientSecret"]}
    kwargs = {"marketplace": marketplace, "credentials": credentials,
              "auth_token_client_class": login}

    # A listing, through Listings Items.
    ListingsItems(**kwargs).put_listings_item(
        sellerId=seller["sellerId"], sku="MUG", marketplaceIds=[MARKET], body={
            "productType": "HOME", "attributes": {
                "item_name": [{"value": "Mug", "language_tag": "en_US",
                               "marketplace_id": MARKET}],
                "purchasable_offer": [{"currency": "USD", "marketplace_id": MARKET,
                                       "our_price": [{"schedule": [{"value_with_tax": 9.5}]}]}],
                "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT",
                                              "quantity": 50}]}})

    def checkout() -> str:
        answer = control.post("/buyer/v1/checkout", headers={
            "Authorization": f"Bearer {buyer['token']}"}, json={
            "items": [{"sellerId": seller["sellerId"], "sku": "MUG", "quantity": 1}],
            "shippingAddress": h.ADDRESS})
        assert answer.status_code == 201, answer.text
        return str(answer.json()["orders"][0]["AmazonOrderId"])

    # L1: Pending, then Unshipped once the 30-minute hold has passed.
    orders = Orders(**kwargs)
    order_id = checkout()
    assert orders.get_order(order_id).payload["OrderStatus"] == "Pending"
    control.post("/sandbox/v1/clock/advance", json={"duration": "31m"})
    assert orders.get_order(order_id).payload["OrderStatus"] == "Unshipped"

    # getOrders page by page while orders keep arriving: none twice, none missed.
    existing = {order_id} | {checkout() for _ in range(6)}
    seen: list[str] = []
    page = orders.get_orders(CreatedAfter="2000-01-01T00:00:00Z", MaxResultsPerPage=3).payload
    while True:
        seen += [o["AmazonOrderId"] for o in page["Orders"]]
        checkout()
        if not page.get("NextToken"):
            break
        page = orders.get_orders(NextToken=page["NextToken"]).payload
    assert len(seen) == len(set(seen)) and existing <= set(seen)

    # L18: the street address only through a restricted data token.
    assert "AddressLine1" not in orders.get_order_address(order_id).payload["ShippingAddress"]
    rdt = Tokens(**kwargs).create_restricted_data_token(restrictedResources=[
        {"method": "GET", "path": f"/orders/v0/orders/{order_id}/address"}]).payload[
        "restrictedDataToken"]
    opened = Orders(**kwargs, restricted_data_token=rdt).get_order_address(order_id)
    assert opened.payload["ShippingAddress"]["AddressLine1"] == h.ADDRESS["AddressLine1"]

    # L20: confirm the first order's shipment.
    item_id = orders.get_order_items(order_id).payload["OrderItems"][0]["OrderItemId"]
    orders.confirm_shipment(order_id, marketplaceId=MARKET, packageDetail={
        "packageReferenceId": "1", "carrierCode": "UPS", "trackingNumber": h.UPS_TRACKING,
        "shipDate": control.get("/sandbox/v1/clock").json()["now"],
        "orderItems": [{"orderItemId": item_id, "quantity": 1}]})
    assert orders.get_order(order_id).payload["OrderStatus"] == "Shipped"

    # The Unshipped Orders Report, built in the background by the server's worker.
    control.post("/sandbox/v1/clock/advance", json={"duration": "31m"})
    reports = Reports(**kwargs)
    report_id = reports.create_report(
        reportType="GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING").payload["reportId"]
    done = h.wait_for(lambda: (r := reports.get_report(report_id).payload)["processingStatus"]
                     == "DONE" and r, "the report")
    # A restricted report: its document opens to an RDT made for its own path alone.
    document_id = done["reportDocumentId"]
    with pytest.raises(SellingApiForbiddenException):
        reports.get_report_document(document_id)
    report_rdt = Tokens(**kwargs).create_restricted_data_token(restrictedResources=[
        {"method": "GET", "path": f"/reports/2021-06-30/documents/{document_id}"}]).payload[
        "restrictedDataToken"]
    document = Reports(**kwargs, restricted_data_token=report_rdt).get_report_document(
        document_id, download=True)
    lines = document.payload["document"].splitlines()
    assert lines[0].startswith("order-id\torder-item-id")
    unshipped = {line.split("\t")[0] for line in lines[1:]}
    assert order_id not in unshipped and unshipped

    # A shipment-confirmation feed with one bad row; its result is the processing report.
    good = sorted(unshipped)[0]
    today = control.get("/sandbox/v1/clock").json()["now"][:10]
    upload = tmp_path / "confirm.txt"
    upload.write_text("order-id\tcarrier-code\ttracking-number\tship-date\n"
                      f"{good}\tUPS\t{h.UPS_TRACKING}\t{today}\n"
                      f"111-9999999-9999999\tUPS\t{h.UPS_TRACKING}\t{today}\n")
    feeds = Feeds(**kwargs)
    text = _feed_result(feeds, "POST_FLAT_FILE_FULFILLMENT_DATA", upload)
    assert "Number of records processed\t\t2" in text
    assert "Number of records successful\t\t1" in text
    assert "2\t111-9999999-9999999\t\t10002\tError" in text
    assert orders.get_order(good).payload["OrderStatus"] == "Shipped", text

    # L22 by file: an order-cancellation feed, through the same code.
    canceled = sorted(unshipped)[1]
    upload.write_text("order-id\tamazon-order-item-code\tcancellation-reason-code\n"
                      f"{canceled}\t\tNoInventory\n")
    text = _feed_result(feeds, "POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA", upload)
    assert "Number of records successful\t\t1" in text
    assert orders.get_order(canceled).payload["OrderStatus"] == "Canceled", text

    # The listings feed Amazon kept (JSON_LISTINGS_FEED), then a search of the listings.
    cup = {"item_name": [{"value": "Cup", "language_tag": "en_US", "marketplace_id": MARKET}],
           "purchasable_offer": [{"currency": "USD", "marketplace_id": MARKET,
                                  "our_price": [{"schedule": [{"value_with_tax": 4.0}]}]}],
           "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT",
                                         "quantity": 3}]}
    upload.write_text(json.dumps({
        "header": {"sellerId": seller["sellerId"], "version": "2.0", "issueLocale": "en_US"},
        "messages": [{"messageId": 1, "sku": "CUP", "operationType": "UPDATE",
                      "productType": "HOME", "attributes": cup},
                     {"messageId": 2, "sku": "NONE", "operationType": "DELETE"}]}))
    report = json.loads(_feed_result(feeds, "JSON_LISTINGS_FEED", upload, "application/json"))
    assert report["summary"]["messagesAccepted"] == 1, report
    assert report["issues"][0]["messageId"] == 2, report
    listed = ListingsItems(**kwargs).search_listings_items(
        seller["sellerId"], marketplaceIds=[MARKET], sortBy="sku", sortOrder="ASC")
    assert [i["sku"] for i in listed.payload["items"]] == ["CUP", "MUG"], listed.payload


def _feed_result(feeds: Feeds, feed_type: str, upload: Path,
                 content_type: str = "text/tab-separated-values") -> str:
    """Submit a file as a feed, wait for the worker to process it, return its result."""
    with upload.open("rb") as file:
        _, created = feeds.submit_feed(feed_type, file, content_type=content_type)
    feed_id = created.payload["feedId"]
    feed = h.wait_for(lambda: (f := feeds.get_feed(feed_id).payload)["processingStatus"]
                     == "DONE" and f, "the feed")
    result = feeds.get_feed_document(feed["resultFeedDocumentId"])
    return result if isinstance(result, str) else str(result.payload.get("document", ""))


def test_the_clients_orders_2026_api_follows_an_order_through_its_lifecycle(
        server: str) -> None:
    """`OrdersV20260101`, as an integration moving off v0 uses it: searchOrders' filters,
    paging and refusals, getOrder with every dataset from Pending to shipped."""
    from sp_api.api import OrdersV20260101
    from sp_api.base.exceptions import SellingApiBadRequestException

    from tests.api import conformance

    control = httpx.Client(base_url=server)
    seller = control.post("/sandbox/v1/sellers", json={
        "name": "Moving", "plan": "professional", "email": "moving@example.com"}).json()
    buyer = control.post("/sandbox/v1/buyers", json={"email": "ann@example.com"}).json()
    control.put(f"/listings/2021-08-01/items/{seller['sellerId']}/LAMP",
                params={"marketplaceIds": MARKET}, headers={
                    "x-amz-access-token": control.post("/auth/o2/token", data={
                        "grant_type": "refresh_token", "refresh_token": seller["refreshToken"],
                        "client_id": seller["clientId"],
                        "client_secret": seller["clientSecret"]}).json()["access_token"]},
                json={"productType": "HOME", "attributes": {
                    "item_name": [{"value": "Lamp", "language_tag": "en_US",
                                   "marketplace_id": MARKET}],
                    "purchasable_offer": [{"currency": "USD", "marketplace_id": MARKET,
                                           "our_price": [{"schedule": [
                                               {"value_with_tax": 20.0}]}]}],
                    "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT",
                                                  "quantity": 50}]}})
    marketplace, login = _client_classes(server)
    orders = OrdersV20260101(marketplace=marketplace, auth_token_client_class=login,
                             credentials={"refresh_token": seller["refreshToken"],
                                          "lwa_app_id": seller["clientId"],
                                          "lwa_client_secret": seller["clientSecret"]})
    start = control.get("/sandbox/v1/clock").json()["now"]
    placed = []
    for _ in range(3):
        answer = control.post("/buyer/v1/checkout", headers={
            "Authorization": f"Bearer {buyer['token']}"}, json={
            "items": [{"sellerId": seller["sellerId"], "sku": "LAMP", "quantity": 2}],
            "shippingAddress": h.ADDRESS})
        placed.append(answer.json()["orders"][0]["AmazonOrderId"])
    order_id = placed[0]

    def checked(answer: Any, path: str) -> dict[str, Any]:
        conformance.check("GET", path, 200, json.dumps(answer.payload).encode())
        return dict(answer.payload)

    pending = checked(orders.get_order(order_id, includedData=["FULFILLMENT", "RECIPIENT"]),
                      f"/orders/2026-01-01/orders/{order_id}")["order"]
    assert pending["fulfillment"]["fulfillmentStatus"] == "PENDING"
    assert "recipient" not in pending          # L18: no address while Pending

    # The clock stands still between advances: the search ends two minutes before its now,
    # so orders placed since are for the next poll.
    assert orders.search_orders(createdAfter=start).payload["orders"] == []
    control.post("/sandbox/v1/clock/advance", json={"duration": "31m"})
    seen: list[str] = []
    answer = orders.search_orders(createdAfter=start, maxResultsPerPage=2,
                                  fulfillmentStatuses=["UNSHIPPED"])
    while True:
        # The client takes pagination out of the payload and offers its token as next_token.
        checked(answer, "/orders/2026-01-01/orders")
        seen += [o["orderId"] for o in answer.payload["orders"]]
        if not answer.next_token:
            break
        answer = orders.search_orders(createdAfter=start, paginationToken=answer.next_token,
                                      maxResultsPerPage=2)
    assert sorted(seen) == sorted(placed)
    with pytest.raises(SellingApiBadRequestException):
        orders.search_orders(createdAfter=start, lastUpdatedAfter=start)

    token = control.post("/auth/o2/token", data={
        "grant_type": "refresh_token", "refresh_token": seller["refreshToken"],
        "client_id": seller["clientId"], "client_secret": seller["clientSecret"]}
    ).json()["access_token"]
    item_id = checked(orders.get_order(order_id), f"/orders/2026-01-01/orders/{order_id}")[
        "order"]["orderItems"][0]["orderItemId"]
    shipped = control.post(f"/orders/v0/orders/{order_id}/shipmentConfirmation",
                           headers={"x-amz-access-token": token}, json={
        "marketplaceId": MARKET, "packageDetail": {
            "packageReferenceId": "1", "carrierCode": "UPS", "trackingNumber": h.UPS_TRACKING,
            "shipDate": control.get("/sandbox/v1/clock").json()["now"],
            "orderItems": [{"orderItemId": item_id, "quantity": 2}]}})
    assert shipped.status_code == 204, shipped.text
    full = checked(orders.get_order(order_id, includedData=[
        "BUYER", "RECIPIENT", "PROCEEDS", "FULFILLMENT", "PACKAGES", "CANCELLATION"]),
        f"/orders/2026-01-01/orders/{order_id}")["order"]
    assert full["fulfillment"]["fulfillmentStatus"] == "SHIPPED"
    assert full["recipient"]["deliveryAddress"]["addressLine1"] == h.ADDRESS["AddressLine1"]
    assert full["packages"][0]["trackingNumber"] == h.UPS_TRACKING
    assert full["proceeds"]["breakdowns"][0]["subtotal"]["amount"] == "40.00"
    assert full["buyer"]["buyerEmail"] != "ann@example.com"


def test_the_clients_notifications_reach_an_sqs_queue_and_eventbridge(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Grantless createDestination with an SQS ARN and createSubscription through the client;
    a live server's worker pushes an order's changes and a finished report to the queue
    (moto's SQS, read with boto3), each valid against Amazon's schema. An EventBridge
    destination made by the client gets the listing's quantity change from the sale."""
    import jsonschema
    from sp_api.api import Notifications

    from sellerflow.service.database import initialise
    from tests import aws

    schemas = Path(__file__).parent / "sp_api_models" / "notifications-schemas"
    with aws.moto_server() as endpoint:
        for name, value in aws.environment(endpoint).items():
            monkeypatch.setenv(name, value)       # the server started below inherits them
        url = f"sqlite:///{tmp_path}/notify.db"
        initialise(url, sandbox=True)
        process, base = h.start_serve(url)
        try:
            control = httpx.Client(base_url=base)
            seller = control.post("/sandbox/v1/sellers", json={
                "name": "Acme", "plan": "professional", "email": "n@example.com"}).json()
            buyer = control.post("/sandbox/v1/buyers", json={"email": "b@example.com"}).json()
            marketplace, login = _client_classes(base)
            kwargs = {"marketplace": marketplace, "auth_token_client_class": login,
                      "credentials": {"refresh_token": seller["refreshToken"],
                                      "lwa_app_id": seller["clientId"],
                                      "lwa_client_secret": seller["clientSecret"]}}
            ListingsItems(**kwargs).put_listings_item(
                sellerId=seller["sellerId"], sku="MUG", marketplaceIds=[MARKET], body={
                    "productType": "HOME", "attributes": {
                        "purchasable_offer": [{"currency": "USD", "marketplace_id": MARKET,
                                               "our_price": [{"schedule": [
                                                   {"value_with_tax": 9.5}]}]}],
                        "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT",
                                                      "quantity": 5}]}})
            queue, arn = aws.new_queue("client-orders")
            notifications = Notifications(**kwargs)
            destination = notifications.create_destination(name="orders", arn=arn).payload
            for kind, version in (("ORDER_CHANGE", "1.0"),
                                  ("REPORT_PROCESSING_FINISHED", "2020-09-04")):
                notifications.create_subscription(
                    kind, destination_id=destination["destinationId"],
                    payload_version=version)
            bridge = notifications.create_destination(
                name="listings", account_id=aws.ACCOUNT, region=aws.REGION).payload
            notifications.create_subscription(
                "LISTINGS_ITEM_MFN_QUANTITY_CHANGE", destination_id=bridge["destinationId"],
                payload_version="1.0")
            bus_queue, bus_arn = aws.new_queue("client-listings")
            events = aws.client("events")
            events.put_rule(Name="listings", EventPattern=json.dumps(
                {"source": [bridge["resource"]["eventBridge"]["name"]]}))
            events.put_targets(Rule="listings", Targets=[{"Id": "q", "Arn": bus_arn}])
            placed = control.post("/buyer/v1/checkout", headers={
                "Authorization": f"Bearer {buyer['token']}"}, json={
                "items": [{"sellerId": seller["sellerId"], "sku": "MUG", "quantity": 1}],
                "shippingAddress": h.ADDRESS})
            order_id = placed.json()["orders"][0]["AmazonOrderId"]
            control.post("/sandbox/v1/clock/advance", json={"duration": "31m"})
            Reports(**kwargs).create_report(
                reportType="GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL")
            documents: list[dict[str, Any]] = []

            def arrived() -> bool:
                documents.extend(json.loads(body) for body in aws.received(queue))
                return len(documents) >= 3
            h.wait_for(arrived, "three notifications in the queue")
            quantities: list[int] = []

            def bridged() -> bool:
                quantities.extend(json.loads(body)["detail"]["Payload"]["Quantity"]
                                  for body in aws.received(bus_queue))
                return bool(quantities)
            h.wait_for(bridged, "the sale's quantity change on the event bus")
        finally:
            process.terminate()
            process.communicate(timeout=30)
    kinds = sorted(d.get("NotificationType") or d["notificationType"] for d in documents)
    assert kinds == ["ORDER_CHANGE", "ORDER_CHANGE", "REPORT_PROCESSING_FINISHED"], documents
    for document in documents:
        schema = ("OrderChangeNotification" if "NotificationType" in document
                  else "ReportProcessingFinishedNotification")
        jsonschema.validate(document, json.loads((schemas / f"{schema}.json").read_text()))
    statuses = [d["Payload"]["OrderChangeNotification"]["Summary"]["OrderStatus"]
                for d in documents if "Payload" in d]
    assert statuses == ["Pending", "Unshipped"]
    assert quantities == [4]
    assert {d["Payload"]["OrderChangeNotification"]["AmazonOrderId"]
            for d in documents if "Payload" in d} == {order_id}


def test_a_suite_written_for_amazons_static_sandbox_runs_with_only_its_endpoint_changed(
        server: str) -> None:
    control = httpx.Client(base_url=server)
    seller = control.post("/sandbox/v1/sellers", json={
        "name": "Static", "plan": "professional", "email": "static@example.com"}).json()
    _, login = _client_classes(server)
    kwargs = {"marketplace": LocalMarketplace(server + "/static-sandbox"),
              "auth_token_client_class": login,
              "credentials": {"refresh_token": seller["refreshToken"],
                              "lwa_app_id": seller["clientId"],
                              "lwa_client_secret": seller["clientSecret"]}}
    orders = Orders(**kwargs).get_orders(CreatedAfter="TEST_CASE_200").payload["Orders"]
    assert orders[0]["AmazonOrderId"] == "902-1845936-5435065"
    report = Reports(**kwargs).get_report("ID323").payload
    assert (report["reportId"], report["processingStatus"]) == ("ReportId1", "IN_PROGRESS")
    participations = Sellers(**kwargs).get_marketplace_participation().payload
    assert participations[0]["storeName"] == "BestSellerStore"     # the model's canned store

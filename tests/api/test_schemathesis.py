"""Requests generated from Amazon's models (schemathesis) against a live `sellerflow serve`:
for every operation sellerflow implements, no server error, only statuses the model declares,
and bodies that fit it. Bounded examples, so `make test` stays quick.

Made-up ids only ever reach "not found", so half the examples name things that exist (a
listing, orders, a report, a feed and their documents) and this marketplace: those reach the
operations' real work, and each reading operation must answer a success at least once."""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.core import NotSet

from tests import helpers as h
from tests.api import conformance

MARKET = "ATVPDKIKX0DER"

pytestmark = pytest.mark.slow

MODELS = ("ordersV0.json", "orders_2026-01-01.json", "listingsItems_2021-08-01.json",
          "reports_2021-06-30.json", "feeds_2021-06-30.json")
# Operations of those models that sellerflow does not serve (they answer 404, no route).
NOT_SERVED = {"updateShipmentStatus", "getOrderRegulatedInfo", "updateVerificationStatus",
              "getReportSchedules", "createReportSchedule", "cancelReportSchedule",
              "getReportSchedule", "searchListingsItems"}
EXAMPLES = int(os.environ.get("SELLERFLOW_SCHEMATHESIS_EXAMPLES", "25"))


def _operations() -> list[object]:
    found = []
    for model in MODELS:
        schema = schemathesis.openapi.from_path(str(conformance.MODELS / model))
        for result in schema.get_all_operations():
            operation = result.ok()
            if operation.definition.raw.get("operationId") not in NOT_SERVED:
                found.append(pytest.param(operation, id=operation.label))
    return found


@pytest.fixture(scope="module")
def world(server: str) -> dict[str, str]:
    """A seller's access token and real ids to put in generated requests: a listing, orders
    (Unshipped), a done report and a done feed with their documents, a feed file to submit."""
    control = httpx.Client(base_url=server, timeout=30)
    seller = control.post("/sandbox/v1/sellers", json={
        "name": "Fuzz", "plan": "professional", "email": "fuzz@example.com"}).json()
    token = control.post("/auth/o2/token", data={
        "grant_type": "refresh_token", "refresh_token": seller["refreshToken"],
        "client_id": seller["clientId"], "client_secret": seller["clientSecret"]}
    ).json()["access_token"]
    control.headers["x-amz-access-token"] = token
    for sku in ("FUZZ-MUG", "FUZZ-GONE"):
        _put_listing(control, seller["sellerId"], sku)
    buyer = control.post("/sandbox/v1/buyers", json={"email": "fuzz-buyer@example.com"}).json()
    order_ids = []
    for _ in range(3):
        placed = control.post("/buyer/v1/checkout", headers={
            "Authorization": f"Bearer {buyer['token']}"}, json={
            "items": [{"sellerId": seller["sellerId"], "sku": "FUZZ-MUG", "quantity": 2}],
            "shippingAddress": h.ADDRESS})
        assert placed.status_code == 201, placed.text
        order_ids.append(placed.json()["orders"][0]["AmazonOrderId"])
    control.post("/sandbox/v1/clock/advance", json={"duration": "31m"})
    # Not a restricted report: its document opens to the access token the cases carry.
    report_id = control.post("/reports/2021-06-30/reports", json={
        "reportType": "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",
        "marketplaceIds": [MARKET]}).json()["reportId"]
    document = control.post("/feeds/2021-06-30/documents", json={
        "contentType": "text/tab-separated-values"}).json()
    control.put(document["url"],
                content=b"order-id\tcarrier-code\ttracking-number\tship-date\n")
    feed_id = control.post("/feeds/2021-06-30/feeds", json={
        "feedType": "POST_FLAT_FILE_FULFILLMENT_DATA", "marketplaceIds": [MARKET],
        "inputFeedDocumentId": document["feedDocumentId"]}).json()["feedId"]
    report = h.wait_for(lambda: (r := control.get(f"/reports/2021-06-30/reports/{report_id}")
                                 .json())["processingStatus"] == "DONE" and r, "the report")
    feed = h.wait_for(lambda: (f := control.get(f"/feeds/2021-06-30/feeds/{feed_id}")
                               .json())["processingStatus"] == "DONE" and f, "the feed")
    return {"token": token, "sellerId": seller["sellerId"], "sku": "FUZZ-MUG",
            # deleting the listing the other operations read would leave them nothing
            "deleteListingsItem.sku": "FUZZ-GONE",
            "orderId": order_ids[0], "reportId": report_id,
            "reportDocumentId": report["reportDocumentId"], "feedId": feed_id,
            "inputFeedDocumentId": document["feedDocumentId"],
            "feedDocumentId": feed["resultFeedDocumentId"]}


def _put_listing(control: httpx.Client, seller_id: str, sku: str) -> None:
    listed = control.put(f"/listings/2021-08-01/items/{seller_id}/{sku}",
                         params={"marketplaceIds": MARKET}, json={
        "productType": "HOME", "attributes": {
            "item_name": [{"value": "Mug", "language_tag": "en_US", "marketplace_id": MARKET}],
            "purchasable_offer": [{"currency": "USD", "marketplace_id": MARKET,
                                   "our_price": [{"schedule": [{"value_with_tax": 9.5}]}]}],
            "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT",
                                          "quantity": 1000}]}})
    assert listed.status_code == 200, listed.text


def _seeded(case: schemathesis.Case, world: dict[str, str]) -> None:
    """The case, naming things that exist, this marketplace and the report and feed types
    sellerflow makes instead of made-up ones."""
    operation_id = case.operation.definition.raw.get("operationId")
    for name in case.path_parameters or {}:
        value = world.get(f"{operation_id}.{name}", world.get(name))
        if value is not None:
            case.path_parameters[name] = value
    query: dict[str, Any] = case.query if isinstance(case.query, dict) else {}
    for name in ("MarketplaceIds", "marketplaceIds", "marketplaceId"):
        if name in query:
            query[name] = MARKET
    body = case.body if isinstance(case.body, dict) else {}
    for name, value in (("reportType", "GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING"),
                        ("feedType", "POST_FLAT_FILE_FULFILLMENT_DATA"),
                        ("inputFeedDocumentId", world["inputFeedDocumentId"]),
                        ("marketplaceIds", [MARKET]), ("marketplaceId", MARKET)):
        if name in body:
            body[name] = value
    listed = {"getFeeds": ("feedTypes", "POST_FLAT_FILE_FULFILLMENT_DATA"),
              "getReports": ("reportTypes", "GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING")}
    if operation_id in listed:      # the first page names its types; a token comes alone
        name, value = listed[operation_id]
        query.pop("nextToken", None)
        query[name] = value
        case.query = query
    if operation_id == "getOrders":
        for name in ("CreatedBefore", "LastUpdatedAfter", "LastUpdatedBefore", "NextToken"):
            query.pop(name, None)
        query["CreatedAfter"] = "2000-01-01T00:00:00Z"
    if operation_id == "searchOrders":
        for name in ("createdBefore", "lastUpdatedAfter", "lastUpdatedBefore",
                     "paginationToken"):
            query.pop(name, None)
        query["createdAfter"] = "2000-01-01T00:00:00Z"
        case.query = query


@pytest.mark.parametrize("operation", _operations())
def test_generated_requests_get_declared_answers_that_fit_the_model(
        operation: schemathesis.APIOperation, server: str, world: dict[str, str]) -> None:
    client = httpx.Client(base_url=server, timeout=30)
    statuses: list[int] = []

    @given(case=operation.as_strategy(), seeded=st.booleans())
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case, seeded: bool) -> None:
        if seeded:
            _seeded(case, world)
        body = None if isinstance(case.body, NotSet) else case.body
        headers = {k: v for k, v in (case.headers or {}).items()
                   if k.lower() not in ("x-amz-access-token", "content-length", "host")}
        response = client.request(case.method, case.formatted_path, params=case.query,
                                  json=body, headers={**headers,
                                                      "x-amz-access-token": world["token"]})
        assert response.status_code < 500, (case.method, case.formatted_path,
                                            response.text[:500])
        conformance.check(case.method.upper(), response.request.url.path,
                          response.status_code, response.content)
        statuses.append(response.status_code)

    run()
    if operation.method.upper() == "GET":
        assert any(s < 300 for s in statuses), (
            f"{operation.label} never succeeded in {len(statuses)} examples: {statuses}")

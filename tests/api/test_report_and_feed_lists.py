"""getReports and getFeeds a page at a time, as Amazon pages them: the types are required,
and the next page is asked with the nextToken alone (it carries the query); and report
requests whose period is none."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from sellerflow import worker
from sellerflow.service.context import Marketplace
from sellerflow.store.schema import report_requests
from tests import helpers as h
from tests.api.conftest import Seller

MARKET = "ATVPDKIKX0DER"
ALL_ORDERS = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL"
UNSHIPPED = "GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING"
SHIPMENTS = "POST_FLAT_FILE_FULFILLMENT_DATA"


def _walk(seller: Seller, path: str, key: str, first: dict[str, str | int]) -> list[str]:
    """Every id a walk page by page finds, following nextToken with nothing else."""
    seen: list[str] = []
    answer = seller.get(path, params=first).json()
    while True:
        seen += [entry[key] for entry in answer[path.rsplit("/", 1)[1]]]
        if "nextToken" not in answer:
            return seen
        answer = seller.get(path, params={"nextToken": answer["nextToken"]}).json()


def test_getReports_pages_by_its_token_alone_and_keeps_the_query(seller: Seller) -> None:
    made = {t: [seller.post("/reports/2021-06-30/reports", json={
        "reportType": t, "marketplaceIds": [MARKET]}).json()["reportId"] for _ in range(3)]
        for t in (ALL_ORDERS, UNSHIPPED)}
    path = "/reports/2021-06-30/reports"
    seen = _walk(seller, path, "reportId", {"reportTypes": ALL_ORDERS, "pageSize": 2})
    assert sorted(seen) == sorted(made[ALL_ORDERS]) and len(seen) == len(set(seen))
    assert seller.get(path).status_code == 400            # reportTypes or nextToken


def test_getFeeds_pages_by_its_token_alone_and_refuses_it_beside_other_parameters(
        seller: Seller) -> None:
    made = []
    for _ in range(3):
        document = seller.post("/feeds/2021-06-30/documents", json={
            "contentType": "text/tab-separated-values"}).json()
        seller.api.put(document["url"],
                          content=b"order-id\tcarrier-code\tship-date\n")
        made.append(seller.post("/feeds/2021-06-30/feeds", json={
            "feedType": SHIPMENTS, "marketplaceIds": [MARKET],
            "inputFeedDocumentId": document["feedDocumentId"]}).json()["feedId"])
    path = "/feeds/2021-06-30/feeds"
    seen = _walk(seller, path, "feedId", {"feedTypes": SHIPMENTS, "pageSize": 2})
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))
    first = seller.get(path, params={"feedTypes": SHIPMENTS, "pageSize": 2}).json()
    mixed = seller.get(path, params={"nextToken": first["nextToken"], "pageSize": 5})
    assert mixed.status_code == 400 and "only parameter" in mixed.json()["errors"][0]["message"]
    forged = seller.get(path, params={"nextToken": "bm90IGEgdG9rZW4="})
    assert forged.status_code == 400 and forged.json()["errors"][0]["code"] == "InvalidInput"
    assert seller.get(path).status_code == 400             # feedTypes or nextToken


def test_createReport_refuses_a_period_that_is_none(seller: Seller) -> None:
    """A start after the end (which is now when not given) is refused when the report is
    asked for, not found out by the worker later."""
    later = seller.get("/sandbox/v1/clock").json()["now"][:4]
    answer = seller.post("/reports/2021-06-30/reports", json={
        "reportType": ALL_ORDERS, "marketplaceIds": [MARKET],
        "dataStartTime": f"{int(later) + 1}-01-01T00:00:00Z"})
    assert answer.status_code == 400, answer.text
    assert "dataStartTime" in answer.json()["errors"][0]["message"]


def test_a_queued_report_that_cannot_be_built_ends_FATAL_and_the_worker_goes_on(
        seller: Seller, market: Marketplace) -> None:
    h.listing(market, seller.seller_id)
    h.released(market, seller.seller_id)
    first = seller.post("/reports/2021-06-30/reports", json={
        "reportType": ALL_ORDERS, "marketplaceIds": [MARKET]}).json()["reportId"]
    second = seller.post("/reports/2021-06-30/reports", json={
        "reportType": UNSHIPPED, "marketplaceIds": [MARKET]}).json()["reportId"]
    # The first one's period stops being one after it was queued (as a clock set back could).
    with market.writing() as work:
        work.conn.execute(update(report_requests).where(
            report_requests.c.report_id == first).values(
            data_start=work.now + timedelta(days=1), data_end=work.now + timedelta(hours=1)))
    worker.run_once(market)
    statuses = {r: seller.get(f"/reports/2021-06-30/reports/{r}").json()["processingStatus"]
                for r in (first, second)}
    assert statuses == {first: "FATAL", second: "DONE"}


def test_a_report_with_no_data_is_CANCELLED_without_a_document_as_at_amazon(
        seller: Seller, market: Marketplace) -> None:
    empty = seller.post("/reports/2021-06-30/reports", json={
        "reportType": UNSHIPPED, "marketplaceIds": [MARKET]}).json()["reportId"]
    worker.run_once(market)
    report = seller.get(f"/reports/2021-06-30/reports/{empty}").json()
    assert report["processingStatus"] == "CANCELLED" and "reportDocumentId" not in report
    assert report["processingEndTime"]

"""Reports 2021-06-30 (SP-API-compatible) for the three order reports, and Feeds 2021-06-30
for the shipment-confirmation file, with their documents at URLs on this server."""

from __future__ import annotations

import gzip
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from sellerflow.api.calls import call
from sellerflow.api.deps import Market, sp_api_seller, split_list
from sellerflow.clock import iso
from sellerflow.domain.model import MARKETPLACE_ID
from sellerflow.service import document_links, feed_submissions, report_requests
from sellerflow.service.auth import SellerSession
from sellerflow.service.report_requests import ReportRequest
from sellerflow.service.views import FeedSummary

router = APIRouter()
DOCUMENTS = "/documents/v1"


def _seller(operation: str) -> Any:
    return Depends(sp_api_seller(operation))


def document_url(request: Request, document_id: str, method: str = "GET") -> str:
    """This server's own address, not the Host header (some clients send it mangled), and
    the link's signature, good for five minutes."""
    server = request.scope.get("server") or ("127.0.0.1", 8000)
    host, port = server[0], server[1]
    link = document_links.link(request.app.state.market, document_id, method)
    return f"http://{host}:{port}{DOCUMENTS}/{document_id}?{urlencode(link.parameters)}"


def _report(report: ReportRequest) -> dict[str, Any]:
    wire: dict[str, Any] = {
        "reportId": report.report_id, "reportType": report.report_type,
        "marketplaceIds": [MARKETPLACE_ID], "createdTime": iso(report.created_at),
        "processingStatus": report.status}
    for name, value in (("dataStartTime", report.data_start), ("dataEndTime", report.data_end),
                        ("processingStartTime", report.processing_start),
                        ("processingEndTime", report.processing_end)):
        if value is not None:
            wire[name] = iso(value)
    if report.document_id:
        wire["reportDocumentId"] = report.document_id
    return wire


class CreateReportSpecification(BaseModel):
    reportType: str
    marketplaceIds: list[str]
    dataStartTime: str | None = None
    dataEndTime: str | None = None
    reportOptions: dict[str, str] | None = None


@router.post("/reports/2021-06-30/reports", tags=["Reports 2021-06-30"],
             operation_id="createReport", status_code=202)
async def create_report(body: CreateReportSpecification, market: Market,
                        session: Annotated[SellerSession, _seller("createReport")]) -> JSONResponse:
    """Queue one of the order reports; the worker builds it (IN_QUEUE, IN_PROGRESS, DONE)."""
    report_id = await call(
        market, report_requests.create_report, market, session.caller, session.seller_id,
        body.reportType, body.marketplaceIds, body.dataStartTime, body.dataEndTime)
    return JSONResponse({"reportId": report_id}, status_code=202)


@router.get("/reports/2021-06-30/reports", tags=["Reports 2021-06-30"],
            operation_id="getReports")
async def get_reports(market: Market, session: Annotated[SellerSession, _seller("getReports")],
                      reportTypes: Annotated[list[str] | None, Query()] = None,
                      processingStatuses: Annotated[list[str] | None, Query()] = None,
                      marketplaceIds: Annotated[list[str] | None, Query()] = None,
                      pageSize: int | None = None, createdSince: str | None = None,
                      createdUntil: str | None = None, nextToken: str | None = None
                      ) -> dict[str, Any]:
    page = await call(
        market, report_requests.get_reports, market, session.caller, session.seller_id,
        report_types=split_list(reportTypes),
        statuses=split_list(processingStatuses), created_since=createdSince,
        created_until=createdUntil, page_size=pageSize, next_token=nextToken)
    answer: dict[str, Any] = {"reports": [_report(r) for r in page.reports]}
    if page.next_token:
        answer["nextToken"] = page.next_token
    return answer


@router.get("/reports/2021-06-30/reports/{reportId}", tags=["Reports 2021-06-30"],
            operation_id="getReport")
async def get_report(reportId: str, market: Market,
                     session: Annotated[SellerSession, _seller("getReport")]) -> dict[str, Any]:
    return _report(await call(market, report_requests.get_report, market, session.caller, reportId))


@router.delete("/reports/2021-06-30/reports/{reportId}", tags=["Reports 2021-06-30"],
               operation_id="cancelReport")
async def cancel_report(reportId: str, market: Market,
                        session: Annotated[SellerSession, _seller("cancelReport")]) -> Response:
    await call(market, report_requests.cancel_report, market, session.caller, reportId)
    return Response(status_code=200)


@router.get("/reports/2021-06-30/documents/{reportDocumentId}", tags=["Reports 2021-06-30"],
            operation_id="getReportDocument")
async def get_report_document(reportDocumentId: str, request: Request, market: Market,
                              session: Annotated[SellerSession, _seller("getReportDocument")]
                              ) -> dict[str, Any]:
    """Where to download the report (tab-separated text; gzip when the download asks), for
    five minutes. The Order and Unshipped Orders Reports are restricted: call this with a
    restricted data token made for this document's own path."""
    document_id = await call(market, report_requests.report_document, market, session,
                             reportDocumentId)
    return {"reportDocumentId": document_id, "url": document_url(request, document_id)}


def _feed(feed: FeedSummary, result_document: str | None = None) -> dict[str, Any]:
    wire: dict[str, Any] = {"feedId": feed.feed_id, "feedType": feed.feed_type,
                            "marketplaceIds": [MARKETPLACE_ID],
                            "createdTime": iso(feed.created_at),
                            "processingStatus": feed.status}
    if feed.status != "IN_QUEUE":
        wire["processingStartTime"] = iso(feed.created_at)
    if feed.done_at is not None:
        wire["processingEndTime"] = iso(feed.done_at)
    if result_document:
        wire["resultFeedDocumentId"] = result_document
    return wire


class CreateFeedDocumentSpecification(BaseModel):
    contentType: str


@router.post("/feeds/2021-06-30/documents", tags=["Feeds 2021-06-30"],
             operation_id="createFeedDocument", status_code=201)
async def create_feed_document(body: CreateFeedDocumentSpecification, request: Request,
                               market: Market,
                               session: Annotated[SellerSession, _seller("createFeedDocument")]
                               ) -> JSONResponse:
    """A URL to PUT the feed's file to (no token needed there), then pass the id to
    createFeed."""
    document_id = await call(market, feed_submissions.create_feed_document, market,
                             session.caller, session.seller_id, body.contentType)
    return JSONResponse({"feedDocumentId": document_id,
                         "url": document_url(request, document_id, "PUT")}, status_code=201)


class CreateFeedSpecification(BaseModel):
    feedType: str
    marketplaceIds: list[str]
    inputFeedDocumentId: str
    feedOptions: dict[str, str] | None = None


@router.post("/feeds/2021-06-30/feeds", tags=["Feeds 2021-06-30"], operation_id="createFeed",
             status_code=202)
def create_feed(body: CreateFeedSpecification, market: Market,
                session: Annotated[SellerSession, _seller("createFeed")]) -> JSONResponse:
    """POST_FLAT_FILE_FULFILLMENT_DATA: the shipment-confirmation file, applied by the worker
    as `shipments upload` applies it; the result document is the processing report."""
    feed_id = feed_submissions.create_feed(market, session.caller, session.seller_id,
                                           body.feedType, body.marketplaceIds,
                                           body.inputFeedDocumentId)
    return JSONResponse({"feedId": feed_id}, status_code=202)


@router.get("/feeds/2021-06-30/feeds", tags=["Feeds 2021-06-30"], operation_id="getFeeds")
async def get_feeds(market: Market, session: Annotated[SellerSession, _seller("getFeeds")],
                    feedTypes: Annotated[list[str] | None, Query()] = None,
                    processingStatuses: Annotated[list[str] | None, Query()] = None,
                    marketplaceIds: Annotated[list[str] | None, Query()] = None,
                    pageSize: int | None = None, createdSince: str | None = None,
                    createdUntil: str | None = None, nextToken: str | None = None
                    ) -> dict[str, Any]:
    found, token = await call(
        market, feed_submissions.get_feeds, market, session.caller, session.seller_id,
        feed_types=split_list(feedTypes),
        statuses=split_list(processingStatuses), created_since=createdSince,
        created_until=createdUntil, page_size=pageSize, next_token=nextToken)
    answer: dict[str, Any] = {"feeds": [_feed(f) for f in found]}
    if token:
        answer["nextToken"] = token
    return answer


@router.get("/feeds/2021-06-30/feeds/{feedId}", tags=["Feeds 2021-06-30"],
            operation_id="getFeed")
async def get_feed(feedId: str, market: Market,
                   session: Annotated[SellerSession, _seller("getFeed")]) -> dict[str, Any]:
    view, result = await call(market, feed_submissions.get_feed, market, session.caller, feedId)
    return _feed(view, result)


@router.delete("/feeds/2021-06-30/feeds/{feedId}", tags=["Feeds 2021-06-30"],
               operation_id="cancelFeed")
async def cancel_feed(feedId: str, market: Market,
                      session: Annotated[SellerSession, _seller("cancelFeed")]) -> Response:
    await call(market, feed_submissions.cancel_feed, market, session.caller, feedId)
    return Response(status_code=200)


@router.get("/feeds/2021-06-30/documents/{feedDocumentId}", tags=["Feeds 2021-06-30"],
            operation_id="getFeedDocument")
async def get_feed_document(feedDocumentId: str, request: Request, market: Market,
                            session: Annotated[SellerSession, _seller("getFeedDocument")]
                            ) -> dict[str, Any]:
    document_id = await call(market, feed_submissions.feed_document, market, session.caller,
                             feedDocumentId)
    return {"feedDocumentId": document_id, "url": document_url(request, document_id)}


@router.get(DOCUMENTS + "/{documentId}", tags=["Documents"])
def download(documentId: str, request: Request, market: Market) -> Response:
    """A report or a feed's processing report; the signed URL is the permission for five
    minutes, as with Amazon's pre-signed URLs."""
    query = request.query_params
    content, content_type = feed_submissions.download(market, documentId,
                                                      query.get(document_links.EXPIRES),
                                                      query.get(document_links.SIGNATURE))
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(gzip.compress(content), media_type=content_type,
                        headers={"Content-Encoding": "gzip"})
    return Response(content, media_type=content_type)


@router.put(DOCUMENTS + "/{documentId}", tags=["Documents"])
async def upload(documentId: str, request: Request, market: Market) -> Response:
    """A feed's file, to the URL createFeedDocument gave (for five minutes)."""
    content = await request.body()
    query = request.query_params
    await run_in_threadpool(feed_submissions.upload_document, market, documentId, content,
                            query.get(document_links.EXPIRES),
                            query.get(document_links.SIGNATURE))
    return Response(status_code=200)

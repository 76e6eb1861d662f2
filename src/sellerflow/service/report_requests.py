"""Reports requested through the Reports API: queued, processed by the worker (IN_QUEUE,
IN_PROGRESS, DONE), their content a document fetched from a URL on this server. A report with
no rows ends CANCELLED without a document, as Amazon's do."""

from __future__ import annotations

import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sellerflow.clock import iso
from sellerflow.domain.callers import SELLER_SIDE, Caller
from sellerflow.domain.errors import (
    InvalidInput,
    NotFound,
    Refused,
    SellerflowError,
    Unauthenticated,
)
from sellerflow.domain.model import MARKETPLACE_ID
from sellerflow.notifications import sp_api
from sellerflow.service import ids, page_tokens, reports, sp_notifications
from sellerflow.service.auth import DENIED, REPORT_DOCUMENT, SellerSession
from sellerflow.service.context import Marketplace, Work, check_seller
from sellerflow.service.order_search import parse_time
from sellerflow.service.reports import DEFAULT_PERIOD
from sellerflow.store import documents, report_requests

KINDS = {amazon: kind for kind, (amazon, _) in reports.REPORT_TYPES.items()}
# The report types whose lines carry buyers' personal data (Amazon's restricted reports).
RESTRICTED_REPORTS = frozenset(reports.REPORT_TYPES[kind][0] for kind in ("orders", "unshipped"))
MAX_PAGE = 100


@dataclass(frozen=True)
class ReportRequest:
    report_id: str
    report_type: str
    status: str
    data_start: datetime | None
    data_end: datetime | None
    created_at: datetime
    processing_start: datetime | None
    processing_end: datetime | None
    document_id: str | None


@dataclass(frozen=True)
class ReportPage:
    reports: tuple[ReportRequest, ...]
    next_token: str | None


def report_not_found(report_id: str) -> NotFound:
    return NotFound(f"report {report_id} does not exist")


def _view(row: Any) -> ReportRequest:
    return ReportRequest(*(getattr(row, name) for name in (
        "report_id", "report_type", "status", "data_start", "data_end", "created_at",
        "processing_start", "processing_end", "document_id")))


def check_marketplaces(marketplace_ids: Sequence[str]) -> None:
    if MARKETPLACE_ID not in marketplace_ids:
        raise InvalidInput("marketplaceIds", f"{', '.join(marketplace_ids) or 'none'}: this "
                                             f"marketplace is {MARKETPLACE_ID}")


def create_report(market: Marketplace, caller: Caller, seller_id: str, report_type: str,
                  marketplace_ids: Sequence[str], data_start: str | None = None,
                  data_end: str | None = None) -> str:
    caller.require(*SELLER_SIDE, doing="a report request")
    if report_type not in KINDS:
        raise InvalidInput("reportType", f"{report_type!r} is not one of "
                                         f"{', '.join(sorted(KINDS))}")
    check_marketplaces(marketplace_ids)
    start = parse_time(data_start, "dataStartTime")
    end = parse_time(data_end, "dataEndTime")
    if start is not None and end is not None and start >= end:
        raise InvalidInput("dataStartTime", "must be before dataEndTime")

    def command(work: Work) -> str:
        check_seller(work.conn, caller, seller_id)
        # The period the report will cover (the end defaults to now, the start to 30 days
        # before the end) must be one: refused here, not found out later by the worker.
        period_end = end or work.now
        if (start or period_end - DEFAULT_PERIOD) >= period_end:
            raise InvalidInput("dataStartTime", f"must be before dataEndTime, which is now "
                                                f"({iso(work.now)}) when not given")
        report_id = ids.feed_id()
        report_requests.add(work.conn, {
            "report_id": report_id, "seller_id": seller_id, "report_type": report_type,
            "status": "IN_QUEUE", "data_start": start, "data_end": end,
            "created_at": work.now})
        return report_id

    return market.run(command)


def _owned(work: Work, caller: Caller, report_id: str, *, lock: bool = False) -> Any:
    row = report_requests.get(work.conn, report_id, seller_id=caller.own_seller, lock=lock)
    if row is None or not caller.acts_for_seller(row.seller_id):
        raise report_not_found(report_id)
    return row


def get_report(market: Marketplace, caller: Caller, report_id: str) -> ReportRequest:
    return market.read(lambda work: _view(_owned(work, caller, report_id)))


@dataclass(frozen=True)
class ListQuery:
    """getReports' and getFeeds' query: the types and statuses asked for, the creation
    window, the page size, and the (created_at, id) where the last page ended."""

    types: list[str]
    statuses: list[str]
    since: datetime | None
    until: datetime | None
    size: int
    after: tuple[datetime, str] | None

    def token(self, created_at: datetime, last_id: str) -> str:
        """The next page's token: this query, going on after that request."""
        return page_tokens.encode({
            "t": self.types, "s": self.statuses, "n": self.size,
            "f": page_tokens.time_text(self.since), "u": page_tokens.time_text(self.until),
            "a": [created_at.isoformat(), last_id]})


def list_query(operation: str, types_field: str, *, types: Sequence[str],
               statuses: Sequence[str], created_since: str | None, created_until: str | None,
               page_size: int | None, next_token: str | None) -> ListQuery:
    """The query a getReports or getFeeds call asks: from its parameters, or, as at Amazon,
    from its nextToken alone (the token carries the query)."""
    if next_token:
        page_tokens.only_parameter("nextToken", {
            types_field: types, "processingStatuses": statuses, "createdSince": created_since,
            "createdUntil": created_until, "pageSize": page_size})
        query = page_tokens.decode(next_token, "nextToken", operation)
        try:
            time_of = page_tokens.time_of
            return ListQuery(list(query["t"]), list(query["s"]), time_of(query["f"]),
                             time_of(query["u"]), int(query["n"]),
                             (time_of(query["a"][0]) or datetime.min, str(query["a"][1])))
        except (KeyError, TypeError, ValueError, IndexError):
            raise page_tokens.refused("nextToken", operation) from None
    if not types:
        raise InvalidInput(types_field, "is required unless nextToken is given")
    size = 10 if page_size is None else page_size
    if not 1 <= size <= MAX_PAGE:
        raise InvalidInput("pageSize", f"{size} is not 1 to {MAX_PAGE}")
    return ListQuery(list(types), list(statuses), parse_time(created_since, "createdSince"),
                     parse_time(created_until, "createdUntil"), size, None)


def get_reports(market: Marketplace, caller: Caller, seller_id: str, *,
                report_types: Sequence[str], statuses: Sequence[str],
                created_since: str | None, created_until: str | None, page_size: int | None,
                next_token: str | None) -> ReportPage:
    """A seller's report requests, newest first, a page at a time."""
    q = list_query("getReports", "reportTypes", types=report_types, statuses=statuses,
                   created_since=created_since, created_until=created_until,
                   page_size=page_size, next_token=next_token)

    def read(work: Work) -> ReportPage:
        check_seller(work.conn, caller, seller_id)
        rows = report_requests.of_seller(work.conn, seller_id, types=q.types,
                                         statuses=q.statuses, created_since=q.since,
                                         created_until=q.until, after=q.after,
                                         limit=q.size + 1)
        page = tuple(_view(r) for r in rows[:q.size])
        token = None
        if len(rows) > q.size:
            token = q.token(page[-1].created_at, page[-1].report_id)
        return ReportPage(page, token)

    return market.read(read)


def cancel_report(market: Marketplace, caller: Caller, report_id: str) -> None:
    """Only a report still IN_QUEUE can be canceled."""
    def command(work: Work) -> None:
        row = _owned(work, caller, report_id, lock=True)
        if row.status != "IN_QUEUE":
            raise Refused("ReportNotInQueue", f"report {report_id} is "
                                              f"{row.status}; only a report "
                                              "IN_QUEUE can be canceled")
        report_requests.set_status(work.conn, row.seller_id, report_id, status="CANCELLED",
                                   processing_end=work.now)
        _finished(work, row.seller_id, report_id, row.report_type, "CANCELLED")

    market.run(command)


def report_document(market: Marketplace, session: SellerSession, document_id: str) -> str:
    """getReportDocument: the id of a report document the token may fetch (the URL is built
    from it). A restricted report (one holding buyers' names, addresses and phones) opens only
    to an RDT naming this document's own path, as at Amazon."""
    def query(work: Work) -> str:
        found = own_document(work, session.caller, document_id, "report")
        request = report_requests.get(work.conn, found.subject_id, seller_id=found.seller_id)
        path = REPORT_DOCUMENT + document_id
        if (request is None or request.report_type in RESTRICTED_REPORTS) and not session.opens(
                "GET", path):
            raise Unauthenticated(f"{DENIED} Report document {document_id} is of a restricted "
                                  "report type: call getReportDocument with a restricted data "
                                  f"token made for GET {path}.", reason="restricted-report")
        return str(found.document_id)

    return market.read(query)


def report_content(market: Marketplace, caller: Caller, document_id: str) -> bytes:
    """A report's file, for the seller signed in to the console (who sees their buyers'
    addresses there, as in Seller Central)."""
    def query(work: Work) -> bytes:
        found = own_document(work, caller, document_id, "report")
        return bytes(found.content or b"")

    return market.read(query)


def own_document(work: Work, caller: Caller, document_id: str, purpose: str) -> Any:
    """A document of the caller's, made for `purpose`; any other is not found."""
    found = documents.get(work.conn, document_id)
    if found is None or found.purpose != purpose or not caller.acts_for_seller(found.seller_id):
        raise NotFound(f"{purpose} document {document_id} does not exist")
    return found


def process_queued(market: Marketplace) -> int:
    """The worker's part: build every queued report; returns how many were built."""
    built = 0
    for seller_id, report_id in market.read(lambda work: report_requests.queued(work.conn)):
        if _process(market, seller_id, report_id):
            built += 1
    return built


def _process(market: Marketplace, seller_id: str, report_id: str) -> bool:
    def start(work: Work) -> tuple[str, datetime | None, datetime | None] | None:
        row = report_requests.get(work.conn, report_id, seller_id=seller_id, lock=True)
        if row is None or row.status not in ("IN_QUEUE", "IN_PROGRESS"):
            return None            # another worker took it, or it was canceled
        report_requests.set_status(work.conn, seller_id, report_id, status="IN_PROGRESS",
                                   processing_start=work.now)
        return row.report_type, row.data_start, row.data_end

    claimed = market.run(start)
    if claimed is None:
        return False
    report_type, start_at, end_at = claimed
    try:
        # The document is stored whole, so its text is kept whole meanwhile (not its orders).
        text = io.StringIO()
        rows = reports.write(market, Caller.seller(seller_id), KINDS[report_type], seller_id,
                             text.write, start_at.isoformat() if start_at else None,
                             end_at.isoformat() if end_at else None)
    except SellerflowError:
        # A request that cannot be built (its seller gone, its period no longer one) ends as
        # Amazon's FATAL rather than fail every worker pass after it.
        def fatal(work: Work) -> None:
            report_requests.set_status(work.conn, seller_id, report_id, status="FATAL",
                                       processing_end=work.now)
            _finished(work, seller_id, report_id, report_type, "FATAL")

        market.run(fatal)
        return False
    content = text.getvalue().encode()

    def finish(work: Work) -> None:
        row = report_requests.get(work.conn, report_id, seller_id=seller_id, lock=True)
        if row is None or row.status != "IN_PROGRESS":
            return
        if rows == 0:
            # As at Amazon: a report with no data to return is canceled, with no document.
            report_requests.set_status(work.conn, seller_id, report_id, status="CANCELLED",
                                       processing_end=work.now)
            _finished(work, seller_id, report_id, report_type, "CANCELLED")
            return
        document_id = f"amzn1.spdoc.1.4.na.{secrets.token_urlsafe(24)}"
        documents.add(work.conn, document_id, seller_id, "report", "text/tab-separated-values",
                      content, work.now, subject_id=report_id)
        report_requests.set_status(work.conn, seller_id, report_id, status="DONE",
                                   processing_end=work.now, document_id=document_id)
        _finished(work, seller_id, report_id, report_type, "DONE", document_id)

    market.run(finish)
    return True


def _finished(work: Work, seller_id: str, report_id: str, report_type: str, status: str,
              document_id: str | None = None) -> None:
    """REPORT_PROCESSING_FINISHED for a subscribed seller, in the transaction that ends it."""
    facts = {"reportId": report_id, "reportType": report_type, "processingStatus": status}
    if document_id is not None:
        facts["reportDocumentId"] = document_id
    sp_notifications.record_processing_finished(
        work.conn, sp_api.REPORT_PROCESSING_FINISHED, seller_id, facts, work.now)

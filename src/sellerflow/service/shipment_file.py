"""The shipment-confirmation upload (L21): stored first as a feed, then applied row by row, each
row in its own transaction together with the feed's progress, so a crash resumes at the first
row not applied and an upload of the same rows again applies nothing twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sellerflow.domain.callers import SELLER_SIDE, Caller, feed_not_found
from sellerflow.domain.errors import (
    ConcurrentUpdate,
    InvalidInput,
    NotFound,
    RuleViolation,
    SellerflowError,
)
from sellerflow.domain.fulfillment import ShipmentRequest, confirm_shipment
from sellerflow.domain.model import Order, Plan
from sellerflow.flatfile import (
    ERROR_CODES,
    ORDER_ID,
    Problem,
    ProcessingSummary,
    ShipmentRow,
    parse_ship_date,
    parse_shipment_file,
    processing_report,
)
from sellerflow.service import ids
from sellerflow.service.context import Marketplace, Work, require_seller
from sellerflow.service.deadlines import Side, settle
from sellerflow.service.recording import apply_decision
from sellerflow.service.views import FeedView
from sellerflow.store import feeds, shipments

FEED_TYPE = "POST_FLAT_FILE_FULFILLMENT_DATA"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
Progress = Callable[[int, int], None]


def upload(market: Marketplace, caller: Caller, seller_id: str, content: bytes) -> str:
    """Check the seller may upload and the file can be read, then store it; returns the feed id."""
    caller.require(*SELLER_SIDE, doing="a shipment-confirmation upload")
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput("file", f"{len(content)} bytes is more than the "
                                   f"{MAX_UPLOAD_BYTES // 1024 // 1024} MiB an upload may have; "
                                   "split it into several files")
    rows = parse_shipment_file(content)

    def command(work: Work) -> str:
        seller = require_seller(work.conn, caller, seller_id)
        if seller.plan is not Plan.PROFESSIONAL:
            raise RuleViolation("L21", f"seller {seller_id} is on the Individual plan; "
                                       "shipment-confirmation files are for Professional "
                                       "sellers; confirm each order's shipment on its own",
                                reason="individual-plan")
        feed_id = ids.feed_id()
        feeds.insert_feed(work.conn, feed_id, seller_id, FEED_TYPE, content, len(rows),
                          work.now)
        return feed_id

    return market.run(command)


def process(market: Marketplace, caller: Caller, feed_id: str,
            progress: Progress | None = None) -> FeedView:
    """Apply every row not yet applied; safe to call again after a crash or from two processes.
    The rows act for the feed's seller, whoever resumes them."""
    feed = market.read(lambda work: _feed_row(work, caller, feed_id))
    rows = parse_shipment_file(feed.content)
    seller = Caller.seller(feed.seller_id)
    while True:
        done = _apply_next(market, seller, feed_id, rows)
        if progress is not None:
            progress(done, len(rows))
        if done >= len(rows):
            break
    market.run(lambda work: feeds.finish(work.conn, feed_id, work.now))
    return result(market, caller, feed_id)


def _feed_row(work: Work, caller: Caller, feed_id: str) -> Any:
    feed = feeds.get_feed(work.conn, feed_id)
    if feed is None or not caller.acts_for_seller(feed.seller_id):
        raise feed_not_found(feed_id)
    return feed


def _apply_next(market: Marketplace, seller: Caller, feed_id: str,
                rows: list[ShipmentRow]) -> int:
    """Apply the feed's next row; returns how many rows are now done."""
    def command(work: Work) -> int:
        n = feeds.next_record(work.conn, feed_id)
        if n > len(rows):
            return len(rows)
        row = rows[n - 1]
        try:
            with work.conn.begin_nested():
                warning = _apply_row(work, seller, row)
        except ConcurrentUpdate:
            raise
        except SellerflowError as error:
            _record(work, feed_id, seller, row, _problem(row, error), ok=False)
        else:
            _record(work, feed_id, seller, row, warning, ok=True)
        return n

    return market.run(command)


def _apply_row(work: Work, seller: Caller, row: ShipmentRow) -> Problem | None:
    order_id = row.get("order-id")
    if not order_id:
        raise _RowError("missing-value", "order-id is empty")
    if not ORDER_ID.fullmatch(order_id):
        raise _RowError("bad-order-id", f"{order_id!r} is not an order id like "
                                        "123-1234567-1234567")
    assert seller.account_id is not None
    if shipments.upload_applied(work.conn, seller.account_id, row.upload_key):
        return _warning(row, "already-applied", "this row was applied by an earlier upload; "
                                                "nothing was applied again")
    for column in ("ship-date", "carrier-code"):
        if not row.get(column):
            raise _RowError("missing-value", f"{column} is empty")
    # Another seller's order is reported exactly as a missing one (NotFound from settle).
    order = settle(work, seller, order_id, Side.SELLER)
    request = ShipmentRequest(
        carrier=row.get("carrier-code"), carrier_name=row.get("carrier-name") or None,
        tracking_number=row.get("tracking-number"), ship_method=row.get("ship-method") or None,
        ship_date=parse_ship_date(row.get("ship-date")), lines=_lines(row, order))
    decision = confirm_shipment(order, request, work.now, work.policy)
    apply_decision(work.conn, order, decision, work.now, upload_key=row.upload_key)
    if decision.warnings:
        return _warning(row, "invalid-tracking", decision.warnings[0])
    return None


def _lines(row: ShipmentRow, order: Order) -> tuple[tuple[str, int], ...] | None:
    item_id = row.get("order-item-id")
    quantity_text = row.get("quantity")
    if not item_id:
        if quantity_text:
            raise _RowError("missing-value", "a quantity needs an order-item-id")
        return None
    item = order.item(item_id)
    if item is None:
        raise _RowError("unknown-item", f"order item {item_id} is not in order "
                                        f"{order.amazon_order_id}")
    if not quantity_text:
        return ((item_id, item.quantity_to_ship),) if item.quantity_to_ship else ((item_id, 1),)
    if not quantity_text.isdigit() or int(quantity_text) < 1:
        raise _RowError("bad-quantity", f"quantity {quantity_text!r} is not a whole number of "
                                        "at least 1")
    return ((item_id, int(quantity_text)),)


class _RowError(SellerflowError):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _problem(row: ShipmentRow, error: SellerflowError) -> Problem:
    return Problem(row.record_number, row.get("order-id"), row.get("order-item-id"),
                   ERROR_CODES[_kind(error)], "Error", error.message)


# A refusal's field (bad input) or structured reason (a rule) -> the report's error kind.
_FIELD_KINDS = {"carrierCode": "unknown-carrier", "carrierName": "carrier-name-needed",
                "trackingNumber": "missing-tracking", "ship-date": "bad-ship-date",
                "orderItems": "unknown-item"}
_RULE_KINDS = {"ship-date-out-of-range": "ship-date-out-of-range",
               "too-many-units": "too-many-units"}


def _kind(error: SellerflowError) -> str:
    if isinstance(error, _RowError):
        return error.kind
    if isinstance(error, NotFound):
        return "unknown-order"
    if isinstance(error, InvalidInput):
        return _FIELD_KINDS.get(error.field, "missing-value")
    if isinstance(error, RuleViolation) and error.reason in _RULE_KINDS:
        return _RULE_KINDS[error.reason]
    return "not-actionable"


def _warning(row: ShipmentRow, kind: str, message: str) -> Problem:
    return Problem(row.record_number, row.get("order-id"), row.get("order-item-id"),
                   ERROR_CODES[kind], "Warning", message)


def _record(work: Work, feed_id: str, seller: Caller, row: ShipmentRow,
            problem: Problem | None, ok: bool) -> None:
    """The row's outcome and the feed's progress commit with the row's own changes."""
    assert seller.account_id is not None
    line = None if problem is None else {
        "order_id": problem.order_id, "order_item_id": problem.order_item_id,
        "error_code": problem.code, "error_type": problem.error_type,
        "message": problem.message}
    if not feeds.record_row(work.conn, feed_id, seller.account_id, row.record_number, ok, line):
        raise ConcurrentUpdate(f"feed {feed_id} row {row.record_number} was applied elsewhere")


def result(market: Marketplace, caller: Caller, feed_id: str) -> FeedView:
    """A feed's status, counts and processing report."""
    def query(work: Work) -> FeedView:
        feed = _feed_row(work, caller, feed_id)
        problems = [Problem(r.record_number, r.order_id, r.order_item_id, r.error_code,
                            r.error_type, r.message) for r in feeds.results(work.conn, feed_id)]
        report = processing_report(ProcessingSummary(feed.processed, feed.successful, problems))
        return FeedView(feed.feed_id, feed.seller_id, feed.feed_type, feed.status,
                        feed.created_at, feed.done_at, feed.total_records or 0, feed.processed,
                        feed.successful, report)

    return market.read(query)


def unfinished(market: Marketplace) -> list[str]:
    """Feeds a crash left unfinished, oldest first, for the worker to resume."""
    return market.read(lambda work: feeds.unfinished(work.conn))

"""The shipment-confirmation upload (L21): stored first as a feed, then applied in batches of
rows. A batch is one transaction together with the feed's progress and its report lines, so a
crash resumes at the first row not applied and nothing is applied twice; an upload of the same
rows again applies nothing twice either. Within a batch each row is decided on its own (a bad
row is rejected alone), and the accepted rows are written set-wise."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict
from functools import partial
from typing import Any

from sqlalchemy.exc import DataError

from sellerflow.domain.callers import SELLER_SIDE, Caller, feed_not_found, order_not_found
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
    CHUNK,
    ERROR_CODES,
    ORDER_ID,
    FileProblem,
    Problem,
    ProcessingSummary,
    ShipmentFile,
    ShipmentRow,
    parse_ship_date,
    processing_report,
)
from sellerflow.service import ids
from sellerflow.service.context import Marketplace, Work, require_seller
from sellerflow.service.deadlines import Side, settle_many
from sellerflow.service.recording import Change, apply_changes
from sellerflow.service.views import FeedSummary, FeedView
from sellerflow.store import feeds, shipments

FEED_TYPE = "POST_FLAT_FILE_FULFILLMENT_DATA"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# Rows per transaction: large enough that the per-transaction cost (a commit, the feed's
# progress) is spread thin, small enough that a batch holds its orders' locks briefly.
BATCH_ROWS = 500
FINISHED = ("DONE", "FATAL", "CANCELLED")
Progress = Callable[[int, int], None]
# A row's outcome: whether it counts as successful, and its report line if it has one.
Outcome = tuple[bool, Problem | None]


def upload(market: Marketplace, caller: Caller, seller_id: str, content: bytes) -> str:
    """Check the seller may upload, then store the file; returns the feed id. A file that
    cannot be read as a whole (no header, a required column missing, not text) is stored as a
    FATAL feed whose processing report says why, as Amazon does; nothing of it is applied."""
    caller.require(*SELLER_SIDE, doing="a shipment-confirmation upload")
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput("file", f"{len(content)} bytes is more than the "
                                   f"{MAX_UPLOAD_BYTES // 1024 // 1024} MiB an upload may have; "
                                   "split it into several files")
    fatal: FileProblem | None = None
    try:
        total = ShipmentFile(content).count()
    except FileProblem as problem:
        fatal, total = problem, 0

    def command(work: Work) -> str:
        seller = require_seller(work.conn, caller, seller_id)
        if seller.plan is not Plan.PROFESSIONAL:
            raise RuleViolation("L21", f"seller {seller_id} is on the Individual plan; "
                                       "shipment-confirmation files are for Professional "
                                       "sellers; confirm each order's shipment on its own",
                                reason="individual-plan")
        feed_id = ids.feed_id()
        feeds.insert_feed(work.conn, feed_id, seller_id, FEED_TYPE, content, total, work.now,
                          status="FATAL" if fatal else "IN_QUEUE")
        if fatal is not None:
            feeds.add_lines(work.conn, feed_id, seller_id,
                            [(0, "", "", ERROR_CODES[fatal.kind], "Fatal", fatal.message)])
        return feed_id

    return market.run(command)


def process(market: Marketplace, caller: Caller, feed_id: str,
            progress: Progress | None = None) -> FeedView:
    """Apply every row not yet applied; safe to call again after a crash or from two processes.
    The rows act for the feed's seller, whoever resumes them."""
    feed, size = market.read(
        lambda work: (_feed_row(work, caller, feed_id), feeds.document_size(work.conn, feed_id)))
    if feed.status not in FINISHED:
        file = ShipmentFile(lambda: _document_parts(market, feed_id, size))
        window = _Window(file.rows())
        seller = Caller.seller(feed.seller_id)
        total = feed.total_records or 0
        while True:
            done = market.run(lambda work: _apply_batch(work, seller, feed_id, file, window))
            if progress is not None:
                progress(done, total)
            if done >= total:
                break
        market.run(lambda work: feeds.finish(work.conn, feed_id, work.now))
    return result(market, caller, feed_id)


def _document_parts(market: Marketplace, feed_id: str, size: int) -> Iterator[bytes]:
    """The stored file a part at a time (a file never changes once stored)."""
    for offset in range(0, size, CHUNK):
        yield market.read(partial(_document_part, feed_id=feed_id, offset=offset))


def _document_part(work: Work, feed_id: str, offset: int) -> bytes:
    return feeds.document_part(work.conn, feed_id, offset, CHUNK)


class _Window:
    """The file's rows from a record number on, read ahead one batch at a time: a batch that
    is retried (a lost race, a dropped connection) takes the same rows again."""

    def __init__(self, rows: Iterator[ShipmentRow]) -> None:
        self._rows = rows
        self._ahead: list[ShipmentRow] = []

    def take(self, first: int, count: int) -> list[ShipmentRow]:
        self._ahead = [r for r in self._ahead if r.record_number >= first]
        while len(self._ahead) < count:
            row = next(self._rows, None)
            if row is None:
                break
            if row.record_number >= first:
                self._ahead.append(row)
        return self._ahead[:count]


def _feed_row(work: Work, caller: Caller, feed_id: str) -> Any:
    feed = feeds.get_feed(work.conn, feed_id)
    if feed is None or not caller.acts_for_seller(feed.seller_id):
        raise feed_not_found(feed_id)
    return feed


def _apply_batch(work: Work, seller: Caller, feed_id: str, file: ShipmentFile,
                 window: _Window) -> int:
    """Apply the feed's next batch of rows; returns the number of the last row now done."""
    assert seller.account_id is not None
    first = feeds.next_record(work.conn, feed_id)
    rows = window.take(first, BATCH_ROWS)
    if not rows:
        return first - 1
    outcomes = _decide_and_write(work, seller, rows)
    lines = [_line(problem) for _, problem in outcomes if problem is not None]
    warning = file.unknown_columns_warning()
    if first == 1 and warning is not None:
        lines.insert(0, (0, "", "", ERROR_CODES["unknown-column"], "Warning", warning))
    successful = sum(1 for ok, _ in outcomes if ok)
    if not feeds.record_rows(work.conn, feed_id, seller.account_id, first, len(rows),
                             successful, lines):
        raise ConcurrentUpdate(f"feed {feed_id} rows from {first} were applied elsewhere")
    return rows[-1].record_number


def _line(p: Problem) -> tuple[Any, ...]:
    return (p.record_number, p.order_id, p.order_item_id, p.code, p.error_type, p.message)


def _decide_and_write(work: Work, seller: Caller, rows: list[ShipmentRow]) -> list[Outcome]:
    """The rows' outcomes, their accepted confirmations written set-wise. Should the database
    refuse a value in the batch, the rows are applied again one by one, each under its own
    savepoint, so only the row it refuses is rejected."""
    try:
        with work.conn.begin_nested():
            return _decide_rows(work, seller, rows)
    except DataError:
        return [_decide_alone(work, seller, row) for row in rows]


def _decide_alone(work: Work, seller: Caller, row: ShipmentRow) -> Outcome:
    try:
        with work.conn.begin_nested():
            return _decide_rows(work, seller, [row])[0]
    except DataError as error:
        refused = SellerflowError(f"the database refused this row: "
                                  f"{str(getattr(error, 'orig', error)).strip()}")
        return False, _problem(row, refused)


def _decide_rows(work: Work, seller: Caller, rows: list[ShipmentRow]) -> list[Outcome]:
    assert seller.account_id is not None
    outcomes: dict[int, Outcome] = {}
    for row in rows:
        try:
            _check_cells(row)
        except _RowError as error:
            outcomes[row.record_number] = (False, _problem(row, error))
    waiting = [r for r in rows if r.record_number not in outcomes]
    applied = shipments.uploads_applied(work.conn, seller.account_id,
                                        {r.upload_key for r in waiting})
    for row in waiting:
        if row.upload_key in applied:
            outcomes[row.record_number] = (True, _warning(
                row, "already-applied",
                "this row was applied by an earlier upload; nothing was applied again"))
    waiting = [r for r in waiting if r.record_number not in outcomes]
    # Another seller's order is reported exactly as a missing one: it is not among these.
    orders = settle_many(work, seller, {r.get("order-id") for r in waiting}, Side.SELLER)
    changes = []
    for row in waiting:
        order_id = row.get("order-id")
        order = orders.get(order_id)
        try:
            if order is None:
                raise order_not_found(order_id)
            request = ShipmentRequest(
                carrier=row.get("carrier-code"), carrier_name=row.get("carrier-name") or None,
                tracking_number=row.get("tracking-number"),
                ship_method=row.get("ship-method") or None,
                ship_date=parse_ship_date(row.get("ship-date")), lines=_lines(row, order))
            decision = confirm_shipment(order, request, work.now, work.policy)
        except SellerflowError as error:
            outcomes[row.record_number] = (False, _problem(row, error))
            continue
        changes.append(Change(order, decision, work.now, row.upload_key))
        orders[order_id] = decision.order
        warning = (_warning(row, "invalid-tracking", decision.warnings[0])
                   if decision.warnings else None)
        outcomes[row.record_number] = (True, warning)
    apply_changes(work.conn, changes)
    return [outcomes[r.record_number] for r in rows]


def _check_cells(row: ShipmentRow) -> None:
    order_id = row.get("order-id")
    if not order_id:
        raise _RowError("missing-value", "order-id is empty")
    if not ORDER_ID.fullmatch(order_id):
        raise _RowError("bad-order-id", f"{order_id!r} is not an order id like "
                                        "123-1234567-1234567")
    for column in ("ship-date", "carrier-code"):
        if not row.get(column):
            raise _RowError("missing-value", f"{column} is empty")


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


def result(market: Marketplace, caller: Caller, feed_id: str) -> FeedView:
    """A feed's status, counts and processing report."""
    def query(work: Work) -> FeedView:
        feed = _feed_row(work, caller, feed_id)
        problems = [Problem(r.record_number, r.order_id, r.order_item_id, r.error_code,
                            r.error_type, r.message) for r in feeds.results(work.conn, feed_id)]
        report = processing_report(ProcessingSummary(feed.processed, feed.successful, problems))
        fatal = next((p.message for p in problems if p.error_type == "Fatal"), None)
        return FeedView(**asdict(_summary(feed)), report=report, fatal=fatal)

    return market.read(query)


def seller_feeds(market: Marketplace, caller: Caller, seller_id: str) -> tuple[FeedSummary, ...]:
    """A seller's uploads, newest first."""
    def query(work: Work) -> tuple[FeedSummary, ...]:
        require_seller(work.conn, caller, seller_id)
        return tuple(_summary(f) for f in feeds.seller_feeds(work.conn, seller_id))

    return market.read(query)


def _summary(feed: Any) -> FeedSummary:
    return FeedSummary(feed.feed_id, feed.seller_id, feed.feed_type, feed.status,
                       feed.created_at, feed.done_at, feed.total_records or 0, feed.processed,
                       feed.successful)


def unfinished(market: Marketplace) -> list[str]:
    """Feeds a crash left unfinished, oldest first, for the worker to resume."""
    return market.read(lambda work: feeds.unfinished(work.conn))

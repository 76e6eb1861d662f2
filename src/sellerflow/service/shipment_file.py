"""The shipment-confirmation upload (L21): stored first as a feed, then applied row by row, each
row in its own transaction together with the feed's progress, so a crash resumes at the first
row not applied and an upload of the same rows again applies nothing twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

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
from sellerflow.service.context import Marketplace, require_seller
from sellerflow.service.deadlines import settle
from sellerflow.service.recording import apply_decision
from sellerflow.store.schema import feed_results, feeds, shipments

FEED_TYPE = "POST_FLAT_FILE_FULFILLMENT_DATA"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class FeedResult:
    feed_id: str
    processed: int
    successful: int
    rejected: int
    report: str


def upload(market: Marketplace, seller_id: str, content: bytes) -> str:
    """Check the seller may upload and the file can be read, then store it; returns the feed id."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput("FILE", f"{len(content)} bytes is more than the "
                                   f"{MAX_UPLOAD_BYTES // 1024 // 1024} MiB an upload may have; "
                                   "split it into several files")
    rows = parse_shipment_file(content)

    def command(conn: Connection, now: datetime) -> str:
        seller = require_seller(conn, seller_id)
        if seller.plan is not Plan.PROFESSIONAL:
            raise RuleViolation("L21", f"seller {seller_id} is on the Individual plan; "
                                       "shipment-confirmation files are for Professional "
                                       "sellers; confirm each order with `sellerflow ship`")
        feed_id = ids.feed_id()
        conn.execute(insert(feeds).values(
            feed_id=feed_id, seller_id=seller_id, feed_type=FEED_TYPE, content=content,
            status="IN_QUEUE", created_at=now, next_record=1, total_records=len(rows),
            processed=0, successful=0))
        return feed_id

    return market.run(command)


def process(market: Marketplace, feed_id: str, progress: Progress | None = None) -> FeedResult:
    """Apply every row not yet applied; safe to call again after a crash or from two processes."""
    with market.reading() as conn:
        feed = conn.execute(select(feeds).where(feeds.c.feed_id == feed_id)).first()
    if feed is None:
        raise NotFound(f"feed {feed_id} does not exist")
    rows = parse_shipment_file(feed.content)
    while True:
        done = _apply_next(market, feed_id, feed.seller_id, rows)
        if progress is not None:
            progress(done, len(rows))
        if done >= len(rows):
            break
    market.run(lambda conn, now: _finish(conn, feed_id, now))
    return result(market, feed_id)


def _apply_next(market: Marketplace, feed_id: str, seller_id: str,
                rows: list[ShipmentRow]) -> int:
    """Apply the feed's next row; returns how many rows are now done."""
    def command(conn: Connection, now: datetime) -> int:
        n = _next_record(conn, feed_id)
        if n > len(rows):
            return len(rows)
        row = rows[n - 1]
        try:
            with conn.begin_nested():
                warning = _apply_row(market, conn, now, seller_id, row)
        except ConcurrentUpdate:
            raise
        except SellerflowError as error:
            _record(conn, feed_id, seller_id, row, _problem(row, error), ok=False)
        else:
            _record(conn, feed_id, seller_id, row, warning, ok=True)
        return n

    return market.run(command)


def _next_record(conn: Connection, feed_id: str) -> int:
    query = select(feeds.c.next_record).where(feeds.c.feed_id == feed_id)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return int(conn.execute(query).scalar_one())


def _apply_row(market: Marketplace, conn: Connection, now: datetime, seller_id: str,
               row: ShipmentRow) -> Problem | None:
    order_id = row.get("order-id")
    if not order_id:
        raise _RowError("missing-value", "order-id is empty")
    if not ORDER_ID.fullmatch(order_id):
        raise _RowError("bad-order-id", f"{order_id!r} is not an order id like "
                                        "123-1234567-1234567")
    if conn.execute(select(shipments.c.id).where(shipments.c.seller_id == seller_id,
                                                 shipments.c.upload_key == row.upload_key)
                    ).first():
        return _warning(row, "already-applied", "this row was applied by an earlier upload; "
                                                "nothing was applied again")
    for column in ("ship-date", "carrier-code"):
        if not row.get(column):
            raise _RowError("missing-value", f"{column} is empty")
    order = settle(market, conn, order_id, now)
    if order.seller_id != seller_id:
        raise _RowError("unknown-order", f"order {order_id} does not exist for this seller")
    request = ShipmentRequest(
        carrier=row.get("carrier-code"), carrier_name=row.get("carrier-name") or None,
        tracking_number=row.get("tracking-number"), ship_method=row.get("ship-method") or None,
        ship_date=parse_ship_date(row.get("ship-date")), lines=_lines(row, order))
    decision = confirm_shipment(order, request, now, market.policy)
    apply_decision(conn, order, decision, now, upload_key=row.upload_key)
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


def _kind(error: SellerflowError) -> str:
    if isinstance(error, _RowError):
        return error.kind
    if isinstance(error, NotFound):
        return "unknown-order"
    if isinstance(error, InvalidInput):
        return {"carrier": "unknown-carrier", "carrier-name": "carrier-name-needed",
                "tracking": "missing-tracking", "ship-date": "bad-ship-date",
                "item": "unknown-item"}.get(error.field, "missing-value")
    if isinstance(error, RuleViolation) and error.rule == "L20":
        if "ship date" in error.message:
            return "ship-date-out-of-range"
        if "left to ship" in error.message:
            return "too-many-units"
    return "not-actionable"


def _warning(row: ShipmentRow, kind: str, message: str) -> Problem:
    return Problem(row.record_number, row.get("order-id"), row.get("order-item-id"),
                   ERROR_CODES[kind], "Warning", message)


def _record(conn: Connection, feed_id: str, seller_id: str, row: ShipmentRow,
            problem: Problem | None, ok: bool) -> None:
    """The row's outcome and the feed's progress commit with the row's own changes."""
    if problem is not None:
        conn.execute(insert(feed_results).values(
            feed_id=feed_id, record_number=row.record_number, seller_id=seller_id,
            order_id=problem.order_id, order_item_id=problem.order_item_id,
            error_code=problem.code, error_type=problem.error_type, message=problem.message))
    moved = conn.execute(update(feeds).where(feeds.c.feed_id == feed_id,
                                             feeds.c.next_record == row.record_number)
                         .values(next_record=row.record_number + 1,
                                 processed=feeds.c.processed + 1,
                                 successful=feeds.c.successful + (1 if ok else 0),
                                 status="IN_PROGRESS"))
    if moved.rowcount != 1:
        raise ConcurrentUpdate(f"feed {feed_id} row {row.record_number} was applied elsewhere")


def _finish(conn: Connection, feed_id: str, now: datetime) -> None:
    conn.execute(update(feeds).where(feeds.c.feed_id == feed_id, feeds.c.status != "DONE")
                 .values(status="DONE", done_at=now))


def result(market: Marketplace, feed_id: str) -> FeedResult:
    with market.reading() as conn:
        feed = conn.execute(select(feeds).where(feeds.c.feed_id == feed_id)).first()
        if feed is None:
            raise NotFound(f"feed {feed_id} does not exist")
        problems = [Problem(r.record_number, r.order_id, r.order_item_id, r.error_code,
                            r.error_type, r.message)
                    for r in conn.execute(select(feed_results)
                                          .where(feed_results.c.feed_id == feed_id)
                                          .order_by(feed_results.c.record_number))]
    summary = ProcessingSummary(feed.processed, feed.successful, problems)
    return FeedResult(feed_id, feed.processed, feed.successful,
                      feed.processed - feed.successful, processing_report(summary))


def unfinished(market: Marketplace) -> list[str]:
    """Feeds a crash left unfinished, oldest first, for the worker to resume."""
    with market.reading() as conn:
        return list(conn.execute(select(feeds.c.feed_id).where(feeds.c.status != "DONE")
                                 .order_by(feeds.c.created_at)).scalars())

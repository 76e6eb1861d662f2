"""Uploads (L21, L22): Amazon's shipment-confirmation and order-cancellation files (and the
JSON listings feed, whose messages service/listing_feeds.py decides), stored first as a feed,
then applied in batches of rows. A batch is one transaction together with the
feed's progress and its report lines, so a crash resumes at the first row not applied and
nothing is applied twice; an upload of the same shipment rows again applies nothing twice
either. Within a batch each row is decided on its own (a bad row is rejected alone, see
upload_rows), and the accepted rows are written set-wise."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict
from functools import partial
from typing import Any

from sqlalchemy.exc import DataError

from sellerflow.domain.callers import SELLER_SIDE, Caller, feed_not_found
from sellerflow.domain.errors import ConcurrentUpdate, InvalidInput, RuleViolation, SellerflowError
from sellerflow.domain.model import Plan
from sellerflow.domain.text import Phrase
from sellerflow.flatfile import (
    CANCELLATIONS,
    CHUNK,
    ERROR_CODES,
    LAYOUTS,
    SHIPMENTS,
    FeedFile,
    FeedRow,
    FileProblem,
    Layout,
    Problem,
    ProcessingSummary,
    processing_report,
)
from sellerflow.service import ids, listing_feeds, sp_notifications, upload_rows
from sellerflow.service.context import Marketplace, Work, check_seller, require_seller
from sellerflow.service.recording import apply_changes
from sellerflow.service.upload_rows import Outcome
from sellerflow.service.views import FeedSummary, FeedView
from sellerflow.store import feeds

FLAT_FILE_TYPES = tuple(LAYOUTS)
FEED_TYPES = (*FLAT_FILE_TYPES, listing_feeds.FEED_TYPE)
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# Rows per transaction: large enough that the per-transaction cost (a commit, the feed's
# progress) is spread thin, small enough that a batch holds its orders' locks briefly.
BATCH_ROWS = 500
FINISHED = ("DONE", "FATAL", "CANCELLED")
Progress = Callable[[int, int], None]
_WHAT = {SHIPMENTS.feed_type: ("shipment-confirmation", "confirm each order's shipment"),
         CANCELLATIONS.feed_type: ("order-cancellation", "cancel each order"),
         listing_feeds.FEED_TYPE: ("listings", "change each listing")}


def upload(market: Marketplace, caller: Caller, seller_id: str, content: bytes,
           feed_type: str = SHIPMENTS.feed_type,
           stored: Callable[[Work, str], None] | None = None) -> str:
    """Check the seller may upload, then store the file; returns the feed id. A file that
    cannot be read as a whole (no header, a required column missing, not text) is stored as a
    FATAL feed whose processing report says why, as Amazon does; nothing of it is applied.
    `stored` is given the feed id in the same transaction (the Feeds API links the feed's
    result document there, before any worker can finish the feed)."""
    what, instead = _WHAT[feed_type]
    caller.require(*SELLER_SIDE, doing=f"a {what} upload")
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput("file", Phrase(
            "%(size)s bytes is more than the %(most)s MiB an upload may have; split it into "
            "several files", size=len(content), most=MAX_UPLOAD_BYTES // 1024 // 1024))
    fatal: tuple[Any, ...] | None = None
    total = 0
    if feed_type == listing_feeds.FEED_TYPE:
        try:
            total = len(listing_feeds.read_document(content, seller_id))
        except listing_feeds.DocumentProblem as unreadable:
            fatal = listing_feeds.fatal_line(unreadable)
    else:
        try:
            total = FeedFile(content, LAYOUTS[feed_type]).count()
        except FileProblem as problem:
            fatal = (0, "", "", ERROR_CODES[problem.kind], "Fatal", problem.message)

    def command(work: Work) -> str:
        seller = require_seller(work.conn, caller, seller_id)
        if seller.plan is not Plan.PROFESSIONAL:
            raise RuleViolation("L21", f"seller {seller_id} is on the Individual plan; "
                                       f"{what} files are for Professional sellers; "
                                       f"{instead} on its own", reason="individual-plan")
        feed_id = ids.feed_id()
        feeds.insert_feed(work.conn, feed_id, seller_id, feed_type, content, total, work.now,
                          status="FATAL" if fatal else "IN_QUEUE")
        if fatal is not None:
            feeds.add_lines(work.conn, feed_id, seller_id, [fatal])
        if stored is not None:
            stored(work, feed_id)
        return feed_id

    return market.run(command)


def process(market: Marketplace, caller: Caller, feed_id: str,
            progress: Progress | None = None) -> FeedView:
    """Apply every row not yet applied; safe to call again after a crash or from two processes.
    The rows act for the feed's seller, whoever resumes them."""
    feed = market.read(lambda work: _feed_row(work, caller, feed_id))
    if feed.status not in FINISHED:
        seller = Caller.seller(feed.seller_id)
        total = feed.total_records or 0
        step: Callable[[Work], int]
        if feed.feed_type == listing_feeds.FEED_TYPE:
            messages = listing_feeds.messages_of(market, feed.seller_id, feed_id)
            step = partial(listing_feeds.apply_batch, seller=seller, feed_id=feed_id,
                           messages=messages)
        else:
            size = market.read(lambda work: feeds.document_size(work.conn, feed.seller_id,
                                                                feed_id))
            file = FeedFile(lambda: _document_parts(market, feed.seller_id, feed_id, size),
                            LAYOUTS[feed.feed_type])
            step = partial(_apply_batch, seller=seller, feed_id=feed_id, file=file,
                           window=_Window(file.rows()))
        while True:
            done = market.run(step)
            if progress is not None:
                progress(done, total)
            if done >= total:
                break
        market.run(partial(_finish, seller_id=feed.seller_id, feed_id=feed_id))
    return result(market, caller, feed_id)


def _finish(work: Work, seller_id: str, feed_id: str) -> None:
    feeds.finish(work.conn, seller_id, feed_id, work.now)
    sp_notifications.record_feed_finished(work.conn, seller_id, feed_id, work.now)


def _document_parts(market: Marketplace, seller_id: str, feed_id: str, size: int
                    ) -> Iterator[bytes]:
    """The stored file a part at a time (a file never changes once stored)."""
    for offset in range(0, size, CHUNK):
        yield market.read(partial(_document_part, seller_id=seller_id, feed_id=feed_id,
                                  offset=offset))


def _document_part(work: Work, seller_id: str, feed_id: str, offset: int) -> bytes:
    return feeds.document_part(work.conn, seller_id, feed_id, offset, CHUNK)


class _Window:
    """The file's rows from a record number on, read ahead one batch at a time: a batch that
    is retried (a lost race, a dropped connection) takes the same rows again."""

    def __init__(self, rows: Iterator[FeedRow]) -> None:
        self._rows = rows
        self._ahead: list[FeedRow] = []

    def take(self, first: int, count: int) -> list[FeedRow]:
        self._ahead = [r for r in self._ahead if r.record_number >= first]
        while len(self._ahead) < count:
            row = next(self._rows, None)
            if row is None:
                break
            if row.record_number >= first:
                self._ahead.append(row)
        return self._ahead[:count]


def _feed_row(work: Work, caller: Caller, feed_id: str) -> Any:
    feed = feeds.get_feed(work.conn, feed_id, caller.own_seller)
    if feed is None or not caller.acts_for_seller(feed.seller_id):
        raise feed_not_found(feed_id)
    return feed


def _apply_batch(work: Work, seller: Caller, feed_id: str, file: FeedFile,
                 window: _Window) -> int:
    """Apply the feed's next batch of rows; returns the number of the last row now done."""
    assert seller.account_id is not None
    first = feeds.next_record(work.conn, seller.account_id, feed_id)
    rows = window.take(first, BATCH_ROWS)
    if not rows:
        return first - 1
    outcomes = _decide_and_write(work, seller, file.layout, rows)
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


def _decide_and_write(work: Work, seller: Caller, layout: Layout, rows: list[FeedRow]
                      ) -> list[Outcome]:
    """The rows' outcomes, their accepted decisions written set-wise. Should the database
    refuse a value in the batch, the rows are applied again one by one, each under its own
    savepoint, so only the row it refuses is rejected."""
    try:
        with work.savepoint():
            return _decide_rows(work, seller, layout, rows)
    except DataError:
        return [_decide_alone(work, seller, layout, row) for row in rows]


def _decide_alone(work: Work, seller: Caller, layout: Layout, row: FeedRow) -> Outcome:
    try:
        with work.savepoint():
            return _decide_rows(work, seller, layout, [row])[0]
    except DataError as error:
        refused = SellerflowError(f"the database refused this row: "
                                  f"{str(getattr(error, 'orig', error)).strip()}")
        return False, upload_rows.problem(row, refused)


def _decide_rows(work: Work, seller: Caller, layout: Layout, rows: list[FeedRow]
                 ) -> list[Outcome]:
    outcomes, changes = upload_rows.decide(work, seller, layout, rows)
    apply_changes(work.conn, changes)
    return outcomes


def result(market: Marketplace, caller: Caller, feed_id: str) -> FeedView:
    """A feed's status, counts and processing report."""
    def query(work: Work) -> FeedView:
        feed = _feed_row(work, caller, feed_id)
        lines = feeds.results(work.conn, feed.seller_id, feed_id)
        if feed.feed_type == listing_feeds.FEED_TYPE:
            report = listing_feeds.processing_report(feed.seller_id, feed_id, feed.processed,
                                                     feed.successful, lines)
        else:
            report = processing_report(ProcessingSummary(feed.processed, feed.successful, [
                Problem(r.record_number, r.order_id, r.order_item_id, r.error_code,
                        r.error_type, r.message) for r in lines]))
        fatal = next((r for r in lines if r.error_type == "Fatal"), None)
        return FeedView(**asdict(_summary(feed)), report=report,
                        fatal=fatal.message if fatal else None,
                        fatal_code=str(fatal.error_code) if fatal else None)

    return market.read(query)


def seller_feeds(market: Marketplace, caller: Caller, seller_id: str, **filters: Any
                 ) -> tuple[FeedSummary, ...]:
    """A seller's uploads, newest first; `filters` as store.feeds.seller_feeds takes them."""
    def query(work: Work) -> tuple[FeedSummary, ...]:
        check_seller(work.conn, caller, seller_id)
        return tuple(_summary(f) for f in feeds.seller_feeds(work.conn, seller_id, **filters))

    return market.read(query)


def _summary(feed: Any) -> FeedSummary:
    return FeedSummary(feed.feed_id, feed.seller_id, feed.feed_type, feed.status,
                       feed.created_at, feed.done_at, feed.total_records or 0, feed.processed,
                       feed.successful)


def unfinished(market: Marketplace) -> list[str]:
    """Feeds a crash left unfinished, oldest first, for the worker to resume."""
    return market.read(lambda work: feeds.unfinished(work.conn))

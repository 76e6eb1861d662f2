"""Feeds submitted through the Feeds API: a feed document uploaded to a URL on this server,
then a feed that takes it. The shipment-confirmation and order-cancellation feeds go through
exactly the code of `shipments upload` (stored, then applied by the worker in batches), and so
does the listings feed (JSON_LISTINGS_FEED, service/listing_feeds.py); the result document is
Amazon's processing report."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sellerflow.domain.callers import SELLER_SIDE, Caller, feed_not_found
from sellerflow.domain.errors import InvalidInput, NotFound, Refused
from sellerflow.service import (
    document_links,
    listing_feeds,
    report_requests,
    sp_notifications,
    uploads,
)
from sellerflow.service.context import Marketplace, Work, check_seller
from sellerflow.service.views import FeedSummary, FeedView
from sellerflow.store import documents, feeds


def _document_id() -> str:
    return f"amzn1.tortuga.4.na.{secrets.token_urlsafe(24)}"


def create_feed_document(market: Marketplace, caller: Caller, seller_id: str,
                         content_type: str) -> str:
    """A place to upload a feed's file to (PUT to its URL, no token needed)."""
    caller.require(*SELLER_SIDE, doing="a feed document")
    if not content_type or len(content_type) > 200:
        raise InvalidInput("contentType", "give the file's content type, e.g. "
                                          "text/tab-separated-values; charset=UTF-8")

    def command(work: Work) -> str:
        check_seller(work.conn, caller, seller_id)
        document_id = _document_id()
        documents.add(work.conn, document_id, seller_id, "feed", content_type, None, work.now)
        return document_id

    return market.run(command)


def upload_document(market: Marketplace, document_id: str, content: bytes,
                    expires: str | None, signature: str | None) -> None:
    """The PUT to a feed document's URL: the signed URL, while it lasts, is the permission."""
    document_links.check(market, document_id, "PUT", expires, signature)
    if len(content) > uploads.MAX_UPLOAD_BYTES:
        raise InvalidInput("file", f"{len(content)} bytes is more than the "
                                   f"{uploads.MAX_UPLOAD_BYTES // 1024 // 1024} MiB a "
                                   "feed file may have; split it")

    def command(work: Work) -> None:
        found = documents.get(work.conn, document_id)
        if found is None or found.purpose != "feed":
            raise NotFound(f"feed document {document_id} does not exist")
        documents.put_content(work.conn, document_id, content)

    market.run(command)


def download(market: Marketplace, document_id: str, expires: str | None,
             signature: str | None) -> tuple[bytes, str]:
    """A document's content by its signed URL: a report, or a feed's processing report."""
    document_links.check(market, document_id, "GET", expires, signature)

    def query(work: Work) -> tuple[bytes | None, str, str | None, str, str]:
        found = documents.get(work.conn, document_id)
        if found is None or found.purpose not in ("report", "result"):
            raise NotFound(f"document {document_id} does not exist")
        return (found.content, found.content_type, found.subject_id, found.seller_id,
                found.purpose)

    content, content_type, subject, seller_id, purpose = market.read(query)
    if purpose == "result":
        assert subject is not None
        view = uploads.result(market, Caller.seller(seller_id), subject)
        return view.report.encode(), content_type
    assert content is not None
    return content, content_type


def create_feed(market: Marketplace, caller: Caller, seller_id: str, feed_type: str,
                marketplace_ids: Sequence[str], input_document_id: str) -> str:
    caller.require(*SELLER_SIDE, doing="a feed")
    if feed_type not in uploads.FEED_TYPES:
        raise InvalidInput("feedType", f"{feed_type!r} is not one of "
                                       f"{', '.join(uploads.FEED_TYPES)}")
    report_requests.check_marketplaces(marketplace_ids)

    def content_of(work: Work) -> bytes:
        check_seller(work.conn, caller, seller_id)
        found = documents.get(work.conn, input_document_id)
        if found is None or found.purpose != "feed" or found.seller_id != seller_id:
            raise InvalidInput("inputFeedDocumentId", f"{input_document_id} is not a feed "
                                                      "document of this seller; create one "
                                                      "with createFeedDocument")
        if found.content is None:
            raise InvalidInput("inputFeedDocumentId", "nothing was uploaded to its URL yet")
        return bytes(found.content)

    content = market.read(content_of)
    # The processing report of a JSON feed is JSON, of a flat file tab-separated text.
    result_type = ("application/json; charset=UTF-8"
                   if feed_type == listing_feeds.FEED_TYPE
                   else "text/tab-separated-values; charset=UTF-8")

    def link_result(work: Work, feed_id: str) -> None:
        """In the feed's own transaction: FEED_PROCESSING_FINISHED, whenever the feed ends,
        finds its result document."""
        documents.add(work.conn, _document_id(), seller_id, "result", result_type, None,
                      work.now, subject_id=feed_id)
        # A document that could not be read ended FATAL when it was stored: told of now (one
        # that was read is told of when the worker finishes it).
        stored = feeds.get_feed(work.conn, feed_id, seller_id)
        if stored is not None and stored.status == "FATAL":
            sp_notifications.record_feed_finished(work.conn, seller_id, feed_id, work.now)

    return uploads.upload(market, caller, seller_id, content, feed_type, stored=link_result)


def get_feed(market: Marketplace, caller: Caller, feed_id: str) -> tuple[FeedView, str | None]:
    """The feed and, once it is done, its result document's id."""
    view = uploads.result(market, caller, feed_id)
    result = None
    if view.status in ("DONE", "FATAL"):
        result = market.read(lambda work: documents.of_subject(work.conn, "result", feed_id))
    return view, result


def get_feeds(market: Marketplace, caller: Caller, seller_id: str, *,
              feed_types: Sequence[str], statuses: Sequence[str], created_since: str | None,
              created_until: str | None, page_size: int | None, next_token: str | None
              ) -> tuple[list[FeedSummary], str | None]:
    """The seller's newest feeds of the types (and statuses) asked for, a page at a time, and
    the token of the next page."""
    q = report_requests.list_query("getFeeds", "feedTypes", types=feed_types,
                                   statuses=statuses, created_since=created_since,
                                   created_until=created_until, page_size=page_size,
                                   next_token=next_token)
    found = uploads.seller_feeds(market, caller, seller_id, types=q.types,
                                 statuses=q.statuses, created_since=q.since,
                                 created_until=q.until, after=q.after, limit=q.size + 1)
    token = None
    if len(found) > q.size:
        token = q.token(found[q.size - 1].created_at, found[q.size - 1].feed_id)
    return list(found[:q.size]), token


def cancel_feed(market: Marketplace, caller: Caller, feed_id: str) -> None:
    def command(work: Work) -> None:
        found = feeds.get_feed(work.conn, feed_id, caller.own_seller)
        if found is None or not caller.acts_for_seller(found.seller_id):
            raise feed_not_found(feed_id)
        if not feeds.cancel(work.conn, found.seller_id, feed_id, work.now):
            raise Refused("FeedNotInQueue", f"feed {feed_id} is {found.status}; only a feed "
                                            "IN_QUEUE can be canceled")
        sp_notifications.record_feed_finished(work.conn, found.seller_id, feed_id, work.now)

    market.run(command)


def feed_document(market: Marketplace, caller: Caller, document_id: str) -> str:
    """The id of a feed's result document the caller may fetch."""
    return market.read(lambda work: str(report_requests.own_document(
        work, caller, document_id, "result").document_id))

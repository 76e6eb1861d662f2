"""JSON_LISTINGS_FEED (Amazon's listings feed since the flat-file and XML listing feeds went on
2025-07-31): one JSON document of messages, each an UPDATE, PARTIAL_UPDATE, PATCH or DELETE of
one SKU, applied as the Listings Items API applies it. Each message is decided on its own (a
bad one is rejected alone with the issue that says why); messages are applied a batch per
transaction together with the feed's progress and issues, so a crash resumes at the first
message not applied. The processing report is Amazon's JSON one: header, issues, summary."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import DataError

from sellerflow.domain.callers import Caller
from sellerflow.domain.errors import ConcurrentUpdate, InvalidInput, NotFound, SellerflowError
from sellerflow.domain.listing_attributes import attribute_named
from sellerflow.service import listings
from sellerflow.service.context import Marketplace, Work
from sellerflow.store import feeds

FEED_TYPE = "JSON_LISTINGS_FEED"
VERSION = "2.0"
OPERATIONS = ("UPDATE", "PARTIAL_UPDATE", "PATCH", "DELETE")
MAX_MESSAGES = 10_000
MAX_MESSAGE_ID = 2 ** 63
BATCH_MESSAGES = 200
# The issues' codes: what was wrong with a message or the document.
CODES = {"malformed": "4000001", "invalid-attribute": "4000002", "not-found": "4000003",
         "duplicate-message": "4000004", "refused": "4000005", "rejected": "4000006",
         "document": "4000000"}
_SEVERITY = {"Error": "ERROR", "Warning": "WARNING", "Fatal": "ERROR"}


@dataclass(frozen=True)
class Message:
    position: int                 # 1-based place in the document: its record number
    message_id: Any
    body: Any


class DocumentProblem(SellerflowError):
    """A document that cannot be read as a listings feed: the feed is FATAL, nothing applied."""


def read_document(content: bytes, seller_id: str) -> list[Message]:
    """The feed's messages, once the document is a JSON listings feed of this seller."""
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise DocumentProblem(f"the document is not JSON ({error}); a listings feed is "
                              '{"header": {...}, "messages": [...]}') from None
    if not isinstance(document, dict):
        raise DocumentProblem('the document is not a JSON object with "header" and "messages"')
    header = document.get("header")
    if not isinstance(header, dict):
        raise DocumentProblem('"header" is missing: give {"sellerId": "...", "version": '
                              '"2.0", "issueLocale": "en_US"}')
    if header.get("sellerId") != seller_id:
        raise DocumentProblem(f"header.sellerId {header.get('sellerId')!r} is not the seller "
                              f"who submitted the feed ({seller_id})")
    if header.get("version") != VERSION:
        raise DocumentProblem(f"header.version {header.get('version')!r} is not {VERSION!r}, "
                              "the listings feed schema version")
    messages = document.get("messages")
    if not isinstance(messages, list) or not messages:
        raise DocumentProblem('"messages" must be a list of 1 to '
                              f"{MAX_MESSAGES} messages")
    if len(messages) > MAX_MESSAGES:
        raise DocumentProblem(f"{len(messages)} messages is more than the {MAX_MESSAGES} a "
                              "feed may have; split it into several feeds")
    return [Message(n, body.get("messageId") if isinstance(body, dict) else None, body)
            for n, body in enumerate(messages, 1)]


def apply_batch(work: Work, seller: Caller, feed_id: str, messages: list[Message]) -> int:
    """Apply the feed's next batch of messages; returns the number of messages now done."""
    assert seller.account_id is not None
    first = feeds.next_record(work.conn, seller.account_id, feed_id)
    batch = messages[first - 1:first - 1 + BATCH_MESSAGES]
    if not batch:
        return first - 1
    seen = {m.message_id for m in messages[:first - 1] if _is_id(m.message_id)}
    lines, successful = [], 0
    for message in batch:
        try:
            if _is_id(message.message_id) and message.message_id in seen:
                raise _Issue("duplicate-message", f"messageId {message.message_id} is used by "
                                                  "an earlier message; each message needs its "
                                                  "own")
            if _is_id(message.message_id):
                seen.add(message.message_id)
            with work.savepoint():
                _apply(work, seller, message)
            successful += 1
        except _Issue as issue:
            lines.append(_line(message, issue.kind, issue.message, issue.attribute))
        except DataError as error:
            lines.append(_line(message, "refused", "the database refused this message: "
                               f"{str(getattr(error, 'orig', error)).strip()}"))
    if not feeds.record_rows(work.conn, feed_id, seller.account_id, first, len(batch),
                             successful, lines):
        raise ConcurrentUpdate(f"feed {feed_id} messages from {first} were applied elsewhere")
    return batch[-1].position


class _Issue(Exception):
    def __init__(self, kind: str, message: str, attribute: str = "") -> None:
        super().__init__(message)
        self.kind, self.message, self.attribute = kind, message, attribute


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _apply(work: Work, seller: Caller, message: Message) -> None:
    """One message, as the Listings Items API's operation of the same kind applies it."""
    body, seller_id = message.body, seller.account_id
    assert seller_id is not None
    if not isinstance(body, dict):
        raise _Issue("malformed", "a message is a JSON object with messageId, sku and "
                                  "operationType")
    if not _is_id(message.message_id) or not 1 <= message.message_id < MAX_MESSAGE_ID:
        raise _Issue("malformed", "messageId must be a whole number from 1 to "
                                  f"{MAX_MESSAGE_ID - 1}")
    sku, operation = body.get("sku"), body.get("operationType")
    if not isinstance(sku, str) or not sku.strip():
        raise _Issue("malformed", "sku is missing: name the listing the message changes")
    if operation not in OPERATIONS:
        raise _Issue("malformed", f"operationType {operation!r} is not one of "
                                  f"{', '.join(OPERATIONS)}")
    product_type = body.get("productType")
    if operation in ("UPDATE", "PARTIAL_UPDATE") and not isinstance(product_type, str):
        raise _Issue("malformed", f"{operation} needs the productType, e.g. \"HOME\"")
    try:
        if operation == "DELETE":
            listings.delete_in(work, seller, seller_id, sku)
        elif operation == "PATCH":
            listings.patch_in(work, seller, seller_id, sku, _given(body, "patches", list))
        elif operation == "UPDATE":
            listings.put_in(work, seller, seller_id, sku, str(product_type),
                            _given(body, "attributes", dict))
        else:
            # Only the attributes given change; the listing must exist, as at Amazon.
            attributes = _given(body, "attributes", dict)
            listings.patch_in(work, seller, seller_id, sku, [
                {"op": "replace", "path": f"/attributes/{name}", "value": value}
                for name, value in attributes.items()])
    except NotFound:
        raise _Issue("not-found", f"seller {seller_id} has no listing {sku}: "
                                  f"{operation} changes an existing listing; UPDATE creates "
                                  "one") from None
    except InvalidInput as problem:
        raise _Issue("invalid-attribute", problem.message,
                     attribute_named(problem.field)) from None
    except SellerflowError as refusal:
        raise _Issue("rejected", refusal.message) from None


def _given(body: dict[str, Any], name: str, kind: type) -> Any:
    value = body.get(name)
    if not isinstance(value, kind):
        shape = "an object of attributes" if kind is dict else "a list of JSON patches"
        raise _Issue("malformed", f"{body.get('operationType')} needs {name}: {shape}")
    return value


def _line(message: Message, kind: str, text: str, attribute: str = "") -> tuple[Any, ...]:
    """An issue as the feed's result lines keep it: the message's place, its id and the
    attribute named (cut to the columns' size), code, severity, text."""
    message_id = str(message.message_id)[:40] if _is_id(message.message_id) else ""
    return (message.position, message_id, attribute[:40], CODES[kind], "Error", text)


def fatal_line(problem: DocumentProblem) -> tuple[Any, ...]:
    return (0, "", "", CODES["document"], "Fatal", problem.message)


def processing_report(seller_id: str, feed_id: str, processed: int, successful: int,
                      lines: list[Any]) -> str:
    """Amazon's JSON processing report of a listings feed."""
    issues = []
    for line in lines:
        issue: dict[str, Any] = {}
        if line.order_id:
            issue["messageId"] = int(line.order_id)
        issue.update(code=line.error_code, severity=_SEVERITY[line.error_type],
                     message=line.message)
        if line.order_item_id:
            issue["attributeName"] = line.order_item_id
        issues.append(issue)
    invalid = processed - successful
    return json.dumps({
        "header": {"sellerId": seller_id, "version": VERSION, "feedId": feed_id},
        "issues": issues,
        "summary": {"errors": sum(1 for i in issues if i["severity"] == "ERROR"),
                    "warnings": sum(1 for i in issues if i["severity"] == "WARNING"),
                    "messagesProcessed": processed, "messagesAccepted": successful,
                    "messagesInvalid": invalid}}, indent=2)


def messages_of(market: Marketplace, seller_id: str, feed_id: str) -> list[Message]:
    """The stored document's messages (it was read whole when it was stored)."""
    content = market.read(lambda work: feeds.document(work.conn, seller_id, feed_id))
    return read_document(content, seller_id)

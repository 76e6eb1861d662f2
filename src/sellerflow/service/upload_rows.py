"""Deciding a batch of an upload's rows: a shipment confirmation (L20, L21) or an order
cancellation (L22) per row. Each row is decided on its own, so a bad row is rejected alone
with the report line that says why; the accepted rows' decisions are returned to be written
set-wise with the batch."""

from __future__ import annotations

from sellerflow.domain import validation
from sellerflow.domain.callers import Caller, order_not_found
from sellerflow.domain.errors import InvalidInput, NotFound, RuleViolation, SellerflowError
from sellerflow.domain.fulfillment import ShipmentRequest, cancel_by_seller, confirm_shipment
from sellerflow.domain.model import Order
from sellerflow.domain.policy import BusinessCalendar
from sellerflow.flatfile import (
    ERROR_CODES,
    ORDER_ID,
    SHIPMENTS,
    FeedRow,
    Layout,
    Problem,
    parse_ship_date,
)
from sellerflow.service.context import Work, carrier_days
from sellerflow.service.deadlines import Side, settle_many
from sellerflow.service.recording import Change
from sellerflow.store import shipments

# A row's outcome: whether it counts as successful, and its report line if it has one.
Outcome = tuple[bool, Problem | None]


def decide(work: Work, seller: Caller, layout: Layout, rows: list[FeedRow]
           ) -> tuple[list[Outcome], list[Change]]:
    """The rows' outcomes in file order, and the changes of the rows accepted."""
    assert seller.account_id is not None
    outcomes: dict[int, Outcome] = {}
    for row in rows:
        try:
            _check_order_id(row)
            for column in layout.required:
                if not row.get(column):
                    raise RowError("missing-value", f"{column} is empty")
        except RowError as error:
            outcomes[row.record_number] = (False, problem(row, error))
    waiting = [r for r in rows if r.record_number not in outcomes]
    if layout is SHIPMENTS:
        # Only shipments remember their rows: a cancellation uploaded again meets its order
        # canceled and says so.
        applied = shipments.uploads_applied(work.conn, seller.account_id,
                                            {r.upload_key for r in waiting})
        for row in waiting:
            if row.upload_key in applied:
                outcomes[row.record_number] = (True, warning(
                    row, "already-applied",
                    "this row was applied by an earlier upload; nothing was applied again"))
        waiting = [r for r in waiting if r.record_number not in outcomes]
    # Another seller's order is reported exactly as a missing one: it is not among these.
    orders = settle_many(work, seller, {r.get("order-id") for r in waiting}, Side.SELLER)
    days = carrier_days(work.conn, seller.account_id) if layout is SHIPMENTS else None
    changes = []
    for row in waiting:
        order_id = row.get("order-id")
        order = orders.get(order_id)
        try:
            if order is None:
                raise order_not_found(order_id)
            change, note = (_ship(row, order, work, days) if days is not None
                            else _cancel(row, order, work))
        except SellerflowError as error:
            outcomes[row.record_number] = (False, problem(row, error))
            continue
        changes.append(change)
        orders[order_id] = change.decision.order
        outcomes[row.record_number] = (True, note)
    return [outcomes[r.record_number] for r in rows], changes


def _ship(row: FeedRow, order: Order, work: Work, days: BusinessCalendar
          ) -> tuple[Change, Problem | None]:
    request = ShipmentRequest(
        carrier=row.get("carrier-code"), carrier_name=row.get("carrier-name") or None,
        tracking_number=row.get("tracking-number"), ship_method=row.get("ship-method") or None,
        ship_date=parse_ship_date(row.get("ship-date")), lines=_lines(row, order))
    decision = confirm_shipment(order, request, work.now, work.policy, days)
    note = (warning(row, "invalid-tracking", str(decision.warnings[0]))
            if decision.warnings else None)
    return Change(order, decision, work.now, row.upload_key), note


def _cancel(row: FeedRow, order: Order, work: Work) -> tuple[Change, None]:
    """L22: a row cancels the order's whole unshipped rest, or, naming an item
    (amazon-order-item-code), that item's unshipped units only: Amazon cancels per item."""
    item_ids = (row.item_id,) if row.item_id else None
    decision = cancel_by_seller(order, row.get("cancellation-reason-code"), work.now, item_ids)
    return Change(order, decision, work.now), None


def _check_order_id(row: FeedRow) -> None:
    order_id = row.get("order-id")
    if not order_id:
        raise RowError("missing-value", "order-id is empty")
    if not ORDER_ID.fullmatch(order_id):
        raise RowError("bad-order-id", f"{order_id!r} is not an order id like "
                                       "123-1234567-1234567")


def _lines(row: FeedRow, order: Order) -> tuple[tuple[str, int], ...] | None:
    item_id = row.item_id
    quantity_text = row.get("quantity")
    if not item_id:
        if quantity_text:
            raise RowError("missing-value", "a quantity needs an order-item-id")
        return None
    item = order.item(item_id)
    if item is None:
        raise RowError("unknown-item", f"order item {item_id} is not in order "
                                       f"{order.amazon_order_id}")
    if not quantity_text:
        return ((item_id, item.quantity_to_ship),) if item.quantity_to_ship else ((item_id, 1),)
    if (not quantity_text.isascii() or not quantity_text.isdigit()
            or len(quantity_text) > validation.MAX_DIGITS or int(quantity_text) < 1):
        raise RowError("bad-quantity", f"quantity {quantity_text[:40]!r} is not a whole number "
                                       "of at least 1")
    return ((item_id, int(quantity_text)),)


class RowError(SellerflowError):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def problem(row: FeedRow, error: SellerflowError) -> Problem:
    return Problem(row.record_number, row.get("order-id"), row.item_id,
                   ERROR_CODES[_kind(error)], "Error", error.message)


def warning(row: FeedRow, kind: str, message: str) -> Problem:
    return Problem(row.record_number, row.get("order-id"), row.item_id, ERROR_CODES[kind],
                   "Warning", message)


# A refusal's field (bad input) or structured reason (a rule) -> the report's error kind.
_FIELD_KINDS = {"carrierCode": "unknown-carrier", "carrierName": "carrier-name-needed",
                "trackingNumber": "missing-tracking", "ship-date": "bad-ship-date",
                "orderItems": "unknown-item", "reason": "bad-reason"}
_RULE_KINDS = {"ship-date-out-of-range": "ship-date-out-of-range",
               "too-many-units": "too-many-units"}


def _kind(error: SellerflowError) -> str:
    if isinstance(error, RowError):
        return error.kind
    if isinstance(error, NotFound):
        return "unknown-order"
    if isinstance(error, InvalidInput):
        return _FIELD_KINDS.get(error.field, "missing-value")
    if isinstance(error, RuleViolation) and error.reason in _RULE_KINDS:
        return _RULE_KINDS[error.reason]
    return "not-actionable"

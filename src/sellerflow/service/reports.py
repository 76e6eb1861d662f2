"""Amazon's three order flat-file reports (L7, L18, L24), columns in Amazon's order."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sellerflow.domain import validation
from sellerflow.domain.callers import SELLER_SIDE, Caller
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.model import Buyer, Order, OrderItem, OrderStatus
from sellerflow.domain.money import Money
from sellerflow.domain.relay import relay_email
from sellerflow.service.context import Marketplace, Work, require_seller
from sellerflow.store import orders as order_store
from sellerflow.store import report_lines
from sellerflow.store import reports as report_store

ORDER_REPORT = (
    "order-id order-item-id purchase-date payments-date buyer-email buyer-name "
    "buyer-phone-number sku product-name quantity-purchased currency item-price item-tax "
    "shipping-price shipping-tax ship-service-level recipient-name ship-address-1 "
    "ship-address-2 ship-address-3 ship-city ship-state ship-postal-code ship-country "
    "ship-phone-number delivery-start-date delivery-end-date delivery-time-zone "
    "delivery-Instructions sales-channel").split()
UNSHIPPED_REPORT = (
    "order-id order-item-id purchase-date payments-date reporting-date promise-date "
    "days-past-promise buyer-email buyer-name buyer-phone-number sku product-name "
    "quantity-purchased quantity-shipped quantity-to-ship ship-service-level recipient-name "
    "ship-address-1 ship-address-2 ship-address-3 ship-city ship-state ship-postal-code "
    "ship-country is-business-order purchase-order-number price-designation is-prime "
    "verge-of-cancellation verge-of-lateShipment").split()
ALL_ORDERS_REPORT = (
    "amazon-order-id merchant-order-id purchase-date last-updated-date order-status "
    "fulfillment-channel sales-channel order-channel ship-service-level product-name sku asin "
    "item-status quantity currency item-price item-tax shipping-price shipping-tax "
    "gift-wrap-price gift-wrap-tax item-promotion-discount ship-promotion-discount ship-city "
    "ship-state ship-postal-code ship-country promotion-ids is-business-order "
    "purchase-order-number price-designation").split()

REPORT_TYPES = {
    "orders": ("GET_FLAT_FILE_ORDER_REPORT_DATA_SHIPPING", ORDER_REPORT),
    "unshipped": ("GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING", UNSHIPPED_REPORT),
    "all": ("GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL", ALL_ORDERS_REPORT),
}


@dataclass(frozen=True)
class Report:
    """A report held whole, its cells split (reports.build)."""

    kind: str
    header: list[str]
    rows: list[list[str]]


def flat_date(moment: datetime | None) -> str:
    """Flat files write ISO 8601 with an offset: 2020-09-09T06:47:15+00:00."""
    return "" if moment is None else moment.astimezone(UTC).replace(microsecond=0).isoformat()


DEFAULT_PERIOD = timedelta(days=30)    # a report without a start covers the last 30 days


def parse_period_bound(text: str | None, field: str, *, end: bool) -> datetime | None:
    if text is None:
        return None
    moment = validation.iso_time(text, field, days=True)
    if end and len(text.strip()) == 10:   # the whole day is in the period
        return moment.replace(hour=23, minute=59, second=59)
    return moment


def write(market: Marketplace, caller: Caller, kind: str, seller_id: str,
          out: Callable[[str], object], start: str | None = None, end: str | None = None,
          progress: Callable[[int], object] | None = None) -> int:
    """Write the report as tab-separated text to `out` as it is read (the header, then a line
    per row, each ending in a line break), in flat memory whatever its size; returns how many
    rows it has. `progress` hears the rows written so far, batch by batch."""
    if kind not in REPORT_TYPES:
        raise InvalidInput("reportType", f"{kind!r} is not orders, unshipped or all")
    period_start = parse_period_bound(start, "dataStartTime", end=False)
    period_end = parse_period_bound(end, "dataEndTime", end=True)
    caller.require(*SELLER_SIDE, doing="a seller's report")
    written = 0
    with market.reading() as work:
        require_seller(work.conn, caller, seller_id)
        period_end = period_end or work.now
        period_start = period_start or period_end - DEFAULT_PERIOD
        if period_start >= period_end:
            raise InvalidInput("dataStartTime", "the period's start must be before its end")
        out("\t".join(REPORT_TYPES[kind][1]) + "\n")
        if kind == "unshipped":
            batches = _unshipped_lines(work, seller_id, period_start, period_end)
        else:
            batches = report_lines.lines(work.conn, kind, seller_id, period_start, period_end,
                                         work.now)
        for text in batches:
            if text:
                out(text)
                written += text.count("\n")
                if progress is not None:
                    progress(written)
    return written


def build(market: Marketplace, caller: Caller, kind: str, seller_id: str,
          start: str | None = None, end: str | None = None) -> Report:
    """The whole report in memory, its cells split: for a report known to be small."""
    text: list[str] = []
    write(market, caller, kind, seller_id, text.append, start, end)
    # Split at line breaks only: splitlines() also splits at control characters a cell may hold.
    header, *rows = "".join(text).removesuffix("\n").split("\n")
    return Report(kind, header.split("\t"), [row.split("\t") for row in rows])


def _unshipped_lines(work: Work, seller_id: str, start: datetime, end: datetime
                     ) -> Iterator[str]:
    """The Unshipped Orders Report's lines, its cells reckoned from the time it is made; read
    a page of orders at a time, as getOrders pages."""
    after = None
    while True:
        page, more = order_store.find_orders(
            work.conn, seller_id, created=(start, end), updated=(None, None),
            statuses=UNSHIPPED_STATUSES, buyer_ids=(), order_ids=(), after=after,
            limit=UNSHIPPED_PAGE)
        people = report_store.buyers_by_id(work.conn, {o.buyer_id for o in page})
        yield "".join("\t".join(_one_line(cell) for cell in
                                 _unshipped_row(order, item, people.get(order.buyer_id),
                                                work.now)) + "\n"
                      for order in page for item in order.items if item.quantity_to_ship > 0)
        if not more:
            return
        after = (page[-1].purchase_date, page[-1].amazon_order_id)


UNSHIPPED_STATUSES = (OrderStatus.UNSHIPPED.value, OrderStatus.PARTIALLY_SHIPPED.value)
UNSHIPPED_PAGE = 500


def _one_line(cell: str) -> str:
    return cell.replace("\t", " ").replace("\n", " ")


def _money(m: Money) -> str:
    return f"{m.amount:.2f}"


def _address_cells(order: Order) -> list[str]:
    a = order.shipping_address
    return [a.Name, a.AddressLine1, a.AddressLine2 or "", a.AddressLine3 or "", a.City,
            a.StateOrRegion or "", a.PostalCode, a.CountryCode]


def _unshipped_row(order: Order, item: OrderItem, buyer: Buyer | None, now: datetime
                   ) -> list[str]:
    assert order.promise is not None
    latest_ship = order.promise.latest_ship
    days_past = math.floor((now - latest_ship).total_seconds() / 86400)
    # L24: on the verge of cancellation from the order's own scheduled warning.
    verge_cancel = order.ship_warning_at is not None and now >= order.ship_warning_at
    verge_late = latest_ship - now < timedelta(days=1)
    return [order.amazon_order_id, item.order_item_id, flat_date(order.purchase_date),
            flat_date(order.released_at), flat_date(now), flat_date(latest_ship), str(days_past),
            relay_email(buyer), buyer.name if buyer else "", order.shipping_address.Phone or "",
            item.sku, item.title, str(item.quantity_still_ordered), str(item.quantity_shipped),
            str(item.quantity_to_ship), order.ship_service_level, *_address_cells(order),
            "false", "", "", "false", str(verge_cancel).lower(), str(verge_late).lower()]



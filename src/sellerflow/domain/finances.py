"""What Amazon's Finances API reports of an order (financialEvents): a shipment event for each
confirmed shipment (each item's principal and shipping charged, the referral fee taken) and a
refund event for each refund (what went back to the buyer, the fee credited, the refund
administration fee). Made from the facts the ledger and the order keep. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sellerflow.domain.decisions import ShipmentRecord
from sellerflow.domain.model import Order
from sellerflow.domain.money import Money


@dataclass(frozen=True)
class ItemAmounts:
    """One item's part of an event: Amazon's ChargeType / FeeType names with their amounts
    (signed as Amazon signs them: charges to the buyer positive, fees to the seller
    negative; a refund's adjustments the other way round)."""

    sku: str
    order_item_id: str
    quantity: int
    charges: tuple[tuple[str, Money], ...]
    fees: tuple[tuple[str, Money], ...]


@dataclass(frozen=True)
class Postage:
    """A Buy Shipping label's postage (L29): Amazon's AdjustmentEvent PostageBilling, or
    PostageRefund when the label is canceled; signed as the seller's account sees it."""

    amount: Money
    label: str                  # what the label was: carrier, service and tracking number
    transaction: str            # the label's id


@dataclass(frozen=True)
class FinancialEvent:
    kind: str                   # "shipment", "refund", "postage" or "postage_refund"
    order_id: str
    posted: datetime
    items: tuple[ItemAmounts, ...]
    postage: Postage | None = None


def postage_event(kind: str, order_id: str, posted: datetime, postage: Postage
                  ) -> FinancialEvent:
    return FinancialEvent(kind, order_id, posted, (), postage)


def shipment_events(order: Order, shipments: Sequence[ShipmentRecord],
                    fees: Sequence[Money]) -> list[FinancialEvent]:
    """A shipment event per shipment, in the order they were confirmed; `fees[n]` is the
    referral fee the n-th shipment's ledger entry took. A line's shipping charge comes with
    its first units, as the buyer was charged (L25)."""
    shipped: dict[str, int] = {}
    events = []
    for shipment, fee in zip(shipments, fees, strict=True):
        parts = []
        for item_id, quantity in shipment.lines:
            item = order.item(item_id)
            if item is None:
                continue
            shipping = item.unit_shipping.times(quantity)
            if shipped.get(item_id, 0) == 0:
                shipping = shipping + item.line_shipping
            shipped[item_id] = shipped.get(item_id, 0) + quantity
            parts.append((item.sku, item_id, quantity, item.unit_price.times(quantity),
                          shipping))
        fee_parts = split(fee, [(p[3] + p[4]).cents for p in parts])
        events.append(FinancialEvent("shipment", order.amazon_order_id, shipment.confirmed_at,
                                     tuple(ItemAmounts(sku, item_id, quantity,
                                                       (("Principal", principal),
                                                        ("ShippingCharge", shipping)),
                                                       (("Commission", -taken),))
                                           for (sku, item_id, quantity, principal, shipping),
                                           taken in zip(parts, fee_parts, strict=True))))
    return events


def refund_event(order: Order, at: datetime, amount: Money, fee_credit: Money,
                 admin_fee: Money) -> FinancialEvent:
    """A refund, spread over the items shipped as they were charged (L26)."""
    items = [i for i in order.items if i.quantity_shipped]
    weights = [(i.unit_price + i.unit_shipping).times(i.quantity_shipped).cents for i in items]
    refunded = split(amount, weights)
    credited = split(fee_credit, weights)
    kept = split(admin_fee, weights)
    return FinancialEvent("refund", order.amazon_order_id, at, tuple(
        ItemAmounts(item.sku, item.order_item_id, item.quantity_shipped,
                    (("Principal", -back),), (("Commission", credit),
                                              ("RefundCommission", -fee)))
        for item, back, credit, fee in zip(items, refunded, credited, kept, strict=True)))


def split(total: Money, weights: Sequence[int]) -> list[Money]:
    """`total` in parts as the weights stand to one another, to the cent, the parts adding up
    to the total exactly (the last takes what rounding leaves)."""
    if not weights:
        return []
    whole = sum(weights)
    cents = [total.cents * w // whole if whole else 0 for w in weights[:-1]]
    cents.append(total.cents - sum(cents))
    return [Money.from_cents(c, total.currency) for c in cents]

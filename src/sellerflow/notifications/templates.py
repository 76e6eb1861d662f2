"""The one place notification texts are written, from the kind and facts the domain decided.

Each template is a subject and a body with `{fact}` fields; `{items}` expands to one line per
item. A template that names a fact the decision did not carry is a programming error and
fails loudly rather than sending a half-filled message."""

from __future__ import annotations

from dataclasses import dataclass

from sellerflow.domain.decisions import Notification


@dataclass(frozen=True)
class Template:
    subject: str
    body: str


TEMPLATES: dict[str, Template] = {
    # L13: the buyer's confirmation carries the whole estimated delivery window.
    "order-confirmation": Template(
        "Your order {orderId} is confirmed",
        "Thank you for your order {orderId}.\n{items}\n"
        "Estimated delivery: {deliveryFrom} to {deliveryTo} ({shipServiceLevel}).\n"),
    # L14: the seller's notice names the items, never the buyer's address.
    "sold-ship-now": Template(
        "Sold, ship now: order {orderId}",
        "Order {orderId} is ready to ship.\n{items}\n"
        "Ship by {shipBy} with {shipServiceLevel} shipping. "
        "The ship-to address is in the order details in Manage Orders.\n"),
    "buyer-cancel-request": Template(
        "Cancellation requested for order {orderId}",
        "The buyer asked to cancel order {orderId}: {reason}.\n"
        "Cancel it with reason BuyerCanceled, or ship it.\n"),
    # L24: sent once, with the same words Manage Orders shows.
    "ship-warning": Template(
        "Order {orderId}: {warning}",
        "{warning}. Order {orderId} still has {unitsToShip} unit(s) to ship; what is unshipped "
        "at the deadline is canceled automatically.\n"),
}


def render(note: Notification) -> tuple[str, str]:
    """The subject and body of a notification."""
    template = TEMPLATES[note.kind]
    items = "\n".join(f"  {units} x {title} (SKU {sku})" for units, title, sku in note.items)
    fields = {**note.facts, "items": items}
    return template.subject.format(**fields), template.body.format(**fields)

"""The one place notification texts are written, from the kind and facts the domain decided,
in the recipient's language (sellerflow/catalogs.py).

Each template is a subject and a body with `{fact}` fields; `{items}` expands to one line per
item. A template that names a fact the decision did not carry is a programming error and
fails loudly rather than sending a half-filled message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sellerflow import catalogs
from sellerflow.domain.decisions import Notification
from sellerflow.domain.names import LEVELS
from sellerflow.domain.text import N_


@dataclass(frozen=True)
class Template:
    subject: str
    body: str


TEMPLATES: dict[str, Template] = {
    # L13: the buyer's confirmation carries the whole estimated delivery window.
    "order-confirmation": Template(
        N_("Your order {orderId} is confirmed"),
        N_("Thank you for your order {orderId}.\n{items}\n"
           "Estimated delivery: {deliveryFrom} to {deliveryTo} ({shipServiceLevel}).\n")),
    # L14: the seller's notice names the items, never the buyer's address.
    "sold-ship-now": Template(
        N_("Sold, ship now: order {orderId}"),
        N_("Order {orderId} is ready to ship.\n{items}\n"
           "Ship by {shipBy} with {shipServiceLevel} shipping. "
           "The ship-to address is in the order details in Manage Orders.\n")),
    "buyer-cancel-request": Template(
        N_("Cancellation requested for order {orderId}"),
        N_("The buyer asked to cancel order {orderId}: {reason}.\n"
           "Cancel it with reason BuyerCanceled, or ship it.\n")),
    # L24: sent once, with the same words Manage Orders shows.
    "ship-warning": Template(
        N_("Order {orderId}: {warning}"),
        N_("{warning}. Order {orderId} still has {unitsToShip} unit(s) to ship; what is "
           "unshipped at the deadline is canceled automatically.\n")),
}
ITEM_LINE = N_("  {units} x {title} (SKU {sku})")
_DATES = ("deliveryFrom", "deliveryTo", "shipBy", "deadline")


def _same(message: str) -> str:
    return message


def render(note: Notification, language: str = catalogs.DEFAULT) -> tuple[str, str]:
    """The subject and body of a notification, in `language`."""
    template = TEMPLATES[note.kind]
    # English is the templates' own language: no catalog to read (a command that sends mail
    # does not load one).
    say = _same if language == catalogs.DEFAULT else catalogs.catalog(language).gettext
    line = say(ITEM_LINE)
    items = "\n".join(line.format(units=units, title=title, sku=sku)
                      for units, title, sku in note.items)
    fields = {**note.facts, "items": items}
    if language != catalogs.DEFAULT:
        from babel.dates import format_date

        # Dates as the language writes them (English keeps ISO 8601), names in its words.
        for name in _DATES:
            if name in fields:
                fields[name] = format_date(date.fromisoformat(fields[name]), "long",
                                           locale=language)
        if "shipServiceLevel" in fields:
            level = fields["shipServiceLevel"]
            fields["shipServiceLevel"] = say(LEVELS.get(level, level))
        if "reason" in fields:
            fields["reason"] = say(fields["reason"])
    return say(template.subject).format(**fields), say(template.body).format(**fields)

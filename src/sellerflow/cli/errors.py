"""How the command line reports an error: the one place that maps an error's category to an
exit status and a wire field name to the flag or argument a user typed."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.text import Text

from sellerflow.domain.errors import Category, InvalidInput, SellerflowError


class Interrupted(SellerflowError):
    """Ctrl-C: what was committed stays (every change is its own transaction) and nothing is
    half-applied; the message says what was done and how to go on."""

    code = "Interrupted"


def was_interrupted(error: BaseException) -> bool:
    """Ctrl-C, or a failure it caused: a KeyboardInterrupt landing inside the database
    library leaves its connection to be rolled back, and the rollback's own complaint is what
    surfaces, with the interrupt as its context."""
    seen: BaseException | None = error
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


INTERRUPTED_EXIT = 130
GENERIC_INTERRUPTION = ("interrupted; what was done before stays done and nothing is "
                        "half-applied: run the command again, or `sellerflow worker --once` to "
                        "finish an interrupted upload")

EXIT_STATUS = {
    Category.BAD_INPUT: 2,
    Category.RULE: 1,
    Category.CONFLICT: 1,
    Category.FORBIDDEN: 1,
    Category.UNAUTHENTICATED: 1,
    Category.THROTTLED: 1,
    Category.NOT_FOUND: 3,
    Category.INTERNAL: 4,
    Category.UNAVAILABLE: 4,
}

# Wire field -> what the user typed. Nested fields keep their tail: shippingAddress.City is
# shown as "--ship-to City".
FLAGS = {
    "database": "--db", "dataStartTime": "--from", "dataEndTime": "--to",
    "handlingDays": "--handling-days", "password": "--password", "plan": "--plan",
    "price": "--price", "quantity": "--quantity", "reason": "--reason",
    "OrderStatuses": "--status", "timeZone": "--time-zone", "title": "--title",
    "duration": "DURATION", "file": "FILE", "key": "KEY", "value": "VALUE",
    "reportType": "REPORT", "sku": "SKU", "idempotencyKey": "--idempotency-key",
    "shippingAddress": "--ship-to", "comment": "--comment", "amount": "--amount",
    "carrierCode": "--carrier", "carrierName": "--carrier-name",
    "trackingNumber": "--tracking", "shippingMethod": "--method", "shipDate": "--ship-date",
    "ship-date": "--ship-date", "orderItems": "--item", "items": "--item",
    "outcome": "--outcome", "rating": "--rating", "email": "--email",
    "shipServiceLevel": "--service", "paymentMethod": "--payment", "buyerEmail": "--buyer",
    "by": "--by", "NextToken": "--next-token", "limit": "--limit", "orders": "--orders",
    "days": "--days", "sellers": "--sellers", "buyers": "--buyers",
}
# Where one command spells a field differently from the rest.
COMMAND_FLAGS = {
    "order message": {"shippingAddress": "--address-change"},
    "seller create": {"name": "NAME"},
    "buyer create": {"email": "EMAIL", "name": "--name"},
    "buyer rotate-token": {"email": "EMAIL"},
    "seller holidays": {"holidays": "DATE"},
}


# What to type next, for the cases that have a command-line answer.
ADVICE = {
    "schema-missing": "run `sellerflow init` (or `sellerflow init --sandbox`) first",
    "live-database": "create a sandbox with `sellerflow --db URL init --sandbox`",
    "individual-plan": "confirm each order with `sellerflow ship ORDER ...`",
    "unknown-buyer": "`sellerflow buyer create EMAIL` adds one",
    "sandbox-database": "`sellerflow init --sandbox` upgrades it",
    "no-database": "`sellerflow init` (or `init --sandbox`) creates it",
}


def flag_for(field: str, command: str) -> str:
    head, dot, tail = field.partition(".")
    if "[" in head and not dot:
        head, _, rest = head.partition("[")
        tail = rest.rstrip("]")
    flag = COMMAND_FLAGS.get(command, {}).get(head) or FLAGS.get(head, head)
    return f"{flag} {tail}" if tail else flag


def exit_status(error: SellerflowError) -> int:
    if isinstance(error, Interrupted):
        return INTERRUPTED_EXIT
    return EXIT_STATUS[error.category]


def for_command_line(error: SellerflowError, command: str) -> SellerflowError:
    """The error with its field named as the user typed it, and the advice on what to type
    next in its message."""
    if isinstance(error, InvalidInput):
        shown: SellerflowError = InvalidInput(flag_for(error.field, command), error.problem,
                                              reason=error.reason)
        shown.details = {**(error.details or {}), "field": error.field}
    else:
        # A copy, field by field: errors' constructors take different arguments.
        shown = type(error).__new__(type(error))
        shown.__dict__.update(error.__dict__)
        shown.args = error.args
    if shown.reason in ADVICE and ADVICE[shown.reason] not in shown.message:
        shown.message = f"{shown.message}; {ADVICE[shown.reason]}"
    return shown


def emit_error(error: SellerflowError, as_json: bool, console: Console) -> None:
    if as_json:
        sys.stdout.write(json.dumps(error.to_wire(), default=str) + "\n")
        return
    message = error.message.removeprefix(f"{error.code}: ")
    console.print(Text.assemble(("error", "bold red"), f" ({error.code}): {message}"))
    details: dict[str, Any] = {k: v for k, v in (error.details or {}).items() if k != "field"}
    for key, value in details.items():
        console.print(f"  {key}: {json.dumps(value, default=str)}")

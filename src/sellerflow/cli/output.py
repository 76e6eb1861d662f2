"""How the CLI speaks: one JSON document with --json, Rich tables and messages otherwise."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from sellerflow.defaults import DEFAULT_URL
from sellerflow.domain.callers import Caller
from sellerflow.service.context import Marketplace, open_marketplace

# Markup off: names, SKUs and messages come from users, and "[...]" in them is just text.
stdout = Console(highlight=False, soft_wrap=True, markup=False)
stderr = Console(stderr=True, highlight=False, markup=False)


# The arguments most commands take.
def seller_arg() -> Any:
    return typer.Argument(..., metavar="SELLER", help="The seller's id, as `seller create` "
                                                      "printed it (also in `seller show`).")


def order_arg() -> Any:
    return typer.Argument(..., metavar="ORDER", help="The order id, like 111-1234567-1234567 "
                                                     "(from `orders SELLER`).")


def sku_arg() -> Any:
    return typer.Argument(..., metavar="SKU", help="The listing's SKU: the seller's own code "
                                                   "for the item.")


# The command line acts as the operator of the database it opens: every seller's business.
OPERATOR = Caller.operator()


@dataclass
class Options:
    db: str = DEFAULT_URL
    json: bool = False
    _market: Marketplace | None = None

    def market(self) -> Marketplace:
        if self._market is None:
            self._market = open_marketplace(self.db)
        return self._market


def options(ctx: typer.Context) -> Options:
    found = ctx.find_root().obj
    assert isinstance(found, Options)
    return found


def emit(ctx: typer.Context, document: Any, human: Callable[[], object] | None = None) -> None:
    if options(ctx).json:
        sys.stdout.write(json.dumps(document, default=str) + "\n")
    elif human is not None:
        human()
    else:
        stdout.print_json(json.dumps(document, default=str))


# Columns of free text, which give way when the terminal is narrow (cut with "…"); every other
# column (ids, SKUs, statuses, times, amounts) is shown whole on one line, so it can be copied.
FREE_TEXT = frozenset({"title", "subject", "warning", "reason", "error", "items", "email",
                       "to", "name"})
FREE_MIN = 8


def table(title: str, columns: list[str], rows: list[list[Any]],
          optional: tuple[str, ...] = ()) -> None:
    """`optional`: columns left out, in this order, while the table is wider than the
    terminal; free text then gives way, and the rest is never cut."""
    cells = [["" if cell is None else str(cell) for cell in row] for row in rows]
    shown = list(range(len(columns)))
    widths = [max([len(columns[n]), *(len(row[n]) for row in cells)]) for n in shown]

    def fixed(keep: list[int]) -> int:
        """What the whole columns and the spacing take (3 characters a column, 2 at the edge)."""
        return sum(widths[n] for n in keep if columns[n] not in FREE_TEXT) + 3 * len(keep) + 2

    def free(keep: list[int]) -> list[int]:
        return [n for n in keep if columns[n] in FREE_TEXT]

    for name in optional:
        if fixed(shown) + FREE_MIN * len(free(shown)) <= stdout.width:
            break
        shown = [n for n in shown if columns[n] != name]
    # The narrowest free-text columns get what they need first; the rest share what is left.
    room, allowed = stdout.width - fixed(shown), {}
    waiting = sorted(free(shown), key=lambda n: widths[n])
    while waiting:
        n = waiting.pop(0)
        allowed[n] = max(FREE_MIN, min(widths[n], room // (len(waiting) + 1)))
        room -= allowed[n]
    grid = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for n in shown:
        if columns[n] in FREE_TEXT:
            grid.add_column(columns[n], no_wrap=True, overflow="ellipsis", max_width=allowed[n])
        else:
            grid.add_column(columns[n], no_wrap=True, min_width=widths[n])
    for row in cells:
        grid.add_row(*[row[n] for n in shown])
    stdout.print(grid)


def pairs(title: str, values: dict[str, Any]) -> None:
    grid = Table(title=title, title_justify="left", show_header=False)
    grid.add_column("field", style="bold")
    grid.add_column("value", overflow="fold")
    for key, value in values.items():
        if isinstance(value, dict) and set(value) == {"CurrencyCode", "Amount"}:
            value = f"{value['Amount']} {value['CurrencyCode']}"
        grid.add_row(key, "" if value is None else str(value))
    stdout.print(grid)


class LocalTimes:
    """Times as a seller reads them, in its own time zone with the zone named
    (`2026-11-26 06:15 PST`), as Seller Central shows them; JSON keeps UTC."""

    def __init__(self, zone: str) -> None:
        self.zone = ZoneInfo(zone)

    def __call__(self, text: str | None) -> str:
        if not text:
            return ""
        moment = datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(self.zone)
        return moment.strftime("%Y-%m-%d %H:%M %Z")


def seller_times(ctx: typer.Context, seller_id: str) -> LocalTimes:
    """The seller's LocalTimes, only when a table is printed (JSON needs no zone)."""
    if options(ctx).json:
        return LocalTimes("UTC")
    from sellerflow.service import accounts

    profile = accounts.seller_profile(options(ctx).market(), OPERATOR, seller_id)
    return LocalTimes(profile.time_zone)


def money(value: dict[str, str] | None) -> str:
    return "" if not value else f"{value['Amount']} {value['CurrencyCode']}"

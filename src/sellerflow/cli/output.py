"""How the CLI speaks: one JSON document with --json, Rich tables and messages otherwise."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from sellerflow.domain.callers import Caller
from sellerflow.service.context import Marketplace, open_marketplace
from sellerflow.store.db import DEFAULT_URL

# Markup off: names, SKUs and messages come from users, and "[...]" in them is just text.
stdout = Console(highlight=False, soft_wrap=True, markup=False)
stderr = Console(stderr=True, highlight=False, markup=False)
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


def table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    grid = Table(title=title, title_justify="left")
    for column in columns:
        grid.add_column(column, overflow="fold")
    for row in rows:
        grid.add_row(*["" if cell is None else str(cell) for cell in row])
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


def money(value: dict[str, str] | None) -> str:
    return "" if not value else f"{value['Amount']} {value['CurrencyCode']}"

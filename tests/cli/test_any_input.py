"""Arbitrary text and numbers in every command's arguments and options: the answer is an exit
status of 0-3 with exactly one JSON document, never a traceback or an internal error, and
the marketplace's invariants hold afterwards.

The commands are found by walking the real command tree, so a new command or option is
covered without touching this test. They run in this process (a new process per example
would cost a third of a second each), against one marketplace per database kind."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sellerflow.cli import app, main, output
from sellerflow.service.context import Marketplace, open_marketplace
from tests import helpers as h
from tests.conftest import fresh_database_url

# Long-running or process-wide: a server, a worker loop, the demo, the schema.
SKIPPED = {"serve", "worker", "demo", "init"}
# Parameters naming files: written only inside the test's folder.
FILES = {"file", "report", "out"}


def _commands(command: Any, words: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...],
                                                                          Any]]:
    subcommands = getattr(command, "commands", None)
    if subcommands is None:
        yield words, command
        return
    for name, sub in subcommands.items():
        if name not in SKIPPED:
            yield from _commands(sub, (*words, name))


COMMANDS = sorted(_commands(typer.main.get_command(app)), key=lambda found: found[0])


@pytest.fixture(params=["sqlite", "postgresql"])
def shop(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path,
         postgres_template: str | None) -> Iterator[tuple[Marketplace, dict[str, str]]]:
    for url in fresh_database_url(request.param, tmp_path, sqlite_template, postgres_template):
        market = open_marketplace(url)
        seller = h.seller(market)
        h.listing(market, seller, quantity=50)
        order_id = h.released(market, seller, qty=2)
        known = {"seller": seller, "order": order_id, "sku": "MUG",
                 "item": h.item_id(market, order_id), "email": "buyer@example.com"}
        yield market, known
        market.close()


def _values(known: dict[str, str]) -> st.SearchStrategy[str]:
    text = st.text(alphabet=st.characters(exclude_characters="\x00"), max_size=40)
    numbers = st.one_of(st.integers(-10**40, 10**40).map(str),
                        st.floats(allow_nan=True, allow_infinity=True).map(repr),
                        st.decimals(allow_nan=True).map(str))
    shaped = st.sampled_from([
        *known.values(), f"{known['seller']}:MUG:1", f"{known['item']}:1", "0", "-0", "1e30",
        "30m", "21d", "99999d", "a\udcffb", "UPS", "Other", "1Z999AA10123456784", "{}",
        '{"Name": "A", "AddressLine1": "1 St", "City": "C", "StateOrRegion": "WA", '
        '"PostalCode": "98101", "CountryCode": "US"}', "[" * 3000, "line\nbreak", "tab\there",
        "2026-01-05", "approved", "buyer", "seller", "professional", "all", "unshipped"])
    return st.one_of(shaped, text, numbers)


@st.composite
def invocations(draw: st.DrawFn, known: dict[str, str], folder: Path) -> list[str]:
    words, command = draw(st.sampled_from(COMMANDS))
    values = _values(known)
    argv = list(words)
    for param in command.params:
        if param.name in FILES:
            target = folder / draw(st.sampled_from(["a.txt", "missing/b.txt", "."]))
            if param.param_type_name == "argument" and target.name == "a.txt":
                target.write_bytes(draw(st.binary(max_size=300)))
            value = str(target)
        else:
            value = draw(values)
        if param.param_type_name == "argument":
            argv.append(value)
        elif param.is_flag:
            if draw(st.booleans()):
                argv.append(param.opts[0])
        elif param.required or draw(st.booleans()):
            argv.extend([param.opts[0], value])
    return argv


def _run(url_market: Marketplace, argv: list[str], monkeypatch: pytest.MonkeyPatch
         ) -> tuple[int, str, str]:
    monkeypatch.setattr(output, "open_marketplace", lambda url: url_market)
    monkeypatch.setattr(sys, "argv", ["sellerflow", "--json", *argv])
    out, err = io.StringIO(), io.StringIO()
    status = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main()
        except SystemExit as done:
            status = int(done.code or 0)
    return status, out.getvalue(), err.getvalue()


def test_any_input_to_any_command_is_answered_cleanly(
        shop: tuple[Marketplace, dict[str, str]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    market, known = shop

    @settings(max_examples=settings().max_examples * 10,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(st.data())
    def one(data: st.DataObject) -> None:
        argv = data.draw(invocations(known, tmp_path))
        status, out, err = _run(market, argv, monkeypatch)
        assert "Traceback" not in out + err, (argv, err)
        assert status in (0, 1, 2, 3), (argv, status, out, err)
        documents = [line for line in out.splitlines() if line.strip()]
        if argv[:1] == ["report"] and "--out" not in argv and status == 0:
            return          # a report without --out is the TSV itself
        assert len(documents) == 1, (argv, out)
        json.loads(documents[0])
        h.assert_every_unit_is_accounted_for(market)
        h.assert_order_counts_match_the_orders(market)

    one()


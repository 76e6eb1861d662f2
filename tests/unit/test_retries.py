"""Which failures make a command run again from the start (one command, one transaction)."""

from __future__ import annotations

import psycopg.errors
import pytest

from sellerflow.domain.errors import ConcurrentUpdate
from sellerflow.service.context import Marketplace, _retryable


@pytest.mark.parametrize("error", [
    psycopg.errors.DeadlockDetected("deadlock detected"),
    psycopg.errors.SerializationFailure("could not serialize access"),
    ConcurrentUpdate("order changed while this command ran"),
])
def test_a_lost_race_is_retried_even_when_the_driver_raised_it_directly(
        error: Exception) -> None:
    assert _retryable(error)


@pytest.mark.parametrize("error", [ValueError("bad"), psycopg.errors.UndefinedTable("x")])
def test_other_failures_are_not_retried(error: Exception) -> None:
    assert not _retryable(error)


def test_run_repeats_the_whole_command_after_a_deadlock() -> None:
    market = Marketplace.__new__(Marketplace)
    calls: list[int] = []

    class OneUnit:
        def __enter__(self) -> object:
            return object()

        def __exit__(self, *exc: object) -> None:
            return None

    market.writing = OneUnit  # type: ignore[method-assign,assignment]

    def command(work: object) -> str:
        calls.append(1)
        if len(calls) == 1:
            raise psycopg.errors.DeadlockDetected("deadlock detected")
        return "done"

    assert market.run(command) == "done" and len(calls) == 2

"""The deployment's numbers (lifecycle.md: "numbers are defaults a deployment may configure"),
stored in the database so every process uses the same ones. Deadlines already scheduled keep
their due times: a change applies to orders placed after it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from sellerflow.clock import format_duration, parse_duration
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.policy import Policy
from sellerflow.store import settings

if TYPE_CHECKING:
    from sellerflow.service.context import Marketplace

PREFIX = "policy."


def _rate(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InvalidInput("VALUE", f"{text!r} is not a rate like 0.15") from None
    if not Decimal(0) <= value < Decimal(1):
        raise InvalidInput("VALUE", f"{text!r} must be at least 0 and below 1 (0.15 is 15%)")
    return value


def _days(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 20:
        raise InvalidInput("VALUE", f"{text!r} must be a whole number of business days, 1-20")
    return int(text)


# key -> (the Policy field it sets, the parser of its value)
KEYS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "hold": ("hold", parse_duration),
    "verification-limit": ("verification_limit", parse_duration),
    "ship-warning": ("ship_warning", parse_duration),
    "ship-deadline": ("ship_deadline", parse_duration),
    "referral-fee": ("referral_fee_rate", _rate),
    "handling-days": ("default_handling_days", _days),
}


def load(conn: Connection) -> Policy:
    policy = Policy()
    for key, (field_name, parse) in KEYS.items():
        stored = settings.get(conn, PREFIX + key)
        if stored is not None:
            policy = replace(policy, **{field_name: parse(stored)})
    return policy


def describe(policy: Policy) -> dict[str, str]:
    def show(value: Any) -> str:
        return format_duration(value) if isinstance(value, timedelta) else str(value)
    return {key: show(getattr(policy, field_name)) for key, (field_name, _) in KEYS.items()}


def set_value(market: Marketplace, key: str, value: str) -> dict[str, str]:
    if key not in KEYS:
        raise InvalidInput("KEY", f"{key!r} is not one of {', '.join(KEYS)}")
    field_name, parse = KEYS[key]
    parsed = parse(value.strip())

    def command(conn: Connection, now: datetime) -> Policy:
        try:
            policy = replace(load(conn), **{field_name: parsed})
        except ValueError as error:
            raise InvalidInput("VALUE", f"{key} {value}: {error}") from None
        settings.put(conn, PREFIX + key, value.strip())
        return policy

    market.policy = market.run(command)
    return describe(market.policy)

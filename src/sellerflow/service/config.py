"""The deployment's numbers (lifecycle.md: "numbers are defaults a deployment may configure"),
stored in the database so every process uses the same ones. Deadlines already scheduled keep
their due times: a change applies to orders placed after it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sellerflow.clock import format_duration, parse_duration
from sellerflow.domain.callers import MARKETPLACE_SIDE, SANDBOX_CONTROL, Caller, CallerKind
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.policy import AUTO_CANCEL_POLICIES, MAX_HANDLING_DAYS, Policy
from sellerflow.store import settings

if TYPE_CHECKING:
    from sellerflow.service.context import Marketplace, Work

PREFIX = "policy."


def _rate(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InvalidInput("value", f"{text!r} is not a rate like 0.15") from None
    if not Decimal(0) <= value < Decimal(1):
        raise InvalidInput("value", f"{text!r} must be at least 0 and below 1 (0.15 is 15%)")
    return value


def _duration(text: str) -> timedelta:
    return parse_duration(text, "value")


def _days(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_HANDLING_DAYS:
        raise InvalidInput("value", f"{text!r} must be a whole number of business days, "
                                    f"1-{MAX_HANDLING_DAYS}")
    return int(text)


def _auto_cancel(text: str) -> str:
    if text not in AUTO_CANCEL_POLICIES:
        raise InvalidInput("value", f"{text!r} is not one of {', '.join(AUTO_CANCEL_POLICIES)} "
                                    "(30-days: the seed's rule, L23; amazon-2020: Amazon's "
                                    "current one, L23a)")
    return text


def _on_off(text: str) -> bool:
    if text not in ("on", "off"):
        raise InvalidInput("value", f"{text!r} is not on or off")
    return text == "on"


# key -> (the Policy field it sets, the parser of its value)
KEYS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "hold": ("hold", _duration),
    "verification-limit": ("verification_limit", _duration),
    "ship-warning": ("ship_warning", _duration),
    "ship-deadline": ("ship_deadline", _duration),
    "referral-fee": ("referral_fee_rate", _rate),
    "handling-days": ("default_handling_days", _days),
    "auto-cancel": ("auto_cancel", _auto_cancel),
    "new-order-notifications": ("new_order_notifications", _on_off),
    "late-deliveries": ("late_deliveries", _rate),
    "lost-packages": ("lost_packages", _rate),
}


# What each key means, for `config set --help` (defaults from Policy).
MEANINGS = {
    "hold": "buyer-cancel hold after checkout (L5); default 30m",
    "verification-limit": "time to verify payment, then cancel (L8, L12); default 21d",
    "ship-warning": "ship-by warning, after purchase (L24); default 23d",
    "ship-deadline": "unshipped orders cancel, after purchase (L23); default 30d",
    "referral-fee": "fee rate on each shipment's gross (L25); default 0.15",
    "handling-days": "handling days of listings that set none, 1-30 (L15); default 2",
    "auto-cancel": "30-days: unshipped orders cancel 30 days after purchase (L23, L24); "
                   "amazon-2020: 7 business days after the ship-by date, Amazon's rule since "
                   "2020 (L23a, L24a); default 30-days",
    "new-order-notifications": "on: ORDER_CHANGE tells of each new (Pending) order; off: from "
                               "its first status change; default on",
    "late-deliveries": "share of packages the simulated carriers deliver a day or two after "
                       "the promised window (L30); default 0.01",
    "lost-packages": "share of packages the simulated carriers lose (L30); default 0.002",
}


def from_settings(stored: dict[str, str]) -> Policy:
    """The numbers in force: the defaults, overridden by what `config set` stored."""
    return _policy(tuple(sorted((key, value) for key, value in stored.items()
                                if key.startswith(PREFIX))))


@lru_cache(maxsize=64)
def _policy(stored: tuple[tuple[str, str], ...]) -> Policy:
    # Every unit of work reads the numbers; the same stored text always gives the same Policy.
    values = dict(stored)
    policy = Policy()
    for key, (field_name, parse) in KEYS.items():
        value = values.get(PREFIX + key)
        if value is not None:
            policy = replace(policy, **{field_name: parse(value)})
    return policy


def describe(policy: Policy) -> dict[str, str]:
    def show(value: Any) -> str:
        if isinstance(value, bool):
            return "on" if value else "off"
        return format_duration(value) if isinstance(value, timedelta) else str(value)
    return {key: show(getattr(policy, field_name)) for key, (field_name, _) in KEYS.items()}


def show(market: Marketplace, caller: Caller) -> dict[str, str]:
    """The numbers in force now."""
    caller.require(*MARKETPLACE_SIDE, doing="reading the deployment's numbers")
    return describe(market.policy())


def set_value(market: Marketplace, caller: Caller, key: str, value: str) -> dict[str, str]:
    """Change one number; every process sees it from its next command. Orders already placed
    keep the deadlines they were scheduled with. A sandbox's tester may change them too."""
    caller.require(*SANDBOX_CONTROL, doing="changing the deployment's numbers")
    if caller.kind is CallerKind.SANDBOX:
        market.require_sandbox("changing the numbers through the sandbox")
    if key not in KEYS:
        raise InvalidInput("key", f"{key!r} is not one of {', '.join(KEYS)}")
    field_name, parse = KEYS[key]
    parsed = parse(value.strip())

    def command(work: Work) -> Policy:
        try:
            policy = replace(work.policy, **{field_name: parsed})
        except ValueError as error:
            raise InvalidInput("value", f"{key} {value}: {error}") from None
        settings.put(work.conn, PREFIX + key, value.strip())
        return policy

    return describe(market.run(command))

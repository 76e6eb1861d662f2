"""Identifiers shaped like Amazon's."""

from __future__ import annotations

import secrets
import string

_ALNUM = string.ascii_uppercase + string.digits


def _digits(n: int) -> str:
    # One read of the system's randomness; 2**128 dwarfs 10**17, so the digits stay uniform.
    return str(int.from_bytes(secrets.token_bytes(16)) % 10**n).zfill(n)


def order_id() -> str:
    """3-7-7 digits, like 112-1234567-1234567: a US order's id starts 111 to 114."""
    return f"11{1 + secrets.randbelow(4)}-{_digits(7)}-{_digits(7)}"


def order_item_id() -> str:
    return _digits(14)


def asin() -> str:
    return "B0" + "".join(secrets.choice(_ALNUM) for _ in range(8))


def seller_id() -> str:
    return "A" + "".join(secrets.choice(_ALNUM) for _ in range(13))


def buyer_id() -> str:
    return "BUYER" + "".join(secrets.choice(_ALNUM) for _ in range(10))


def feed_id() -> str:
    return _digits(11)


def token(prefix: str, size: int = 32) -> str:
    return prefix + secrets.token_urlsafe(size)

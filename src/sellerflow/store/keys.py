"""Keys of seller-owned rows, (seller_id, id): grouped by seller, so each seller's rows are
read or written by one statement naming the seller (docs/scaling.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

Key = TypeVar("Key")


def by_seller(keys: Iterable[tuple[str, Key]]) -> dict[str, list[Key]]:
    """The ids of these (seller_id, id) keys by seller, each seller's in the order given."""
    found: dict[str, list[Key]] = {}
    for seller_id, key in keys:
        found.setdefault(seller_id, []).append(key)
    return found

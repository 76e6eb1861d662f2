"""The buyers of orders, by id (the Unshipped Orders Report and getOrders name them)."""

from __future__ import annotations

from sqlalchemy import Connection

from sellerflow.domain.model import Buyer
from sellerflow.store.driver import SelectIn
from sellerflow.store.schema import buyers

_BUYERS = SelectIn((buyers.c.buyer_id, buyers.c.email, buyers.c.name), buyers.c.buyer_id,
                   [buyers.c.buyer_id])


def buyers_by_id(conn: Connection, buyer_ids: set[str]) -> dict[str, Buyer]:
    return {buyer_id: Buyer(buyer_id, email, name)
            for buyer_id, email, name in _BUYERS.rows(conn, sorted(buyer_ids))}

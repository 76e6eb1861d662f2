"""Hashed tokens of the SP-API-compatible routes (LWA access tokens, restricted data tokens)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select

from sellerflow.store.driver import SelectRows
from sellerflow.store.schema import api_tokens, sellers

_FIND = SelectRows(select(api_tokens, sellers.c.plan)
                   .join(sellers, sellers.c.seller_id == api_tokens.c.seller_id)
                   .where(api_tokens.c.token_hash == bindparam("token_hash")))


def add(conn: Connection, token_hash: str, seller_id: str, kind: str, scope: str | None,
        expires_at: datetime) -> None:
    conn.execute(insert(api_tokens).values(token_hash=token_hash, seller_id=seller_id,
                                           kind=kind, scope=scope, expires_at=expires_at))


def find(conn: Connection, token_hash: str) -> dict[str, Any] | None:
    """The token with its seller's plan, in one query: every seller request reads it."""
    return _FIND.first(conn, {"token_hash": token_hash})


def revoke_all(conn: Connection, seller_id: str) -> int:
    """Every token of the seller; returns how many there were."""
    return int(conn.execute(delete(api_tokens).where(api_tokens.c.seller_id == seller_id))
               .rowcount)


def forget_expired(conn: Connection, seller_id: str, before: datetime) -> None:
    """A seller's tokens that expired before `before`: nothing can use them any more."""
    conn.execute(delete(api_tokens).where(api_tokens.c.seller_id == seller_id,
                                          api_tokens.c.expires_at < before))

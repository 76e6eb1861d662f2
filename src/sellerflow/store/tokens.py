"""Hashed tokens of the SP-API-compatible routes (LWA access tokens, restricted data tokens)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select

from sellerflow.store.schema import api_tokens, sellers


def add(conn: Connection, token_hash: str, seller_id: str, kind: str, scope: str | None,
        expires_at: datetime) -> None:
    conn.execute(insert(api_tokens).values(token_hash=token_hash, seller_id=seller_id,
                                           kind=kind, scope=scope, expires_at=expires_at))


def find(conn: Connection, token_hash: str) -> Row[Any] | None:
    """The token with its seller's plan, in one query: every seller request reads it."""
    return conn.execute(
        select(api_tokens, sellers.c.plan)
        .join(sellers, sellers.c.seller_id == api_tokens.c.seller_id)
        .where(api_tokens.c.token_hash == token_hash)).first()


def forget_expired(conn: Connection, seller_id: str, before: datetime) -> None:
    """A seller's tokens that expired before `before`: nothing can use them any more."""
    conn.execute(delete(api_tokens).where(api_tokens.c.seller_id == seller_id,
                                          api_tokens.c.expires_at < before))

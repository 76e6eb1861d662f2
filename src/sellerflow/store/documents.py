"""Documents fetched or uploaded through URLs on this server: report contents, feed files."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from sellerflow.store.schema import documents


def add(conn: Connection, document_id: str, seller_id: str, purpose: str, content_type: str,
        content: bytes | None, at: datetime, subject_id: str | None = None) -> None:
    conn.execute(insert(documents), {
        "document_id": document_id, "seller_id": seller_id, "purpose": purpose,
        "subject_id": subject_id, "content_type": content_type, "content": content,
        "created_at": at})


def of_subject(conn: Connection, purpose: str, subject_id: str) -> str | None:
    found: str | None = conn.execute(
        select(documents.c.document_id).where(documents.c.subject_id == subject_id,
                                              documents.c.purpose == purpose)).scalar()
    return found


def get(conn: Connection, document_id: str) -> Row[Any] | None:
    return conn.execute(select(documents).where(documents.c.document_id == document_id)).first()


def put_content(conn: Connection, document_id: str, content: bytes) -> None:
    conn.execute(update(documents).where(documents.c.document_id == document_id),
                 {"content": content})

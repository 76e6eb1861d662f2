"""The outbox dispatcher: delivers notifications after commit, at least once, one per key.

Without SELLERFLOW_SMTP_URL messages go to the local mailbox table (exactly once: the delivery
and its record share a transaction). With it (smtp://[user:pass@]host:port, or smtps://) they
go by SMTP; a resend can only happen if the process dies between the server's acceptance and
the record of it, and the Message-ID carries the dedupe key so a mail system can drop it."""

from __future__ import annotations

import os
import smtplib
from datetime import datetime
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlparse

from sqlalchemy import Connection, Row

from sellerflow.clock import iso
from sellerflow.service.context import Marketplace
from sellerflow.store import outbox

SMTP_URL_ENV = "SELLERFLOW_SMTP_URL"
MAIL_FROM_ENV = "SELLERFLOW_MAIL_FROM"
MAX_ATTEMPTS = 10


def dispatch(market: Marketplace, limit: int = 1000) -> int:
    """Deliver up to `limit` unsent messages; returns how many were delivered."""
    smtp_url = os.environ.get(SMTP_URL_ENV)
    delivered = 0
    while delivered < limit:
        def one(conn: Connection, now: datetime) -> bool | None:
            rows = outbox.unsent(conn, 1)
            if not rows:
                return None
            message = rows[0]
            if smtp_url is None:
                outbox.deliver_locally(conn, message, now)
                return True
            try:
                _send_smtp(smtp_url, message)
            except (OSError, smtplib.SMTPException) as error:
                outbox.mark_failed(conn, message.id, f"{type(error).__name__}: {error}")
                return False
            outbox.mark_sent(conn, message.id, now)
            return True

        result = market.run(one)
        if result is None or result is False:
            break
        delivered += 1
    return delivered


def _send_smtp(url: str, message: Row[Any]) -> None:
    parsed = urlparse(url)
    email = EmailMessage()
    email["From"] = os.environ.get(MAIL_FROM_ENV, "sellerflow <no-reply@sellerflow.local>")
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = f"<{message.dedupe_key.replace(':', '.')}@sellerflow.local>"
    email["X-Sellerflow-Kind"] = message.kind
    email.set_content(message.body)
    smtp_class = smtplib.SMTP_SSL if parsed.scheme == "smtps" else smtplib.SMTP
    with smtp_class(parsed.hostname or "127.0.0.1", parsed.port or 25, timeout=10) as client:
        if parsed.username:
            client.login(unquote(parsed.username), unquote(parsed.password or ""))
        client.send_message(email)


def mailbox(market: Marketplace, recipient: str | None = None) -> list[dict[str, Any]]:
    """What was delivered to the local mailbox, after delivering what is pending."""
    dispatch(market)
    with market.reading() as conn:
        rows = outbox.mailbox_messages(conn, recipient.strip().lower() if recipient else None)
    return [{"to": r.recipient, "subject": r.subject, "body": r.body, "sentAt": iso(r.sent_at),
             "kind": r.kind} for r in rows]

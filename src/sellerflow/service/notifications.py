"""The outbox dispatcher: delivers notifications after commit, at least once, one per key.

Without SELLERFLOW_SMTP_URL messages go to the local mailbox table (exactly once: the delivery
and its record share a transaction). With it (smtp://[user:pass@]host:port, or smtps://) they
go by SMTP; a resend can only happen if the process dies between the server's acceptance and
the record of it, and the Message-ID carries the dedupe key so a mail system can drop it.

A message that cannot be delivered is retried with a growing pause, and set aside after
MAX_ATTEMPTS attempts; either way the dispatcher goes on with the other messages, so one bad
address never holds up anyone else's mail (L16: notifications are a convenience)."""

from __future__ import annotations

import os
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from functools import partial
from typing import Any
from urllib.parse import unquote, urlparse

from sqlalchemy import Row

from sellerflow.domain.callers import MARKETPLACE_SIDE, Caller
from sellerflow.service.context import Marketplace, Work
from sellerflow.service.views import Mail
from sellerflow.store import outbox

SMTP_URL_ENV = "SELLERFLOW_SMTP_URL"
MAIL_FROM_ENV = "SELLERFLOW_MAIL_FROM"
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_PAUSE = timedelta(hours=6)


def retry_delay(attempts: int) -> timedelta:
    """The pause after the n-th failed attempt: 1, 2, 4, ... minutes, at most 6 hours."""
    pause: timedelta = FIRST_RETRY * 2 ** (attempts - 1)
    return min(pause, LONGEST_PAUSE)


def dispatch(market: Marketplace, limit: int = 1000) -> int:
    """Attempt up to `limit` due messages once each; returns how many were delivered."""
    smtp_url = os.environ.get(SMTP_URL_ENV)
    delivered = attempted = last_id = 0
    while attempted < limit:
        result = market.run(partial(_attempt_next, smtp_url=smtp_url, after_id=last_id))
        if result is None:
            break
        last_id, sent = result
        attempted += 1
        delivered += sent
    return delivered


def _attempt_next(work: Work, smtp_url: str | None, after_id: int) -> tuple[int, bool] | None:
    """One delivery attempt of the next due message after `after_id`: (its id, delivered)."""
    rows = outbox.deliverable(work.conn, work.now, 1, after_id=after_id)
    if not rows:
        return None
    message = rows[0]
    if smtp_url is None:
        outbox.deliver_locally(work.conn, message, work.now)
        return message.id, True
    try:
        _send_smtp(smtp_url, message)
    except (OSError, smtplib.SMTPException) as error:
        attempts = message.attempts + 1
        retry_at = work.now + retry_delay(attempts) if attempts < MAX_ATTEMPTS else None
        outbox.mark_failed(work.conn, message.id, f"{type(error).__name__}: {error}",
                           retry_at, work.now)
        return message.id, False
    outbox.mark_sent(work.conn, message.id, work.now)
    return message.id, True


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


def mailbox(market: Marketplace, caller: Caller, recipient: str | None = None) -> list[Mail]:
    """What was delivered to the local mailbox, after delivering what is due."""
    caller.require(*MARKETPLACE_SIDE, doing="reading the mailbox")
    dispatch(market)
    wanted = recipient.strip().lower() if recipient else None
    rows = market.read(lambda work: outbox.mailbox_messages(work.conn, wanted))
    return [Mail(r.recipient, r.subject, r.body, r.kind, r.sent_at) for r in rows]


def failed(market: Marketplace, caller: Caller, recipient: str | None = None) -> list[Mail]:
    """Messages set aside after their last delivery attempt, with the last error."""
    caller.require(*MARKETPLACE_SIDE, doing="reading the mailbox")
    wanted = recipient.strip().lower() if recipient else None
    rows = market.read(lambda work: outbox.set_aside(work.conn, wanted))
    return [Mail(r.recipient, r.subject, r.body, r.kind, None, r.attempts, r.last_error)
            for r in rows]

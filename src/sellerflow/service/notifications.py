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
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage
from functools import partial
from typing import Any
from urllib.parse import unquote, urlparse

from sqlalchemy import Row

from sellerflow.domain.callers import (
    MARKETPLACE_SIDE,
    SANDBOX_CONTROL,
    Caller,
    CallerKind,
    seller_not_found,
)
from sellerflow.service.context import Marketplace, Work
from sellerflow.service.views import Mail
from sellerflow.store import catalog, outbox

SMTP_URL_ENV = "SELLERFLOW_SMTP_URL"
MAIL_FROM_ENV = "SELLERFLOW_MAIL_FROM"
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_PAUSE = timedelta(hours=6)


def retry_delay(attempts: int) -> timedelta:
    """The pause after the n-th failed attempt: 1, 2, 4, ... minutes, at most 6 hours."""
    pause: timedelta = FIRST_RETRY * 2 ** (attempts - 1)
    return min(pause, LONGEST_PAUSE)


PASS_LIMIT = 20_000     # attempts in one pass, so the worker's other jobs get their turn
BATCH = 200             # messages claimed and recorded in one transaction


# One batch's attempt: (the last message's id, how many were tried, how many delivered), or
# None when nothing after `after_id` is due.
Attempt = Callable[..., "tuple[int, int, int] | None"]


def in_batches(market: Marketplace, attempt: Attempt, limit: int, batch: int, *,
               transaction: bool = True) -> int:
    """Up to `limit` due messages attempted once each, `batch` at a time (each batch one
    transaction, or, without `transaction`, `attempt` opening its own), oldest first; returns
    how many were delivered."""
    delivered = attempted = last_id = 0
    while attempted < limit:
        step = partial(attempt, after_id=last_id, size=min(batch, limit - attempted))
        result = market.run(step) if transaction else step()
        if result is None:
            break
        last_id, tried, sent = result
        attempted += tried
        delivered += sent
    return delivered


def dispatch(market: Marketplace, limit: int = PASS_LIMIT) -> int:
    """Attempt up to `limit` due messages once each, a batch at a time, over one SMTP
    connection for the whole pass; returns how many were delivered. Locally the delivery and
    its record share the transaction (exactly once). By SMTP a crash before the record
    resends the batch, which the Message-ID lets a mail system drop; on SQLite the batch is
    read, sent with no transaction open, then recorded, since a transaction that writes holds
    up every writer of the database and a slow mail server must never stall a checkout."""
    with _Mailer(os.environ.get(SMTP_URL_ENV)) as mailer:
        if mailer.url is None:
            return in_batches(market, _deliver_locally, limit, BATCH)
        if market.engine.dialect.name == "sqlite":
            return in_batches(market, partial(_mail_outside, market=market, mailer=mailer),
                              limit, BATCH, transaction=False)
        return in_batches(market, partial(_mail_within, mailer=mailer), limit, BATCH)


def _due(work: Work, after_id: int, size: int) -> list[Row[Any]]:
    return outbox.deliverable(work.conn, work.now, size, after_id=after_id, sp_api=False)


def _deliver_locally(work: Work, after_id: int, size: int) -> tuple[int, int, int] | None:
    rows = _due(work, after_id, size)
    if not rows:
        return None
    outbox.deliver_locally(work.conn, rows, work.now)
    return rows[-1].id, len(rows), len(rows)


def _mail_within(work: Work, mailer: _Mailer, after_id: int, size: int
                 ) -> tuple[int, int, int] | None:
    """PostgreSQL: read (rows locked), send and record in one transaction."""
    rows = _due(work, after_id, size)
    return _record(work, rows, mailer.send_all(rows)) if rows else None


def _mail_outside(market: Marketplace, mailer: _Mailer, after_id: int, size: int
                  ) -> tuple[int, int, int] | None:
    """SQLite: read, send with no transaction open, then record."""
    rows = market.read(partial(_due, after_id=after_id, size=size))
    if not rows:
        return None
    failures = mailer.send_all(rows)
    return market.run(partial(_record, rows=rows, failures=failures))


def _record(work: Work, rows: list[Row[Any]], failures: dict[int, str]
            ) -> tuple[int, int, int]:
    """A batch's attempts: (the last one's id, how many were tried, how many delivered)."""
    for message in rows:
        if message.id in failures:
            attempts = message.attempts + 1
            retry_at = work.now + retry_delay(attempts) if attempts < MAX_ATTEMPTS else None
            outbox.mark_failed(work.conn, message.id, failures[message.id], retry_at,
                               work.now)
    sent = [message.id for message in rows if message.id not in failures]
    outbox.mark_sent(work.conn, sent, work.now)
    return rows[-1].id, len(rows), len(sent)


class _Mailer:
    """One SMTP connection, opened at the first message and reopened after a failure (the
    server may have dropped it); closed at the end of the pass."""

    def __init__(self, url: str | None) -> None:
        self.url = url
        self._client: smtplib.SMTP | None = None

    def __enter__(self) -> _Mailer:
        return self

    def __exit__(self, *_: object) -> None:
        self._close()

    def _close(self) -> None:
        if self._client is not None:
            try:
                self._client.quit()
            except (OSError, smtplib.SMTPException):
                self._client.close()
            self._client = None

    def _connect(self) -> smtplib.SMTP:
        parsed = urlparse(self.url or "")
        smtp_class = smtplib.SMTP_SSL if parsed.scheme == "smtps" else smtplib.SMTP
        client = smtp_class(parsed.hostname or "127.0.0.1", parsed.port or 25, timeout=10)
        try:
            if parsed.username:
                client.login(unquote(parsed.username), unquote(parsed.password or ""))
        except (OSError, smtplib.SMTPException):
            client.close()
            raise
        return client

    def send_all(self, messages: list[Row[Any]]) -> dict[int, str]:
        """Each message sent; why, by outbox id, for those that could not be."""
        failures = {}
        for message in messages:
            try:
                self.send(message)
            except (OSError, smtplib.SMTPException) as error:
                failures[message.id] = f"{type(error).__name__}: {error}"
        return failures

    def send(self, message: Row[Any]) -> None:
        email = EmailMessage()
        email["From"] = os.environ.get(MAIL_FROM_ENV, "sellerflow <no-reply@sellerflow.local>")
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email["Message-ID"] = f"<{message.dedupe_key.replace(':', '.')}@sellerflow.local>"
        email["X-Sellerflow-Kind"] = message.kind
        email.set_content(message.body)
        if self._client is None:
            self._client = self._connect()
        try:
            self._client.send_message(email)
        except smtplib.SMTPRecipientsRefused:
            raise       # this address only: the connection is still good
        except (OSError, smtplib.SMTPException):
            self._close()
            raise


def mailbox(market: Marketplace, caller: Caller, recipient: str | None = None) -> list[Mail]:
    """What was delivered to the local mailbox, after delivering what is due: a seller's own
    mail for a seller; anyone's (or `recipient`'s) for the operator and a sandbox's tester."""
    caller.require(CallerKind.SELLER, *SANDBOX_CONTROL, doing="reading the mailbox")
    if caller.kind is CallerKind.SANDBOX:
        market.require_sandbox("the mailbox")
    dispatch(market)
    wanted = recipient.strip().lower() if recipient else None
    if caller.kind is CallerKind.SELLER:
        seller = market.look_up(lambda conn: catalog.get_seller(conn, caller.account_id or ""))
        if seller is None:
            raise seller_not_found(caller.account_id or "")
        wanted = seller.email
    rows = market.read(lambda work: outbox.mailbox_messages(work.conn, wanted))
    return [Mail(r.recipient, r.subject, r.body, r.kind, r.sent_at) for r in rows]


def failed(market: Marketplace, caller: Caller, recipient: str | None = None) -> list[Mail]:
    """Messages set aside after their last delivery attempt, with the last error."""
    caller.require(*MARKETPLACE_SIDE, doing="reading the mailbox")
    wanted = recipient.strip().lower() if recipient else None
    rows = market.read(lambda work: outbox.set_aside(work.conn, wanted))
    return [Mail(r.recipient, r.subject, r.body, r.kind, None, r.attempts, r.last_error)
            for r in rows]

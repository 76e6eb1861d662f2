"""Who is signed in to the console: sign-in with sign-in attempts counted per account and per
client in the database (so every process counts alike, and parallel guesses each take one),
sessions kept server-side (ended by signing out, by idle time, by age, by a password change),
and password changes.

Times are the wall clock's, never a sandbox's simulated clock (advancing it 30 days must not
sign a trainee out)."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from sellerflow.clock import SystemClock
from sellerflow.domain.callers import SELLER_SIDE, Caller, CallerKind, seller_not_found
from sellerflow.domain.errors import (
    Busy,
    InvalidInput,
    Refused,
    TooManyAttempts,
    Unauthenticated,
)
from sellerflow.domain.model import Seller
from sellerflow.domain.text import Phrase
from sellerflow.service.accounts import password_hash, password_matches, token_hash
from sellerflow.service.context import Marketplace, Work, require_seller
from sellerflow.store import catalog, classes, sessions

IDLE_LIMIT = timedelta(hours=8)          # a session unused this long has ended
AGE_LIMIT = timedelta(days=14)           # and any session this old
SEEN_EVERY = timedelta(minutes=1)        # how often a session's use is written down
WINDOW = timedelta(minutes=15)
ACCOUNT_ATTEMPTS = 5                     # tries per account per window
CLIENT_ATTEMPTS = 30                     # tries per client address per window
# Password checks run at once in one process: each takes ~50 ms of a core and 16 MiB, so a
# flood of sign-ins waits here instead of taking the server's memory and cores.
CONCURRENT_CHECKS = 2
_checks = threading.BoundedSemaphore(CONCURRENT_CHECKS)
CHECK_WAIT = 5.0
MIN_PASSWORD = 8
SIGN_IN_FAILED = Phrase("Your e-mail address or password is incorrect.")
SESSION_ENDED = Phrase("Your session has ended; sign in again.")
# A password that matches no seller's, checked when the e-mail is unknown, so a wrong e-mail
# takes as long as a wrong password and the time does not tell which e-mails have accounts.
_NO_SELLER = password_hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class SignedIn:
    """A console sign-in: the seller, the new session's id (for the cookie) and, for a
    class's trainee, which marketplace of the class it is in (`class/number`)."""

    seller: Seller | None      # None for a class's trainer, who is no seller
    session: str
    place: str | None = None
    trainer_of: str | None = None    # the class whose trainer signed in


def sign_in(market: Marketplace, email: str, password: str, client: str,
            trainee_marketplace: Callable[[str], Marketplace] | None = None) -> SignedIn:
    """The seller whose console e-mail and password these are, with a new session. A class's
    trainee (service/classroom.py) signs in with the class's sign-in and gets a session in
    their own marketplace, which `trainee_marketplace` opens from its place. Each attempt is
    counted before the password is checked; past the limits the answer is TooManyAttempts
    whatever the password."""
    email = email.strip().lower()
    if not email or not password:
        raise InvalidInput("email" if not email else "password", Phrase("is required"),
                           reason="missing")
    subjects = (f"account:{email}"[:400], f"client:{client}"[:400])
    # A class signs in from one classroom (one address behind its router): its sign-ins are
    # counted per account only. Their passwords are generated (72 bits): nothing to guess
    # across accounts from one address.
    counted = subjects[:1] if email.endswith("@" + classes.EMAIL_DOMAIN) else subjects
    market.run(lambda work: _count(work, counted))

    def look_up(work: Work) -> tuple[Any, Any]:
        member = classes.member_by_email(work.conn, email)
        return member, (None if member is not None
                        else catalog.seller_password_hash(work.conn, email))

    member, login = market.read(look_up)
    known = member.password_hash if member is not None else login[1] if login else None
    if not _checks.acquire(timeout=CHECK_WAIT):
        raise Busy(Phrase("Too many sign-ins are being checked just now; try again in a "
                          "moment."))
    try:
        matches = password_matches(password, known or _NO_SELLER)
    finally:
        _checks.release()
    if known is None or not matches:
        raise Unauthenticated(SIGN_IN_FAILED, reason="sign-in-failed")
    if member is None:
        def begin(work: Work) -> tuple[Seller, str]:
            sessions.forget_attempts(work.conn, subjects[0])
            return _begin(work, login[0])

        seller, session = market.run(begin)
        return SignedIn(seller, session)
    if member.seller_id is None:
        # The trainer: a session on the server's database, for the class's page.
        session = secrets.token_urlsafe(32)

        def begin_trainer(work: Work) -> None:
            sessions.forget_attempts(work.conn, subjects[0])
            classes.add_session(work.conn, token_hash(session), member.class_name,
                                SystemClock.read())

        market.run(begin_trainer)
        return SignedIn(None, session, trainer_of=member.class_name)
    if trainee_marketplace is None:
        raise Refused("NoClasses", "this front door does not open a trainee's marketplace")
    # A trainee's session is in their own marketplace: the attempts are the server's.
    market.run(lambda work: sessions.forget_attempts(work.conn, subjects[0]))
    place = f"{member.class_name}/{member.number}"
    own = trainee_marketplace(place)
    seller, session = own.run(lambda work: _begin(work, member.seller_id))
    return SignedIn(seller, session, place)


def _count(work: Work, subjects: tuple[str, ...]) -> None:
    now = SystemClock.read()
    for subject, limit in zip(subjects, (ACCOUNT_ATTEMPTS, CLIENT_ATTEMPTS), strict=False):
        row = sessions.attempts(work.conn, subject)
        new_window = row is None or row.window_start + WINDOW <= now
        if not new_window and row.attempts >= limit:
            wait = int((row.window_start + WINDOW - now).total_seconds()) + 1
            raise TooManyAttempts(Phrase("Too many sign-in attempts; try again in %(minutes)s "
                                         "minutes.", minutes=wait // 60 + 1), wait,
                                  reason="sign-in-throttled")
        sessions.count_attempt(work.conn, subject, now, new_window=new_window,
                               exists=row is not None)


def sandbox_sign_in(market: Marketplace, seller_id: str) -> tuple[Seller, str]:
    """On a sandbox, any seller, picked by id: practice needs no passwords."""
    market.require_sandbox("signing in without a password")

    def command(work: Work) -> tuple[Seller, str]:
        if catalog.get_seller(work.conn, seller_id) is None:
            raise InvalidInput("seller", f"there is no seller {seller_id!r}")
        return _begin(work, seller_id)

    return market.run(command)


def _begin(work: Work, seller_id: str) -> tuple[Seller, str]:
    seller = catalog.get_seller(work.conn, seller_id)
    assert seller is not None
    session = secrets.token_urlsafe(32)
    sessions.add(work.conn, token_hash(session), seller_id, SystemClock.read())
    return seller, session


def signed_in(market: Marketplace, session: str | None) -> Seller:
    """The seller a console session belongs to, as the seller is now (its plan may have
    changed); a session signed out, too long idle or too old is refused."""
    if not session:
        raise Unauthenticated(SESSION_ENDED, reason="no-session")
    key = token_hash(session)
    now = SystemClock.read()

    def query(conn: Connection) -> tuple[Any, Seller | None]:
        found = sessions.find(conn, key)
        return found, None if found is None else catalog.get_seller(conn, found["seller_id"])

    # Every console page asks: the session and its seller in one read.
    found, seller = market.look_up(query)
    if found is None or seller is None or _ended(found["created_at"], found["last_seen_at"],
                                                 now):
        raise Unauthenticated(SESSION_ENDED, reason="session-ended")
    if now - found["last_seen_at"] >= SEEN_EVERY:
        market.run(lambda work: sessions.seen(work.conn, key, now))
    return seller


def trainer_signed_in(market: Marketplace, session: str | None) -> str:
    """The class whose trainer this session is; an ended session signs in again (the same
    limits as a seller's)."""
    if not session:
        raise Unauthenticated(SESSION_ENDED, reason="no-session")
    key = token_hash(session)
    now = SystemClock.read()
    found = market.look_up(lambda conn: classes.find_session(conn, key))
    if found is None or _ended(found.created_at, found.last_seen_at, now):
        raise Unauthenticated(SESSION_ENDED, reason="session-ended")
    if now - found.last_seen_at >= SEEN_EVERY:
        market.run(lambda work: classes.session_seen(work.conn, key, now))
    return str(found.class_name)


def trainer_sign_out(market: Marketplace, session: str | None) -> None:
    if session:
        market.run(lambda work: classes.end_session(work.conn, token_hash(session)))


def _ended(created_at: datetime, last_seen_at: datetime, now: datetime) -> bool:
    return now - last_seen_at >= IDLE_LIMIT or now - created_at >= AGE_LIMIT


def sign_out(market: Marketplace, session: str | None) -> None:
    """Ends the session: a copy of its cookie opens nothing any more."""
    if session:
        market.run(lambda work: sessions.end(work.conn, token_hash(session)))


def change_password(market: Marketplace, caller: Caller, seller_id: str, current: str | None,
                    new: str, *, keep_session: str | None = None) -> int:
    """Sets the seller's console password and ends every other session of the seller;
    returns how many ended. A seller gives the current password; the operator need not."""
    caller.require(*SELLER_SIDE, doing="a password change")
    if len(new) < MIN_PASSWORD:
        raise InvalidInput("password", Phrase("a console password needs at least %(least)s "
                                              "characters", least=MIN_PASSWORD))
    if len(new) > 200:
        raise InvalidInput("password", Phrase("is longer than 200 characters"))
    if not caller.acts_for_seller(seller_id):
        raise seller_not_found(seller_id)
    stored = market.read(lambda work: catalog.seller_login(work.conn, seller_id))
    if caller.kind is not CallerKind.OPERATOR:
        if stored is None or current is None or not password_matches(current, stored):
            raise InvalidInput("current_password", Phrase("is not your current password"),
                               reason="wrong-password")
    hashed = password_hash(new)

    def command(work: Work) -> int:
        require_seller(work.conn, caller, seller_id)
        catalog.set_password_hash(work.conn, seller_id, hashed)
        keep = token_hash(keep_session) if keep_session else None
        return sessions.end_all(work.conn, seller_id, keep=keep)

    return market.run(command)


def end_sessions(market: Marketplace, caller: Caller, seller_id: str) -> int:
    """Ends every console session of the seller; returns how many."""
    caller.require(*SELLER_SIDE, doing="ending console sessions")

    def command(work: Work) -> int:
        require_seller(work.conn, caller, seller_id)
        return sessions.end_all(work.conn, seller_id)

    return market.run(command)

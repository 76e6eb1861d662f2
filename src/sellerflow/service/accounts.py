"""Sellers and buyers, with credentials printed once and stored only as hashes."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection

from sellerflow import catalogs
from sellerflow.domain import validation
from sellerflow.domain.callers import SANDBOX_CONTROL, SELLER_SIDE, Caller, CallerKind
from sellerflow.domain.errors import Conflict, InvalidInput
from sellerflow.domain.model import Buyer, Plan
from sellerflow.domain.policy import DEFAULT_TIME_ZONE
from sellerflow.service import ids
from sellerflow.service.context import Marketplace, Work, check_seller, require_seller
from sellerflow.service.views import BuyerCreated, SellerCreated, SellerProfile
from sellerflow.store import catalog

MAX_HOLIDAYS = 366
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def password_hash(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    _, salt, digest = stored.split("$")
    candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1)
    return secrets.compare_digest(candidate.hex(), digest)


def check_email(email: str, field: str = "email") -> str:
    email = email.strip().lower()
    if len(email) > 320 or not _EMAIL.fullmatch(email):
        raise InvalidInput(field, f"{email!r} is not an email address like name@example.com")
    return email


def _sandbox_or_operator(market: Marketplace, caller: Caller, doing: str) -> None:
    """Accounts are made by the operator, or by a sandbox's tester on a sandbox."""
    caller.require(*SANDBOX_CONTROL, doing=doing)
    if caller.kind is CallerKind.SANDBOX:
        market.require_sandbox(doing)


def create_seller(market: Marketplace, caller: Caller, name: str, plan: str, email: str,
                  time_zone: str | None = None, password: str | None = None,
                  language: str | None = None) -> SellerCreated:
    """A seller with its credentials (shown once); `language` is what its e-mails are written
    in (English unless given; the console records the seller's choice later)."""
    _sandbox_or_operator(market, caller, "adding a seller")
    name = validation.text(name, "name", 200, required=True)
    try:
        plan_value = Plan(plan.strip().lower())
    except ValueError:
        raise InvalidInput("plan", f"{plan!r} is not individual or professional") from None
    email = check_email(email)
    zone = time_zone or DEFAULT_TIME_ZONE
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("timeZone", f"{zone!r} is not an IANA time zone like "
                                          "America/Los_Angeles") from None
    if password is not None and len(password) < 8:
        raise InvalidInput("password", "a console password needs at least 8 characters")
    if language is not None and language not in catalogs.LANGUAGES:
        raise InvalidInput("language", f"{language!r} is not one of "
                                       f"{', '.join(catalogs.LANGUAGES)}")
    password = password or secrets.token_urlsafe(12)
    credentials = {
        "clientId": ids.token("amzn1.application-oa2-client.", 16),
        "clientSecret": ids.token("amzn1.oa2-cs.v1.", 24),
        "refreshToken": ids.token("Atzr|", 48),
    }

    def command(work: Work) -> SellerCreated:
        conn, now = work.conn, work.now
        if catalog.seller_email_taken(conn, email):
            raise Conflict("SellerExists", f"a seller with email {email} already exists; each "
                                           "seller needs an e-mail of its own")
        seller_id = ids.seller_id()
        catalog.insert_seller(conn, {
            "seller_id": seller_id, "name": name, "plan": plan_value.value,
            "email": email, "time_zone": zone, "holidays": "",
            "client_id": credentials["clientId"],
            "client_secret_hash": token_hash(credentials["clientSecret"]),
            "refresh_token_hash": token_hash(credentials["refreshToken"]),
            "password_hash": password_hash(password), "created_at": now,
            "language": language or catalogs.DEFAULT})
        return SellerCreated(seller_id, plan_value, email, credentials["clientId"],
                             credentials["clientSecret"], credentials["refreshToken"], password)

    return market.run(command)


def seller_profile(market: Marketplace, caller: Caller, seller_id: str) -> SellerProfile:
    """A seller's account, never a credential."""
    return market.read(lambda work: _profile(work.conn, caller, seller_id))


def _profile(conn: Connection, caller: Caller, seller_id: str) -> SellerProfile:
    seller = require_seller(conn, caller, seller_id)
    calendar = catalog.seller_calendar(conn, seller_id)
    assert calendar is not None
    return SellerProfile(seller.seller_id, seller.name, seller.plan, seller.email,
                         seller.time_zone, tuple(d.isoformat() for d in calendar[1]))


def set_holidays(market: Marketplace, caller: Caller, seller_id: str, days: list[str]
                 ) -> SellerProfile:
    """L15: the seller's holidays are not business days for promise dates (none by default).
    Orders released afterwards count with the new list."""
    if len(days) > MAX_HOLIDAYS:
        raise InvalidInput("holidays", f"{len(days)} dates are more than the {MAX_HOLIDAYS} a "
                                       "seller may set; give the coming year's")
    parsed = []
    for n, text in enumerate(days, 1):
        try:
            parsed.append(date.fromisoformat(text.strip()))
        except ValueError:
            raise InvalidInput(f"holidays[{n}]",
                               f"{text!r} is not a date like 2026-12-25") from None

    caller.require(*SELLER_SIDE, doing="setting holidays")

    def command(work: Work) -> SellerProfile:
        check_seller(work.conn, caller, seller_id)
        catalog.set_seller_holidays(work.conn, seller_id, parsed)
        return _profile(work.conn, caller, seller_id)

    return market.run(command)


def insert_buyer(conn: Connection, email: str, name: str | None, now: datetime
                 ) -> tuple[Buyer, str]:
    email = check_email(email)
    token = ids.token("sfb_")
    buyer = Buyer(ids.buyer_id(), email,
                  validation.text(name, "name", 200) or email.split("@")[0])
    catalog.insert_buyer(conn, {"buyer_id": buyer.buyer_id, "email": email, "name": buyer.name,
                                "token_hash": token_hash(token), "created_at": now})
    return buyer, token


def create_buyer(market: Marketplace, caller: Caller, email: str, name: str | None = None
                 ) -> BuyerCreated:
    _sandbox_or_operator(market, caller, "adding a buyer")
    email = check_email(email, "email")

    def command(work: Work) -> BuyerCreated:
        if catalog.get_buyer_by_email(work.conn, email) is not None:
            raise Conflict("BuyerExists", f"a buyer with email {email} already exists")
        buyer, token = insert_buyer(work.conn, email, name, work.now)
        return BuyerCreated(buyer.buyer_id, buyer.email, token)

    return market.run(command)


def read_in(market: Marketplace, caller: Caller, language: str) -> None:
    """The language a seller or buyer reads (what they signed in with or chose in the console
    or the storefront): their e-mails are written in it from now on. Others have none."""
    language = catalogs.language_of(language)

    def command(work: Work) -> None:
        if caller.kind is CallerKind.SELLER and caller.account_id:
            catalog.set_seller_language(work.conn, caller.account_id, language)
        elif caller.kind is CallerKind.BUYER and caller.account_id:
            catalog.set_buyer_language(work.conn, caller.account_id, language)

    market.run(command)

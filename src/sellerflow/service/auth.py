"""Who is calling the HTTP API: LWA-compatible access tokens and restricted data tokens (RDT)
for sellers, API tokens for buyers.

Tokens are random, handed out once and stored as hashes. They expire by the wall clock, never
by a sandbox's simulated clock (advancing it 30 days must not sign a tester out). An RDT
opens exactly the restricted operations it names (method and path) and the buyers' personal
data (names, street addresses, phone numbers, e-mail) there, for its lifetime, and nothing
else: no other route, no new token, and never past the access token it was made with."""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from sellerflow.clock import SystemClock
from sellerflow.domain.callers import Caller
from sellerflow.domain.errors import InvalidInput, RuleViolation, Unauthenticated
from sellerflow.domain.model import Plan, Seller
from sellerflow.service import ids
from sellerflow.service.accounts import (
    check_email,
    insert_buyer,
    token_hash,
)
from sellerflow.service.context import Marketplace, Work
from sellerflow.store import catalog, settings, tokens

TOKEN_LIFETIME = timedelta(hours=1)
ACCESS, RESTRICTED, GRANTLESS = "access", "rdt", "grantless"
# The scope of a grantless token (LWA's client_credentials grant), Amazon's for the
# Notifications API's destination operations.
NOTIFICATIONS_SCOPE = "sellingpartnerapi::notifications"
DENIED = "Access to requested resource is denied."

# The restricted operations an RDT can open (Amazon's Tokens API use-case guide: the Orders
# part, and getReportDocument of a restricted report, named by its own document id, never by a
# generic path), and the data elements the list and single-order calls take.
ORDER_ID = r"[0-9]{3}-[0-9]{7}-[0-9]{7}"
_ORDER = rf"/orders/v0/orders/(?:\{{orderId\}}|{ORDER_ID})"
REPORT_DOCUMENT = "/reports/2021-06-30/documents/"
RESTRICTED_PATHS = re.compile(
    rf"/orders/v0/orders|{_ORDER}|{_ORDER}/address|{_ORDER}/buyerInfo|{_ORDER}/orderItems"
    rf"|{_ORDER}/orderItems/buyerInfo|{REPORT_DOCUMENT}[A-Za-z0-9._-]{{1,100}}")
# Merchant Fulfillment's restricted operations (a label holds the buyer's address): POST
# /mfn/v0/shipments (createShipment), GET and DELETE of one shipment, named by its id or by
# {shipmentId} for any of the seller's.
SHIPMENT_ID = r"[A-Za-z0-9-]{1,40}"
_SHIPMENT = rf"/mfn/v0/shipments/(?:\{{shipmentId\}}|{SHIPMENT_ID})"
RESTRICTED_METHODS = ((re.compile("/mfn/v0/shipments"), ("POST",)),
                      (re.compile(_SHIPMENT), ("GET", "DELETE")),
                      (RESTRICTED_PATHS, ("GET",)))
DATA_ELEMENTS = frozenset({"buyerInfo", "shippingAddress", "buyerTaxInformation"})
MAX_RESOURCES = 50


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_in: int
    refresh_token: str | None = None


@dataclass(frozen=True)
class RestrictedResource:
    method: str
    path: str
    data_elements: frozenset[str] = frozenset()

    def covers(self, method: str, path: str) -> bool:
        if method != self.method:
            return False
        if "{orderId}" not in self.path and "{shipmentId}" not in self.path:
            return path == self.path
        pattern = re.escape(self.path).replace(re.escape("{orderId}"), ORDER_ID).replace(
            re.escape("{shipmentId}"), SHIPMENT_ID)
        return re.fullmatch(pattern, path) is not None


@dataclass(frozen=True)
class SellerSession:
    """The seller a token acts for, and what restricted data it opens."""

    seller_id: str
    plan: Plan
    resources: tuple[RestrictedResource, ...] = field(default=())
    restricted: bool = False            # an RDT: only the resources it names
    expires_at: datetime | None = None
    grantless: bool = False             # the application's own: the destinations only

    @property
    def caller(self) -> Caller:
        return Caller.seller(self.seller_id)

    def opens(self, method: str, path: str, element: str | None = None) -> bool:
        """Whether this token shows restricted data on `method path` (`element`: the data
        element a list or single-order call needs, e.g. shippingAddress)."""
        return any(r.covers(method, path) and (element is None or element in r.data_elements)
                   for r in self.resources)

    def names(self, method: str, path: str) -> bool:
        """Whether the token may be used on `method path` at all: an access token on any
        route, an RDT on the restricted operations it names."""
        return not self.restricted or any(r.covers(method, path) for r in self.resources)


def token_from_refresh(market: Marketplace, grant_type: str | None, refresh_token: str | None,
                       client_id: str | None, client_secret: str | None,
                       scope: str | None = None) -> IssuedToken:
    """LWA's refresh-token grant: the seller's client id, secret and refresh token buy an
    access token for an hour. Its client_credentials grant (client id and secret, the scope
    sellingpartnerapi::notifications) buys a grantless token for the application's own
    operations (the Notifications API's destinations)."""
    if grant_type == "client_credentials":
        return _grantless(market, client_id, client_secret, scope)
    if grant_type != "refresh_token":
        raise InvalidInput("grant_type", f"{grant_type!r} is not supported; use refresh_token "
                                         "(or client_credentials for a grantless token)",
                           reason="unsupported_grant_type")
    for name, value in (("refresh_token", refresh_token), ("client_id", client_id),
                        ("client_secret", client_secret)):
        if not value:
            raise InvalidInput(name, "is required with grant_type=refresh_token",
                               reason="invalid_request")
    assert refresh_token is not None and client_secret is not None

    def command(work: Work) -> IssuedToken:
        found = catalog.seller_credentials(work.conn, token_hash(refresh_token))
        if found is None:
            raise Unauthenticated("The refresh token is not valid.", reason="invalid_grant")
        if found.client_id != client_id or not secrets.compare_digest(
                found.client_secret_hash, token_hash(client_secret)):
            raise Unauthenticated("Client authentication failed.", reason="invalid_client")
        token = ids.token("Atza|", 48)
        _store(work, found.seller_id, token, ACCESS, None)
        return IssuedToken(token, int(TOKEN_LIFETIME.total_seconds()), refresh_token)

    return market.run(command)


def _grantless(market: Marketplace, client_id: str | None, client_secret: str | None,
               scope: str | None) -> IssuedToken:
    for name, value in (("client_id", client_id), ("client_secret", client_secret),
                        ("scope", scope)):
        if not value:
            raise InvalidInput(name, "is required with grant_type=client_credentials",
                               reason="invalid_request")
    if scope != NOTIFICATIONS_SCOPE:
        raise InvalidInput("scope", f"{scope!r} is not a scope sellerflow grants; use "
                                    f"{NOTIFICATIONS_SCOPE}", reason="invalid_scope")
    assert client_id is not None and client_secret is not None

    def command(work: Work) -> IssuedToken:
        found = catalog.seller_by_client_id(work.conn, client_id)
        if found is None or not secrets.compare_digest(found.client_secret_hash,
                                                       token_hash(client_secret)):
            raise Unauthenticated("Client authentication failed.", reason="invalid_client")
        token = ids.token("Atc|", 48)
        lifetime = _store(work, found.seller_id, token, GRANTLESS, scope)
        return IssuedToken(token, lifetime)

    return market.run(command)


def _store(work: Work, seller_id: str, token: str, kind: str, scope: str | None,
           until: datetime | None = None) -> int:
    """Keeps the token's hash; returns its lifetime in seconds (an hour, or less where it
    may not outlive `until`)."""
    now = SystemClock.read()
    expires_at = now + TOKEN_LIFETIME if until is None else min(now + TOKEN_LIFETIME, until)
    tokens.forget_expired(work.conn, seller_id, now)
    tokens.add(work.conn, token_hash(token), seller_id, kind, scope, expires_at)
    return max(0, int((expires_at - now).total_seconds()))


def seller_session(market: Marketplace, token: str | None, *, sp_api: bool,
                   method: str | None = None, path: str | None = None,
                   grantless: bool = False) -> SellerSession:
    """The seller an `x-amz-access-token` acts for, on the request `method path`. On the
    SP-API-compatible routes an Individual seller is refused (L21): those routes are for
    Professional sellers. An RDT is refused everywhere but on the restricted operations it
    names (sellerflow's own routes are none of them)."""
    if not token:
        raise Unauthenticated(DENIED, {"header": "x-amz-access-token"}, reason="missing")

    def query(conn: Connection) -> SellerSession:
        row = tokens.find(conn, token_hash(token))
        if row is None:
            raise Unauthenticated(DENIED, reason="unknown")
        if row["expires_at"] <= SystemClock.read():
            raise Unauthenticated(DENIED + " The access token you provided has expired.",
                                  reason="expired")
        is_grantless = row["kind"] == GRANTLESS
        resources = (_resources(json.loads(row["scope"])) if row["scope"] and not is_grantless
                     else ())
        return SellerSession(row["seller_id"], Plan(row["plan"]), resources,
                             row["kind"] == RESTRICTED, row["expires_at"], is_grantless)

    session = market.look_up(query)
    if session.grantless != grantless:
        raise Unauthenticated(DENIED + (
            " This operation takes a grantless token: POST /auth/o2/token with "
            f"grant_type=client_credentials and scope={NOTIFICATIONS_SCOPE}."
            if grantless else " A grantless token opens the Notifications API's destination "
                              "operations only; use the access token here."),
            reason="grantless-scope")
    if session.restricted and not (sp_api and method is not None and path is not None
                                   and session.names(method, path)):
        raise Unauthenticated(DENIED + " A restricted data token opens only the restricted "
                                       "operations it was made for; use the access token "
                                       "here.", reason="rdt-scope")
    if sp_api and session.plan is not Plan.PROFESSIONAL:
        raise RuleViolation("L21", f"seller {session.seller_id} is on the Individual plan; the "
                                   "SP-API-compatible routes are for Professional sellers: "
                                   "work through the console or the command line, or change "
                                   "plan", reason="individual-plan")
    return session


def restricted_data_token(market: Marketplace, session: SellerSession, body: Any
                          ) -> IssuedToken:
    """createRestrictedDataToken: a token for the restricted resources listed, for an hour
    and never longer than the access token it is made with. Only an access token makes one:
    an RDT minting RDTs would outlive every access token."""
    if session.restricted:
        raise Unauthenticated(DENIED, reason="rdt-scope")
    resources = _resources(body.get("restrictedResources") if isinstance(body, dict) else None)
    scope = json.dumps([{"method": r.method, "path": r.path,
                         "dataElements": sorted(r.data_elements)} for r in resources])

    def command(work: Work) -> IssuedToken:
        token = ids.token("Atz.sprdt|", 48)
        lifetime = _store(work, session.seller_id, token, RESTRICTED, scope,
                          until=session.expires_at)
        return IssuedToken(token, lifetime)

    return market.run(command)


def _resources(given: Any) -> tuple[RestrictedResource, ...]:
    where = "restrictedResources"
    if not isinstance(given, list) or not 1 <= len(given) <= MAX_RESOURCES:
        raise InvalidInput(where, f"give a list of 1 to {MAX_RESOURCES} restricted resources, "
                                  'each {"method": "GET", "path": "/orders/v0/orders/{orderId}'
                                  '/address"}')
    found = []
    for n, resource in enumerate(given):
        at = f"{where}[{n}]"
        if not isinstance(resource, dict):
            raise InvalidInput(at, "must be an object with method, path and dataElements")
        method, path = resource.get("method"), resource.get("path")
        elements = resource.get("dataElements") or []
        if method not in ("GET", "PUT", "POST", "DELETE"):
            raise InvalidInput(f"{at}.method", f"{method!r} is not GET, PUT, POST or DELETE")
        if not isinstance(path, str) or not any(
                paths.fullmatch(path) and method in methods
                for paths, methods in RESTRICTED_METHODS):
            raise InvalidInput(f"{at}.path", f"{method} {path!r} is not a restricted operation; "
                                             "restricted are GET /orders/v0/orders, "
                                             "/orders/v0/orders/{orderId} and its /address, "
                                             "/buyerInfo, /orderItems and "
                                             "/orderItems/buyerInfo, "
                                             f"{REPORT_DOCUMENT}DOCUMENT_ID of a restricted "
                                             "report (its own id, not a generic path), POST "
                                             "/mfn/v0/shipments, and GET or DELETE "
                                             "/mfn/v0/shipments/{shipmentId}")
        if not isinstance(elements, list) or not set(elements) <= DATA_ELEMENTS or not all(
                isinstance(e, str) for e in elements):
            raise InvalidInput(f"{at}.dataElements",
                               f"{elements!r}: the data elements are "
                               f"{', '.join(sorted(DATA_ELEMENTS))}")
        found.append(RestrictedResource(method, path, frozenset(elements)))
    return tuple(found)


def buyer_caller(market: Marketplace, token: str | None) -> Caller:
    """The buyer an API token (Authorization: Bearer) belongs to."""
    if not token:
        raise Unauthenticated("a buyer route needs the header Authorization: Bearer TOKEN, "
                              "with the token `buyer create` printed", reason="missing")
    buyer = market.look_up(lambda conn: catalog.buyer_by_token(conn, token_hash(token)))
    if buyer is None:
        raise Unauthenticated("the buyer token is not valid", reason="unknown")
    return Caller.buyer(buyer.buyer_id)


def sandbox_sellers(market: Marketplace) -> list[Seller]:
    """Every seller, for the sandbox console's seller picker (a sandbox has no secrets)."""
    market.require_sandbox("signing in without a password")
    return market.read(lambda work: catalog.all_sellers(work.conn))


def sandbox_buyer(market: Marketplace, email: str) -> Caller:
    """The storefront's buyer on a sandbox, by e-mail alone: made on first use, as `order
    place` does there."""
    market.require_sandbox("shopping without a buyer token")
    email = check_email(email, "email")

    def command(work: Work) -> Caller:
        buyer = catalog.get_buyer_by_email(work.conn, email)
        if buyer is None:
            buyer, _ = insert_buyer(work.conn, email, None, work.now)
        return Caller.buyer(buyer.buyer_id)

    return market.run(command)


CONSOLE_SECRET_KEY = "console_secret"


def console_secret(market: Marketplace) -> str:
    """The key console session cookies are signed with."""
    return kept_secret(market, CONSOLE_SECRET_KEY)


def kept_secret(market: Marketplace, key: str) -> str:
    """A random key made once per database and kept in it, so every server process (and a
    restarted one) signs and checks alike; read once per process."""
    found = market.kept.get(key)
    if found is not None:
        return found

    def command(work: Work) -> str:
        stored = settings.get(work.conn, key)
        if stored is None:
            stored = secrets.token_urlsafe(48)
            settings.put(work.conn, key, stored)
        return stored

    stored = market.read(lambda work: settings.get(work.conn, key))
    found = market.kept[key] = stored if stored is not None else market.run(command)
    return found

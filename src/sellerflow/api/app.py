"""The FastAPI application `sellerflow serve` runs: every router, the error mapping, the
request id and usage-plan headers, the security headers, the body size limit.

Routes are `async def` and call the services on the event loop: a request is one or two
short transactions, and handing each to a thread cost more than the work itself (getOrders
served about 180 requests a second through the thread pool, 450 on the loop, on the 2-core
test machine). A writing call goes through calls.call, which keeps the loop from ever waiting
for a lock: on SQLite it runs on the loop only if the write lock is free, else in the thread
pool; on PostgreSQL always in the pool. Work that grows with its input runs in the thread
pool too: a feed's file (createFeed, the document PUT), a document download and the sandbox
clock advance (which fires every deadline that falls due). More cores are used by
`serve --workers N`."""

from __future__ import annotations

import gc
import logging
import os
import time
import uuid
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sellerflow.api import (
    buyer,
    errors,
    finances,
    listings,
    mfn,
    notifications,
    orders,
    orders_v2026,
    own,
    reports,
    sandbox,
    shipping_v2,
    tokens,
    unserved,
)
from sellerflow.api.deps import document_access_token
from sellerflow.api.rates import Throttle
from sellerflow.api.static_sandbox import StaticSandbox
from sellerflow.clock import iso
from sellerflow.domain.errors import SellerflowError
from sellerflow.service.context import Marketplace, open_marketplace, watch_time

MAX_BODY_BYTES = 64 * 1024 * 1024     # a feed file may be large; JSON bodies are far smaller
ENV_DB, ENV_THROTTLE = "SELLERFLOW_DB", "SELLERFLOW_THROTTLE"

DESCRIPTION = """A local, stateful marketplace speaking Amazon's Selling Partner API.

* **SP-API-compatible seller routes** (Orders v0, Listings Items 2021-08-01, Reports and Feeds
  2021-06-30, Tokens 2021-03-01, Sellers v1): get an access token from `POST /auth/o2/token`
  with the credentials `sellerflow seller create` printed, and send it as
  `x-amz-access-token`.
* **sellerflow's own seller routes** under `/sellerflow/v1`, **buyer routes** under
  `/buyer/v1` (`Authorization: Bearer BUYER_TOKEN`) and, on a sandbox database, **control
  routes** under `/sandbox/v1` (the clock, payment verification, the mailbox).
"""


ACCESS_LOG = logging.getLogger("sellerflow.access")

# Sent with every answer. The console's pages load only their own scripts and styles (no
# inline ones), so the policy allows nothing else; the interactive API reference at /docs
# loads Swagger UI's from its CDN and is left without one.
_SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                     (b"referrer-policy", b"no-referrer")]
_CSP = (b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
_NO_CSP = ("/docs", "/redoc")


class Envelope:
    """Pure ASGI middleware: an `x-amzn-RequestId` on every answer, the operation's
    `x-amzn-RateLimit-Limit` where a route set one, the security headers, 413 for a body
    over the limit, and a line in the access log per request (no query string: it may hold
    a buyer's e-mail). Over TLS (or behind a proxy that says so) cookies are marked Secure.
    On a sandbox, an answer that read the marketplace says its clock's time in
    `x-sellerflow-sandbox-time` (the clock stands still between advances)."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES,
                 sandbox: bool = False) -> None:
        self.app = app
        self.max_body = max_body
        self.sandbox = sandbox

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = str(uuid.uuid4())
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        status = 0
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            await _too_large(send, request_id, self.max_body)
            _log_access(scope, request_id, 413, started)
            return
        where = _nul_in_address(scope)
        if where is not None:
            await _refuse_nul(send, request_id, where)
            _log_access(scope, request_id, 400, started)
            return
        # A NUL in a JSON string or a form field: PostgreSQL refuses it in any text, so it is
        # refused here, before anything reads it (a file upload may hold any bytes).
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        nul = _NUL_IN_BODY.get(content_type)
        secure = scope.get("scheme") == "https"
        path = scope["path"]
        csp = not path.startswith(_NO_CSP)
        seen = watch_time() if self.sandbox else None

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                if secure:
                    headers = [(k, v + b"; Secure") if k == b"set-cookie"
                               and b"secure" not in v.lower() else (k, v) for k, v in headers]
                headers.append((b"x-amzn-requestid", request_id.encode()))
                headers += _SECURITY_HEADERS
                if csp:
                    headers.append(_CSP)
                if "rate_limit" in state:
                    headers.append((b"x-amzn-ratelimit-limit", state["rate_limit"].encode()))
                if seen:
                    headers.append((b"x-sellerflow-sandbox-time", str(iso(seen[-1])).encode()))
                message["headers"] = headers
            await send(message)

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _BodyTooLarge()
            return message

        inner: Receive = limited_receive
        try:
            if nul is not None:
                # Read whole first (the route would read it whole too): what FastAPI reads
                # for a route, it answers any failure of with its own "error parsing the body".
                body = await _whole_body(limited_receive)
                if any(form in body for form in nul):
                    raise _NulInBody()
                inner = _replay(body, receive)
            await self.app(scope, inner, send_with_headers)
        except _BodyTooLarge:
            status = 413
            await _too_large(send, request_id, self.max_body)
        except _NulInBody:
            status = 400
            await _refuse_nul(send, request_id, "body")
        finally:
            _log_access(scope, request_id, status or 500, started)


async def _whole_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body read already, handed to the app as one message; then the connection's own."""
    given = False

    async def replayed() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


def _log_access(scope: Scope, request_id: str, status: int, started: float) -> None:
    if ACCESS_LOG.isEnabledFor(logging.INFO):
        client = scope.get("client") or ("-", 0)
        ACCESS_LOG.info("%s %s %s %s %d %.1fms", request_id, client[0], scope["method"],
                        scope["path"], status, (time.perf_counter() - started) * 1000)


class _BodyTooLarge(Exception):
    pass


class _NulInBody(Exception):
    pass


# How a NUL is written in each kind of body, escaped or not (a JSON text may not hold one raw,
# but a client may send it so).
_NUL_IN_BODY = {b"application/json": (b"\\u0000", b"\x00"),
                b"application/x-www-form-urlencoded": (b"%00", b"\x00")}


def _nul_in_address(scope: Scope) -> str | None:
    if "\x00" in scope["path"]:
        return "path"
    query = scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        return "query"
    return None


async def _refuse_nul(send: Send, request_id: str, where: str) -> None:
    """400 in Amazon's shape: a NUL character is no part of any id, filter or text."""
    body = ('{"errors": [{"code": "InvalidInput", "message": "the request\'s ' + where +
            ' holds a NUL character (%00 or \\\\u0000), which no id, filter or text may '
            'hold; remove it", "details": ""}]}').encode()
    await send({"type": "http.response.start", "status": 400, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"x-amzn-requestid", request_id.encode()), *_SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


async def _too_large(send: Send, request_id: str, limit: int) -> None:
    body = ('{"errors": [{"code": "RequestEntityTooLarge", "message": "the request body is '
            f'larger than the {limit // 1024 // 1024} MiB allowed", "details": ""}}]}}').encode()
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"x-amzn-requestid", request_id.encode())]})
    await send({"type": "http.response.body", "body": body})


def create_app(market: Marketplace, *, throttle: bool | None = None) -> FastAPI:
    """The app over one Marketplace. `throttle`: Amazon's usage plans enforced (default: on
    for a live database, off for a sandbox). The worker is a process of its own (`serve`
    starts it beside the server)."""
    app = FastAPI(title="sellerflow", version="0.1.0", description=DESCRIPTION)
    app.state.market = market
    app.state.throttle = Throttle(not market.sandbox if throttle is None else throttle, market)
    app.add_exception_handler(SellerflowError, errors.on_sellerflow_error)
    app.add_exception_handler(RequestValidationError, errors.on_validation_error)
    app.add_exception_handler(HTTPException, errors.on_http_error)
    app.add_exception_handler(Exception, errors.on_internal_error)
    # Routes are matched in order: the busiest (getOrders, checkout) are tried first.
    for module in (orders, buyer, orders_v2026, tokens, listings, reports, notifications,
                   finances, mfn, shipping_v2, own):
        app.include_router(module.router)
    if market.sandbox:      # on a live database the control routes do not exist at all
        app.include_router(sandbox.router)
    app.include_router(unserved.router)     # after every served route
    # The web console answers every path the API does not (it is matched last).
    from sellerflow.web.app import create_console

    app.mount("/", create_console(market), name="console")
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_access_token(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    if market.sandbox:      # Amazon's canned answers are a testing aid: sandboxes only
        app.add_middleware(StaticSandbox)
    app.add_middleware(Envelope, sandbox=market.sandbox)
    # What start-up made lives as long as the server: out of the collector's passes.
    gc.freeze()
    return app


def app_from_environment() -> FastAPI:
    """For `serve --workers N`: each process opens the database named in the environment."""
    market = open_marketplace(os.environ[ENV_DB])
    throttle = {"on": True, "off": False}.get(os.environ.get(ENV_THROTTLE, ""))
    return create_app(market, throttle=throttle)

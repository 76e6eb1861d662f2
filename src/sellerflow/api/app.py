"""The FastAPI application `sellerflow serve` runs: every router, the error mapping, the
request id and usage-plan headers, the body size limit, and the worker beside it.

Routes are `async def` and call the services directly on the event loop: a request is one or
two short transactions, and handing each to a thread cost more than the work itself (getOrders
served about 180 requests a second through the thread pool, 450 on the loop, on the 2-core
test machine). Work that grows with its input runs in the thread pool instead, so it never
holds other requests up: a feed's file (createFeed, the document PUT), a document download
and the sandbox clock advance (which fires every deadline that falls due). More cores are used
by `serve --workers N`."""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sellerflow.api import buyer, errors, listings, orders, own, reports, sandbox, tokens
from sellerflow.api.rates import Throttle
from sellerflow.domain.errors import SellerflowError
from sellerflow.service.context import Marketplace, open_marketplace

MAX_BODY_BYTES = 64 * 1024 * 1024     # a feed file may be large; JSON bodies are far smaller
ENV_DB, ENV_WORKER, ENV_THROTTLE = "SELLERFLOW_DB", "SELLERFLOW_SERVE_WORKER", "SELLERFLOW_THROTTLE"

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
    a buyer's e-mail). Over TLS (or behind a proxy that says so) cookies are marked Secure."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = str(uuid.uuid4())
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        status = 0
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            await _too_large(send, request_id, self.max_body)
            _log_access(scope, request_id, 413, started)
            return
        secure = scope.get("scheme") == "https"
        path = scope["path"]
        csp = not path.startswith(_NO_CSP)

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

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except _BodyTooLarge:
            status = 413
            await _too_large(send, request_id, self.max_body)
        finally:
            _log_access(scope, request_id, status or 500, started)


def _log_access(scope: Scope, request_id: str, status: int, started: float) -> None:
    if ACCESS_LOG.isEnabledFor(logging.INFO):
        client = scope.get("client") or ("-", 0)
        ACCESS_LOG.info("%s %s %s %s %d %.1fms", request_id, client[0], scope["method"],
                        scope["path"], status, (time.perf_counter() - started) * 1000)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send, request_id: str, limit: int) -> None:
    body = ('{"errors": [{"code": "RequestEntityTooLarge", "message": "the request body is '
            f'larger than the {limit // 1024 // 1024} MiB allowed", "details": ""}}]}}').encode()
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"x-amzn-requestid", request_id.encode())]})
    await send({"type": "http.response.body", "body": body})


def create_app(market: Marketplace, *, throttle: bool | None = None,
               run_worker: bool = False, worker_interval: float = 1.0) -> FastAPI:
    """The app over one Marketplace. `throttle`: Amazon's usage plans enforced (default: on
    for a live database, off for a sandbox). `run_worker`: the worker in a thread beside it."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        thread = None
        if run_worker:
            from sellerflow import worker

            thread = threading.Thread(target=worker.loop, args=(market, stop, worker_interval),
                                      name="sellerflow-worker", daemon=True)
            thread.start()
        yield
        stop.set()
        if thread is not None:
            thread.join(timeout=30)

    app = FastAPI(title="sellerflow", version="0.1.0", description=DESCRIPTION,
                  lifespan=lifespan)
    app.state.market = market
    app.state.throttle = Throttle(not market.sandbox if throttle is None else throttle)
    app.add_exception_handler(SellerflowError, errors.on_sellerflow_error)
    app.add_exception_handler(RequestValidationError, errors.on_validation_error)
    app.add_exception_handler(HTTPException, errors.on_http_error)
    app.add_exception_handler(Exception, errors.on_internal_error)
    for module in (tokens, orders, listings, reports, own, buyer):
        app.include_router(module.router)
    if market.sandbox:      # on a live database the control routes do not exist at all
        app.include_router(sandbox.router)
    # The web console answers every path the API does not (it is matched last).
    from sellerflow.web.app import create_console

    app.mount("/", create_console(market), name="console")
    app.add_middleware(Envelope)
    return app


def app_from_environment() -> FastAPI:
    """For `serve --workers N`: each process opens the database named in the environment."""
    market = open_marketplace(os.environ[ENV_DB])
    throttle = {"on": True, "off": False}.get(os.environ.get(ENV_THROTTLE, ""))
    return create_app(market, throttle=throttle,
                      run_worker=os.environ.get(ENV_WORKER) == "1")

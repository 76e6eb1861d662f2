"""How the HTTP API reports an error: the one place mapping an error's category to a status.

SP-API-compatible routes answer only the statuses their models declare, in Amazon's shape
(`details` a string): bad input and rule refusals 400 `InvalidInput` with the rule id in the
message, a bad token 403 `Unauthorized`, not found 404, throttled 429. sellerflow's own routes
(/sellerflow, /buyer, /sandbox) say more: 401 for a missing or bad token, 409 with the rule
id as the code for a refusal by a rule."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from sellerflow.domain.errors import Category, InvalidInput, SellerflowError

ERROR_LOG = logging.getLogger("sellerflow.errors")
AUTH_LOG = logging.getLogger("sellerflow.auth")
# The first path segment of every Selling Partner API (Amazon's models), served or not: what
# sellerflow does not serve under them answers in Amazon's error shape too (api/unserved.py).
SP_API_ROOTS = (
    "aplus", "appIntegrations", "application", "applications", "authorization", "awd",
    "batches", "catalog", "customerFeedback", "dataKiosk", "definitions", "easyShip",
    "externalFulfillment", "fba", "feeds", "finances", "inbound", "invoices", "listings",
    "messaging", "mfn", "notifications", "orders", "products", "replenishment", "reports",
    "sales", "sellers", "services", "shipping", "solicitations", "supplySources", "tokens",
    "transfers", "uploads", "vehicles", "vendor",
)
SP_API_PREFIXES = tuple(f"/{root}/" for root in SP_API_ROOTS)

OWN_STATUS = {
    Category.BAD_INPUT: 400, Category.UNAUTHENTICATED: 401, Category.FORBIDDEN: 403,
    Category.NOT_FOUND: 404, Category.RULE: 409, Category.CONFLICT: 409,
    Category.THROTTLED: 429, Category.UNAVAILABLE: 503, Category.INTERNAL: 500,
}
SP_API_STATUS = {
    Category.BAD_INPUT: 400, Category.UNAUTHENTICATED: 403, Category.FORBIDDEN: 403,
    Category.NOT_FOUND: 404, Category.RULE: 400, Category.CONFLICT: 400,
    Category.THROTTLED: 429, Category.UNAVAILABLE: 503, Category.INTERNAL: 500,
}


class Throttled(SellerflowError):
    category = Category.RULE
    code = "QuotaExceeded"


def is_sp_api(path: str) -> bool:
    return path.startswith(SP_API_PREFIXES)


# The SP-API models that declare 409 Conflict; the others answer a conflict 400.
DECLARES_CONFLICT = ("/notifications/",)


def error_body(error: SellerflowError, *, sp_api: bool, conflict: bool = False
               ) -> tuple[int, dict[str, Any]]:
    if isinstance(error, Throttled):
        return 429, {"errors": [{"code": error.code, "message": error.message,
                                 "details": ""}]}
    if not sp_api:
        return OWN_STATUS[error.category], error.to_wire()
    status = SP_API_STATUS[error.category]
    code, message = error.code, error.message
    if conflict and error.category is Category.CONFLICT:
        return 409, {"errors": [{"code": "Conflict", "message": message,
                                 "details": _details_text(error.details)}]}
    if error.category in (Category.RULE, Category.CONFLICT):
        code = "InvalidInput"
        if not message.startswith(f"{error.code}:"):
            message = f"{error.code}: {message}"
    if error.reason == "individual-plan":
        # L21: not for this seller at all; Amazon answers such a caller Unauthorized.
        status, code = 403, "Unauthorized"
    elif error.category is Category.FORBIDDEN or status == 403:
        code = "Unauthorized"
    return status, {"errors": [{"code": code, "message": message,
                                "details": _details_text(error.details)}]}


def _details_text(details: dict[str, Any] | None) -> str:
    """Amazon's Error.details is a string."""
    if not details:
        return ""
    return "; ".join(f"{k}={v}" for k, v in details.items())


def render(error: SellerflowError, request: Request) -> JSONResponse:
    path = request.url.path
    status, body = error_body(error, sp_api=is_sp_api(path),
                              conflict=path.startswith(DECLARES_CONFLICT))
    return JSONResponse(body, status_code=status, headers=retry_headers(error))


def retry_headers(error: SellerflowError) -> dict[str, str]:
    return {} if error.retry_after is None else {"Retry-After": str(error.retry_after)}


async def on_sellerflow_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, SellerflowError)
    if error.category is Category.UNAUTHENTICATED:
        # Who was refused and why; never the token itself.
        AUTH_LOG.warning("request %s: credential refused (%s) on %s %s from %s",
                         request_id_of(request), error.reason or "-", request.method,
                         request.url.path, request.client.host if request.client else "-")
    return render(error, request)


def validation_problem(error: RequestValidationError) -> InvalidInput:
    """FastAPI's validation error as our InvalidInput, naming the field as the request names
    it (the API and the console both answer it so)."""
    first = error.errors()[0] if error.errors() else {}
    where = [str(part) for part in first.get("loc", ()) if part not in ("body", "query",
                                                                      "path", "header")]
    field = ".".join(where) or "request"
    problem = str(first.get("msg", "is not valid")).removeprefix("Value error, ")
    return InvalidInput(field, problem[0].lower() + problem[1:] if problem else problem)


async def on_validation_error(request: Request, error: Exception) -> JSONResponse:
    """FastAPI's 422 becomes our 400 InvalidInput."""
    assert isinstance(error, RequestValidationError)
    return render(validation_problem(error), request)


async def on_http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    codes = {404: "NotFound", 405: "MethodNotAllowed", 413: "RequestEntityTooLarge",
             415: "UnsupportedMediaType"}
    message = {404: f"no route {request.url.path}; the routes are listed at /docs"}.get(
        error.status_code, str(error.detail))
    body = {"errors": [{"code": codes.get(error.status_code, "Error"), "message": message,
                        "details": "" if is_sp_api(request.url.path) else {}}]}
    return JSONResponse(body, status_code=error.status_code, headers=error.headers)


INTERNAL_MESSAGE = "We encountered an internal error. Please try again."


def request_id_of(request: Request) -> str:
    return str(request.scope.get("state", {}).get("request_id", "-"))


async def on_internal_error(request: Request, error: Exception) -> JSONResponse:
    """Whatever no handler expected: logged whole with the request id, answered in Amazon's
    error shape with that id (never a traceback, never plain text)."""
    request_id = request_id_of(request)
    ERROR_LOG.error("request %s %s %s failed", request_id, request.method, request.url.path,
                    exc_info=error)
    details = f"request id {request_id}"
    return JSONResponse({"errors": [{"code": "InternalFailure", "message": INTERNAL_MESSAGE,
                                     "details": details if is_sp_api(request.url.path)
                                     else {"requestId": request_id}}]},
                        status_code=500, headers={"x-amzn-RequestId": request_id})

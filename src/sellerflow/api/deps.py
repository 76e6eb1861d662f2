"""Who is calling, for each kind of route: the one place a request's credentials are read.
Tenancy itself is the services' (they act as the caller named here)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request

from sellerflow.api.calls import call
from sellerflow.api.errors import Throttled
from sellerflow.api.rates import USAGE_PLANS, Throttle
from sellerflow.domain.callers import Caller
from sellerflow.domain.errors import InvalidInput
from sellerflow.service import auth
from sellerflow.service.auth import SellerSession
from sellerflow.service.context import Marketplace


async def market(request: Request) -> Marketplace:
    found: Marketplace = request.app.state.market
    return found


Market = Annotated[Marketplace, Depends(market)]

# The LWA access token every seller route takes, as Amazon sends it. It is read from the
# header directly (a security dependency cost getOrders 7 % of its rate); the OpenAPI document
# still declares it as a security scheme on every seller route, so /docs offers to fill it in
# once (see document_access_token). A missing one is the service's to refuse, in its words.
ACCESS_TOKEN = "x-amz-access-token"
ACCESS_TOKEN_SCHEME = "LWA access token"
BUYER_TOKEN_SCHEME = "Buyer token"
SELLER_ROUTES = ("/orders/", "/listings/", "/reports/", "/feeds/", "/sellers/", "/tokens/",
                 "/notifications/", "/sellerflow/")


def document_access_token(schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document with the access token as the seller routes' security scheme and
    the buyer token as the buyer routes'."""
    schema.setdefault("components", {}).setdefault("securitySchemes", {})[
        ACCESS_TOKEN_SCHEME] = {
        "type": "apiKey", "in": "header", "name": ACCESS_TOKEN,
        "description": "The access token POST /auth/o2/token gave (an hour's validity)."}
    schemes = schema["components"]["securitySchemes"]
    schemes[BUYER_TOKEN_SCHEME] = {
        "type": "http", "scheme": "bearer",
        "description": "The buyer token `buyer create` (or POST /sandbox/v1/buyers) printed."}
    for path, operations in schema.get("paths", {}).items():
        scheme = (ACCESS_TOKEN_SCHEME if path.startswith(SELLER_ROUTES)
                  else BUYER_TOKEN_SCHEME if path.startswith("/buyer/") else None)
        if scheme is not None:
            for operation in operations.values():
                operation["security"] = [{scheme: []}]
    return schema


def sp_api_seller(operation: str, *, grantless: bool = False
                  ) -> Callable[..., Awaitable[SellerSession]]:
    """The seller an SP-API-compatible operation acts for; the operation's usage plan goes in
    x-amzn-RateLimit-Limit and, with throttling on, its token bucket is charged. A
    `grantless` operation takes only a grantless token (and no other operation takes one)."""
    plan = USAGE_PLANS[operation]

    async def dependency(request: Request) -> SellerSession:
        access_token = request.headers.get(ACCESS_TOKEN)
        request.scope.setdefault("state", {})["rate_limit"] = plan.header
        # The scope's own path and method: request.url would build a whole URL each time.
        market = request.app.state.market
        session = await call(market, auth.seller_session, market, access_token, sp_api=True,
                             method=request.scope["method"], path=request.scope["path"],
                             grantless=grantless)
        throttle: Throttle = request.app.state.throttle
        if throttle.enabled and not await call(request.app.state.market, throttle.admit,
                                               session.seller_id, operation):
            raise Throttled("You exceeded your quota for the requested resource.")
        return session

    return dependency


async def own_seller(request: Request, market: Market) -> SellerSession:
    """A seller on sellerflow's own routes: the same access token, any plan."""
    return await call(market, auth.seller_session, market, request.headers.get(ACCESS_TOKEN),
                      sp_api=False)


async def buyer(request: Request) -> Caller:
    """The buyer whose API token the Authorization header carries (read from the header
    directly, as the access token is; the OpenAPI document declares it)."""
    authorization = request.headers.get("authorization")
    token = None
    if authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    return await call(request.app.state.market, auth.buyer_caller, request.app.state.market, token)


OwnSeller = Annotated[SellerSession, Depends(own_seller)]
Buyer = Annotated[Caller, Depends(buyer)]


def split_list(values: list[str] | None) -> list[str]:
    """Amazon's list parameters: repeated, comma-separated, or both."""
    return [part.strip() for value in values or () for part in value.split(",")
            if part.strip()]


def json_object(value: Any, where: str) -> dict[str, Any]:
    """A request body's part that must be a JSON object (Merchant Fulfillment's and Shipping
    v2's bodies, read by hand so a refusal names Amazon's field)."""
    if not isinstance(value, dict):
        raise InvalidInput(where, "must be a JSON object")
    return value

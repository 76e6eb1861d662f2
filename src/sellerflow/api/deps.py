"""Who is calling, for each kind of route: the one place a request's credentials are read.
Tenancy itself is the services' (they act as the caller named here)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Header, Request, Security
from fastapi.security import APIKeyHeader

from sellerflow.api.calls import call
from sellerflow.api.errors import Throttled
from sellerflow.api.rates import USAGE_PLANS, Throttle
from sellerflow.domain.callers import Caller
from sellerflow.service import auth
from sellerflow.service.auth import SellerSession
from sellerflow.service.context import Marketplace


async def market(request: Request) -> Marketplace:
    found: Marketplace = request.app.state.market
    return found


Market = Annotated[Marketplace, Depends(market)]

# The LWA access token every seller route takes, as Amazon sends it: a security scheme, so
# /docs offers to fill it in once (a missing one is the service's to refuse, in its words).
AccessToken = Annotated[str | None, Security(APIKeyHeader(
    name="x-amz-access-token", scheme_name="LWA access token", auto_error=False,
    description="The access token POST /auth/o2/token gave (an hour's validity)."))]


def sp_api_seller(operation: str) -> Callable[..., Awaitable[SellerSession]]:
    """The seller an SP-API-compatible operation acts for; the operation's usage plan goes in
    x-amzn-RateLimit-Limit and, with throttling on, its token bucket is charged."""
    plan = USAGE_PLANS[operation]

    async def dependency(request: Request, access_token: AccessToken) -> SellerSession:
        request.scope.setdefault("state", {})["rate_limit"] = plan.header
        # The scope's own path and method: request.url would build a whole URL each time.
        session = auth.seller_session(request.app.state.market, access_token, sp_api=True,
                                      method=request.scope["method"],
                                      path=request.scope["path"])
        throttle: Throttle = request.app.state.throttle
        if throttle.enabled and not await call(request.app.state.market, throttle.admit,
                                               session.seller_id, operation):
            raise Throttled("You exceeded your quota for the requested resource.")
        return session

    return dependency


async def own_seller(market: Market, access_token: AccessToken) -> SellerSession:
    """A seller on sellerflow's own routes: the same access token, any plan."""
    return auth.seller_session(market, access_token, sp_api=False)


async def buyer(market: Market, authorization: Annotated[str | None, Header()] = None) -> Caller:
    token = None
    if authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    return auth.buyer_caller(market, token)


OwnSeller = Annotated[SellerSession, Depends(own_seller)]
Buyer = Annotated[Caller, Depends(buyer)]


def split_list(values: list[str] | None) -> list[str]:
    """Amazon's list parameters: repeated, comma-separated, or both."""
    return [part.strip() for value in values or () for part in value.split(",")
            if part.strip()]

"""Login with Amazon's token grant, the Tokens API (restricted data tokens) and the Sellers
API (marketplace participations)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from sellerflow.api.calls import call
from sellerflow.api.deps import Market, sp_api_seller
from sellerflow.domain.errors import SellerflowError, Unauthenticated
from sellerflow.domain.model import MARKETPLACE_ID, Plan
from sellerflow.service import accounts, auth
from sellerflow.service.auth import SellerSession

router = APIRouter()


@router.post("/auth/o2/token", tags=["Login with Amazon"], operation_id="lwaToken")
async def lwa_token(market: Market, grant_type: Annotated[str | None, Form()] = None,
                    refresh_token: Annotated[str | None, Form()] = None,
                    client_id: Annotated[str | None, Form()] = None,
                    client_secret: Annotated[str | None, Form()] = None,
                    scope: Annotated[str | None, Form()] = None) -> JSONResponse:
    """The refresh-token grant: the credentials `seller create` printed buy an access token
    for an hour, sent as `x-amz-access-token` on every seller route. The client_credentials
    grant (client id and secret, `scope=sellingpartnerapi::notifications`) buys a grantless
    token for the Notifications API's destinations. Errors come in OAuth's shape (`error`,
    `error_description`) and in sellerflow's (`errors`)."""
    try:
        issued = await call(market, auth.token_from_refresh, market, grant_type, refresh_token,
                            client_id, client_secret, scope)
    except SellerflowError as error:
        status = 401 if isinstance(error, Unauthenticated) else 400
        return JSONResponse({"error": error.reason or "invalid_request",
                             "error_description": error.message, **error.to_wire()},
                            status_code=status)
    answer = {"access_token": issued.token, "token_type": "bearer",
              "expires_in": issued.expires_in}
    if issued.refresh_token is not None:
        answer["refresh_token"] = issued.refresh_token
    return JSONResponse(answer)


class RestrictedResource(BaseModel):
    method: str
    path: str
    dataElements: list[str] | None = None


class CreateRestrictedDataTokenRequest(BaseModel):
    targetApplication: str | None = None
    restrictedResources: list[RestrictedResource]


@router.post("/tokens/2021-03-01/restrictedDataToken", tags=["Tokens 2021-03-01"],
             operation_id="createRestrictedDataToken")
async def create_restricted_data_token(
        body: CreateRestrictedDataTokenRequest, market: Market,
        session: Annotated[SellerSession, Depends(sp_api_seller("createRestrictedDataToken"))]
        ) -> dict[str, Any]:
    """A restricted data token for the listed GET operations (an order's address, its buyer,
    or the list with dataElements shippingAddress / buyerInfo): use it as the access token on
    those calls, for an hour."""
    issued = await call(market, auth.restricted_data_token, market, session,
                        body.model_dump(exclude_none=True))
    return {"restrictedDataToken": issued.token, "expiresIn": issued.expires_in}


MARKETPLACE = {"id": MARKETPLACE_ID, "name": "Amazon.com", "countryCode": "US",
               "defaultCurrencyCode": "USD", "defaultLanguageCode": "en_US",
               "domainName": "www.amazon.com"}


@router.get("/sellers/v1/marketplaceParticipations", tags=["Sellers v1"],
            operation_id="getMarketplaceParticipations")
async def marketplace_participations(
        market: Market,
        session: Annotated[SellerSession,
                           Depends(sp_api_seller("getMarketplaceParticipations"))]
        ) -> dict[str, Any]:
    """The one marketplace sellerflow runs, with the seller's store name."""
    profile = await call(market, accounts.seller_profile, market, session.caller, session.seller_id)
    return {"payload": [{"marketplace": MARKETPLACE,
                         "participation": {"isParticipating": True,
                                           "hasSuspendedListings": False},
                         "storeName": profile.name}]}


@router.get("/sellers/v1/account", tags=["Sellers v1"], operation_id="getAccount")
async def account(market: Market,
                  session: Annotated[SellerSession, Depends(sp_api_seller("getAccount"))]
                  ) -> dict[str, Any]:
    """The seller's selling plan and marketplaces."""
    profile = await call(market, accounts.seller_profile, market, session.caller, session.seller_id)
    return {"payload": {
        "marketplaceParticipationList": [{
            "marketplace": MARKETPLACE, "storeName": profile.name,
            "participation": {"isParticipating": True, "hasSuspendedListings": False}}],
        "businessType": "SOLE_PROPRIETORSHIP",
        "sellingPlan": "PROFESSIONAL" if profile.plan is Plan.PROFESSIONAL else "INDIVIDUAL"}}

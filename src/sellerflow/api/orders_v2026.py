"""Orders API 2026-01-01 (SP-API-compatible): searchOrders and getOrder, over the same orders
as v0. Buyer and recipient data come in the BUYER and RECIPIENT datasets without a restricted
data token, as Amazon's 2026 API gives them; what an order shows is decided by the service's
projection, as for v0."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic_core import to_json

from sellerflow.api.calls import call
from sellerflow.api.deps import sp_api_seller, split_list
from sellerflow.domain import validation
from sellerflow.service import search_orders
from sellerflow.service.auth import SellerSession
from sellerflow.service.context import Marketplace
from sellerflow.service.search_orders import (
    DATASETS,
    FULFILLED_BY,
    FULFILLMENT_STATUSES,
    MAX_PAGE,
    SearchOrdersRequest,
)
from sellerflow.wire_v2026 import order, search_page

router = APIRouter(prefix="/orders/2026-01-01", tags=["Orders 2026-01-01"])


def _list(name: str, enum: tuple[str, ...] | None = None) -> dict[str, Any]:
    items: dict[str, Any] = {"type": "string"}
    if enum is not None:
        items["enum"] = list(enum)
    return {"name": name, "in": "query", "style": "form", "explode": False,
            "schema": {"type": "array", "items": items}}


def _time(name: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": "string", "format": "date-time"}}


# The parameters are read straight from the query string (as getOrders' are: FastAPI's
# per-parameter parsing is a large part of a read's time); declared here for the reference.
_INCLUDED = _list("includedData", DATASETS)
_SEARCH_PARAMETERS = [
    _time("createdAfter"), _time("createdBefore"), _time("lastUpdatedAfter"),
    _time("lastUpdatedBefore"), _list("fulfillmentStatuses", FULFILLMENT_STATUSES),
    _list("marketplaceIds"), _list("fulfilledBy", FULFILLED_BY),
    {"name": "maxResultsPerPage", "in": "query",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}},
    {"name": "paginationToken", "in": "query", "schema": {"type": "string"}}, _INCLUDED]


@router.get("/orders", operation_id="searchOrders",
            openapi_extra={"parameters": _SEARCH_PARAMETERS})
async def search(request: Request,
                 session: Annotated[SellerSession, Depends(sp_api_seller("searchOrders"))]
                 ) -> Response:
    """Orders created (createdAfter) or updated (lastUpdatedAfter) in a period, a page at a
    time (maxResultsPerPage 1-100); pass the answer's pagination.nextToken as
    paginationToken for the next page (it lasts 24 hours). includedData names the datasets
    each order carries."""
    query = request.query_params
    market: Marketplace = request.app.state.market
    size = query.get("maxResultsPerPage")
    page = await call(market, search_orders.search_orders, market, session.caller,
                      session.seller_id, SearchOrdersRequest(
        created_after=query.get("createdAfter"), created_before=query.get("createdBefore"),
        last_updated_after=query.get("lastUpdatedAfter"),
        last_updated_before=query.get("lastUpdatedBefore"),
        fulfillment_statuses=split_list(query.getlist("fulfillmentStatuses")),
        marketplace_ids=split_list(query.getlist("marketplaceIds")),
        fulfilled_by=split_list(query.getlist("fulfilledBy")),
        max_results=(None if size is None
                     else validation.whole_number(size, "maxResultsPerPage", 1, MAX_PAGE)),
        pagination_token=query.get("paginationToken"),
        included_data=split_list(query.getlist("includedData"))))
    return Response(to_json(search_page(page)), media_type="application/json")


@router.get("/orders/{orderId}", operation_id="getOrder_2026_01_01",
            openapi_extra={"parameters": [_INCLUDED]})
async def get_order(orderId: str, request: Request,
                    session: Annotated[SellerSession,
                                       Depends(sp_api_seller("getOrder_2026_01_01"))]
                    ) -> Response:
    """One order, with the datasets includedData names."""
    market = request.app.state.market
    view = await call(market, search_orders.get_order, market, session.caller, orderId,
                      split_list(request.query_params.getlist("includedData")))
    return Response(to_json({"order": order(view)}), media_type="application/json")

"""Listings Items 2021-08-01 (SP-API-compatible): put, patch, get and delete a listing.

As at Amazon, attributes that cannot be read make a 200 answer with status INVALID and the
issues, not an error status; a malformed request is 400."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from starlette.convertors import PathConvertor, register_url_convertor

from sellerflow.api.calls import call
from sellerflow.api.deps import Market, sp_api_seller, split_list
from sellerflow.domain.errors import InvalidInput, NotFound, Unauthenticated
from sellerflow.domain.listing_attributes import attribute_named
from sellerflow.domain.model import Listing
from sellerflow.service import listing_search, listings
from sellerflow.service.auth import DENIED, SellerSession
from sellerflow.wire import listings_item_to_wire


class _AnySku(PathConvertor):
    """A SKU as sent, whatever it holds: a "/" (sent as %2F, which the server decodes before
    routing), even a line break, which the SKU's own check then refuses (400) rather than the
    route not matching at all (404, which Amazon's model does not declare)."""

    regex = "[\\s\\S]*"


register_url_convertor("any_sku", _AnySku())

router = APIRouter(prefix="/listings/2021-08-01", tags=["Listings Items 2021-08-01"])
ITEM = "/items/{sellerId}/{sku:any_sku}"
ITEM_PARTS = {"summaries", "attributes", "issues", "offers", "fulfillmentAvailability",
              "procurement", "relationships", "productTypes"}


def _seller(operation: str) -> Any:
    return Depends(sp_api_seller(operation))


def _accepted(sku: str) -> dict[str, Any]:
    return {"sku": sku, "status": "ACCEPTED", "submissionId": uuid.uuid4().hex, "issues": []}


def _invalid(sku: str, problem: InvalidInput) -> dict[str, Any]:
    return {"sku": sku, "status": "INVALID", "submissionId": uuid.uuid4().hex, "issues": [{
        "code": "InvalidInput", "message": problem.message, "severity": "ERROR",
        "attributeNames": [attribute_named(problem.field)],
        "categories": ["INVALID_ATTRIBUTE"]}]}


def _others_denied(session: SellerSession, seller_id: str) -> None:
    """Amazon answers a sellerId that is not the token's seller 403, on every operation."""
    if seller_id != session.seller_id:
        raise Unauthenticated(DENIED) from None


def _submit(session: SellerSession, seller_id: str, sku: str, change: Any) -> dict[str, Any]:
    """Run a listing change; a listing or seller not the caller's is 403 (these operations
    declare no 404), unreadable attributes an INVALID submission."""
    try:
        listing: Listing | str = change()
    except InvalidInput as problem:
        if problem.field in ("sku", "patches") or problem.field.startswith("patches["):
            raise
        return _invalid(sku, problem)
    except NotFound:
        _others_denied(session, seller_id)
        raise InvalidInput("sku", f"seller {seller_id} has no listing {sku}") from None
    return _accepted(listing if isinstance(listing, str) else listing.sku)


class PutRequest(BaseModel):
    productType: str
    requirements: str | None = None
    attributes: dict[str, Any]


class PatchRequest(BaseModel):
    productType: str
    patches: list[dict[str, Any]]


def _parts(includedData: list[str] | None) -> set[str]:
    parts = set(split_list(includedData)) or {"summaries"}
    unknown = parts - ITEM_PARTS
    if unknown:
        raise InvalidInput("includedData", f"{', '.join(sorted(unknown))}: use "
                                           f"{', '.join(sorted(ITEM_PARTS))}")
    return parts


Texts = Annotated[list[str] | None, Query()]


@router.get("/items/{sellerId}", operation_id="searchListingsItems")
async def search_items(
        sellerId: str, market: Market,
        session: Annotated[SellerSession, _seller("searchListingsItems")],
        marketplaceIds: Texts = None, issueLocale: str | None = None,
        includedData: Texts = None, identifiers: Texts = None,
        identifiersType: str | None = None, variationParentSku: str | None = None,
        packageHierarchySku: str | None = None, createdAfter: str | None = None,
        createdBefore: str | None = None, lastUpdatedAfter: str | None = None,
        lastUpdatedBefore: str | None = None, withIssueSeverity: Texts = None,
        withStatus: Texts = None, withoutStatus: Texts = None, sortBy: str | None = None,
        sortOrder: str | None = None, pageSize: str | None = None,
        pageToken: str | None = None) -> dict[str, Any]:
    """The seller's listings by SKU or ASIN, creation and update times and status, sorted
    (lastUpdatedDate, DESC by default) and paged (pageSize up to 20; pass the answer's
    pagination.nextToken as pageToken with the same parameters). EAN, GTIN, UPC and the other
    identifier types, variationParentSku, packageHierarchySku and withIssueSeverity match
    nothing: sellerflow's listings have none of them."""
    _others_denied(session, sellerId)
    parts = _parts(includedData)
    page = await call(market, listing_search.search_listings, market, session.caller,
                      sellerId, listing_search.ListingSearch(
        marketplace_ids=split_list(marketplaceIds), identifiers=split_list(identifiers),
        identifiers_type=identifiersType, variation_parent_sku=variationParentSku,
        package_hierarchy_sku=packageHierarchySku, created_after=createdAfter,
        created_before=createdBefore, last_updated_after=lastUpdatedAfter,
        last_updated_before=lastUpdatedBefore,
        with_issue_severity=split_list(withIssueSeverity), with_status=split_list(withStatus),
        without_status=split_list(withoutStatus), sort_by=sortBy, sort_order=sortOrder,
        page_size=pageSize, page_token=pageToken))
    answer: dict[str, Any] = {"numberOfResults": page.number_of_results,
                              "items": [listings_item_to_wire(x, parts) for x in page.listings]}
    pagination = {name: token for name, token in (("nextToken", page.next_token),
                                                  ("previousToken", page.previous_token))
                  if token}
    if pagination:
        answer["pagination"] = pagination
    return answer


@router.put(ITEM, operation_id="putListingsItem")
async def put_item(sellerId: str, sku: str, body: PutRequest, market: Market,
                   session: Annotated[SellerSession, _seller("putListingsItem")],
                   marketplaceIds: Annotated[list[str] | None, Query()] = None) -> dict[str, Any]:
    """Create or replace the listing from its attributes (item_name, purchasable_offer,
    fulfillment_availability; the rest kept as given)."""
    return await call(market, _submit, session, sellerId, sku, lambda: listings.put_listing(
        market, session.caller, sellerId, sku, body.productType, body.attributes))


@router.patch(ITEM, operation_id="patchListingsItem")
async def patch_item(sellerId: str, sku: str, body: PatchRequest, market: Market,
                     session: Annotated[SellerSession, _seller("patchListingsItem")],
                     marketplaceIds: Annotated[list[str] | None, Query()] = None) -> dict[str, Any]:
    """Replace or delete whole attributes, e.g. restock through fulfillment_availability."""
    return await call(market, _submit, session, sellerId, sku, lambda: listings.patch_listing(
        market, session.caller, sellerId, sku, body.patches))


@router.delete(ITEM, operation_id="deleteListingsItem")
async def delete_item(sellerId: str, sku: str, market: Market,
                      session: Annotated[SellerSession, _seller("deleteListingsItem")],
                      marketplaceIds: Annotated[list[str] | None, Query()] = None
                      ) -> dict[str, Any]:
    return await call(market, _submit, session, sellerId, sku, lambda: listings.delete_listing(
        market, session.caller, sellerId, sku))


@router.get(ITEM, operation_id="getListingsItem")
async def get_item(sellerId: str, sku: str, market: Market,
                   session: Annotated[SellerSession, _seller("getListingsItem")],
                   marketplaceIds: Annotated[list[str] | None, Query()] = None,
                   includedData: Annotated[list[str] | None, Query()] = None) -> dict[str, Any]:
    """The listing in the parts asked for (includedData, summaries by default)."""
    parts = _parts(includedData)
    try:
        listing = await call(market, listings.get_listing, market, session.caller, sellerId, sku)
    except NotFound:
        _others_denied(session, sellerId)       # 403 as for the changes; a missing SKU 404
        raise
    return listings_item_to_wire(listing, parts)

"""Orders API v0 (SP-API-compatible): getOrders, getOrder, getOrderItems, getOrderAddress,
getOrderBuyerInfo, getOrderItemsBuyerInfo, confirmShipment."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field, StrictInt
from pydantic_core import to_json

from sellerflow.api.calls import call
from sellerflow.api.deps import Market, sp_api_seller, split_list
from sellerflow.clock import iso
from sellerflow.domain import validation
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.fulfillment import ShipmentRequest
from sellerflow.domain.model import MARKETPLACE_ID
from sellerflow.service import fulfillment, order_search
from sellerflow.service.auth import SellerSession
from sellerflow.service.context import Marketplace
from sellerflow.service.order_search import DELIVERY_PARAMETERS, OrdersRequest
from sellerflow.service.projection import buyer_info, item_buyer_info, priced, shown_address
from sellerflow.wire import item_to_wire, sp_order

router = APIRouter(prefix="/orders/v0", tags=["Orders v0"])
BASE = "/orders/v0/orders"


def _seller(operation: str) -> Any:
    return Depends(sp_api_seller(operation))


# getOrders' query parameters are read straight from the query string: FastAPI's
# per-parameter parsing took a fifth of the operation's time. Declared for the OpenAPI
# reference here instead.
_LISTS = ("MarketplaceIds", "OrderStatuses", "FulfillmentChannels", "PaymentMethods",
          "AmazonOrderIds", "EasyShipShipmentStatuses", "ElectronicInvoiceStatuses")
_TEXTS = ("CreatedAfter", "CreatedBefore", "LastUpdatedAfter", "LastUpdatedBefore",
          "BuyerEmail", "SellerOrderId", "NextToken", "IsISPU", "StoreChainStoreId",
          "ActualFulfillmentSupplySourceId", *DELIVERY_PARAMETERS)
_GET_ORDERS_PARAMETERS = [
    *({"name": n, "in": "query", "required": n == "MarketplaceIds", "style": "form",
       "explode": False, "schema": {"type": "array", "items": {"type": "string"}}}
      for n in _LISTS),
    *({"name": n, "in": "query", "schema": {"type": "string"}} for n in _TEXTS),
    {"name": "MaxResultsPerPage", "in": "query", "schema": {"type": "integer"}},
]


@router.get("/orders", operation_id="getOrders",
            openapi_extra={"parameters": _GET_ORDERS_PARAMETERS})
async def get_orders(request: Request,
                     session: Annotated[SellerSession, _seller("getOrders")]) -> Response:
    """Orders created or updated in a period, a page at a time (MaxResultsPerPage 1-100);
    pass the answer's NextToken to get the next page. Street addresses and buyer names only
    with a restricted data token for GET /orders/v0/orders."""
    query = request.query_params
    market: Marketplace = request.app.state.market    # one dependency fewer to solve
    lists = {n: split_list(query.getlist(n)) for n in _LISTS}
    size = query.get("MaxResultsPerPage")
    if size is not None:
        size_number: int | None = validation.whole_number(size, "MaxResultsPerPage", 1, 100)
    else:
        size_number = None
    address = session.opens("GET", BASE, "shippingAddress")
    buyer_data = session.opens("GET", BASE, "buyerInfo")
    page = await call(market, order_search.get_orders, market, session.caller,
                      session.seller_id, OrdersRequest(
        marketplace_ids=lists["MarketplaceIds"], created_after=query.get("CreatedAfter"),
        created_before=query.get("CreatedBefore"),
        last_updated_after=query.get("LastUpdatedAfter"),
        last_updated_before=query.get("LastUpdatedBefore"),
        order_statuses=lists["OrderStatuses"],
        fulfillment_channels=lists["FulfillmentChannels"],
        payment_methods=lists["PaymentMethods"], buyer_email=query.get("BuyerEmail"),
        seller_order_id=query.get("SellerOrderId"), amazon_order_ids=lists["AmazonOrderIds"],
        max_results=size_number, next_token=query.get("NextToken"),
        with_buyers=buyer_data, easy_ship_statuses=lists["EasyShipShipmentStatuses"],
        electronic_invoice_statuses=lists["ElectronicInvoiceStatuses"],
        is_ispu=query.get("IsISPU"), store_chain_store_id=query.get("StoreChainStoreId"),
        supply_source_id=query.get("ActualFulfillmentSupplySourceId"),
        delivery=(query.get("EarliestDeliveryDateAfter"),
                  query.get("EarliestDeliveryDateBefore"),
                  query.get("LatestDeliveryDateAfter"), query.get("LatestDeliveryDateBefore"))))
    payload: dict[str, Any] = {"Orders": [
        sp_order(o, page.buyers.get(o.buyer_id), address=address, buyer_data=buyer_data)
        for o in page.orders]}
    if page.next_token:
        payload["NextToken"] = page.next_token
    if page.created_before is not None:
        payload["CreatedBefore"] = iso(page.created_before)
    if page.last_updated_before is not None:
        payload["LastUpdatedBefore"] = iso(page.last_updated_before)
    # Serialised here in one step: FastAPI would first validate the page it is handed.
    return Response(to_json({"payload": payload}), media_type="application/json")


@router.get("/orders/{orderId}", operation_id="getOrder")
async def get_order(orderId: str, request: Request, market: Market,
                    session: Annotated[SellerSession, _seller("getOrder")]) -> dict[str, Any]:
    """One order; its street address and buyer with a restricted data token."""
    order, buyer = await call(market, order_search.seller_order, market, session.caller, orderId)
    path = request.url.path
    return {"payload": sp_order(order, buyer,
                                address=session.opens("GET", path, "shippingAddress"),
                                buyer_data=session.opens("GET", path, "buyerInfo"))}


@router.get("/orders/{orderId}/orderItems", operation_id="getOrderItems")
async def get_order_items(orderId: str, request: Request, market: Market,
                          session: Annotated[SellerSession, _seller("getOrderItems")],
                          NextToken: str | None = None) -> dict[str, Any]:
    """The order's items; a canceled unit leaves its item, as at Amazon. A Pending order's
    items carry no prices yet (they are not final)."""
    order, _ = await call(market, order_search.seller_order, market, session.caller, orderId)
    shown = priced(order)
    personal = session.opens("GET", request.url.path, "buyerInfo")
    return {"payload": {"AmazonOrderId": order.amazon_order_id, "OrderItems": [
        item_to_wire(order, i, priced=shown, buyer_info=item_buyer_info(i, personal=personal))
        for i in order.items]}}


@router.get("/orders/{orderId}/address", operation_id="getOrderAddress")
async def get_order_address(orderId: str, request: Request, market: Market,
                            session: Annotated[SellerSession, _seller("getOrderAddress")]
                            ) -> dict[str, Any]:
    """The ship-to address: whole with a restricted data token for this path, else the city,
    region, postal code and country; none for a canceled order."""
    order, _ = await call(market, order_search.seller_order, market, session.caller, orderId)
    payload: dict[str, Any] = {"AmazonOrderId": order.amazon_order_id}
    shown = shown_address(order, personal=session.opens("GET", request.url.path))
    if shown is not None:
        payload["ShippingAddress"] = shown
    return {"payload": payload}


@router.get("/orders/{orderId}/buyerInfo", operation_id="getOrderBuyerInfo")
async def get_order_buyer_info(orderId: str, request: Request, market: Market,
                               session: Annotated[SellerSession, _seller("getOrderBuyerInfo")]
                               ) -> dict[str, Any]:
    """The buyer's relay e-mail and name, with a restricted data token for this path."""
    order, buyer = await call(market, order_search.seller_order, market, session.caller, orderId)
    return {"payload": {"AmazonOrderId": order.amazon_order_id,
                        **buyer_info(buyer, personal=session.opens("GET", request.url.path))}}


@router.get("/orders/{orderId}/orderItems/buyerInfo", operation_id="getOrderItemsBuyerInfo")
async def get_order_items_buyer_info(
        orderId: str, request: Request, market: Market,
        session: Annotated[SellerSession, _seller("getOrderItemsBuyerInfo")],
        NextToken: str | None = None) -> dict[str, Any]:
    """Per-item buyer information: the gift message and gift wrap level the buyer chose, with a
    restricted data token for this path (only the item ids without)."""
    order, _ = await call(market, order_search.seller_order, market, session.caller, orderId)
    personal = session.opens("GET", request.url.path)
    return {"payload": {"AmazonOrderId": order.amazon_order_id, "OrderItems": [
        {"OrderItemId": i.order_item_id, **item_buyer_info(i, personal=personal)}
        for i in order.items]}}


class ConfirmShipmentOrderItem(BaseModel):
    orderItemId: str
    quantity: StrictInt = Field(ge=1)       # `true` is no number of units


class PackageDetail(BaseModel):
    packageReferenceId: str
    carrierCode: str
    carrierName: str | None = None
    shippingMethod: str | None = None
    trackingNumber: str
    shipDate: str
    shipFromSupplySourceId: str | None = None
    orderItems: list[ConfirmShipmentOrderItem] = Field(min_length=1)


class ConfirmShipmentRequest(BaseModel):
    packageDetail: PackageDetail
    codCollectionMethod: str | None = None
    marketplaceId: str


@router.post("/orders/{orderId}/shipmentConfirmation", operation_id="confirmShipment",
             status_code=204)
async def confirm_shipment(orderId: str, body: ConfirmShipmentRequest, market: Market,
                           session: Annotated[SellerSession, _seller("confirmShipment")]
                           ) -> Response:
    """Confirm a package of the order's units (L20): carrier, tracking number, ship date."""
    if body.marketplaceId != MARKETPLACE_ID:
        raise InvalidInput("marketplaceId", f"{body.marketplaceId!r}: this marketplace is "
                                            f"{MARKETPLACE_ID}")
    package = body.packageDetail
    ship_date = order_search.parse_time(package.shipDate, "packageDetail.shipDate")
    await call(market, fulfillment.ship, market, session.caller, orderId, ShipmentRequest(
        carrier=package.carrierCode, tracking_number=package.trackingNumber,
        carrier_name=package.carrierName, ship_method=package.shippingMethod,
        ship_date=ship_date,
        lines=tuple((line.orderItemId, line.quantity) for line in package.orderItems)))
    return Response(status_code=204)

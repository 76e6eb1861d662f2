"""Buyer routes (`Authorization: Bearer BUYER_TOKEN`): the catalog, checkout and the buyer's
own orders. A buyer sees only its own orders; another buyer's is not found."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, StrictBool, StrictInt

from sellerflow.api.calls import call
from sellerflow.api.deps import Buyer, Market
from sellerflow.domain.model import ADDRESS_FIELDS, SHIP_SERVICE_LEVELS
from sellerflow.domain.placement import MAX_GIFT_MESSAGE, CartLine, gift_option
from sellerflow.payments import PAYMENT_METHODS
from sellerflow.service import credentials, listings
from sellerflow.service import orders as order_service
from sellerflow.service.checkout import Checkout, place_order
from sellerflow.wire import (
    buyer_token_to_wire,
    detail_to_wire,
    feedback_to_wire,
    listing_to_wire,
    message_to_wire,
    order_to_wire,
    placed_to_wire,
)

router = APIRouter(prefix="/buyer/v1", tags=["Buyer"])


@router.get("/catalog")
async def catalog(market: Market, buyer: Buyer, nextToken: str | None = None
                  ) -> dict[str, Any]:
    """Listings for sale (quantity above 0, L3), 50 at a time: pass the answer's
    `nextToken` for the next page."""
    page = await call(market, listings.catalog_page, market, None, nextToken)
    answer: dict[str, Any] = {"listings": [listing_to_wire(x) for x in page.listings]}
    if page.next_token:
        answer["nextToken"] = page.next_token
    return answer


class CartItem(BaseModel):
    sellerId: str
    sku: str
    quantity: StrictInt         # `true` is no number of units
    giftMessage: str | None = Field(None, description="A message to enclose with the item, "
                                    f"sent as a gift (at most {MAX_GIFT_MESSAGE} characters)")
    giftWrapLevel: str | None = Field(None, description="The gift wrap asked for, e.g. Classic")


# The address's shape for the API reference (the service checks it: Address.from_wire).
ADDRESS_SCHEMA: dict[str, Any] = {
    "type": "object", "title": "Address",
    "description": "Amazon's SP-API Address; StateOrRegion is required for the US, "
                   "CountryCode is ISO 3166-1 alpha-2, AddressType Residential or Commercial.",
    "required": ["Name", "AddressLine1", "City", "PostalCode", "CountryCode"],
    "properties": {name: {"type": "string"} for name in ADDRESS_FIELDS},
    "example": {"Name": "Jane Doe", "AddressLine1": "1 Main St", "City": "Seattle",
                "StateOrRegion": "WA", "PostalCode": "98101", "CountryCode": "US"}}


class CheckoutRequest(BaseModel):
    items: list[CartItem] = Field(min_length=1)
    shippingAddress: dict[str, Any] = Field(json_schema_extra=ADDRESS_SCHEMA)
    shipServiceLevel: str = Field("Standard", json_schema_extra={
        "enum": list(SHIP_SERVICE_LEVELS)})
    # Sandbox outcomes of payment verification (L10, L11); a live database takes only ok.
    paymentMethod: str = Field("ok", json_schema_extra={"enum": list(PAYMENT_METHODS)},
                               description="ok: approved; deferred: verification goes on "
                                           "(`POST /sandbox/v1/orders/{id}/verification` "
                                           "or 21 days, L12); declined; fraud. A live "
                                           "database takes only ok.")
    isPrime: StrictBool = False


@router.post("/checkout", status_code=201)
async def checkout(body: CheckoutRequest, market: Market, buyer: Buyer,
                   idempotency_key: Annotated[str | None, Header()] = None) -> JSONResponse:
    """One Pending order per seller in the cart, all or nothing (L1, L2): 409 lists every
    item short of stock. An `Idempotency-Key` replays the first answer."""
    placed = await call(market, place_order, market, buyer, Checkout(
        None, [CartLine(i.sellerId, i.sku, i.quantity,
                        gift_option(i.giftMessage, i.giftWrapLevel, f"items[{n}]"))
               for n, i in enumerate(body.items, 1)],
        body.shippingAddress, body.shipServiceLevel, body.paymentMethod, idempotency_key,
        body.isPrime))
    return JSONResponse(placed_to_wire(placed), status_code=201)


@router.get("/orders")
async def my_orders(market: Market, buyer: Buyer) -> dict[str, Any]:
    mine = await call(market, order_service.buyer_orders, market, buyer)
    return {"orders": [order_to_wire(o) for o in mine]}


@router.get("/orders/{orderId}")
async def my_order(orderId: str, market: Market, buyer: Buyer) -> dict[str, Any]:
    return detail_to_wire(await call(market, order_service.show, market, buyer, orderId))


class CancelRequest(BaseModel):
    reason: str | None = None


@router.post("/orders/{orderId}/cancel")
async def cancel(orderId: str, market: Market, buyer: Buyer,
                 body: CancelRequest | None = None) -> JSONResponse:
    """L6: a Pending order is canceled at once (200); for a released one this asks the
    seller to cancel (202)."""
    result = await call(market, order_service.buyer_cancel, market, buyer, orderId,
                        body.reason if body else None)
    return JSONResponse(order_to_wire(result.order),
                        status_code=202 if result.requested_only else 200)


class MessageRequest(BaseModel):
    kind: Literal["AddressChangeRequest", "Text"]
    shippingAddress: dict[str, Any] | None = None
    text: str | None = None


@router.post("/orders/{orderId}/messages", status_code=201)
async def message(orderId: str, body: MessageRequest, market: Market,
                  buyer: Buyer) -> JSONResponse:
    """A message to the seller: an address change request (L19) or text."""
    if body.kind == "AddressChangeRequest":
        sent = await call(market, order_service.request_address_change, market, buyer,
                          orderId, body.shippingAddress)
        return JSONResponse(message_to_wire(sent), status_code=201)
    text = await call(market, order_service.send_text, market, buyer, orderId, body.text or "")
    return JSONResponse({"orderId": orderId, **text.body}, status_code=201)


class FeedbackRequest(BaseModel):
    rating: StrictInt
    comment: str | None = None


@router.post("/orders/{orderId}/feedback", status_code=201)
async def feedback(orderId: str, body: FeedbackRequest, market: Market,
                   buyer: Buyer) -> JSONResponse:
    left = await call(market, order_service.leave_feedback, market, buyer, orderId, body.rating,
                      body.comment)
    return JSONResponse(feedback_to_wire(left), status_code=201)


@router.post("/token/rotation")
async def rotate_token(market: Market, buyer: Buyer) -> dict[str, Any]:
    """A new API token for this buyer (shown once); this one stops working at once."""
    return buyer_token_to_wire(await call(market, credentials.rotate_buyer_token, market, buyer))

"""sellerflow's own seller routes (`/sellerflow/v1`, the same access token): what Amazon
offers only through feeds or Seller Central pages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from sellerflow.api.calls import call
from sellerflow.api.deps import Market, OwnSeller
from sellerflow.service import credentials, fulfillment, metrics
from sellerflow.service import orders as order_service
from sellerflow.wire import (
    detail_to_wire,
    ledger_to_wire,
    metrics_to_wire,
    refund_to_wire,
    rotated_to_wire,
    sp_order,
)

router = APIRouter(prefix="/sellerflow/v1", tags=["sellerflow seller routes"])
# An access token opens no buyer's personal data here either (no RDT opens these routes).
NO_PII = {"address": False, "buyer_data": False}


class CancelRequest(BaseModel):
    reason: str
    orderItemIds: list[str] | None = Field(None, max_length=100, description=(
        "Cancel only these items' unshipped units (Amazon cancels per item); all of the "
        "order's when absent."))


@router.post("/orders/{orderId}/cancellation")
async def cancel(orderId: str, body: CancelRequest, market: Market,
                 session: OwnSeller) -> dict[str, Any]:
    """Cancel a released order (or the unshipped rest, or the unshipped units of the items
    named) with Amazon's reason code (L22)."""
    canceled = await call(market, order_service.seller_cancel, market, session.caller, orderId,
                          body.reason, body.orderItemIds)
    return sp_order(canceled.order, None, **NO_PII)


class Money(BaseModel):
    CurrencyCode: str = "USD"
    Amount: str


class RefundRequest(BaseModel):
    amount: Money | None = None
    reason: str


@router.post("/orders/{orderId}/refunds", status_code=201)
async def refund(orderId: str, body: RefundRequest, market: Market,
                 session: OwnSeller) -> dict[str, Any]:
    """Refund all that can still be refunded (`amount` null) or part (L26)."""
    amount = body.amount.Amount if body.amount is not None else None
    return refund_to_wire(await call(market, fulfillment.refund_order, market, session.caller,
                                     orderId, amount, body.reason))


@router.post("/orders/{orderId}/redirect")
async def redirect(orderId: str, market: Market, session: OwnSeller) -> dict[str, Any]:
    """Ship to the address the buyer asked for through messaging (L19); the street address
    itself, as always, through getOrderAddress with a restricted data token."""
    redirected = await call(market, order_service.accept_redirect, market, session.caller,
                            orderId)
    return sp_order(redirected, None, **NO_PII)


@router.get("/orders/{orderId}/history")
async def history(orderId: str, market: Market, session: OwnSeller) -> dict[str, Any]:
    detail = detail_to_wire(await call(market, order_service.show, market, session.caller, orderId))
    return {"orderId": orderId, "history": detail["history"]}


@router.get("/metrics")
async def seller_metrics(market: Market, session: OwnSeller) -> dict[str, Any]:
    """The account-health metrics (L27) against Amazon's targets."""
    return metrics_to_wire(await call(market, metrics.seller_metrics, market, session.caller,
                                      session.seller_id))


@router.get("/ledger")
async def ledger(market: Market, session: OwnSeller) -> dict[str, Any]:
    """What the seller is owed (L25, L26)."""
    return ledger_to_wire(await call(market, fulfillment.seller_ledger, market, session.caller,
                                     session.seller_id))


@router.post("/credentials/rotation")
async def rotate_credentials(market: Market, session: OwnSeller) -> dict[str, Any]:
    """A new client secret and refresh token (shown once); the old ones, and every access
    token and RDT of the seller (this call's too), stop working at once."""
    return rotated_to_wire(await call(market, credentials.rotate_seller_credentials, market,
                                      session.caller, session.seller_id))


@router.post("/tokens/revocation")
async def revoke_tokens(market: Market, session: OwnSeller) -> dict[str, Any]:
    """Every access token and RDT of the seller (this call's too) stops working; the refresh
    token still buys new ones."""
    return {"tokensRevoked": await call(market, credentials.revoke_seller_tokens, market,
                                        session.caller, session.seller_id)}

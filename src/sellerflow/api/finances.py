"""Finances API v0 (SP-API-compatible): listFinancialEventsByOrderId and listFinancialEvents,
from the ledger (service/finances.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from sellerflow.api.calls import call
from sellerflow.api.deps import Market, sp_api_seller
from sellerflow.domain import validation
from sellerflow.service import finances
from sellerflow.service.auth import SellerSession
from sellerflow.wire import financial_events_to_wire

router = APIRouter(prefix="/finances/v0", tags=["Finances v0"])


def _seller(operation: str) -> Any:
    return Depends(sp_api_seller(operation))


def _payload(page: finances.EventsPage) -> dict[str, Any]:
    payload: dict[str, Any] = {"FinancialEvents": financial_events_to_wire(page.events)}
    if page.next_token is not None:
        payload["NextToken"] = page.next_token
    return {"payload": payload}


@router.get("/orders/{orderId}/financialEvents", operation_id="listFinancialEventsByOrderId")
async def list_financial_events_by_order_id(
        orderId: str, market: Market,   # noqa: N803 - Amazon's parameter name
        session: Annotated[SellerSession, _seller("listFinancialEventsByOrderId")],
        MaxResultsPerPage: int = Query(100),   # noqa: N803
        NextToken: str | None = Query(None)) -> dict[str, Any]:   # noqa: N803
    """The order's shipment and refund events (one page: an order has few)."""
    return _payload(await call(market, finances.order_events, market, session.caller,
                               orderId))


@router.get("/financialEvents", operation_id="listFinancialEvents")
async def list_financial_events(
        market: Market, session: Annotated[SellerSession, _seller("listFinancialEvents")],
        PostedAfter: str | None = Query(None),    # noqa: N803 - Amazon's parameter names
        PostedBefore: str | None = Query(None),   # noqa: N803
        MaxResultsPerPage: str = Query("100"),    # noqa: N803
        NextToken: str | None = Query(None)) -> dict[str, Any]:   # noqa: N803
    """Events posted in the window (PostedAfter, default 180 days ago; PostedBefore, default
    two minutes ago), oldest first, MaxResultsPerPage (1-100) a page."""
    size = validation.whole_number(MaxResultsPerPage, "MaxResultsPerPage", 1, finances.MAX_PAGE)
    after = (validation.iso_time(PostedAfter, "PostedAfter", days=True)
             if PostedAfter else None)
    before = (validation.iso_time(PostedBefore, "PostedBefore", days=True)
              if PostedBefore else None)
    return _payload(await call(market, finances.seller_events, market, session.caller,
                               session.seller_id, after, before, size, NextToken))

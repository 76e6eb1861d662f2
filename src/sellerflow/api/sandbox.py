"""Sandbox control routes (mounted on sandbox databases only; absent, so 404, on a live one):
accounts, the simulated clock, the payment verifier's answers and the local mailbox. They act
as the operator, as the command line does."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from sellerflow.api.calls import call
from sellerflow.api.deps import Market
from sellerflow.clock import iso, parse_duration
from sellerflow.domain.callers import Caller
from sellerflow.service import accounts, config, notifications
from sellerflow.service import clock as clock_service
from sellerflow.service import orders as order_service
from sellerflow.wire import mail_to_wire

router = APIRouter(prefix="/sandbox/v1", tags=["Sandbox control"])
# The sandbox's tester: moves the clock, makes accounts, answers payment verifications and
# reads the mailbox; sees no seller's orders.
TESTER = Caller.sandbox()


class NewSeller(BaseModel):
    name: str
    plan: str = "professional"
    email: str
    timeZone: str | None = None
    language: str | None = None      # its e-mails' language: en (default) or zh_CN


@router.post("/sellers", status_code=201)
async def create_seller(body: NewSeller, market: Market) -> JSONResponse:
    created = await call(market, accounts.create_seller, market, TESTER, body.name, body.plan,
                         body.email, body.timeZone, language=body.language)
    return JSONResponse({"sellerId": created.seller_id, "clientId": created.client_id,
                         "clientSecret": created.client_secret,
                         "refreshToken": created.refresh_token,
                         "password": created.password}, status_code=201)


class NewBuyer(BaseModel):
    email: str
    name: str | None = None


@router.post("/buyers", status_code=201)
async def create_buyer(body: NewBuyer, market: Market) -> JSONResponse:
    created = await call(market, accounts.create_buyer, market, TESTER, body.email, body.name)
    return JSONResponse({"buyerId": created.buyer_id, "token": created.token},
                        status_code=201)


@router.get("/clock")
async def clock(market: Market) -> dict[str, Any]:
    return {"now": iso((await call(market, clock_service.read, market)).now)}


class Advance(BaseModel):
    duration: str


@router.post("/clock/advance")
def advance(body: Advance, market: Market) -> dict[str, Any]:
    """Move the clock (`30m`, `36h`, `21d`), firing every deadline at its own time (L28)."""
    reading = clock_service.advance(market, TESTER, parse_duration(body.duration))
    return {"now": iso(reading.now), "fired": reading.fired}


@router.get("/config")
async def numbers(market: Market) -> dict[str, str]:
    """The lifecycle's numbers and the carriers' delivery profile in force."""
    return config.describe(await call(market, market.policy))


class Number(BaseModel):
    value: str


@router.put("/config/{key}")
async def set_number(key: str, body: Number, market: Market) -> dict[str, str]:
    """Change one number (`config set` on the command line): late-deliveries 0 makes every
    package arrive in its window, lost-packages 0.5 loses half of them (L30)."""
    return await call(market, config.set_value, market, TESTER, key, body.value)


class Verification(BaseModel):
    outcome: str


@router.post("/orders/{orderId}/verification")
async def verification(orderId: str, body: Verification, market: Market) -> dict[str, Any]:
    """The payment verifier's answer for a Pending order: approved, declined or fraud."""
    verified = await call(market, order_service.verify, market, TESTER, orderId, body.outcome)
    return {"AmazonOrderId": verified.amazon_order_id, "OrderStatus": verified.status.value}


@router.get("/mailbox")
async def mailbox(market: Market, to: str | None = None) -> dict[str, Any]:
    mails = await call(market, notifications.mailbox, market, TESTER, to)
    return {"messages": [mail_to_wire(m) for m in mails]}

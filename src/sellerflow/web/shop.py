"""The buyer storefront at /shop: the catalog of buyable listings (L3), a cart across sellers,
checkout, and "Your orders" with cancel (L6), an address-change request (L19) and feedback.
A sandbox buyer signs in by e-mail alone; on a live database with the buyer's API token."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from sellerflow.domain import validation
from sellerflow.domain.callers import Caller
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.model import SHIP_SERVICE_LEVELS
from sellerflow.domain.placement import CartLine
from sellerflow.domain.text import Phrase
from sellerflow.service import accounts, auth, listings
from sellerflow.service import orders as order_service
from sellerflow.service.checkout import Checkout, place_order
from sellerflow.web.pages import (
    SignInNeeded,
    checked_form,
    flash,
    form_text,
    language,
    local_path,
    market_of,
    pages_of,
    run_service,
    see_other,
)
from sellerflow.web.pages_text import N_

router = APIRouter(prefix="/shop", include_in_schema=False)
ADDRESS_FIELDS = ("Name", "AddressLine1", "AddressLine2", "City", "StateOrRegion",
                  "PostalCode", "CountryCode", "Phone")
MAX_CART_LINES = 50


def shopper(request: Request) -> Caller:
    buyer_id = request.session.get("buyer_id")
    if not isinstance(buyer_id, str):
        raise SignInNeeded(request.url.path)
    return Caller.buyer(buyer_id)


Shopper = Annotated[Caller, Depends(shopper)]


def _cart(request: Request) -> list[dict[str, Any]]:
    cart = request.session.get("cart")
    return cart if isinstance(cart, list) else []


@router.get("")
async def catalog(request: Request, q: str | None = None, next: str | None = None
                  ) -> Response:
    page = await run_service(request, listings.catalog_page, q, next)
    return await pages_of(request).render(
        request, "shop/catalog.html", listings=page.listings, next_token=page.next_token,
        q=q or "", cart_size=sum(line["quantity"] for line in _cart(request)))


@router.get("/signin")
async def sign_in_page(request: Request, next: str | None = None) -> Response:
    return await pages_of(request).render(request, "shop/signin.html",
                                          next=local_path(next, "/shop"))


@router.post("/signin")
async def sign_in(request: Request) -> Response:
    form = await checked_form(request)
    if market_of(request).sandbox:
        caller = await run_service(request, auth.sandbox_buyer, form_text(form, "email"))
    else:
        caller = await run_service(request, auth.buyer_caller, form_text(form, "token"))
    request.session["buyer_id"] = caller.account_id
    # The buyer reads the page's language: their e-mails are written in it.
    await run_service(request, accounts.read_in, caller, language(request))
    return see_other(local_path(form_text(form, "next"), "/shop"))


@router.post("/signout")
async def sign_out(request: Request) -> Response:
    await checked_form(request)
    request.session.pop("buyer_id", None)
    request.session.pop("cart", None)
    return see_other("/shop")


@router.post("/cart")
async def add_to_cart(request: Request) -> Response:
    form = await checked_form(request)
    seller_id, sku = form_text(form, "seller_id"), form_text(form, "sku")
    quantity = validation.whole_number(form_text(form, "quantity") or "1", "quantity", 1, 999)
    cart = _cart(request)
    for line in cart:
        if line["seller_id"] == seller_id and line["sku"] == sku:
            line["quantity"] += quantity
            break
    else:
        if len(cart) >= MAX_CART_LINES:
            raise InvalidInput("cart", Phrase("holds %(most)s items already; check out first",
                                              most=MAX_CART_LINES))
        cart.append({"seller_id": seller_id, "sku": sku, "quantity": quantity})
    request.session["cart"] = cart
    flash(request, "ok", N_("Added to your cart."))
    return see_other("/shop/cart")


@router.post("/cart/remove")
async def remove_from_cart(request: Request) -> Response:
    form = await checked_form(request)
    seller_id, sku = form_text(form, "seller_id"), form_text(form, "sku")
    request.session["cart"] = [line for line in _cart(request)
                               if (line["seller_id"], line["sku"]) != (seller_id, sku)]
    return see_other("/shop/cart")


@router.get("/cart")
async def cart_page(request: Request) -> Response:
    offered = await run_service(request, listings.offered, [(line["seller_id"], line["sku"])
                                                    for line in _cart(request)])
    lines = [(line, offered.get((line["seller_id"], line["sku"]))) for line in _cart(request)]
    return await pages_of(request).render(request, "shop/cart.html", lines=lines,
                                          levels=SHIP_SERVICE_LEVELS, fields=ADDRESS_FIELDS,
                                          signed_in="buyer_id" in request.session)


@router.post("/checkout")
async def checkout(request: Request, buyer: Shopper) -> Response:
    form = await checked_form(request)
    cart = _cart(request)
    if not cart:
        raise InvalidInput("cart", Phrase("is empty; add an item from the catalog first"))
    address = {name: form_text(form, name) for name in ADDRESS_FIELDS if form_text(form, name)}
    placed = await run_service(request, place_order, buyer, Checkout(
        None, [CartLine(line["seller_id"], line["sku"], line["quantity"]) for line in cart],
        address, ship_service_level=form_text(form, "level") or "Standard",
        payment_method=form_text(form, "payment") or "ok"))
    request.session["cart"] = []
    flash(request, "ok", N_("Thank you, your order is placed: %(ids)s"),
          ids=", ".join(p.order_id for p in placed))
    return see_other("/shop/orders")


@router.get("/orders")
async def your_orders(request: Request, buyer: Shopper) -> Response:
    found = await run_service(request, order_service.buyer_orders, buyer)
    return await pages_of(request).render(request, "shop/orders.html", orders=found)


@router.get("/orders/{order_id}")
async def your_order(request: Request, order_id: str, buyer: Shopper) -> Response:
    detail = await run_service(request, order_service.show, buyer, order_id)
    return await pages_of(request).render(request, "shop/order.html", detail=detail,
                                          fields=ADDRESS_FIELDS)


@router.post("/orders/{order_id}/cancel")
async def cancel(request: Request, order_id: str, buyer: Shopper) -> Response:
    form = await checked_form(request)
    done = await run_service(request, order_service.buyer_cancel, buyer, order_id,
                             form_text(form, "reason") or None)
    flash(request, "ok", N_("Your cancellation request was sent to the seller.") if
          done.requested_only else N_("Your order is canceled."))
    return see_other(f"/shop/orders/{order_id}")


@router.post("/orders/{order_id}/address")
async def change_address(request: Request, order_id: str, buyer: Shopper) -> Response:
    form = await checked_form(request)
    address = {name: form_text(form, name) for name in ADDRESS_FIELDS if form_text(form, name)}
    await run_service(request, order_service.request_address_change, buyer, order_id,
                      address)
    flash(request, "ok", N_("Your address change was sent to the seller."))
    return see_other(f"/shop/orders/{order_id}")


@router.post("/orders/{order_id}/feedback")
async def feedback(request: Request, order_id: str, buyer: Shopper) -> Response:
    form = await checked_form(request)
    rating = form_text(form, "rating")
    if not rating.isascii() or not rating.isdigit() or len(rating) > 1:
        raise InvalidInput("rating", Phrase("choose 1 to 5 stars"))
    await run_service(request, order_service.leave_feedback, buyer, order_id, int(rating),
                      form_text(form, "comment") or None)
    flash(request, "ok", N_("Thank you for your feedback."))
    return see_other(f"/shop/orders/{order_id}")

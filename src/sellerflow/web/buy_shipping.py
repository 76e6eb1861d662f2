"""Buy shipping in the console (L29): on an order's page, where the package ships from, its
box and weight, and the units in it; then every carrier's rate and promise to choose from;
then the label, bought (confirming the shipment), to print. A label can be printed again, or
canceled until the carrier scans the package."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request, Response
from starlette.datastructures import FormData

from sellerflow.domain import carrier_network as network
from sellerflow.domain.callers import Caller
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.model import Address, Seller
from sellerflow.domain.text import Phrase
from sellerflow.label_documents import FORMATS, SUFFIXES
from sellerflow.service import buy_shipping
from sellerflow.web.i18n import zone_of
from sellerflow.web.pages import checked_form, flash, form_text, pages_of, run_service, see_other
from sellerflow.web.pages_text import N_
from sellerflow.web.seller import Signed, typed_units
from sellerflow.wire_shipping import document

router = APIRouter(include_in_schema=False)
# The form's inputs: named as the engine names what they hold, so a refusal points at one.
SHIP_FROM = ("Name", "AddressLine1", "City", "StateOrRegion", "PostalCode")
BOX = ("length", "width", "height")


def _caller(seller: Seller) -> Caller:
    return Caller.seller(seller.seller_id)


def _order_page(order_id: str) -> str:
    return f"/orders-v3/order/{order_id}"


def label_request(form: FormData, order_id: str, seller: Seller) -> buy_shipping.LabelRequest:
    """The package the form describes: inches and ounces, the units typed (none: all still
    to ship), shipping on the seller's day chosen (today when none)."""
    ship_from = Address.from_wire({**{field: form_text(form, f"ship_from.{field}") or None
                                      for field in SHIP_FROM}, "CountryCode": "US"},
                                  "ship_from")
    length, width, height = (form_text(form, f"package.{side}") or "0" for side in BOX)
    box = network.package(length, width, height, "inches",
                          form_text(form, "package.weight.value") or "0", "oz", "package",
                          "package.weight")
    return buy_shipping.LabelRequest(order_id, typed_units(form), ship_from, box,
                                     _ship_date(form), zone_of(seller))


def _ship_date(form: FormData) -> date | None:
    text = form_text(form, "ship_date")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("ship_date", Phrase("%(value)r is not a date like 2026-11-26",
                                               value=text)) from None


@router.post("/orders-v3/order/{order_id}/rates")
async def rates(request: Request, order_id: str, seller: Signed) -> Response:
    """Every service's rate for the package, to choose one."""
    form = await checked_form(request)
    offers = await run_service(request, buy_shipping.offers, _caller(seller),
                               label_request(form, order_id, seller), "ship_date")
    carried = [(name, value) for name, value in form.multi_items()
               if isinstance(value, str) and name != "csrf_token"]
    return await pages_of(request).render(request, "seller/buy_shipping.html", seller=seller,
                                          offers=offers, carried=carried,
                                          formats=list(FORMATS), now=offers.ship_date)


@router.post("/orders-v3/order/{order_id}/buy-shipping")
async def buy(request: Request, order_id: str, seller: Signed) -> Response:
    """Buy the label chosen: the shipment is confirmed; the order's page offers the label."""
    form = await checked_form(request)
    fmt = form_text(form, "format") or "PDF"
    label = await run_service(request, buy_shipping.buy, _caller(seller),
                              label_request(form, order_id, seller),
                              form_text(form, "service"), fmt, "console", "service",
                              "ship_date")
    flash(request, "ok", N_("Label bought and shipment confirmed: tracking ID %(tracking)s. "
                            "Print the label below."), tracking=label.tracking_number)
    return see_other(_order_page(order_id) + "#shipments")


@router.get("/orders-v3/order/{order_id}/labels/{label_id}")
async def print_label(request: Request, order_id: str, label_id: str, seller: Signed,
                      format: str | None = None) -> Response:   # noqa: A002 - the query's name
    """The label's document, to save and print (in another format when asked)."""
    if format is not None and format not in FORMATS:
        raise InvalidInput("format", Phrase("%(format)r is not one of %(formats)s",
                                            format=format, formats=", ".join(FORMATS)))
    label = await run_service(request, buy_shipping.label, _caller(seller), label_id)
    if label.order_id != order_id:
        raise InvalidInput("label", Phrase("label %(label)s is not of order %(order)s",
                                           label=label_id, order=order_id))
    chosen = format or label.label_format
    return Response(document(label, chosen), media_type=FORMATS[chosen], headers={
        "content-disposition": f'attachment; filename="label-{label.tracking_number}.'
                               f'{SUFFIXES[chosen]}"'})


@router.post("/orders-v3/order/{order_id}/labels/{label_id}/cancel")
async def cancel_label(request: Request, order_id: str, label_id: str,
                       seller: Signed) -> Response:
    """Cancel a label the carrier has not scanned: its postage comes back."""
    await checked_form(request)
    label = await run_service(request, buy_shipping.cancel, _caller(seller), label_id)
    flash(request, "ok", N_("Label canceled: %(amount)s postage refunded. The shipment stays "
                            "confirmed; if you ship the units otherwise, confirm that "
                            "shipment's tracking ID."), amount=label.charge)
    return see_other(_order_page(order_id) + "#shipments")

"""Merchant Fulfillment API v0 (SP-API-compatible): getEligibleShipmentServices,
createShipment, getShipment and cancelShipment over the simulated carriers
(service/buy_shipping.py). The last three are restricted operations, as at Amazon: they take
a restricted data token made for them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request

from sellerflow.api.calls import call
from sellerflow.api.deps import Market, json_object, sp_api_seller
from sellerflow.domain import carrier_network as network
from sellerflow.domain import validation
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.model import Address
from sellerflow.service import buy_shipping
from sellerflow.service.auth import SellerSession
from sellerflow.wire_shipping import MFN_FORMATS, mfn_eligible, mfn_shipment

router = APIRouter(prefix="/mfn/v0", tags=["Merchant Fulfillment v0"])
Json = Annotated[Any, Body()]


def _seller(operation: str) -> Any:
    return Depends(sp_api_seller(operation))


def _text(data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{where}.{key}", "is required, as a string")
    return value


def ship_from(data: Any, where: str) -> Address:
    """Merchant Fulfillment's Address (StateOrProvinceCode) as an Address."""
    given = json_object(data, where)
    return Address.from_wire({
        "Name": given.get("Name"), "AddressLine1": given.get("AddressLine1"),
        "AddressLine2": given.get("AddressLine2"), "City": given.get("City"),
        "StateOrRegion": given.get("StateOrProvinceCode"),
        "PostalCode": given.get("PostalCode"), "CountryCode": given.get("CountryCode"),
        "Phone": given.get("Phone")}, where)


def request_details(body: Any) -> tuple[buy_shipping.LabelRequest, str]:
    """ShipmentRequestDetails as a label request, and the label format its
    ShippingServiceOptions ask for."""
    where = "ShipmentRequestDetails"
    details = json_object(json_object(body, "body").get(where), where)
    order_id = _text(details, "AmazonOrderId", where)
    items = details.get("ItemList")
    if not isinstance(items, list) or not items:
        raise InvalidInput(f"{where}.ItemList", 'list the package\'s items: [{"OrderItemId": '
                                                '"...", "Quantity": 1}]')
    lines = []
    for n, item in enumerate(items):
        at = f"{where}.ItemList[{n}]"
        entry = json_object(item, at)
        quantity = entry.get("Quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise InvalidInput(f"{at}.Quantity", "must be a whole number of units")
        lines.append((_text(entry, "OrderItemId", at), quantity))
    dimensions = json_object(details.get("PackageDimensions"), f"{where}.PackageDimensions")
    if "PredefinedPackageDimensions" in dimensions:
        raise InvalidInput(f"{where}.PackageDimensions.PredefinedPackageDimensions",
                           "the simulated carriers price a box by its size: give Length, "
                           "Width, Height and Unit instead")
    weight = json_object(details.get("Weight"), f"{where}.Weight")
    box = network.package(dimensions.get("Length"), dimensions.get("Width"),
                          dimensions.get("Height"), str(dimensions.get("Unit", "")),
                          weight.get("Value"), str(weight.get("Unit", "")),
                          f"{where}.PackageDimensions", f"{where}.Weight", capitals=True)
    options = json_object(details.get("ShippingServiceOptions"), f"{where}.ShippingServiceOptions")
    fmt = options.get("LabelFormat") or "ShippingServiceDefault"
    if fmt not in MFN_FORMATS:
        raise InvalidInput(f"{where}.ShippingServiceOptions.LabelFormat",
                           f"{fmt!r} is not one of {', '.join(MFN_FORMATS)}")
    ship_date = details.get("ShipDate")
    if ship_date is not None and not isinstance(ship_date, str):
        raise InvalidInput(f"{where}.ShipDate", "must be an ISO 8601 time like "
                                                "2026-12-07T15:00:00Z")
    return buy_shipping.LabelRequest(
        order_id, tuple(lines), ship_from(details.get("ShipFromAddress"),
                                          f"{where}.ShipFromAddress"), box,
        validation.iso_time(ship_date, f"{where}.ShipDate") if ship_date else None
    ), MFN_FORMATS[fmt]


@router.post("/eligibleShippingServices", operation_id="getEligibleShipmentServices")
async def get_eligible_shipment_services(
        body: Json, market: Market,
        session: Annotated[SellerSession, _seller("getEligibleShipmentServices")]
        ) -> dict[str, Any]:
    """The services that can carry the package, with their rates and delivery promises."""
    request, _ = request_details(body)
    return {"payload": mfn_eligible(await call(market, buy_shipping.offers, market,
                                               session.caller, request))}


@router.post("/shipments", operation_id="createShipment")
async def create_shipment(
        body: Json, request: Request, market: Market,
        session: Annotated[SellerSession, _seller("createShipment")]) -> dict[str, Any]:
    """Buy the label: it confirms the shipment of its items and charges its postage (L29)."""
    buy_shipping.require_restricted(session, request.method, request.url.path)
    label_request, fmt = request_details(body)
    service_id = json_object(body, "body").get("ShippingServiceId")
    if not isinstance(service_id, str) or not service_id:
        raise InvalidInput("ShippingServiceId", "is required: one of the ShippingServiceId "
                                                "values getEligibleShipmentServices gave")
    return {"payload": mfn_shipment(await call(
        market, buy_shipping.buy, market, session.caller, label_request, service_id, fmt,
        "mfn"))}


@router.get("/shipments/{shipmentId}", operation_id="getShipment")
async def get_shipment(shipmentId: str, request: Request, market: Market,  # noqa: N803
                       session: Annotated[SellerSession, _seller("getShipment")]
                       ) -> dict[str, Any]:
    """A label bought, with its status and file."""
    buy_shipping.require_restricted(session, request.method, request.url.path)
    return {"payload": mfn_shipment(await call(market, buy_shipping.label, market,
                                               session.caller, shipmentId))}


@router.delete("/shipments/{shipmentId}", operation_id="cancelShipment")
async def cancel_shipment(shipmentId: str, request: Request, market: Market,  # noqa: N803
                          session: Annotated[SellerSession, _seller("cancelShipment")]
                          ) -> dict[str, Any]:
    """Cancel a label the carrier has not scanned: its postage comes back (L29)."""
    buy_shipping.require_restricted(session, request.method, request.url.path)
    return {"payload": mfn_shipment(await call(market, buy_shipping.cancel, market,
                                               session.caller, shipmentId))}

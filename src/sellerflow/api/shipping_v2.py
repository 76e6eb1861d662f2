"""Shipping API v2 (SP-API-compatible), Amazon's recommended way to buy labels: getRates,
purchaseShipment, getShipmentDocuments, getTracking and cancelShipment, for the seller's own
orders (channelType AMAZON) over the simulated carriers (service/buy_shipping.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query

from sellerflow.api.calls import call
from sellerflow.api.deps import Market, json_object, sp_api_seller
from sellerflow.domain import carrier_network as network
from sellerflow.domain import validation
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.model import Address
from sellerflow.service import buy_shipping
from sellerflow.service.auth import SellerSession
from sellerflow.wire_shipping import v2_documents, v2_purchase, v2_rates, v2_tracking

router = APIRouter(prefix="/shipping/v2", tags=["Shipping v2"])
Json = Annotated[Any, Body()]


def _seller(operation: str) -> Any:
    return Depends(sp_api_seller(operation))


def _address(data: Any, where: str) -> Address:
    """Shipping v2's Address (lower-case names) as an Address."""
    given = json_object(data, where)
    return Address.from_wire({
        "Name": given.get("name"), "AddressLine1": given.get("addressLine1"),
        "AddressLine2": given.get("addressLine2"), "City": given.get("city"),
        "StateOrRegion": given.get("stateOrRegion"), "PostalCode": given.get("postalCode"),
        "CountryCode": given.get("countryCode"), "Phone": given.get("phoneNumber"),
        "CompanyName": given.get("companyName")}, where)


def rates_request(body: Any) -> buy_shipping.LabelRequest:
    """GetRatesRequest for one of the seller's orders: one package, its items by order item
    id (itemIdentifier; none named: every unit still to ship)."""
    given = json_object(body, "body")
    channel = json_object(given.get("channelDetails"), "channelDetails")
    if channel.get("channelType") != "AMAZON":
        raise InvalidInput("channelDetails.channelType", "sellerflow buys labels for its own "
                                                         "orders: give AMAZON with "
                                                         "amazonOrderDetails.orderId")
    order = json_object(channel.get("amazonOrderDetails"), "channelDetails.amazonOrderDetails")
    order_id = order.get("orderId")
    if not isinstance(order_id, str) or not order_id:
        raise InvalidInput("channelDetails.amazonOrderDetails.orderId", "is required")
    packages = given.get("packages")
    if not isinstance(packages, list) or len(packages) != 1:
        raise InvalidInput("packages", "give one package: a label is bought per package")
    package = json_object(packages[0], "packages[0]")
    dimensions = json_object(package.get("dimensions"), "packages[0].dimensions")
    weight = json_object(package.get("weight"), "packages[0].weight")
    box = network.package(dimensions.get("length"), dimensions.get("width"),
                          dimensions.get("height"), str(dimensions.get("unit", "")),
                          weight.get("value"), str(weight.get("unit", "")),
                          "packages[0].dimensions", "packages[0].weight")
    items = package.get("items")
    if not isinstance(items, list) or not items:
        raise InvalidInput("packages[0].items", 'list the package\'s items: [{"quantity": 1, '
                                                '"itemIdentifier": "ORDER_ITEM_ID"}]')
    lines = []
    for n, item in enumerate(items):
        entry = json_object(item, f"packages[0].items[{n}]")
        quantity, identifier = entry.get("quantity"), entry.get("itemIdentifier")
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise InvalidInput(f"packages[0].items[{n}].quantity", "must be a whole number")
        if identifier is not None:
            lines.append((str(identifier), quantity))
    ship_date = given.get("shipDate")
    if ship_date is not None and not isinstance(ship_date, str):
        raise InvalidInput("shipDate", "must be an ISO 8601 time like 2026-12-07T15:00:00Z")
    return buy_shipping.LabelRequest(
        order_id, tuple(lines) or None, _address(given.get("shipFrom"), "shipFrom"), box,
        validation.iso_time(ship_date, "shipDate") if ship_date else None)


@router.post("/shipments/rates", operation_id="getRates")
async def get_rates(body: Json, market: Market,
                    session: Annotated[SellerSession, _seller("getRates")]) -> dict[str, Any]:
    """Every service's rate for the package; purchase one within 24 hours by its rateId."""
    return {"payload": v2_rates(await call(market, buy_shipping.rates, market, session.caller,
                                           rates_request(body)))}


@router.post("/shipments", operation_id="purchaseShipment")
async def purchase_shipment(body: Json, market: Market,
                            session: Annotated[SellerSession, _seller("purchaseShipment")]
                            ) -> dict[str, Any]:
    """Buy the rate: the label confirms the order's shipment and charges its postage (L29)."""
    given = json_object(body, "body")
    token, rate_id = given.get("requestToken"), given.get("rateId")
    for name, value in (("requestToken", token), ("rateId", rate_id)):
        if not isinstance(value, str) or not value:
            raise InvalidInput(name, "is required: the one getRates gave")
    spec = json_object(given.get("requestedDocumentSpecification"),
                   "requestedDocumentSpecification")
    fmt = spec.get("format")
    if fmt not in buy_shipping.LABEL_FORMATS:
        raise InvalidInput("requestedDocumentSpecification.format",
                           f"{fmt!r} is not one of {', '.join(buy_shipping.LABEL_FORMATS)}")
    return {"payload": v2_purchase(await call(market, buy_shipping.purchase, market,
                                              session.caller, token, rate_id, fmt))}


@router.get("/shipments/{shipmentId}/documents", operation_id="getShipmentDocuments")
async def get_shipment_documents(
        shipmentId: str, market: Market,   # noqa: N803 - Amazon's parameter names
        session: Annotated[SellerSession, _seller("getShipmentDocuments")],
        packageClientReferenceId: str = Query(...),   # noqa: N803
        format: str | None = Query(None)) -> dict[str, Any]:   # noqa: A002
    """The label again, in the format asked (its own by default)."""
    if format is not None and format not in buy_shipping.LABEL_FORMATS:
        raise InvalidInput("format", f"{format!r} is not one of "
                                     f"{', '.join(buy_shipping.LABEL_FORMATS)}")
    label = await call(market, buy_shipping.label, market, session.caller, shipmentId)
    if packageClientReferenceId != label.order_id:
        raise InvalidInput("packageClientReferenceId", f"{packageClientReferenceId!r} is not "
                                                       "a package of this shipment")
    return {"payload": v2_documents(label, format)}


@router.get("/tracking", operation_id="getTracking")
async def get_tracking(market: Market,
                       session: Annotated[SellerSession, _seller("getTracking")],
                       trackingId: str = Query(...),   # noqa: N803
                       carrierId: str = Query(...)) -> dict[str, Any]:   # noqa: N803
    """The package's scans so far (L30)."""
    return {"payload": v2_tracking(await call(market, buy_shipping.tracking, market,
                                              session.caller, trackingId, carrierId))}


@router.put("/shipments/{shipmentId}/cancel", operation_id="cancelShipment_shipping_v2")
async def cancel_shipment(shipmentId: str, market: Market,   # noqa: N803
                          session: Annotated[SellerSession,
                                             _seller("cancelShipment_shipping_v2")]
                          ) -> dict[str, Any]:
    """Cancel a label the carrier has not scanned: its postage comes back (L29)."""
    await call(market, buy_shipping.cancel, market, session.caller, shipmentId)
    return {"payload": {}}

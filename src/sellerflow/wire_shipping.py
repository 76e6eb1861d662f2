"""Buy Shipping's read models in Amazon's shapes: Merchant Fulfillment v0 (ShippingService,
Shipment with its Label) and Shipping API v2 (Rate, PurchaseShipmentResult, GetTrackingResult),
and the SHIPMENT_TRACKING_MILESTONE_CHANGED milestones."""

from __future__ import annotations

import base64
import gzip
import hashlib
from datetime import datetime
from decimal import Decimal
from typing import Any

from sellerflow.clock import iso
from sellerflow.domain import carrier_network as network
from sellerflow.domain.model import Address
from sellerflow.domain.money import Money
from sellerflow.label_documents import FORMATS, LabelText, render
from sellerflow.service.buy_shipping import Label, Offers
from sellerflow.service.views import Tracking

# Merchant Fulfillment's label formats and what sellerflow draws for each.
MFN_FORMATS = {"PDF": "PDF", "PNG": "PNG", "ZPL203": "ZPL", "ZPL300": "ZPL",
               "ShippingServiceDefault": "PDF"}
DELIVERY_EXPERIENCES = ("DeliveryConfirmationWithAdultSignature",
                        "DeliveryConfirmationWithSignature",
                        "DeliveryConfirmationWithoutSignature", "NoTracking")
PROTECTION = "CLAIMS_PROTECTED"     # Amazon's benefit of a service that delivers on time


def _mfn_money(money: Money) -> dict[str, Any]:
    return {"CurrencyCode": money.currency, "Amount": float(money.amount)}


def _number(value: Decimal) -> float:
    return float(round(value, 2))


def mfn_address(address: Address, email: str = "") -> dict[str, Any]:
    """An address as Merchant Fulfillment writes it (its limits: a name and a city of 30)."""
    found: dict[str, Any] = {
        "Name": address.Name[:30], "AddressLine1": address.AddressLine1[:180],
        "City": address.City[:30], "PostalCode": address.PostalCode[:30],
        "CountryCode": address.CountryCode, "Email": email, "Phone": (address.Phone or "")[:30]}
    if address.AddressLine2:
        found["AddressLine2"] = address.AddressLine2[:60]
    if address.StateOrRegion:
        found["StateOrProvinceCode"] = address.StateOrRegion[:30]
    return found


def _benefits(on_time: bool) -> dict[str, Any]:
    if on_time:
        return {"IncludedBenefits": [PROTECTION], "ExcludedBenefits": []}
    return {"IncludedBenefits": [], "ExcludedBenefits": [
        {"Benefit": PROTECTION, "ReasonCodes": ["LATE_DELIVERY_RISK"]}]}


def mfn_service(quote: network.Quote, label_format: str | None = None) -> dict[str, Any]:
    service = quote.service
    options: dict[str, Any] = {"DeliveryExperience": "DeliveryConfirmationWithoutSignature",
                               "CarrierWillPickUp": False}
    if label_format is not None:
        options["LabelFormat"] = label_format
    return {
        "ShippingServiceName": service.name, "CarrierName": service.carrier,
        "ShippingServiceId": service.service_id,
        "ShippingServiceOfferId": f"{service.service_id}:{quote.billed_pounds}",
        "ShipDate": iso(quote.ship_date),
        "EarliestEstimatedDeliveryDate": iso(quote.earliest_delivery),
        "LatestEstimatedDeliveryDate": iso(quote.latest_delivery),
        "Rate": _mfn_money(quote.charge), "RateWithAdjustments": _mfn_money(quote.charge),
        "ShippingServiceOptions": options,
        "AvailableLabelFormats": ["PDF", "PNG", "ZPL203"],
        "AvailableFormatOptionsForLabel": [{"LabelFormat": fmt}
                                           for fmt in ("PDF", "PNG", "ZPL203")],
        "RequiresAdditionalSellerInputs": False,
        "Benefits": _benefits(quote.on_time)}


def mfn_eligible(offers: Offers) -> dict[str, Any]:
    return {"ShippingServiceList": [mfn_service(q) for q in offers.quotes],
            "RejectedShippingServiceList": [
                {"CarrierName": r.service.carrier, "ShippingServiceName": r.service.name,
                 "ShippingServiceId": r.service.service_id, "RejectionReasonCode": r.code,
                 "RejectionReasonMessage": r.message} for r in offers.refusals],
            "TemporarilyUnavailableCarrierList": [],
            "TermsAndConditionsNotAcceptedCarrierList": []}


def label_text(label: Label) -> LabelText:
    def lines(address: Address) -> tuple[str, ...]:
        city = " ".join(p for p in (address.City, address.StateOrRegion, address.PostalCode)
                        if p)
        return tuple(p for p in (address.Name, address.AddressLine1, address.AddressLine2,
                                 city, address.CountryCode) if p)

    return LabelText(label.service.carrier, label.service.name, label.tracking_number,
                     lines(label.ship_from), lines(label.ship_to), label.order_id,
                     label.ship_date, label.package.billed_pounds)


def document(label: Label, fmt: str | None = None) -> bytes:
    return render(label_text(label), fmt or label.label_format)


def mfn_shipment(label: Label) -> dict[str, Any]:
    """Merchant Fulfillment's Shipment: the label's file gzip-compressed and Base64-encoded,
    its checksum the MD5 of the document, Base64."""
    doc = document(label)
    box = label.package
    mfn_format = "ZPL203" if label.label_format == "ZPL" else label.label_format
    quote = network.Quote(label.service, label.charge, 0, box.billed_pounds, label.ship_date,
                          label.earliest_delivery, label.latest_delivery, label.on_time)
    return {
        "ShipmentId": label.label_id, "AmazonOrderId": label.order_id,
        "ItemList": [{"OrderItemId": item, "Quantity": quantity}
                     for item, quantity in label.lines],
        "ShipFromAddress": mfn_address(label.ship_from),
        "ShipToAddress": mfn_address(label.ship_to),
        "PackageDimensions": {"Length": _number(box.length), "Width": _number(box.width),
                              "Height": _number(box.height), "Unit": "inches"},
        "Weight": {"Value": _number(box.weight_oz), "Unit": "oz"},
        "Insurance": _mfn_money(Money.zero()),
        "ShippingService": mfn_service(quote, mfn_format),
        "Label": {"Dimensions": {"Length": 6, "Width": 4, "Unit": "inches"},
                  "FileContents": {
                      "Contents": base64.b64encode(gzip.compress(doc, mtime=0)).decode(),
                      "FileType": FORMATS[label.label_format],
                      "Checksum": base64.b64encode(hashlib.md5(doc).digest()).decode()},
                  "LabelFormat": mfn_format},
        "Status": label.status, "TrackingId": label.tracking_number,
        "CreatedDate": iso(label.created_at),
        "LastUpdatedDate": iso(label.canceled_at or label.created_at)}


# Shipping v2.

def _currency(money: Money) -> dict[str, Any]:
    return {"value": float(money.amount), "unit": money.currency}


def _window(start: datetime, end: datetime) -> dict[str, Any]:
    return {"start": iso(start), "end": iso(end)}


_DOCUMENT_SPECS = [{"format": fmt, "size": {"width": 4, "length": 6, "unit": "INCH"},
                    "printOptions": [{"supportedDPIs": [203, 300],
                                      "supportedPageLayouts": ["DEFAULT"],
                                      "supportedFileJoiningOptions": [False],
                                      "supportedDocumentDetails": [
                                          {"name": "LABEL", "isMandatory": True}]}]}
                   for fmt in ("PDF", "PNG", "ZPL")]


def v2_rates(offers: Offers) -> dict[str, Any]:
    assert offers.request_token is not None
    return {"requestToken": offers.request_token, "rates": [{
        "rateId": q.service.service_id, "carrierId": network.CARRIER_IDS[q.service.carrier],
        "carrierName": q.service.carrier, "serviceId": q.service.service_id,
        "serviceName": q.service.name,
        "billedWeight": {"unit": "POUND", "value": q.billed_pounds},
        "totalCharge": _currency(q.charge),
        "promise": {"deliveryWindow": _window(q.earliest_delivery, q.latest_delivery),
                    "pickupWindow": _window(q.ship_date, q.ship_date)},
        "supportedDocumentSpecifications": _DOCUMENT_SPECS,
        "requiresAdditionalInputs": False, "paymentType": "PAY_THROUGH_AMAZON",
        "benefits": {"includedBenefits": [PROTECTION] if q.on_time else [],
                     "excludedBenefits": [] if q.on_time else [
                         {"benefit": PROTECTION, "reasonCodes": ["LATE_DELIVERY_RISK"]}]}}
        for q in offers.quotes],
        "ineligibleRates": [{"serviceId": r.service.service_id,
                             "serviceName": r.service.name,
                             "carrierName": r.service.carrier,
                             "carrierId": network.CARRIER_IDS[r.service.carrier],
                             "ineligibilityReasons": [{"code": r.code,
                                                       "message": r.message}]}
                            for r in offers.refusals]}


def v2_purchase(label: Label) -> dict[str, Any]:
    return {"shipmentId": label.label_id, "packageDocumentDetails": [{
        "packageClientReferenceId": label.order_id, "trackingId": label.tracking_number,
        "packageDocuments": [{"type": "LABEL", "format": label.label_format,
                              "contents": base64.b64encode(document(label)).decode()}]}],
        "promise": {"deliveryWindow": _window(label.earliest_delivery, label.latest_delivery),
                    "pickupWindow": _window(label.ship_date, label.ship_date)}}


def _location(address: Address) -> dict[str, Any]:
    found = {"city": address.City, "countryCode": address.CountryCode,
             "postalCode": address.PostalCode}
    if address.StateOrRegion:
        found["stateOrRegion"] = address.StateOrRegion
    return found


def v2_tracking(package: Tracking) -> dict[str, Any]:
    return {"trackingId": package.tracking_number, "alternateLegTrackingId": "",
            "eventHistory": [{"eventCode": scan.code, "eventTime": iso(scan.at),
                              **({"location": _location(package.ship_to)}
                                 if scan.at_destination else {})}
                             for scan in package.scans],
            "promisedDeliveryDate": iso(package.promised),
            "summary": {"status": package.status}}


def v2_documents(label: Label, fmt: str | None = None) -> dict[str, Any]:
    """GetShipmentDocumentsResult: the label in the format asked."""
    chosen = fmt or label.label_format
    return {"shipmentId": label.label_id, "packageDocumentDetail": {
        "packageClientReferenceId": label.order_id, "trackingId": label.tracking_number,
        "packageDocuments": [{"type": "LABEL", "format": chosen,
                              "contents": base64.b64encode(document(label, chosen)).decode()}]}}

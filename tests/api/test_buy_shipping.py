"""Buy Shipping through Merchant Fulfillment v0 and Shipping v2, every answer checked against
Amazon's models (sp_api_models/merchantFulfillmentV0.json, shippingV2.json): rates from the
package, a bought label confirming its shipment and charging its postage, the label a real
document, a label canceled before the carrier's scan, and tracking to delivered (L29, L30)."""

from __future__ import annotations

import base64
import gzip
import hashlib
from decimal import Decimal
from typing import Any

from sellerflow.service import config
from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.api.conftest import Seller
from tests.helpers import OP

SHIP_FROM_MFN = {"Name": "Acme Warehouse", "AddressLine1": "100 Dock Rd", "City": "Portland",
                 "StateOrProvinceCode": "OR", "PostalCode": "97201", "CountryCode": "US",
                 "Email": "dock@example.com", "Phone": "5035550100"}
SHIP_FROM_V2 = {"name": "Acme Warehouse", "addressLine1": "100 Dock Rd", "city": "Portland",
                "stateOrRegion": "OR", "postalCode": "97201", "countryCode": "US"}


def _details(order_id: str, item: str, quantity: int = 1, **extra: Any) -> dict[str, Any]:
    return {"AmazonOrderId": order_id,
            "ItemList": [{"OrderItemId": item, "Quantity": quantity}],
            "ShipFromAddress": SHIP_FROM_MFN,
            "PackageDimensions": {"Length": 10, "Width": 8, "Height": 4, "Unit": "inches"},
            "Weight": {"Value": 20, "Unit": "oz"},
            "ShippingServiceOptions": {"DeliveryExperience":
                                       "DeliveryConfirmationWithoutSignature",
                                       "CarrierWillPickUp": False, **extra}}


def _mfn_token(seller: Seller) -> dict[str, str]:
    token = seller.rdt({"method": "POST", "path": "/mfn/v0/shipments"},
                       {"method": "GET", "path": "/mfn/v0/shipments/{shipmentId}"},
                       {"method": "DELETE", "path": "/mfn/v0/shipments/{shipmentId}"})
    return {"x-amz-access-token": token}


def no_surprises(market: Marketplace) -> None:
    """Every package delivered inside its window: the profile's late and lost shares at 0."""
    config.set_value(market, OP, "late-deliveries", "0")
    config.set_value(market, OP, "lost-packages", "0")


def test_L29_a_label_bought_with_merchant_fulfillment_confirms_the_shipment(
        market: Marketplace, seller: Seller) -> None:
    no_surprises(market)
    h.listing(market, seller.seller_id, price="20.00", quantity=5)
    order_id = h.released(market, seller.seller_id, qty=2)
    item = h.item_id(market, order_id)

    offered = seller.post("/mfn/v0/eligibleShippingServices",
                          json={"ShipmentRequestDetails": _details(order_id, item, 2)})
    assert offered.status_code == 200, offered.text
    services = offered.json()["payload"]["ShippingServiceList"]
    assert {s["CarrierName"] for s in services} == {"USPS", "UPS", "FedEx"}
    rates = [Decimal(str(s["Rate"]["Amount"])) for s in services]
    assert rates == sorted(rates)
    # The same package always costs the same; a heavier one costs more.
    again = seller.post("/mfn/v0/eligibleShippingServices",
                        json={"ShipmentRequestDetails": _details(order_id, item, 2)})
    assert again.json()["payload"]["ShippingServiceList"] == services
    heavy = _details(order_id, item, 2)
    heavy["Weight"] = {"Value": 300, "Unit": "oz"}
    heavier = seller.post("/mfn/v0/eligibleShippingServices",
                          json={"ShipmentRequestDetails": heavy}).json()["payload"]
    assert min(Decimal(str(s["Rate"]["Amount"])) for s in heavier["ShippingServiceList"]) \
        > rates[0]

    # createShipment is restricted: an access token alone is refused.
    body = {"ShipmentRequestDetails": _details(order_id, item, 2, LabelFormat="PDF"),
            "ShippingServiceId": services[0]["ShippingServiceId"]}
    refused = seller.post("/mfn/v0/shipments", json=body)
    assert refused.status_code in (401, 403), refused.text
    assert h.status(market, order_id) == "Unshipped"

    rdt = _mfn_token(seller)
    bought = seller.api.post("/mfn/v0/shipments", json=body, headers=rdt)
    assert bought.status_code == 200, bought.text
    shipment = bought.json()["payload"]
    assert shipment["Status"] == "Purchased"
    contents = gzip.decompress(base64.b64decode(shipment["Label"]["FileContents"]["Contents"]))
    assert contents.startswith(b"%PDF")
    assert shipment["Label"]["FileContents"]["Checksum"] == base64.b64encode(
        hashlib.md5(contents).digest()).decode()
    assert h.status(market, order_id) == "Shipped"
    shipped = h.view(market, order_id)
    assert shipped["shipments"][0]["trackingNumber"] == shipment["TrackingId"]
    ledger = h.ledger(market, seller.seller_id)
    postage = [line for line in ledger["entries"] if line["kind"] == "postage"]
    assert [Decimal(line["amount"]["Amount"]) for line in postage] == [-rates[0]]

    read = seller.api.get(f"/mfn/v0/shipments/{shipment['ShipmentId']}", headers=rdt)
    assert read.status_code == 200, read.text
    assert read.json()["payload"]["TrackingId"] == shipment["TrackingId"]

    # L29: once the carrier has scanned the package the label can no longer be canceled.
    h.advance(market, "1d")
    late = seller.api.delete(f"/mfn/v0/shipments/{shipment['ShipmentId']}", headers=rdt)
    assert late.status_code == 400, late.text
    assert "scanned" in late.text


def test_L29_a_label_canceled_before_its_pickup_gives_the_postage_back(
        market: Marketplace, seller: Seller) -> None:
    h.listing(market, seller.seller_id, price="20.00", quantity=5)
    order_id = h.released(market, seller.seller_id)
    item = h.item_id(market, order_id)
    rdt = _mfn_token(seller)
    services = seller.post("/mfn/v0/eligibleShippingServices", json={
        "ShipmentRequestDetails": _details(order_id, item)}).json()["payload"][
        "ShippingServiceList"]
    ups = next(s for s in services if s["CarrierName"] == "UPS")
    bought = seller.api.post("/mfn/v0/shipments", headers=rdt, json={
        "ShipmentRequestDetails": _details(order_id, item, LabelFormat="ZPL203"),
        "ShippingServiceId": ups["ShippingServiceId"]}).json()["payload"]
    zpl = gzip.decompress(base64.b64decode(bought["Label"]["FileContents"]["Contents"]))
    assert zpl.startswith(b"^XA") and bought["TrackingId"].encode() in zpl
    assert bought["TrackingId"].startswith("1Z") and len(bought["TrackingId"]) == 18

    canceled = seller.api.delete(f"/mfn/v0/shipments/{bought['ShipmentId']}", headers=rdt)
    assert canceled.status_code == 200, canceled.text
    assert canceled.json()["payload"]["Status"] == "RefundApplied"
    kinds = [(line["kind"], Decimal(line["amount"]["Amount"]))
             for line in h.ledger(market, seller.seller_id)["entries"]]
    charge = Decimal(str(ups["Rate"]["Amount"]))
    assert ("postage", -charge) in kinds and ("postage_refund", charge) in kinds
    # The postage and its refund are the order's adjustment events (Finances v0).
    events = seller.get(f"/finances/v0/orders/{order_id}/financialEvents").json()[
        "payload"]["FinancialEvents"]
    adjustments = {(e["AdjustmentType"], Decimal(str(e["AdjustmentAmount"]["CurrencyAmount"])))
                   for e in events["AdjustmentEventList"]}
    assert adjustments == {("PostageBilling", -charge), ("PostageRefund", charge)}
    twice = seller.api.delete(f"/mfn/v0/shipments/{bought['ShipmentId']}", headers=rdt)
    assert twice.status_code == 400 and "canceled" in twice.text
    # A void label's package is never scanned: it counts against valid tracking.
    h.advance(market, "3d")
    assert h.metrics(market, seller.seller_id)["validTrackingRate"]["numerator"] == 0


def test_L29_L30_shipping_v2_buys_a_label_and_tracks_it_to_delivered(
        market: Marketplace, seller: Seller) -> None:
    no_surprises(market)
    h.listing(market, seller.seller_id, price="20.00", quantity=5)
    order_id = h.released(market, seller.seller_id)
    item = h.item_id(market, order_id)
    rates = seller.post("/shipping/v2/shipments/rates", json={
        "shipFrom": SHIP_FROM_V2,
        "packages": [{"dimensions": {"length": 20, "width": 15, "height": 10,
                                     "unit": "CENTIMETER"},
                      "weight": {"value": 900, "unit": "GRAM"},
                      "insuredValue": {"value": 20, "unit": "USD"},
                      "packageClientReferenceId": order_id,
                      "items": [{"quantity": 1, "itemIdentifier": item}]}],
        "channelDetails": {"channelType": "AMAZON",
                           "amazonOrderDetails": {"orderId": order_id}}})
    assert rates.status_code == 200, rates.text
    answer = rates.json()["payload"]
    usps = next(r for r in answer["rates"] if r["carrierId"] == "USPS")
    bought = seller.post("/shipping/v2/shipments", json={
        "requestToken": answer["requestToken"], "rateId": usps["rateId"],
        "requestedDocumentSpecification": {"format": "PNG", "size": {
            "width": 4, "length": 6, "unit": "INCH"}, "needFileJoining": False,
            "requestedDocumentTypes": ["LABEL"]}})
    assert bought.status_code == 200, bought.text
    detail = bought.json()["payload"]["packageDocumentDetails"][0]
    assert base64.b64decode(detail["packageDocuments"][0]["contents"]).startswith(b"\x89PNG")
    tracking_id = detail["trackingId"]
    assert tracking_id.startswith("94") and len(tracking_id) == 22
    assert h.status(market, order_id) == "Shipped"

    def track() -> dict[str, Any]:
        found = seller.get("/shipping/v2/tracking",
                           params={"trackingId": tracking_id, "carrierId": "USPS"})
        assert found.status_code == 200, found.text
        return dict(found.json()["payload"])

    assert track()["summary"]["status"] == "PreTransit"
    h.advance(market, "3h")
    assert track()["summary"]["status"] == "InTransit"
    h.advance(market, "10d")
    delivered = track()
    assert delivered["summary"]["status"] == "Delivered"
    codes = [event["eventCode"] for event in delivered["eventHistory"]]
    assert codes == ["ReadyForReceive", "PickupDone", "Departed", "ArrivedAtCarrierFacility",
                     "OutForDelivery", "Delivered"]
    assert delivered["eventHistory"][-1]["eventTime"] <= delivered["promisedDeliveryDate"]

    documents = seller.get(f"/shipping/v2/shipments/{bought.json()['payload']['shipmentId']}"
                           "/documents", params={"packageClientReferenceId": order_id,
                                                 "format": "PDF"})
    assert documents.status_code == 200, documents.text
    assert base64.b64decode(documents.json()["payload"]["packageDocumentDetail"][
        "packageDocuments"][0]["contents"]).startswith(b"%PDF")
    # Delivered: too late to cancel.
    late = seller.api.put(f"/shipping/v2/shipments/{bought.json()['payload']['shipmentId']}"
                          "/cancel", headers=seller.headers)
    assert late.status_code == 400, late.text


def test_L29_bad_label_requests_are_refused_clearly(market: Marketplace,
                                                    seller: Seller) -> None:
    h.listing(market, seller.seller_id, price="20.00", quantity=5)
    order_id = h.released(market, seller.seller_id)
    item = h.item_id(market, order_id)
    no_weight = _details(order_id, item)
    no_weight["Weight"] = {"Value": -1, "Unit": "oz"}
    answer = seller.post("/mfn/v0/eligibleShippingServices",
                         json={"ShipmentRequestDetails": no_weight})
    assert answer.status_code == 400 and "more than 0" in answer.text
    assert "ShipmentRequestDetails.Weight.Value" in answer.text      # where, as Amazon names it
    unknown = seller.post("/shipping/v2/shipments", json={
        "requestToken": "nope", "rateId": "USPS_PTP_PRI",
        "requestedDocumentSpecification": {"format": "PDF", "size": {
            "width": 4, "length": 6, "unit": "INCH"}, "needFileJoining": False,
            "requestedDocumentTypes": ["LABEL"]}})
    assert unknown.status_code == 400 and "getRates" in unknown.text
    missing = seller.get("/shipping/v2/tracking", params={"trackingId": "940000",
                                                          "carrierId": "USPS"})
    assert missing.status_code == 404
    h.ship(market, order_id)
    shipped = seller.post("/mfn/v0/eligibleShippingServices",
                          json={"ShipmentRequestDetails": _details(order_id, item)})
    assert shipped.status_code == 400, shipped.text

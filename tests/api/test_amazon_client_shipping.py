"""The real PyPI client `python-amazon-sp-api`, unchanged, buying labels from a live
`sellerflow serve` on each database: one through Merchant Fulfillment (with the restricted
data token its label operations take) and canceled, one through Shipping v2 and tracked to
delivered, and the order's financial events read back with the label's postage (L29, L30)."""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sp_api.api import Finances, MerchantFulfillment, Orders, ShippingV2, Tokens

from tests import helpers as h
from tests.api.test_amazon_client import MARKET, _client_classes
from tests.conftest import fresh_database_url

pytestmark = pytest.mark.slow
SHIP_FROM = {"Name": "Acme Dock", "AddressLine1": "100 Dock Rd", "City": "Portland",
             "StateOrProvinceCode": "OR", "PostalCode": "97201", "CountryCode": "US",
             "Email": "dock@example.com", "Phone": "5035550100"}


@pytest.fixture(params=["sqlite", "postgresql"])
def live_server(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path,
                postgres_template: str | None) -> Iterator[str]:
    """A server of its own on a fresh database of each kind."""
    databases = fresh_database_url(request.param, tmp_path, sqlite_template, postgres_template)
    url = next(databases)
    process, base = h.start_serve(url)
    yield base
    process.terminate()
    _, err = process.communicate(timeout=30)
    databases.close()
    assert "Traceback" not in err, err


def _order(control: httpx.Client, seller: dict[str, Any], buyer: dict[str, Any]) -> str:
    placed = control.post("/buyer/v1/checkout", headers={
        "Authorization": f"Bearer {buyer['token']}"}, json={
        "items": [{"sellerId": seller["sellerId"], "sku": "MUG", "quantity": 1}],
        "shippingAddress": h.ADDRESS})
    assert placed.status_code == 201, placed.text
    return str(placed.json()["orders"][0]["AmazonOrderId"])


def test_L29_L30_an_amazon_client_buys_cancels_and_tracks_labels(live_server: str) -> None:
    control = httpx.Client(base_url=live_server, timeout=30)
    seller = control.post("/sandbox/v1/sellers", json={
        "name": "Acme", "plan": "professional", "email": "acme@example.com"}).json()
    buyer = control.post("/sandbox/v1/buyers", json={"email": "jo@example.com"}).json()
    for key in ("late-deliveries", "lost-packages"):
        control.put(f"/sandbox/v1/config/{key}", json={"value": "0"})
    marketplace, login = _client_classes(live_server)
    kwargs: dict[str, Any] = {
        "marketplace": marketplace, "auth_token_client_class": login, "credentials": {
            "refresh_token": seller["refreshToken"], "lwa_app_id": seller["clientId"],
            "lwa_client_secret": seller["clientSecret"]}}
    token = control.post("/auth/o2/token", data={
        "grant_type": "refresh_token", "refresh_token": seller["refreshToken"],
        "client_id": seller["clientId"], "client_secret": seller["clientSecret"]}).json()
    control.headers["x-amz-access-token"] = token["access_token"]
    assert control.put(f"/listings/2021-08-01/items/{seller['sellerId']}/MUG",
                       params={"marketplaceIds": MARKET}, json={
        "productType": "HOME", "attributes": {
            "item_name": [{"value": "Mug", "language_tag": "en_US", "marketplace_id": MARKET}],
            "purchasable_offer": [{"currency": "USD", "marketplace_id": MARKET,
                                   "our_price": [{"schedule": [{"value_with_tax": 9.5}]}]}],
            "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT",
                                          "quantity": 10}]}}).status_code == 200
    first, second = _order(control, seller, buyer), _order(control, seller, buyer)
    control.post("/sandbox/v1/clock/advance", json={"duration": "31m"})
    orders = Orders(**kwargs)

    # Merchant Fulfillment: its label operations take a restricted data token.
    rdt = Tokens(**kwargs).create_restricted_data_token(restrictedResources=[
        {"method": "POST", "path": "/mfn/v0/shipments"},
        {"method": "GET", "path": "/mfn/v0/shipments/{shipmentId}"},
        {"method": "DELETE", "path": "/mfn/v0/shipments/{shipmentId}"}]).payload[
        "restrictedDataToken"]
    mfn = MerchantFulfillment(**kwargs, restricted_data_token=rdt)
    item = orders.get_order_items(first).payload["OrderItems"][0]["OrderItemId"]
    details = {"AmazonOrderId": first, "ItemList": [{"OrderItemId": item, "Quantity": 1}],
               "ShipFromAddress": SHIP_FROM,
               "PackageDimensions": {"Length": 9, "Width": 6, "Height": 3, "Unit": "inches"},
               "Weight": {"Value": 14, "Unit": "oz"},
               "ShippingServiceOptions": {"DeliveryExperience": "NoTracking",
                                          "CarrierWillPickUp": False, "LabelFormat": "PDF"}}
    # Rates are no restricted data: the access token asks for them.
    services = MerchantFulfillment(**kwargs).get_eligible_shipment_services(details).payload[
        "ShippingServiceList"]
    bought = mfn.create_shipment(details, services[0]["ShippingServiceId"]).payload
    label = gzip.decompress(base64.b64decode(bought["Label"]["FileContents"]["Contents"]))
    assert label.startswith(b"%PDF") and bought["TrackingId"].encode() in label
    assert orders.get_order(first).payload["OrderStatus"] == "Shipped"
    assert mfn.get_shipment(bought["ShipmentId"]).payload["Status"] == "Purchased"
    assert mfn.cancel_shipment(bought["ShipmentId"]).payload["Status"] == "RefundApplied"

    # Shipping v2: rates, the purchase, tracking to delivered.
    shipping = ShippingV2(**kwargs)
    rates = shipping.get_rates(
        shipFrom={"name": "Acme Dock", "addressLine1": "100 Dock Rd", "city": "Portland",
                  "stateOrRegion": "OR", "postalCode": "97201", "countryCode": "US"},
        packages=[{"dimensions": {"length": 9, "width": 6, "height": 3, "unit": "INCH"},
                   "weight": {"value": 14, "unit": "OUNCE"},
                   "insuredValue": {"value": 0, "unit": "USD"},
                   "packageClientReferenceId": second, "items": [{"quantity": 1}]}],
        channelDetails={"channelType": "AMAZON",
                        "amazonOrderDetails": {"orderId": second}}).payload
    ups = next(rate for rate in rates["rates"] if rate["carrierId"] == "UPS")
    purchase = shipping.purchase_shipment(
        requestToken=rates["requestToken"], rateId=ups["rateId"],
        requestedDocumentSpecification={"format": "ZPL", "size": {
            "width": 4, "length": 6, "unit": "INCH"}, "needFileJoining": False,
            "requestedDocumentTypes": ["LABEL"]}).payload
    tracking_id = purchase["packageDocumentDetails"][0]["trackingId"]
    assert base64.b64decode(purchase["packageDocumentDetails"][0]["packageDocuments"][0][
        "contents"]).startswith(b"^XA")
    control.post("/sandbox/v1/clock/advance", json={"duration": "12d"})
    tracked = shipping.get_tracking(trackingId=tracking_id, carrierId="UPS").payload
    assert tracked["summary"]["status"] == "Delivered"
    assert tracked["eventHistory"][-1]["eventCode"] == "Delivered"

    # The orders' money: the sale, the postage and its refund (Finances v0).
    finances = Finances(**kwargs)
    canceled = finances.get_financial_events_for_order(first).payload["FinancialEvents"]
    assert {e["AdjustmentType"] for e in canceled["AdjustmentEventList"]} == {
        "PostageBilling", "PostageRefund"}
    delivered = finances.get_financial_events_for_order(second).payload["FinancialEvents"]
    [postage] = delivered["AdjustmentEventList"]
    assert postage["AdjustmentAmount"]["CurrencyAmount"] == -ups["totalCharge"]["value"]
    assert delivered["ShipmentEventList"][0]["AmazonOrderId"] == second

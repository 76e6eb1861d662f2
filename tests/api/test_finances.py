"""Finances API v0 from the ledger, every answer checked against Amazon's model
(sp_api_models/financesV0.json): a shipment event per shipment, a refund event per refund, in
amounts that add up to what the ledger credited the seller (L25, L26)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sellerflow.service import fulfillment
from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.api.conftest import CheckedClient, Seller
from tests.helpers import OP


def _amounts(items: list[dict[str, Any]], *lists: str) -> Decimal:
    return sum((Decimal(str(part[key]["CurrencyAmount"]))
                for item in items for name in lists for part in item.get(name, [])
                for key in ("ChargeAmount", "FeeAmount") if key in part), Decimal(0))


def test_L25_L26_an_orders_financial_events_add_up_to_the_ledger(
        api: CheckedClient, market: Marketplace, seller: Seller) -> None:
    h.listing(market, seller.seller_id, price="20.00", quantity=5)
    order_id = h.released(market, seller.seller_id, qty=2)
    item = h.item_id(market, order_id)
    h.ship(market, order_id, lines=((item, 1),))
    h.ship(market, order_id, lines=((item, 1),))
    fulfillment.refund_order(market, OP, order_id, "5.00", "CustomerReturn")

    events = seller.get(f"/finances/v0/orders/{order_id}/financialEvents")
    assert events.status_code == 200, events.text
    found = events.json()["payload"]["FinancialEvents"]
    shipped, refunded = found["ShipmentEventList"], found["RefundEventList"]
    assert [e["AmazonOrderId"] for e in shipped] == [order_id, order_id]
    first = shipped[0]["ShipmentItemList"][0]
    assert first["SellerSKU"] == "MUG" and first["QuantityShipped"] == 1
    charges = {c["ChargeType"]: c["ChargeAmount"]["CurrencyAmount"]
               for c in first["ItemChargeList"]}
    assert charges["Principal"] == 20.0
    assert first["ItemFeeList"][0]["FeeType"] == "Commission"
    assert first["ItemFeeList"][0]["FeeAmount"]["CurrencyAmount"] < 0
    refund = refunded[0]["ShipmentItemAdjustmentList"]
    assert _amounts(refund, "ItemChargeAdjustmentList") == Decimal("-5.00")
    assert {f["FeeType"] for i in refund for f in i["ItemFeeAdjustmentList"]} == {
        "Commission", "RefundCommission"}

    # Every event's amounts add up to what the ledger credited the seller for it.
    net = fulfillment.seller_ledger(market, OP, seller.seller_id).balance.amount
    total = (sum((_amounts(e["ShipmentItemList"], "ItemChargeList", "ItemFeeList")
                  for e in shipped), Decimal(0))
             + _amounts(refund, "ItemChargeAdjustmentList", "ItemFeeAdjustmentList"))
    assert total == net

    # The same events by posting date, a page at a time.
    everything = seller.get("/finances/v0/financialEvents", params={
        "PostedAfter": "2000-01-01T00:00:00Z", "PostedBefore": "2999-01-01T00:00:00Z"})
    assert everything.status_code == 200, everything.text
    listed = everything.json()["payload"]["FinancialEvents"]
    assert len(listed["ShipmentEventList"]) == 2 and len(listed["RefundEventList"]) == 1
    first_page = seller.get("/finances/v0/financialEvents", params={
        "PostedAfter": "2000-01-01T00:00:00Z", "PostedBefore": "2999-01-01T00:00:00Z",
        "MaxResultsPerPage": "1"}).json()["payload"]
    assert len(first_page["FinancialEvents"]["ShipmentEventList"]) == 1
    second_page = seller.get("/finances/v0/financialEvents", params={
        "PostedAfter": "2000-01-01T00:00:00Z", "PostedBefore": "2999-01-01T00:00:00Z",
        "MaxResultsPerPage": "1", "NextToken": first_page["NextToken"]}).json()["payload"]
    assert second_page["FinancialEvents"]["ShipmentEventList"][0]["PostedDate"] >= (
        first_page["FinancialEvents"]["ShipmentEventList"][0]["PostedDate"])


def test_another_sellers_orders_financial_events_are_not_found(
        api: CheckedClient, market: Marketplace, seller: Seller) -> None:
    other = Seller(api, market, "other@example.com")
    h.listing(market, seller.seller_id)
    order_id = h.released(market, seller.seller_id)
    assert other.get(f"/finances/v0/orders/{order_id}/financialEvents").status_code == 404
    refused = seller.get("/finances/v0/financialEvents", params={"MaxResultsPerPage": "0"})
    assert refused.status_code == 400

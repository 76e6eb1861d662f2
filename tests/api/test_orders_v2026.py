"""Orders API 2026-01-01 over HTTP: searchOrders' rules and paging, getOrder's datasets, and
the same facts as v0 for every order (every answer checked against Amazon's model)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sellerflow.service import fulfillment
from sellerflow.service import orders as order_service
from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.api.conftest import CheckedClient, Seller
from tests.helpers import OP

MARKET = "ATVPDKIKX0DER"
SEARCH = "/orders/2026-01-01/orders"
SINCE = "2000-01-01T00:00:00Z"
ALL = ("BUYER,RECIPIENT,PROCEEDS,EXPENSE,PROMOTION,CANCELLATION,FULFILLMENT,PACKAGES,TAX,"
       "PAYMENT,FULFILLMENT_ORDERS")


def _search(seller: Seller, status: int = 200, **params: Any) -> dict[str, Any]:
    answer = seller.get(SEARCH, params=params)
    assert answer.status_code == status, answer.text
    document: dict[str, Any] = answer.json()
    return document


def _refusal(seller: Seller, **params: Any) -> str:
    errors = _search(seller, 400, **params)["errors"]
    assert errors[0]["code"] == "InvalidInput"
    return str(errors[0]["message"])


def _order(seller: Seller, order_id: str, included: str | None = None) -> dict[str, Any]:
    params = {} if included is None else {"includedData": included}
    answer = seller.get(f"{SEARCH}/{order_id}", params=params)
    assert answer.status_code == 200, answer.text
    order: dict[str, Any] = answer.json()["order"]
    return order


def _now(market: Marketplace) -> str:
    from sellerflow.clock import iso

    return str(iso(market.now()))


def test_searchOrders_takes_exactly_one_of_createdAfter_and_lastUpdatedAfter(
        seller: Seller, market: Marketplace) -> None:
    h.advance(market, "1h")
    assert "exactly one" in _refusal(seller)
    assert "exactly one" in _refusal(seller, createdAfter=SINCE, lastUpdatedAfter=SINCE)
    assert "lastUpdatedBefore" in _refusal(seller, createdAfter=SINCE,
                                           lastUpdatedBefore="2001-01-01T00:00:00Z")
    assert "createdBefore" in _refusal(seller, lastUpdatedAfter=SINCE,
                                       createdBefore="2001-01-01T00:00:00Z")
    assert _search(seller, createdAfter=SINCE)["orders"] == []
    assert _search(seller, lastUpdatedAfter=SINCE)["orders"] == []


def test_searchOrders_before_bounds_at_least_two_minutes_before_the_sandbox_now(
        seller: Seller, market: Marketplace) -> None:
    now = market.now()
    from datetime import timedelta

    from sellerflow.clock import iso

    assert "two minutes" in _refusal(seller, createdAfter=SINCE,
                                     createdBefore=iso(now - timedelta(minutes=1)))
    assert "two minutes" in _refusal(seller, lastUpdatedAfter=SINCE,
                                     lastUpdatedBefore=iso(now))
    assert "after createdAfter" in _refusal(seller, createdAfter="2001-01-01T00:00:00Z",
                                            createdBefore="2000-06-01T00:00:00Z")
    answer = _search(seller, createdAfter=SINCE, createdBefore=iso(now - timedelta(minutes=3)))
    assert answer["createdBefore"] == iso(now - timedelta(minutes=3))


def test_searchOrders_refuses_page_sizes_enums_and_marketplaces_it_does_not_know(
        seller: Seller) -> None:
    for size in ("0", "101", "ten", "1.5"):
        assert "maxResultsPerPage" in _refusal(seller, createdAfter=SINCE,
                                               maxResultsPerPage=size)
    assert "UNSHIPPED" in _refusal(seller, createdAfter=SINCE, fulfillmentStatuses="Unshipped")
    assert "MERCHANT" in _refusal(seller, createdAfter=SINCE, fulfilledBy="MFN")
    assert "BUYER" in _refusal(seller, createdAfter=SINCE, includedData="BuyerInfo")
    assert "ATVPDKIKX0DER" in _refusal(seller, createdAfter=SINCE, marketplaceIds="A1PA6795UKMFR9")


def test_searchOrders_pages_every_order_once_and_says_where_the_next_poll_starts(
        seller: Seller, market: Marketplace) -> None:
    h.listing(market, seller.seller_id, quantity=100)
    placed = [h.place(market, seller.seller_id) for _ in range(5)]
    h.advance(market, "3m")
    late = h.place(market, seller.seller_id)        # inside the last two minutes: next poll
    first = _search(seller, createdAfter=SINCE, maxResultsPerPage="2")
    seen = [o["orderId"] for o in first["orders"]]
    token = first["pagination"]["nextToken"]
    bound = first["createdBefore"]
    while token:
        h.place(market, seller.seller_id)           # orders arriving meanwhile change nothing
        page = _search(seller, paginationToken=token, maxResultsPerPage="2")
        assert page["createdBefore"] == bound
        seen += [o["orderId"] for o in page["orders"]]
        token = page.get("pagination", {}).get("nextToken")
    # Orders placed at one moment come in order id order.
    assert seen == sorted(placed) and late not in seen
    h.advance(market, "3m")
    later = _search(seller, createdAfter=bound)
    assert late in [o["orderId"] for o in later["orders"]]


def test_searchOrders_filters_by_fulfillment_status_and_fulfiller(
        seller: Seller, market: Marketplace) -> None:
    h.listing(market, seller.seller_id, quantity=100)
    pending = h.place(market, seller.seller_id)
    shipped = h.released(market, seller.seller_id)
    h.ship(market, shipped)
    h.advance(market, "3m")

    def ids(**params: Any) -> set[str]:
        return {o["orderId"] for o in _search(seller, createdAfter=SINCE, **params)["orders"]}

    assert ids(fulfillmentStatuses="SHIPPED") == {shipped}
    assert ids(fulfillmentStatuses="PENDING,CANCELLED") == set()    # the hold ended
    assert pending in ids(fulfillmentStatuses="UNSHIPPED")
    assert ids(fulfillmentStatuses="UNFULFILLABLE") == set()
    assert ids(fulfilledBy="AMAZON") == set()
    assert ids(fulfilledBy="MERCHANT,AMAZON") == {pending, shipped}


def test_a_paginationToken_lasts_24_hours_and_keeps_its_search(
        seller: Seller, market: Marketplace) -> None:
    h.listing(market, seller.seller_id, quantity=100)
    for _ in range(3):
        h.place(market, seller.seller_id)
    h.advance(market, "3m")
    token = _search(seller, createdAfter=SINCE, maxResultsPerPage="1")["pagination"][
        "nextToken"]
    assert _search(seller, createdAfter=SINCE, paginationToken=token, maxResultsPerPage="1",
                   includedData="FULFILLMENT")["orders"][0]["fulfillment"]
    assert "differs" in _refusal(seller, createdAfter="2001-01-01T00:00:00Z",
                                 paginationToken=token)
    assert "differs" in _refusal(seller, paginationToken=token, fulfillmentStatuses="SHIPPED")
    assert "not a token" in _refusal(seller, paginationToken="bm90IGEgdG9rZW4=")
    h.advance(market, "25h")
    assert "expired" in _refusal(seller, paginationToken=token)


def test_getOrder_datasets_are_absent_unless_asked_for(seller: Seller,
                                                       market: Marketplace) -> None:
    h.listing(market, seller.seller_id, quantity=10, price="7.25")
    order_id = h.released(market, seller.seller_id, qty=2)
    h.ship(market, order_id, lines=((h.item_id(market, order_id), 1),))
    bare = _order(seller, order_id)
    assert set(bare) == {"orderId", "createdTime", "lastUpdatedTime", "programs",
                         "salesChannel", "orderItems"}
    assert set(bare["orderItems"][0]) == {"orderItemId", "quantityOrdered", "product"}
    assert bare["orderItems"][0]["product"]["price"]["unitPrice"] == {
        "amount": "7.25", "currencyCode": "USD"}
    for dataset, field in (("BUYER", "buyer"), ("RECIPIENT", "recipient"),
                           ("PROCEEDS", "proceeds"), ("FULFILLMENT", "fulfillment"),
                           ("PACKAGES", "packages")):
        shown = _order(seller, order_id, dataset)
        assert set(shown) - set(bare) == {field}, dataset
    full = _order(seller, order_id, ALL)
    v0 = _v0(seller, order_id)
    assert full["buyer"] == {"buyerName": v0["BuyerInfo"]["BuyerName"],
                             "buyerEmail": v0["BuyerInfo"]["BuyerEmail"]}
    assert "buyer@example.com" not in str(full)       # the relay address, never the buyer's
    assert full["recipient"]["deliveryAddress"]["addressLine1"] == h.ADDRESS["AddressLine1"]
    assert full["fulfillment"]["fulfillmentStatus"] == "PARTIALLY_SHIPPED"
    assert full["fulfillment"]["fulfilledBy"] == "MERCHANT"
    assert full["fulfillment"]["shipByWindow"]["latestDateTime"]
    assert full["orderItems"][0]["fulfillment"] == {"quantityFulfilled": 1,
                                                    "quantityUnfulfilled": 1}
    package = full["packages"][0]
    assert (package["carrier"], package["trackingNumber"], package["packageItems"]) == (
        "UPS", h.UPS_TRACKING, [{"orderItemId": h.item_id(market, order_id), "quantity": 1}])
    assert full["proceeds"]["grandTotal"]["amount"] == v0["OrderTotal"]["Amount"]
    assert full["proceeds"]["breakdowns"][0] == {
        "type": "ITEM", "subtotal": {"amount": "14.50", "currencyCode": "USD"}}


def test_L18_a_pending_order_shows_no_recipient_prices_or_proceeds(
        seller: Seller, market: Marketplace) -> None:
    h.listing(market, seller.seller_id, quantity=10)
    order_id = h.place(market, seller.seller_id)
    pending = _order(seller, order_id, ALL)
    assert "recipient" not in pending and "proceeds" not in pending
    assert "price" not in pending["orderItems"][0]["product"]
    assert pending["fulfillment"]["fulfillmentStatus"] == "PENDING"
    assert "shipByWindow" not in pending["fulfillment"]
    canceled_id = h.released(market, seller.seller_id)
    order_service.seller_cancel(market, OP, canceled_id, "NoInventory")
    canceled = _order(seller, canceled_id, ALL)
    assert "recipient" not in canceled and "proceeds" not in canceled
    assert canceled["orderItems"][0]["product"]["price"]["unitPrice"]["amount"] == "10.00"


def test_getOrder_says_who_canceled_and_why_and_what_the_buyer_asked(
        seller: Seller, market: Marketplace, api: CheckedClient) -> None:
    h.listing(market, seller.seller_id, quantity=20)
    asked = h.released(market, seller.seller_id)
    order_service.buyer_cancel(market, OP, asked, "Found it cheaper")
    before = _order(seller, asked, "CANCELLATION")["orderItems"][0]["cancellation"]
    assert before == {"cancellationRequest": {"requester": "BUYER",
                                              "cancelReason": "Found it cheaper"}}
    order_service.seller_cancel(market, OP, asked, "BuyerCanceled")
    after = _order(seller, asked, "CANCELLATION")["orderItems"][0]["cancellation"]
    assert after["cancellationExecution"] == {"cancelledBy": "BUYER",
                                              "cancelReason": "BuyerCanceled"}
    by_seller = h.released(market, seller.seller_id)
    order_service.seller_cancel(market, OP, by_seller, "ShippingAddressUndeliverable")
    assert _order(seller, by_seller, "CANCELLATION")["orderItems"][0]["cancellation"] == {
        "cancellationExecution": {"cancelledBy": "MERCHANT",
                                  "cancelReason": "ShippingAddressUndeliverable"}}
    declined = h.place(market, seller.seller_id, payment="declined")
    assert _order(seller, declined, "CANCELLATION")["orderItems"][0]["cancellation"] == {
        "cancellationExecution": {"cancelledBy": "AMAZON", "cancelReason": "declined"}}
    untouched = h.released(market, seller.seller_id)
    assert "cancellation" not in _order(seller, untouched, "CANCELLATION")["orderItems"][0]


def test_getOrder_of_another_sellers_order_is_not_found(
        seller: Seller, market: Marketplace, api: CheckedClient) -> None:
    other = Seller(api, market, "other@example.com")
    h.listing(market, other.seller_id)
    order_id = h.place(market, other.seller_id)
    answer = seller.get(f"{SEARCH}/{order_id}")
    assert answer.status_code == 404 and answer.json()["errors"][0]["code"] == "NotFound"
    assert seller.get(f"{SEARCH}/{order_id}", params={"includedData": "Nope"}
                      ).status_code == 400


def test_2026_routes_carry_their_usage_plans(seller: Seller, market: Marketplace) -> None:
    h.advance(market, "1h")
    assert seller.get(SEARCH, params={"createdAfter": SINCE}).headers[
        "x-amzn-RateLimit-Limit"] == "0.0056"


def _v0(seller: Seller, order_id: str) -> dict[str, Any]:
    rdt = seller.rdt({"method": "GET", "path": f"/orders/v0/orders/{order_id}",
                      "dataElements": ["buyerInfo", "shippingAddress"]})
    answer = seller.api.get(f"/orders/v0/orders/{order_id}",
                            headers={"x-amz-access-token": rdt})
    assert answer.status_code == 200, answer.text
    payload: dict[str, Any] = answer.json()["payload"]
    return payload


def _v0_items(seller: Seller, order_id: str) -> list[dict[str, Any]]:
    answer = seller.get(f"/orders/v0/orders/{order_id}/orderItems")
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["payload"]["OrderItems"]
    return items


V0_STATUS = {"Pending": "PENDING", "Unshipped": "UNSHIPPED",
             "PartiallyShipped": "PARTIALLY_SHIPPED", "Shipped": "SHIPPED",
             "Canceled": "CANCELLED"}
V0_ADDRESS = {"Name": "name", "AddressLine1": "addressLine1", "City": "city",
              "StateOrRegion": "stateOrRegion", "PostalCode": "postalCode",
              "CountryCode": "countryCode"}
# (what, item index, units): what can happen to an order after checkout.
STEP = st.one_of(
    st.tuples(st.just("release"), st.just(0), st.just(0)),
    st.tuples(st.just("ship"), st.integers(0, 1), st.integers(1, 3)),
    st.tuples(st.just("cancel-item"), st.integers(0, 1), st.just(0)),
    st.tuples(st.sampled_from(["cancel", "ask", "refund", "expire", "approve"]), st.just(0),
              st.just(0)))


def _step(market: Marketplace, order_id: str, what: str, index: int, units: int) -> None:
    try:
        if what == "release":
            h.advance(market, "31m")
        elif what == "ship":
            item = h.view(market, order_id)["items"][index]
            left = item["QuantityOrdered"] - item["QuantityShipped"]
            if left > 0:
                h.ship(market, order_id, lines=((item["OrderItemId"], min(units, left)),))
        elif what == "cancel":
            order_service.seller_cancel(market, OP, order_id, "CustomerExchange")
        elif what == "cancel-item":
            item = h.view(market, order_id)["items"][index]["OrderItemId"]
            order_service.seller_cancel(market, OP, order_id, "GeneralAdjustment", [item])
        elif what == "ask":
            order_service.buyer_cancel(market, OP, order_id, "No longer needed")
        elif what == "refund":
            fulfillment.refund_order(market, OP, order_id, "1.00", "CustomerReturn")
        elif what == "approve":
            order_service.verify(market, OP, order_id, "approved")
        else:
            h.advance(market, "31d")
    except Exception as error:          # a step the lifecycle refuses changes nothing
        assert getattr(error, "category", None) is not None, error


def test_v0_and_2026_say_the_same_of_every_order_whatever_its_history(
        seller: Seller, market: Marketplace) -> None:
    for sku in ("MUG", "CUP"):
        h.listing(market, seller.seller_id, sku, quantity=100_000, price="7.25")

    @settings(max_examples=12, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(quantities=st.lists(st.integers(1, 3), min_size=1, max_size=2),
           payment=st.sampled_from(["ok", "deferred", "declined"]),
           steps=st.lists(STEP, max_size=4))
    def check(quantities: list[int], payment: str, steps: list[tuple[str, int, int]]) -> None:
        from sellerflow.domain.placement import CartLine

        order_id = h.place(market, seller.seller_id, payment=payment, lines=[
            CartLine(seller.seller_id, sku, n)
            for sku, n in zip(("MUG", "CUP"), quantities, strict=False)])
        for step in steps:
            if step[1] < len(quantities):
                _step(market, order_id, *step)
        _agree(_v0(seller, order_id), _v0_items(seller, order_id),
               _order(seller, order_id, ALL), list(quantities))

    check()


def _agree(v0: dict[str, Any], items: list[dict[str, Any]], new: dict[str, Any],
           ordered: list[int] | None = None) -> None:
    assert new["orderId"] == v0["AmazonOrderId"]
    assert (new["createdTime"], new["lastUpdatedTime"]) == (v0["PurchaseDate"],
                                                            v0["LastUpdateDate"])
    assert new["fulfillment"]["fulfillmentStatus"] == V0_STATUS[v0["OrderStatus"]]
    assert new["fulfillment"]["fulfillmentServiceLevel"] == {
        "Standard": "STANDARD", "Expedited": "EXPEDITED", "SecondDay": "SECOND_DAY",
        "NextDay": "NEXT_DAY"}[v0["ShipmentServiceLevelCategory"]]
    window = new["fulfillment"].get("shipByWindow", {})
    assert (window.get("earliestDateTime"), window.get("latestDateTime")) == (
        v0.get("EarliestShipDate"), v0.get("LatestShipDate"))
    window = new["fulfillment"].get("deliverByWindow", {})
    assert (window.get("earliestDateTime"), window.get("latestDateTime")) == (
        v0.get("EarliestDeliveryDate"), v0.get("LatestDeliveryDate"))
    assert new.get("proceeds", {}).get("grandTotal", {}).get("amount") == \
        v0.get("OrderTotal", {}).get("Amount")
    assert ("PRIME" in new["programs"]) == v0["IsPrime"]
    address = new.get("recipient", {}).get("deliveryAddress")
    if "AddressLine1" in v0.get("ShippingAddress", {}):
        assert address is not None
        assert {k: address.get(n) for k, n in V0_ADDRESS.items()} == {
            k: v0["ShippingAddress"].get(k) for k in V0_ADDRESS}
    else:
        assert address is None
    assert new["buyer"]["buyerEmail"] == v0["BuyerInfo"]["BuyerEmail"]
    assert sum(i["fulfillment"]["quantityFulfilled"] for i in new["orderItems"]) == \
        v0["NumberOfItemsShipped"]
    assert sum(i["fulfillment"]["quantityUnfulfilled"] for i in new["orderItems"]) == \
        v0["NumberOfItemsUnshipped"]
    assert len(items) == len(new["orderItems"])
    for old, item in zip(items, new["orderItems"], strict=True):
        assert (item["orderItemId"], item["product"]["sellerSku"], item["quantityOrdered"],
                item["fulfillment"]["quantityFulfilled"]) == (
            old["OrderItemId"], old["SellerSKU"], old["QuantityOrdered"],
            old["QuantityShipped"])
        execution = item.get("cancellation", {}).get("cancellationExecution")
        if ordered is not None:
            # An item with canceled units says why, by its own cancellation; others say none.
            canceled = ordered.pop(0) - old["QuantityOrdered"]
            assert (execution is not None and bool(execution["cancelReason"])) == (
                canceled > 0), (canceled, item)
        if "proceeds" in item:
            breakdown = {b["type"]: b["subtotal"]["amount"]
                         for b in item["proceeds"]["breakdowns"]}
            assert (breakdown["ITEM"], breakdown["SHIPPING"]) == (
                old["ItemPrice"]["Amount"], old["ShippingPrice"]["Amount"])


@pytest.mark.parametrize("included", ["", ALL])
def test_searchOrders_and_getOrders_list_the_same_orders(
        seller: Seller, market: Marketplace, included: str) -> None:
    h.listing(market, seller.seller_id, quantity=100)
    placed = {h.place(market, seller.seller_id) for _ in range(3)}
    h.ship(market, h.released(market, seller.seller_id))
    h.advance(market, "3m")
    params = {"createdAfter": SINCE, **({"includedData": included} if included else {})}
    new = {o["orderId"] for o in _search(seller, **params)["orders"]}
    old = seller.get("/orders/v0/orders", params={"MarketplaceIds": MARKET,
                                                  "CreatedAfter": SINCE}).json()["payload"]
    assert new == {o["AmazonOrderId"] for o in old["Orders"]} and placed <= new

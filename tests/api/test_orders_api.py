"""Orders v0 over HTTP, as an Amazon client sees it (every answer checked against the model)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from sellerflow.service import orders as order_service
from sellerflow.service.accounts import token_hash
from sellerflow.service.context import Marketplace
from sellerflow.store.schema import api_tokens
from tests import helpers as h
from tests.api.conftest import CheckedClient, Seller
from tests.helpers import OP

MARKET = "ATVPDKIKX0DER"
SINCE = "2000-01-01T00:00:00Z"


def _orders(seller: Seller, **params: object) -> dict:
    answer = seller.get("/orders/v0/orders", params={"MarketplaceIds": MARKET,
                                                     "CreatedAfter": SINCE, **params})
    assert answer.status_code == 200, answer.text
    return answer.json()["payload"]


def test_lwa_refresh_grant_gives_an_access_token_for_an_hour(api: CheckedClient,
                                                              seller: Seller) -> None:
    answer = api.post("/auth/o2/token", data=seller.credentials)
    assert answer.json()["token_type"] == "bearer" and answer.json()["expires_in"] == 3600
    wrong = api.post("/auth/o2/token", data={**seller.credentials, "client_secret": "nope"})
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    assert "nope" not in wrong.text


def test_every_answer_has_a_request_id_and_the_operation_usage_plan(seller: Seller) -> None:
    answer = seller.get("/orders/v0/orders", params={"MarketplaceIds": MARKET,
                                                     "CreatedAfter": SINCE})
    assert answer.headers["x-amzn-RequestId"]
    assert answer.headers["x-amzn-RateLimit-Limit"] == "0.0167"


def test_a_missing_or_unknown_token_is_403_in_amazon_error_shape(api: CheckedClient) -> None:
    for headers in ({}, {"x-amz-access-token": "Atza|made-up"}):
        answer = api.get("/orders/v0/orders", params={"MarketplaceIds": MARKET,
                                                      "CreatedAfter": SINCE}, headers=headers)
        assert answer.status_code == 403
        assert answer.json()["errors"][0]["code"] == "Unauthorized"


def test_L21_an_individual_seller_is_refused_the_sp_api_routes(api: CheckedClient,
                                                               market: Marketplace) -> None:
    individual = Seller(api, market, "solo@example.com", plan="individual")
    answer = individual.get("/orders/v0/orders", params={"MarketplaceIds": MARKET,
                                                         "CreatedAfter": SINCE})
    assert answer.status_code == 403 and "L21" in answer.json()["errors"][0]["message"]
    assert answer.json()["errors"][0]["code"] == "Unauthorized"      # as Amazon answers


def test_getOrders_needs_a_start_and_keeps_amazon_exclusivity_rules(seller: Seller) -> None:
    for params in ({"MarketplaceIds": MARKET},
                   {"MarketplaceIds": MARKET, "CreatedAfter": SINCE,
                    "LastUpdatedAfter": SINCE},
                   {"MarketplaceIds": MARKET, "CreatedAfter": SINCE, "MaxResultsPerPage": 101},
                   {"MarketplaceIds": MARKET, "CreatedAfter": SINCE, "MaxResultsPerPage": "ten"},
                   {"MarketplaceIds": MARKET, "CreatedAfter": SINCE, "MaxResultsPerPage": "-1"},
                   {"MarketplaceIds": MARKET, "CreatedAfter": "yesterday"},
                   {"CreatedAfter": SINCE}):
        answer = seller.get("/orders/v0/orders", params=params)
        assert answer.status_code == 400, params
        assert answer.json()["errors"][0]["code"] == "InvalidInput"


def test_getOrders_applies_every_filter_amazon_defines_none_passes_silently(
        market: Marketplace, seller: Seller) -> None:
    h.listing(market, seller.seller_id, quantity=10)
    released = h.released(market, seller.seller_id)
    pending = h.place(market, seller.seller_id)
    latest = seller.get(f"/orders/v0/orders/{released}").json()["payload"][
        "LatestDeliveryDate"]

    def ids(**params: str) -> set[str]:
        return {o["AmazonOrderId"] for o in _orders(seller, **params)["Orders"]}

    assert ids() == {released, pending}
    # No order here was delivered before 2000 (the filter used to be ignored).
    assert ids(LatestDeliveryDateBefore="2000-01-01T00:00:00Z") == set()
    assert ids(LatestDeliveryDateBefore=latest, LatestDeliveryDateAfter=latest) == {released}
    assert ids(EarliestDeliveryDateAfter="2000-01-01T00:00:00Z") == {released}   # promised
    # Kinds of order sellerflow has none of: Easy Ship, in-store pickup, supply sources.
    assert ids(EasyShipShipmentStatuses="PendingPickUp") == set()
    assert ids(IsISPU="true") == set() and ids(IsISPU="false") == {released, pending}
    assert ids(StoreChainStoreId="ISPU_StoreId") == set()
    assert ids(ActualFulfillmentSupplySourceId="source-1") == set()
    # A US order needs no electronic invoice.
    assert ids(ElectronicInvoiceStatuses="NotRequired") == {released, pending}
    assert ids(ElectronicInvoiceStatuses="Accepted,Errored") == set()
    for params in ({"EasyShipShipmentStatuses": "Shipped"}, {"IsISPU": "maybe"},
                   {"ElectronicInvoiceStatuses": "Done"},
                   {"LatestDeliveryDateBefore": "soon"},
                   {"LatestDeliveryDateAfter": "2001-01-01T00:00:00Z",
                    "LatestDeliveryDateBefore": "2000-01-01T00:00:00Z"}):
        answer = seller.get("/orders/v0/orders", params={"MarketplaceIds": MARKET,
                                                         "CreatedAfter": SINCE, **params})
        assert answer.status_code == 400, params
        assert answer.json()["errors"][0]["code"] == "InvalidInput"


def test_getOrders_says_where_its_search_ended_as_amazon_echoes_it(
        market: Marketplace, seller: Seller) -> None:
    from sellerflow.clock import iso

    h.listing(market, seller.seller_id, quantity=10)
    h.place(market, seller.seller_id)
    now = iso(market.now())
    by_creation = _orders(seller)
    assert by_creation["CreatedBefore"] == now and len(by_creation["Orders"]) == 1
    by_update = seller.get("/orders/v0/orders", params={
        "MarketplaceIds": MARKET, "LastUpdatedAfter": SINCE}).json()["payload"]
    assert by_update["LastUpdatedBefore"] == now and "CreatedBefore" not in by_update


def test_getOrders_delivery_filters_hold_across_pages(market: Marketplace,
                                                      seller: Seller) -> None:
    h.listing(market, seller.seller_id, quantity=10)
    released = [h.released(market, seller.seller_id) for _ in range(3)]
    h.place(market, seller.seller_id)
    page = _orders(seller, EarliestDeliveryDateAfter="2000-01-01T00:00:00Z",
                   MaxResultsPerPage="2")
    seen = [o["AmazonOrderId"] for o in page["Orders"]]
    while page.get("NextToken"):
        page = _orders(seller, NextToken=page["NextToken"])
        seen += [o["AmazonOrderId"] for o in page["Orders"]]
    assert sorted(seen) == sorted(released)


def test_L1_a_pending_order_then_unshipped_after_the_30_minute_hold(
        market: Marketplace, seller: Seller) -> None:
    h.listing(market, seller.seller_id)
    order_id = h.place(market, seller.seller_id)
    order = seller.get(f"/orders/v0/orders/{order_id}").json()["payload"]
    assert order["OrderStatus"] == "Pending" and "OrderTotal" not in order
    assert "ShippingAddress" not in order
    h.advance(market, "30m")
    order = seller.get(f"/orders/v0/orders/{order_id}").json()["payload"]
    assert order["OrderStatus"] == "Unshipped" and order["OrderTotal"]["Amount"]


def test_paging_sees_every_order_once_while_new_orders_arrive(market: Marketplace,
                                                              seller: Seller) -> None:
    h.listing(market, seller.seller_id, quantity=100)
    before = {h.place(market, seller.seller_id) for _ in range(12)}
    seen: list[str] = []
    payload = _orders(seller, MaxResultsPerPage=5)
    while True:
        seen += [o["AmazonOrderId"] for o in payload["Orders"]]
        h.place(market, seller.seller_id)          # arrives during the walk
        if "NextToken" not in payload:
            break
        payload = _orders(seller, NextToken=payload["NextToken"])
    assert len(seen) == len(set(seen))
    assert before <= set(seen)


def test_L18_without_a_restricted_data_token_no_street_address_or_buyer_name(
        market: Marketplace, seller: Seller) -> None:
    h.listing(market, seller.seller_id)
    order_id = h.released(market, seller.seller_id)
    plain = seller.get(f"/orders/v0/orders/{order_id}").json()["payload"]
    assert set(plain["ShippingAddress"]) == {"City", "StateOrRegion", "PostalCode",
                                             "CountryCode"}
    assert plain["BuyerInfo"] == {}
    address = seller.get(f"/orders/v0/orders/{order_id}/address").json()["payload"]
    assert "Name" not in address["ShippingAddress"]
    assert "BuyerEmail" not in seller.get(
        f"/orders/v0/orders/{order_id}/buyerInfo").json()["payload"]


def test_L18_a_restricted_data_token_opens_the_address_and_buyer_of_its_paths(
        market: Marketplace, seller: Seller) -> None:
    h.listing(market, seller.seller_id)
    order_id = h.released(market, seller.seller_id)
    rdt = seller.rdt({"method": "GET", "path": f"/orders/v0/orders/{order_id}/address"},
                     {"method": "GET", "path": "/orders/v0/orders/{orderId}",
                      "dataElements": ["shippingAddress", "buyerInfo"]})
    headers = {"x-amz-access-token": rdt}
    address = seller.api.get(f"/orders/v0/orders/{order_id}/address", headers=headers)
    assert address.json()["payload"]["ShippingAddress"]["AddressLine1"] == "1 Main St"
    order = seller.api.get(f"/orders/v0/orders/{order_id}", headers=headers).json()["payload"]
    assert order["ShippingAddress"]["Name"] == "Jane Doe"
    assert order["BuyerInfo"]["BuyerEmail"].endswith("@marketplace.sellerflow.local")
    # The token opens only what it names: not the buyer-info path, not at all.
    info = seller.api.get(f"/orders/v0/orders/{order_id}/buyerInfo", headers=headers)
    assert info.status_code == 403 and info.json()["errors"][0]["code"] == "Unauthorized"


def test_L18_an_rdt_opens_only_the_data_elements_it_names(market: Marketplace,
                                                          seller: Seller) -> None:
    h.listing(market, seller.seller_id)
    order_id = h.released(market, seller.seller_id)
    path = "/orders/v0/orders/{orderId}"
    buyer_only = {"x-amz-access-token": seller.rdt(
        {"method": "GET", "path": path, "dataElements": ["buyerInfo"]})}
    order = seller.api.get(f"/orders/v0/orders/{order_id}", headers=buyer_only).json()
    assert "Name" not in order["payload"]["ShippingAddress"]
    assert "BuyerEmail" in order["payload"]["BuyerInfo"]
    address_only = {"x-amz-access-token": seller.rdt(
        {"method": "GET", "path": path, "dataElements": ["shippingAddress"]})}
    order = seller.api.get(f"/orders/v0/orders/{order_id}", headers=address_only).json()
    assert order["payload"]["ShippingAddress"]["AddressLine1"] == "1 Main St"
    assert order["payload"]["BuyerInfo"] == {}
    listed = seller.api.get("/orders/v0/orders", headers={"x-amz-access-token": seller.rdt(
        {"method": "GET", "path": "/orders/v0/orders", "dataElements": ["buyerInfo"]})},
        params={"MarketplaceIds": MARKET, "CreatedAfter": "2000-01-01T00:00:00Z"}).json()
    assert all("AddressLine1" not in o.get("ShippingAddress", {})
               for o in listed["payload"]["Orders"])


def test_an_rdt_is_refused_on_every_route_and_operation_it_does_not_name(
        market: Marketplace, seller: Seller) -> None:
    h.listing(market, seller.seller_id)
    order_id = h.released(market, seller.seller_id)
    other_id = h.released(market, seller.seller_id)
    rdt = {"x-amz-access-token": seller.rdt(
        {"method": "GET", "path": f"/orders/v0/orders/{order_id}/address"})}
    api = seller.api
    body = {"marketplaceId": MARKET, "packageDetail": {
        "packageReferenceId": "1", "carrierCode": "UPS", "trackingNumber": h.UPS_TRACKING,
        "shipDate": h.view(market, other_id)["order"]["PurchaseDate"],
        "orderItems": [{"orderItemId": h.item_id(market, other_id), "quantity": 1}]}}
    refused = [
        api.get(f"/orders/v0/orders/{other_id}/address", headers=rdt),     # another order
        api.get(f"/orders/v0/orders/{order_id}", headers=rdt),             # another path
        api.get(f"/orders/v0/orders/{order_id}/orderItems", headers=rdt),
        api.get("/orders/v0/orders", headers=rdt,
                params={"MarketplaceIds": MARKET, "CreatedAfter": "2000-01-01T00:00:00Z"}),
        api.post(f"/orders/v0/orders/{other_id}/shipmentConfirmation", headers=rdt, json=body),
        api.post("/reports/2021-06-30/reports", headers=rdt, json={
            "reportType": "GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING",
            "marketplaceIds": [MARKET]}),
        api.post("/tokens/2021-03-01/restrictedDataToken", headers=rdt, json={
            "restrictedResources": [{"method": "GET", "path": "/orders/v0/orders",
                                     "dataElements": ["shippingAddress"]}]}),
        api.get("/sellers/v1/marketplaceParticipations", headers=rdt),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert all(r.json()["errors"][0]["code"] == "Unauthorized" for r in refused)
    own = [api.get("/sellerflow/v1/ledger", headers=rdt),
           api.post(f"/sellerflow/v1/orders/{other_id}/cancellation", headers=rdt,
                    json={"reason": "NoInventory"})]
    assert [r.status_code for r in own] == [401, 401]
    assert h.status(market, other_id) == "Unshipped"        # nothing was done
    assert api.get(f"/orders/v0/orders/{order_id}/address", headers=rdt).status_code == 200


def test_an_rdt_never_outlives_the_access_token_it_was_made_with(
        market: Marketplace, seller: Seller) -> None:
    soon = datetime.now(UTC) + timedelta(minutes=10)
    with h.writing(market) as conn:
        conn.execute(update(api_tokens).where(api_tokens.c.token_hash == token_hash(
            seller.token)).values(expires_at=soon))
    answer = seller.post("/tokens/2021-03-01/restrictedDataToken", json={
        "restrictedResources": [{"method": "GET", "path": "/orders/v0/orders"}]})
    assert 0 < answer.json()["expiresIn"] <= 600
    rdt = answer.json()["restrictedDataToken"]
    with h.writing(market) as conn:
        kept = conn.execute(api_tokens.select().where(
            api_tokens.c.token_hash == token_hash(rdt))).one()
    assert kept.expires_at <= soon


def test_a_canceled_order_carries_no_shipping_address(market: Marketplace,
                                                      seller: Seller) -> None:
    h.listing(market, seller.seller_id)
    order_id = h.released(market, seller.seller_id)
    order_service.seller_cancel(market, OP, order_id, "NoInventory")
    order = seller.get(f"/orders/v0/orders/{order_id}").json()["payload"]
    assert order["OrderStatus"] == "Canceled" and "ShippingAddress" not in order
    items = seller.get(f"/orders/v0/orders/{order_id}/orderItems").json()["payload"]
    assert items["OrderItems"][0]["QuantityOrdered"] == 0


def test_getOrderItems_of_a_pending_order_carries_no_prices_yet(market: Marketplace,
                                                                 seller: Seller) -> None:
    h.listing(market, seller.seller_id, price="7.25")
    order_id = h.place(market, seller.seller_id)
    item = seller.get(f"/orders/v0/orders/{order_id}/orderItems").json()["payload"][
        "OrderItems"][0]
    assert item["QuantityOrdered"] == 1
    assert not {"ItemPrice", "ShippingPrice", "ItemTax", "ShippingTax", "PromotionDiscount",
                "IsGift"} & set(item)
    h.advance(market, "30m")
    item = seller.get(f"/orders/v0/orders/{order_id}/orderItems").json()["payload"][
        "OrderItems"][0]
    assert item["ItemPrice"] == {"CurrencyCode": "USD", "Amount": "7.25"}


def test_L20_confirmShipment_answers_204_and_the_order_ships(market: Marketplace,
                                                             seller: Seller) -> None:
    h.listing(market, seller.seller_id)
    order_id = h.released(market, seller.seller_id, qty=2)
    item_id = h.item_id(market, order_id)
    now = h.view(market, order_id)["order"]["PurchaseDate"]
    body = {"marketplaceId": MARKET, "packageDetail": {
        "packageReferenceId": "1", "carrierCode": "UPS", "trackingNumber": h.UPS_TRACKING,
        "shipDate": now, "orderItems": [{"orderItemId": item_id, "quantity": 2}]}}
    answer = seller.post(f"/orders/v0/orders/{order_id}/shipmentConfirmation", json=body)
    assert answer.status_code == 204, answer.text
    assert h.status(market, order_id) == "Shipped"
    again = seller.post(f"/orders/v0/orders/{order_id}/shipmentConfirmation", json=body)
    assert again.status_code == 400 and again.json()["errors"][0]["code"] == "InvalidInput"


def test_another_sellers_order_is_not_found_worded_as_a_missing_one(
        api: CheckedClient, market: Marketplace, seller: Seller) -> None:
    h.listing(market, seller.seller_id)
    order_id = h.released(market, seller.seller_id)
    other = Seller(api, market, "other@example.com")
    theirs = other.get(f"/orders/v0/orders/{order_id}")
    missing = other.get("/orders/v0/orders/111-0000000-0000000")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["errors"][0]["message"].replace(order_id, "X") == \
        missing.json()["errors"][0]["message"].replace("111-0000000-0000000", "X")


def test_with_throttling_on_the_burst_is_served_then_429_in_amazon_shape(
        market: Marketplace) -> None:
    from sellerflow.api.app import create_app

    with CheckedClient(create_app(market, throttle=True)) as client:
        seller = Seller(client, market, "busy@example.com")
        statuses = [seller.get("/orders/v0/orders", params={
            "MarketplaceIds": MARKET, "CreatedAfter": SINCE}).status_code for _ in range(21)]
        assert statuses == [200] * 20 + [429]        # getOrders: burst 20, 0.0167/s
        throttled = seller.get("/orders/v0/orders", params={"MarketplaceIds": MARKET,
                                                            "CreatedAfter": SINCE})
        assert throttled.json()["errors"][0]["code"] == "QuotaExceeded"
        # Another operation has its own bucket.
        assert seller.get("/orders/v0/orders/111-0000000-0000000").status_code == 404


def test_throttling_is_shared_by_every_server_process_and_runs_on_the_sandbox_clock(
        market: Marketplace, db_url: str) -> None:
    """Two apps over one database stand for two server processes: one bucket between them.
    In a sandbox its tokens come back as the simulated clock moves."""
    from sellerflow.api.app import create_app
    from sellerflow.service.context import open_marketplace

    other = open_marketplace(db_url)
    try:
        with CheckedClient(create_app(market, throttle=True)) as one, \
                CheckedClient(create_app(other, throttle=True)) as two:
            seller = Seller(one, market, "busy@example.com")
            query = {"MarketplaceIds": MARKET, "CreatedAfter": SINCE}
            statuses = [(one if n % 2 else two).get(
                "/orders/v0/orders", params=query, headers=seller.headers).status_code
                for n in range(24)]
            assert statuses.count(200) == 20 and statuses[-1] == 429     # burst 20 in all
            h.advance(market, "2m")                  # 0.0167/s: two tokens back
            again = [two.get("/orders/v0/orders", params=query,
                             headers=seller.headers).status_code for _ in range(3)]
            assert again == [200, 200, 429]
    finally:
        other.close()


def test_an_expired_access_token_is_refused_and_the_sandbox_clock_never_expires_one(
        api: CheckedClient, market: Marketplace, seller: Seller) -> None:
    from datetime import timedelta

    from sellerflow.clock import SystemClock
    from sellerflow.service.accounts import token_hash
    from sellerflow.store import tokens

    h.advance(market, "40d")                 # the simulated clock: the token still works
    assert seller.get("/sellers/v1/marketplaceParticipations").status_code == 200
    with h.writing(market) as conn:
        tokens.add(conn, token_hash("Atza|old"), seller.seller_id, "access", None,
                   SystemClock.read() - timedelta(seconds=1))
    answer = api.get("/sellers/v1/marketplaceParticipations",
                     headers={"x-amz-access-token": "Atza|old"})
    assert answer.status_code == 403 and "expired" in answer.json()["errors"][0]["message"]


def test_getOrders_by_BuyerEmail_finds_the_buyers_orders_and_an_unknown_address_none(
        market: Marketplace, seller: Seller) -> None:
    h.listing(market, seller.seller_id)
    mine = h.released(market, seller.seller_id, buyer="jo@example.com")
    h.released(market, seller.seller_id, buyer="someone@example.com")
    found = _orders(seller, BuyerEmail="jo@example.com")["Orders"]
    assert [o["AmazonOrderId"] for o in found] == [mine]
    assert _orders(seller, BuyerEmail="nobody@example.com")["Orders"] == []

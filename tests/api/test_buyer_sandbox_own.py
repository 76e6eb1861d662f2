"""Buyer, sandbox-control and sellerflow's own seller routes over HTTP: statuses and error
bodies as the interface contract says (never FastAPI's own 422 shape)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from sellerflow.api.app import create_app
from sellerflow.service.context import Marketplace, open_marketplace
from sellerflow.service.database import initialise
from tests import helpers as h
from tests.api.conftest import CheckedClient, Seller


def _buyer(api: CheckedClient, email: str = "jane@example.com") -> dict[str, str]:
    created = api.post("/sandbox/v1/buyers", json={"email": email, "name": "Jane"})
    assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {created.json()['token']}"}


def _checkout(api: CheckedClient, buyer: dict[str, str], seller_id: str, quantity: int = 1,
              key: str | None = None):
    headers = {**buyer, **({"Idempotency-Key": key} if key else {})}
    return api.post("/buyer/v1/checkout", headers=headers, json={
        "items": [{"sellerId": seller_id, "sku": "MUG", "quantity": quantity}],
        "shippingAddress": h.ADDRESS, "shipServiceLevel": "Standard"})


def test_L1_L6_a_buyer_checks_out_sees_the_order_and_cancels_during_the_hold(
        api: CheckedClient, market: Marketplace, seller: Seller) -> None:
    h.listing(market, seller.seller_id, quantity=3)
    buyer = _buyer(api)
    assert [x["sku"] for x in api.get("/buyer/v1/catalog", headers=buyer).json()["listings"]
            ] == ["MUG"]
    placed = _checkout(api, buyer, seller.seller_id, key="k1")
    assert placed.status_code == 201
    order_id = placed.json()["orders"][0]["AmazonOrderId"]
    assert _checkout(api, buyer, seller.seller_id, key="k1").json() == placed.json()
    assert [o["AmazonOrderId"] for o in api.get("/buyer/v1/orders", headers=buyer).json()[
        "orders"]] == [order_id]
    canceled = api.post(f"/buyer/v1/orders/{order_id}/cancel", headers=buyer)
    assert canceled.status_code == 200 and canceled.json()["OrderStatus"] == "Canceled"


def test_L2_a_short_checkout_is_409_and_lists_the_short_item(
        api: CheckedClient, market: Marketplace, seller: Seller) -> None:
    h.listing(market, seller.seller_id, quantity=1)
    answer = _checkout(api, _buyer(api), seller.seller_id, quantity=5)
    assert answer.status_code == 409
    error = answer.json()["errors"][0]
    assert error["code"] == "L2" and error["details"]["shortItems"][0]["sku"] == "MUG"


def test_L6_a_buyers_cancel_of_a_released_order_is_a_request_202(
        api: CheckedClient, market: Marketplace, seller: Seller) -> None:
    h.listing(market, seller.seller_id)
    buyer = _buyer(api)
    order_id = _checkout(api, buyer, seller.seller_id).json()["orders"][0]["AmazonOrderId"]
    assert api.post("/sandbox/v1/clock/advance", json={"duration": "30m"}).json()["fired"] >= 1
    answer = api.post(f"/buyer/v1/orders/{order_id}/cancel", headers=buyer)
    assert answer.status_code == 202 and answer.json()["OrderStatus"] == "Unshipped"


def test_bad_bodies_are_400_invalid_input_never_422(api: CheckedClient,
                                                    seller: Seller) -> None:
    buyer = _buyer(api)
    for body in ({}, {"items": "x"}, {"items": [{"sellerId": 1}]}):
        answer = api.post("/buyer/v1/checkout", headers=buyer, json=body)
        assert answer.status_code == 400
        assert answer.json()["errors"][0]["code"] == "InvalidInput"
        assert "detail" not in answer.json()
    answer = api.post("/buyer/v1/checkout", headers=buyer, content=b"{not json",
                      )
    assert answer.status_code == 400


def test_buyer_routes_need_a_buyer_token_401(api: CheckedClient) -> None:
    assert api.get("/buyer/v1/orders").status_code == 401
    assert api.get("/buyer/v1/orders", headers={"Authorization": "Bearer nope"}
                   ).status_code == 401


def test_L26_L27_own_seller_routes_refund_metrics_history_ledger(
        api: CheckedClient, market: Marketplace, seller: Seller) -> None:
    h.listing(market, seller.seller_id)
    order_id = h.released(market, seller.seller_id)
    h.ship(market, order_id)
    refund = seller.post(f"/sellerflow/v1/orders/{order_id}/refunds",
                         json={"amount": None, "reason": "CustomerReturn"})
    assert refund.status_code == 201, refund.text
    assert seller.get("/sellerflow/v1/metrics").json()["cancelRate"]["target"] == 0.025
    history = seller.get(f"/sellerflow/v1/orders/{order_id}/history").json()["history"]
    assert [e["to"] for e in history][-1] == "Shipped"
    assert seller.get("/sellerflow/v1/ledger").json()["entries"]
    again = seller.post(f"/sellerflow/v1/orders/{order_id}/cancellation",
                        json={"reason": "NoInventory"})
    assert again.status_code == 409 and again.json()["errors"][0]["code"].startswith("L")


def test_control_routes_do_not_exist_on_a_live_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/live.db"
    initialise(url, sandbox=False)
    market = open_marketplace(url)
    with TestClient(create_app(market)) as client:
        assert client.get("/sandbox/v1/clock").status_code == 404
        assert client.post("/sandbox/v1/sellers", json={"name": "x", "email": "a@b.co"}
                           ).status_code == 404
    market.close()

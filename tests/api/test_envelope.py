"""What every answer carries whatever the route: a request id, the security headers, a line in
the access log; and what an unexpected failure looks like to the caller (Amazon's error shape
with the request id, or the console's page) and in the log (the whole traceback)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from sellerflow.api.app import create_app
from sellerflow.service import order_search
from sellerflow.service.context import Marketplace
from tests.api.conftest import Seller


@pytest.fixture
def loose(market: Marketplace) -> Iterator[TestClient]:
    """A client that receives the server's 500 answers rather than its exceptions."""
    with TestClient(create_app(market), raise_server_exceptions=False) as client:
        yield client


def test_every_answer_carries_the_security_headers_and_a_request_id(
        loose: TestClient) -> None:
    for path in ("/signin", "/orders/v0/orders", "/no/such/route", "/static/console.css"):
        answer = loose.get(path)
        assert answer.headers["x-content-type-options"] == "nosniff", path
        assert answer.headers["x-frame-options"] == "DENY", path
        assert answer.headers["referrer-policy"] == "no-referrer", path
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"], path
        assert len(answer.headers["x-amzn-requestid"]) == 36, path
    # The interactive reference loads Swagger UI's scripts from its CDN: no policy there.
    assert "content-security-policy" not in loose.get("/docs").headers


def test_the_console_cookie_is_secure_when_served_over_tls(market: Marketplace) -> None:
    with TestClient(create_app(market), base_url="https://console.example") as client:
        cookies = client.get("/signin").headers.get_list("set-cookie")
    assert cookies and all("; Secure" in c for c in cookies), cookies
    with TestClient(create_app(market)) as plain:
        cookies = plain.get("/signin").headers.get_list("set-cookie")
    assert cookies and not any("Secure" in c for c in cookies)


def test_an_unexpected_failure_answers_amazons_shape_with_the_request_id_and_is_logged(
        loose: TestClient, market: Marketplace, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    seller = Seller(loose, market, "shop@example.com")  # type: ignore[arg-type]

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk caught fire")

    monkeypatch.setattr(order_search, "seller_order", broken)
    with caplog.at_level(logging.INFO):
        answer = seller.get("/orders/v0/orders/111-0000000-0000000")
    assert answer.status_code == 500
    request_id = answer.headers["x-amzn-requestid"]
    assert answer.json() == {"errors": [{
        "code": "InternalFailure",
        "message": "We encountered an internal error. Please try again.",
        "details": f"request id {request_id}"}]}
    assert "fire" not in answer.text
    failed = [r for r in caplog.records if r.name == "sellerflow.errors"]
    assert failed and request_id in failed[0].getMessage() and failed[0].exc_info
    access = [r.getMessage() for r in caplog.records if r.name == "sellerflow.access"]
    assert any(line.startswith(request_id) and " 500 " in line for line in access), access


def test_an_unexpected_failure_in_the_console_is_a_page_with_the_request_id(
        loose: TestClient, market: Marketplace, monkeypatch: pytest.MonkeyPatch) -> None:
    from sellerflow.web import seller as seller_pages

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk caught fire")

    monkeypatch.setattr(seller_pages.auth, "sandbox_sellers", broken)
    for language, words in (("en-US", "request id"), ("zh-CN", "请求编号")):
        answer = loose.get("/signin", headers={"accept-language": language})
        assert answer.status_code == 500
        assert answer.headers["content-type"].startswith("text/html")
        assert words in answer.text and answer.headers["x-amzn-requestid"] in answer.text
        assert "fire" not in answer.text and "Traceback" not in answer.text


def _logged(caplog: pytest.LogCaptureFixture, logger: str, request: Callable[[], object]
            ) -> list[str]:
    """The lines `logger` wrote while `request` ran."""
    with caplog.at_level(logging.INFO, logger=logger):
        request()
    return [r.getMessage() for r in caplog.records if r.name == logger]


def test_the_access_log_names_no_query_string(loose: TestClient,
                                              caplog: pytest.LogCaptureFixture) -> None:
    lines = _logged(caplog, "sellerflow.access", lambda: loose.get(
        "/orders/v0/orders", params={"BuyerEmail": "jane@example.com"}))
    assert len(lines) == 1 and "GET /orders/v0/orders 403" in lines[0]
    assert "jane" not in lines[0]


def test_a_refused_credential_is_logged_without_the_credential(
        loose: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    lines = _logged(caplog, "sellerflow.auth", lambda: loose.get(
        "/orders/v0/orders", headers={"x-amz-access-token": "Atza|stolen-token"}))
    assert len(lines) == 1 and "credential refused (unknown)" in lines[0]
    assert "stolen" not in lines[0]


def test_the_api_reference_declares_the_access_token_on_every_seller_route(
        loose: TestClient) -> None:
    """/docs offers to fill the access token in once: a security scheme on the seller routes
    (the token is read from its header, not through a security dependency)."""
    schema = loose.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["LWA access token"]["name"] == \
        "x-amz-access-token"
    for path in ("/orders/v0/orders", "/sellerflow/v1/ledger", "/reports/2021-06-30/reports"):
        for operation in schema["paths"][path].values():
            assert operation["security"] == [{"LWA access token": []}], path
    assert schema["paths"]["/buyer/v1/checkout"]["post"]["security"] == [{"Buyer token": []}]
    assert "security" not in schema["paths"]["/sandbox/v1/clock"]["get"]


def test_a_sandbox_answer_says_the_sandbox_clocks_time(market: Marketplace,
                                                      seller: Seller) -> None:
    api = seller.api
    clock = api.get("/sandbox/v1/clock")
    assert clock.headers["x-sellerflow-sandbox-time"] == clock.json()["now"]
    moved = api.post("/sandbox/v1/clock/advance", json={"duration": "1d"})
    assert moved.headers["x-sellerflow-sandbox-time"] == moved.json()["now"]
    orders = seller.get("/orders/2026-01-01/orders", params={
        "createdAfter": "2000-01-01T00:00:00Z"})
    assert orders.headers["x-sellerflow-sandbox-time"] == moved.json()["now"]
    # Nothing read, nothing said: a refused credential reads no clock.
    assert "x-sellerflow-sandbox-time" not in api.get("/orders/v0/orders").headers


def test_the_api_reference_states_checkouts_choices_and_address_shape(
        loose: TestClient) -> None:
    schema = loose.get("/openapi.json").json()["components"]["schemas"]["CheckoutRequest"]
    fields = schema["properties"]
    assert fields["paymentMethod"]["enum"] == ["ok", "deferred", "declined", "fraud"]
    assert fields["shipServiceLevel"]["enum"] == ["Standard", "Expedited", "SecondDay",
                                                  "NextDay"]
    address = fields["shippingAddress"]
    assert address["required"] == ["Name", "AddressLine1", "City", "PostalCode", "CountryCode"]
    assert {"StateOrRegion", "Phone", "AddressType"} <= set(address["properties"])

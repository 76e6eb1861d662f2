"""No silent pass: a path under an SP-API root that sellerflow does not serve answers 404 in
Amazon's error shape, so a client raises instead of reading an HTML page as success."""

from __future__ import annotations

import pytest

from tests.api.conftest import CheckedClient, Seller


@pytest.mark.parametrize("method,path", [
    ("GET", "/finances/v0/financialEventGroups"),
    ("GET", "/messaging/v1/orders/111-1111111-1111111"),
    ("GET", "/catalog/2022-04-01/items"),
    ("GET", "/orders/v0/orders/111-1111111-1111111/regulatedInfo"),
    ("DELETE", "/orders/v0/orders"),
    ("GET", "/fba/inventory/v1/summaries"),
])
def test_an_unserved_sp_api_path_is_404_in_amazons_shape(
        seller: Seller, api: CheckedClient, method: str, path: str) -> None:
    answer = api.request(method, path, headers=seller.headers)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/json")
    error = answer.json()["errors"][0]
    assert error["code"] == "NotFound" and path in error["message"]
    assert isinstance(error["details"], str)


def test_console_pages_are_still_the_consoles(api: CheckedClient) -> None:
    answer = api.get("/no-such-page")
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")

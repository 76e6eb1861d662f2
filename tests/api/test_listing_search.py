"""searchListingsItems over HTTP: every filter of Amazon's model applied (or matching nothing
where sellerflow's listings have no such thing), Amazon's refusals, its sort and its paging
(every answer checked against Amazon's model)."""

from __future__ import annotations

from typing import Any

import pytest

from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.api.conftest import Seller

MARKET = "ATVPDKIKX0DER"


def _search(seller: Seller, status: int = 200, **params: Any) -> dict[str, Any]:
    answer = seller.get(f"/listings/2021-08-01/items/{seller.seller_id}",
                        params={"marketplaceIds": MARKET, **params})
    assert answer.status_code == status, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _skus(seller: Seller, **params: Any) -> list[str]:
    return [item["sku"] for item in _search(seller, **params)["items"]]


@pytest.fixture
def stocked(market: Marketplace, seller: Seller) -> list[str]:
    """Five listings made an hour apart (C-3 sold out), oldest first."""
    skus = ["A-1", "B-2", "C-3", "D-4", "E/5"]
    for sku in skus:
        h.listing(market, seller.seller_id, sku, quantity=0 if sku == "C-3" else 3)
        h.advance(market, "1h")
    return skus


def test_searchListingsItems_sorts_by_last_update_newest_first_and_filters_by_status(
        seller: Seller, stocked: list[str]) -> None:
    found = _search(seller)
    assert found["numberOfResults"] == 5 and [i["sku"] for i in found["items"]] == [
        "E/5", "D-4", "C-3", "B-2", "A-1"]
    assert set(found["items"][0]) == {"sku", "summaries"}
    assert _skus(seller, sortBy="sku", sortOrder="ASC") == stocked
    assert _skus(seller, sortBy="createdDate", sortOrder="ASC") == stocked
    assert _skus(seller, withStatus="BUYABLE") == ["E/5", "D-4", "B-2", "A-1"]
    assert _skus(seller, withoutStatus="BUYABLE") == ["C-3"]
    assert _skus(seller, withStatus="DISCOVERABLE", sortBy="sku", sortOrder="ASC") == stocked
    assert _skus(seller, withoutStatus="DISCOVERABLE") == []
    assert _skus(seller, identifiersType="SKU", identifiers="B-2,E/5,NONE") == ["E/5", "B-2"]
    item = _search(seller, identifiersType="SKU", identifiers="A-1",
                   includedData="summaries,fulfillmentAvailability")["items"][0]
    assert item["fulfillmentAvailability"] == [{"fulfillmentChannelCode": "DEFAULT",
                                                "quantity": 3}]


def test_searchListingsItems_filters_by_asin_and_time_and_matches_nothing_it_cannot_have(
        seller: Seller, market: Marketplace, stocked: list[str]) -> None:
    asin = seller.get(f"/listings/2021-08-01/items/{seller.seller_id}/D-4",
                      params={"marketplaceIds": MARKET}).json()["summaries"][0]["asin"]
    assert _skus(seller, identifiersType="ASIN", identifiers=asin) == ["D-4"]
    base = f"/listings/2021-08-01/items/{seller.seller_id}"
    made = {sku: seller.get(f"{base}/{sku.replace('/', '%2F')}", params={
        "marketplaceIds": MARKET}).json()["summaries"][0] for sku in stocked}
    since = made["C-3"]["createdDate"]
    assert _skus(seller, createdAfter=since, sortBy="sku", sortOrder="ASC") == [
        "C-3", "D-4", "E/5"]
    assert _skus(seller, createdBefore=since, sortBy="sku", sortOrder="ASC") == [
        "A-1", "B-2", "C-3"]
    h.listing(market, seller.seller_id, "A-1", quantity=9)       # a restock updates it
    assert _skus(seller, lastUpdatedAfter=made["E/5"]["lastUpdatedDate"]) == ["A-1", "E/5"]
    assert _skus(seller, lastUpdatedBefore=made["B-2"]["lastUpdatedDate"]) == ["B-2"]
    for params in ({"identifiersType": "EAN", "identifiers": "4006381333931"},
                   {"variationParentSku": "A-1"}, {"packageHierarchySku": "A-1"},
                   {"withIssueSeverity": "ERROR"},
                   {"withStatus": "BUYABLE", "withoutStatus": "BUYABLE"}):
        assert _search(seller, **params) == {"numberOfResults": 0, "items": []}, params


def test_searchListingsItems_pages_twenty_at_most_with_next_and_previous_tokens(
        seller: Seller, stocked: list[str]) -> None:
    first = _search(seller, pageSize="2", sortBy="sku", sortOrder="ASC")
    assert [i["sku"] for i in first["items"]] == ["A-1", "B-2"]
    assert first["numberOfResults"] == 5 and "previousToken" not in first["pagination"]
    walked = [i["sku"] for i in first["items"]]
    page = first
    while "nextToken" in page.get("pagination", {}):
        page = _search(seller, pageSize="2", sortBy="sku", sortOrder="ASC",
                       pageToken=page["pagination"]["nextToken"])
        walked += [i["sku"] for i in page["items"]]
    assert walked == stocked
    back = _search(seller, pageSize="2", sortBy="sku", sortOrder="ASC",
                   pageToken=page["pagination"]["previousToken"])
    assert [i["sku"] for i in back["items"]] == ["C-3", "D-4"]
    # A token with another search's parameters, or one no answer gave, is refused.
    other = _search(seller, 400, pageSize="2", pageToken=first["pagination"]["nextToken"])
    assert "another search" in other["errors"][0]["message"]
    assert _search(seller, 400, pageToken="nonsense")["errors"][0]["message"].startswith(
        "pageToken")


@pytest.mark.parametrize(("params", "named"), [
    ({"marketplaceIds": "A1F83G8C2ARO7P"}, "marketplaceIds"),
    ({"pageSize": "21"}, "pageSize"), ({"pageSize": "0"}, "pageSize"),
    ({"sortBy": "price"}, "sortBy"), ({"sortOrder": "UP"}, "sortOrder"),
    ({"withStatus": "SOLD"}, "withStatus"), ({"withIssueSeverity": "FATAL"}, "withIssueSeverity"),
    ({"identifiers": "A-1"}, "identifiersType"), ({"identifiersType": "SKU"}, "identifiersType"),
    ({"identifiersType": "ISSN", "identifiers": "1"}, "identifiersType"),
    ({"identifiersType": "SKU", "identifiers": ",".join(str(n) for n in range(21))},
     "identifiers"),
    ({"identifiersType": "SKU", "identifiers": "A-1", "variationParentSku": "A-1"},
     "variationParentSku"),
    ({"createdAfter": "yesterday"}, "createdAfter"),
])
def test_searchListingsItems_refuses_what_amazon_refuses(seller: Seller, params: dict[str, str],
                                                         named: str) -> None:
    error = _search(seller, 400, **params)["errors"][0]
    assert error["code"] == "InvalidInput" and named in error["message"], error


def test_searchListingsItems_of_another_seller_is_forbidden(
        seller: Seller, market: Marketplace, api: Any) -> None:
    other = Seller(api, market, "other@example.com")
    answer = seller.get(f"/listings/2021-08-01/items/{other.seller_id}",
                        params={"marketplaceIds": MARKET})
    assert answer.status_code == 403

"""Amazon's static sandbox, offline: every canned case of the bundled models (orders v0 and
2026, reports, feeds, tokens, sellers, listings, notifications) answered with its own status
and body from the model at /static-sandbox; Amazon's TEST_CASE values at the API's own paths;
anything else answered by the stateful sandbox."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from sellerflow.api.static_sandbox import PREFIX, Case, load_cases
from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.api.conftest import CheckedClient, Seller


def _request(case: Case) -> tuple[str, dict[str, Any] | None] | None:
    """The request a suite would send for the case: its path and query, and its body; None
    when the case leaves a path parameter open (no request names just that case)."""
    path, query, body = case.template, {}, None
    for name, value in case.parameters.items():
        if "{" + name + "}" in path:
            path = path.replace("{" + name + "}", str(value))
        elif name == "body":
            body = value
        else:
            query[name] = ",".join(map(str, value)) if isinstance(value, list) else (
                json.dumps(value) if isinstance(value, bool) else str(value))
    if "{" in path:
        return None
    return path + ("?" + urlencode(query) if query else ""), body


def test_every_static_case_of_the_bundled_models_is_answered_from_the_model(
        api: CheckedClient) -> None:
    cases = load_cases()
    by_request: dict[tuple[str, str, str], list[Case]] = defaultdict(list)
    for case in cases:
        built = _request(case)
        if built is not None:
            by_request[(case.method, built[0], json.dumps(built[1]))].append(case)
    assert len(cases) >= 90 and len(by_request) >= 60
    for (method, target, body), alike in by_request.items():
        answer = api.request(method, PREFIX + target, content=None if body == "null" else body,
                             headers={"content-type": "application/json"})
        # Cases no request tells apart (Amazon's sandbox cannot either): the most specific,
        # then the first in the model, answers.
        expected = alike[0]
        assert answer.status_code == expected.status, (method, target, answer.text[:200])
        if expected.response is None:
            assert answer.content == b"", (method, target)
        else:
            assert answer.json() == expected.response, (method, target)
    families = {case.template.split("/")[1] for case in cases}
    assert families >= {"orders", "reports", "feeds", "tokens", "sellers", "listings",
                        "notifications"}


def test_amazons_test_case_values_are_answered_at_the_apis_own_paths(
        api: CheckedClient, seller: Seller) -> None:
    canned = api.get("/orders/v0/orders", params={"CreatedAfter": "TEST_CASE_200",
                                                  "MarketplaceIds": "ATVPDKIKX0DER"})
    assert canned.status_code == 200
    assert canned.json()["payload"]["Orders"][0]["AmazonOrderId"] == "902-1845936-5435065"
    refused = api.get("/orders/2026-01-01/orders", params={"createdAfter": "TEST_CASE_400"})
    assert refused.status_code == 400 and refused.json()["errors"]


def test_what_no_case_matches_is_the_stateful_sandboxs(
        api: CheckedClient, seller: Seller, market: Marketplace) -> None:
    h.listing(market, seller.seller_id)
    order_id = h.released(market, seller.seller_id)
    for prefix in ("", PREFIX):
        answer = api.get(f"{prefix}/orders/v0/orders/{order_id}", headers=seller.headers)
        assert answer.status_code == 200 and answer.json()["payload"]["AmazonOrderId"] == \
            order_id
    # A POST the stateful sandbox answers, its body read once by the static sandbox.
    made = api.post(f"{PREFIX}/feeds/2021-06-30/documents", headers=seller.headers,
                    json={"contentType": "text/plain"})
    assert made.status_code == 201 and made.json()["feedDocumentId"].startswith("amzn1.")

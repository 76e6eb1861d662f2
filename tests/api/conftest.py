"""An API over a fresh database (SQLite and PostgreSQL), called in-process, every SP-API
answer checked against Amazon's models."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from sellerflow.api.app import create_app
from sellerflow.service import accounts
from sellerflow.service.context import Marketplace
from tests.api import conformance
from tests.helpers import OP


class CheckedClient(TestClient):
    def request(self, method: str, url: httpx._types.URLTypes,  # type: ignore[override]
                *args: Any, **kwargs: Any) -> httpx.Response:
        response = super().request(method, url, *args, **kwargs)
        conformance.check(method.upper(), response.request.url.path, response.status_code,
                          response.content)
        return response


@pytest.fixture
def api(market: Marketplace) -> Iterator[CheckedClient]:
    with CheckedClient(create_app(market), raise_server_exceptions=True) as client:
        yield client


class Seller:
    """A seller with its credentials and a fresh access token."""

    def __init__(self, api: CheckedClient, market: Marketplace, email: str,
                 plan: str = "professional") -> None:
        created = accounts.create_seller(market, OP, f"Shop {email}", plan, email)
        self.seller_id = created.seller_id
        self.api = api
        self.credentials = {"grant_type": "refresh_token",
                            "refresh_token": created.refresh_token,
                            "client_id": created.client_id,
                            "client_secret": created.client_secret}
        answer = api.post("/auth/o2/token", data=self.credentials)
        assert answer.status_code == 200, answer.text
        self.token = answer.json()["access_token"]

    @property
    def headers(self) -> dict[str, str]:
        return {"x-amz-access-token": self.token}

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.api.get(path, headers=self.headers, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.api.post(path, headers=self.headers, **kwargs)

    def rdt(self, *resources: dict[str, Any]) -> str:
        answer = self.post("/tokens/2021-03-01/restrictedDataToken",
                           json={"restrictedResources": list(resources)})
        assert answer.status_code == 200, answer.text
        token: str = answer.json()["restrictedDataToken"]
        return token


@pytest.fixture
def seller(api: CheckedClient, market: Marketplace) -> Seller:
    return Seller(api, market, "shop@example.com")


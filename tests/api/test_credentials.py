"""Credentials with a lifecycle: console sessions kept server-side (sign-out, idle time and a
password change end them, copies of the cookie included), sign-in attempts counted in the
database across processes, API credentials rotated and tokens revoked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from sellerflow.api.app import create_app
from sellerflow.clock import SystemClock
from sellerflow.service import accounts, console_access
from sellerflow.service.context import Marketplace
from tests import helpers as h
from tests.api.conftest import CheckedClient, Seller
from tests.helpers import OP

PASSWORD = "correct horse battery"


@pytest.fixture
def console(market: Marketplace) -> Iterator[TestClient]:
    with TestClient(create_app(market), base_url="http://console.test") as client:
        yield client


@pytest.fixture
def seller_id(market: Marketplace) -> str:
    return accounts.create_seller(market, OP, "Shop", "professional", "shop@example.com",
                                  password=PASSWORD).seller_id


def _csrf(client: TestClient | httpx.Client, path: str = "/signin") -> str:
    page = client.get(path)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text[:300]
    return found.group(1)


def _sign_in(client: TestClient | httpx.Client, password: str = PASSWORD,
             email: str = "shop@example.com") -> httpx.Response:
    return client.post("/signin", data={"email": email, "password": password,
                                        "csrf_token": _csrf(client)}, follow_redirects=False)


def _signed_in(client: TestClient | httpx.Client) -> bool:
    answer = client.get("/orders-v3", follow_redirects=False)
    return answer.status_code == 200


def test_signing_out_ends_the_session_for_every_copy_of_its_cookie(
        console: TestClient, seller_id: str) -> None:
    assert _sign_in(console).status_code == 303 and _signed_in(console)
    copied = dict(console.cookies)
    csrf = _csrf(console, "/orders-v3")
    console.post("/signout", data={"csrf_token": csrf})
    assert not _signed_in(console)
    console.cookies.clear()
    console.cookies.update(copied)          # the cookie as it was before signing out
    replay = console.get("/orders-v3", follow_redirects=False)
    assert replay.status_code == 303 and replay.headers["location"].startswith("/signin")


def test_a_session_ends_after_idle_time_and_at_its_age_limit(
        console: TestClient, seller_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _sign_in(console)
    now = SystemClock.read()
    monkeypatch.setattr(console_access.SystemClock, "read",
                        staticmethod(lambda: now + timedelta(hours=7)))
    assert _signed_in(console)              # used within the idle limit: still open
    monkeypatch.setattr(console_access.SystemClock, "read",
                        staticmethod(lambda: now + timedelta(hours=15, minutes=1)))
    assert not _signed_in(console)          # 8 hours unused since the last use
    start = now + timedelta(hours=16)
    monkeypatch.setattr(console_access.SystemClock, "read", staticmethod(lambda: start))
    _sign_in(console)
    for hours in range(6, 15 * 24, 6):      # used every 6 hours: open until 14 days old
        moment = start + timedelta(hours=hours)
        monkeypatch.setattr(console_access.SystemClock, "read", staticmethod(lambda m=moment: m))
        if not _signed_in(console):
            break
    assert hours == 14 * 24


def test_a_password_change_ends_every_other_session_and_needs_the_current_password(
        market: Marketplace, seller_id: str) -> None:
    app = create_app(market)
    with TestClient(app, base_url="http://a.test") as mine, \
            TestClient(app, base_url="http://b.test") as other:
        _sign_in(mine), _sign_in(other)
        wrong = mine.post("/settings/password", data={
            "current_password": "not it at all", "new_password": "a new secret",
            "csrf_token": _csrf(mine, "/settings/password")})
        # Refused: back on the page, told why beside the field (web/refusals.py); no session
        # ended.
        assert wrong.url.path == "/settings/password" and _signed_in(other)
        assert 'class="field-error"' in wrong.text
        assert "is not your current password" in wrong.text
        chinese = mine.post("/settings/password", headers={"accept-language": "zh-CN"}, data={
            "current_password": "not it at all", "new_password": "a new secret",
            "csrf_token": _csrf(mine, "/settings/password")})
        assert "不是您当前的密码" in chinese.text
        changed = mine.post("/settings/password", data={
            "current_password": PASSWORD, "new_password": "a new secret",
            "csrf_token": _csrf(mine, "/settings/password")}, follow_redirects=False)
        assert changed.status_code == 303
        assert _signed_in(mine) and not _signed_in(other)
        assert _sign_in(other, PASSWORD).status_code == 401
        assert _sign_in(other, "a new secret").status_code == 303


def test_the_operator_sets_a_password_and_every_session_ends(
        console: TestClient, market: Marketplace, seller_id: str) -> None:
    _sign_in(console)
    assert console_access.change_password(market, OP, seller_id, None, "operator-set") == 1
    assert not _signed_in(console)


def test_sign_in_attempts_are_counted_per_account_then_refused_429_even_when_right(
        console: TestClient, seller_id: str) -> None:
    for _ in range(console_access.ACCOUNT_ATTEMPTS):
        assert _sign_in(console, "wrong password").status_code == 401
    refused = _sign_in(console)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "Too many sign-in attempts" in refused.text
    zh = console.post("/signin", headers={"accept-language": "zh-CN"}, data={
        "email": "shop@example.com", "password": PASSWORD, "csrf_token": _csrf(console)})
    assert zh.status_code == 429 and "登录尝试次数过多" in zh.text


@pytest.mark.slow
def test_parallel_guesses_across_two_processes_are_throttled(tmp_path: Path,
                                                             db_url: str) -> None:
    """Two server processes on one database; 24 guesses at once, then the right password:
    no more guesses are checked than the limit allows, and the right one, after, is 429."""
    from sellerflow.service.context import open_marketplace

    market = open_marketplace(db_url)
    accounts.create_seller(market, OP, "Shop", "professional", "shop@example.com",
                           password=PASSWORD)
    market.close()
    servers = [h.start_serve(db_url, "--no-worker") for _ in range(2)]
    try:
        def guess(n: int) -> int:
            with httpx.Client(base_url=servers[n % 2][1], timeout=60) as client:
                return _sign_in(client, f"guess number {n}").status_code

        with ThreadPoolExecutor(12) as pool:
            statuses = list(pool.map(guess, range(24)))
        assert statuses.count(401) <= console_access.ACCOUNT_ATTEMPTS, statuses
        assert set(statuses) <= {401, 429, 503}, statuses
        with httpx.Client(base_url=servers[1][1], timeout=60) as client:
            assert _sign_in(client).status_code == 429
    finally:
        for process, _ in servers:
            process.terminate()
            _, err = process.communicate(timeout=30)
            assert "Traceback" not in err, err


def test_rotating_credentials_ends_the_old_ones_and_every_token(
        api: CheckedClient, market: Marketplace, seller: Seller) -> None:
    old_access = seller.token
    rdt = seller.rdt({"method": "GET", "path": "/orders/v0/orders"})
    rotated = seller.post("/sellerflow/v1/credentials/rotation")
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()
    assert new["tokensRevoked"] >= 2 and new["clientId"] == seller.credentials["client_id"]
    for token in (old_access, rdt):
        assert api.get("/sellers/v1/account",
                       headers={"x-amz-access-token": token}).status_code == 403
    assert api.post("/auth/o2/token", data=seller.credentials).status_code == 401
    fresh = api.post("/auth/o2/token", data={
        **seller.credentials, "refresh_token": new["refreshToken"],
        "client_secret": new["clientSecret"]})
    assert fresh.status_code == 200
    assert api.get("/sellers/v1/account", headers={
        "x-amz-access-token": fresh.json()["access_token"]}).status_code == 200


def test_revoking_tokens_ends_them_and_the_refresh_token_still_buys_new_ones(
        api: CheckedClient, seller: Seller) -> None:
    old = seller.token
    assert seller.post("/sellerflow/v1/tokens/revocation").json()["tokensRevoked"] >= 1
    assert api.get("/sellers/v1/account", headers={"x-amz-access-token": old}
                   ).status_code == 403
    assert api.post("/auth/o2/token", data=seller.credentials).status_code == 200


def test_a_buyer_rotates_its_token(api: CheckedClient, market: Marketplace) -> None:
    made = api.post("/sandbox/v1/buyers", json={"email": "jane@example.com"}).json()
    old = {"Authorization": f"Bearer {made['token']}"}
    rotated = api.post("/buyer/v1/token/rotation", headers=old)
    assert rotated.status_code == 200 and rotated.json()["token"] != made["token"]
    assert api.get("/buyer/v1/orders", headers=old).status_code == 401
    assert api.get("/buyer/v1/orders", headers={
        "Authorization": f"Bearer {rotated.json()['token']}"}).status_code == 200

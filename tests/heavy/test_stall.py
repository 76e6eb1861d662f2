"""A server that never stalls: while one request waits for SQLite's write lock, every other
answers at once; a write that waits past the limit is answered 503 with Retry-After, nothing
written, instead of hanging for a minute."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import httpx
import pytest

from sellerflow.service import accounts
from sellerflow.service.context import open_marketplace
from sellerflow.service.database import initialise
from sellerflow.store.db import LOCK_WAIT_SECONDS
from tests import helpers as h
from tests.helpers import OP


@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A live-mode-free sandbox served by `serve --no-worker`: its URL, the database file, a
    seller's access token, a buyer's token, a seller and a released order."""
    path = tmp_path / "market.db"
    url = f"sqlite:///{path}"
    initialise(url, sandbox=True)
    market = open_marketplace(url)
    created = accounts.create_seller(market, OP, "Shop", "professional", "shop@example.com")
    h.listing(market, created.seller_id, quantity=50)
    order_id = h.released(market, created.seller_id)
    buyer = accounts.create_buyer(market, OP, "jane@example.com").token
    market.close()
    process, base = h.start_serve(url, "--no-worker")
    token = httpx.post(base + "/auth/o2/token", data={
        "grant_type": "refresh_token", "refresh_token": created.refresh_token,
        "client_id": created.client_id, "client_secret": created.client_secret}
    ).json()["access_token"]
    yield base, path, token, buyer, created.seller_id, order_id
    process.terminate()
    _, err = process.communicate(timeout=30)
    assert "Traceback" not in err, err


def _checkout(base: str, buyer: str, seller_id: str, answers: list[httpx.Response]) -> None:
    answers.append(httpx.post(base + "/buyer/v1/checkout", timeout=60, headers={
        "Authorization": f"Bearer {buyer}"}, json={
        "items": [{"sellerId": seller_id, "sku": "MUG", "quantity": 1}],
        "shippingAddress": h.ADDRESS}))


def _holding_the_write_lock(path: Path, seconds: float) -> threading.Thread:
    def hold() -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        time.sleep(seconds)
        conn.execute("ROLLBACK")
        conn.close()

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.2)
    return holder


@pytest.mark.slow
def test_a_page_answers_at_once_while_a_checkout_waits_3s_for_the_lock(served) -> None:  # type: ignore[no-untyped-def]
    base, path, token, buyer, seller_id, order_id = served
    holder = _holding_the_write_lock(path, 3.0)
    answers: list[httpx.Response] = []
    waiting = threading.Thread(target=_checkout, args=(base, buyer, seller_id, answers))
    waiting.start()
    time.sleep(0.3)                  # the checkout is now waiting for the lock
    took = []
    for path_ in (f"/orders/v0/orders/{order_id}", "/signin", "/shop"):
        started = time.perf_counter()
        page = httpx.get(base + path_, headers={"x-amz-access-token": token}, timeout=30)
        took.append(time.perf_counter() - started)
        assert page.status_code == 200, (path_, page.text[:200])
    holder.join()
    waiting.join()
    assert max(took) < 1.0, took
    assert answers[0].status_code == 201, answers[0].text       # it got the lock after 3 s


@pytest.mark.slow
def test_a_write_waiting_past_the_limit_is_503_with_retry_after_and_writes_nothing(
        served) -> None:  # type: ignore[no-untyped-def]
    base, path, token, buyer, seller_id, _ = served
    holder = _holding_the_write_lock(path, LOCK_WAIT_SECONDS + 2.0)
    answers: list[httpx.Response] = []
    started = time.perf_counter()
    _checkout(base, buyer, seller_id, answers)
    took = time.perf_counter() - started
    holder.join()
    answer = answers[0]
    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == "1"
    assert answer.json()["errors"][0]["code"] == "ServiceUnavailable"
    assert LOCK_WAIT_SECONDS - 1 < took < LOCK_WAIT_SECONDS + 3
    orders = httpx.get(base + "/buyer/v1/orders", headers={
        "Authorization": f"Bearer {buyer}"}).json()["orders"]
    assert orders == []

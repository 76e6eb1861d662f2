"""SIGKILL in the middle of a sweep, of a 20,000-row upload and of a notification delivery:
after a restart nothing is lost and nothing is applied twice (L21, L28); notifications, at
least once."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sellerflow.domain.callers import Caller
from sellerflow.service import uploads
from sellerflow.service.context import Marketplace
from sellerflow.store.schema import deadlines, feeds, ledger, order_items, shipments
from sellerflow.store.settings import set_clock
from tests import helpers as h
from tests.conftest import fresh_market
from tests.heavy.test_concurrency import reasons_per_order

pytestmark = pytest.mark.slow


def _sellerflow(url: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "sellerflow", "--db", url, *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_for(market: Marketplace, query, until: int, process: subprocess.Popen[bytes],
              timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with h.reading(market) as conn:
            value = int(conn.execute(query).scalar_one())
        if value >= until:
            return value
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        time.sleep(0.02)
    raise AssertionError(f"no progress to {until} within {timeout}s")


def _worker_once(url: str) -> None:
    subprocess.run([sys.executable, "-m", "sellerflow", "--db", url, "worker", "--once"],
                   check=True, capture_output=True, timeout=900)


def _kill(process: subprocess.Popen[bytes]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_L28_a_worker_killed_mid_sweep_loses_and_repeats_nothing(
        kind: str, tmp_path: Path, sqlite_template: Path, postgres_template: str | None) -> None:
    with fresh_market(kind, tmp_path, sqlite_template, postgres_template) as (market, url):
        shop = h.seller(market)
        h.listing(market, shop, quantity=1000)
        orders = [h.place(market, shop) for _ in range(300)]
        market.run(lambda work: set_clock(work.conn, work.now + timedelta(days=31)))
        fired = select(func.count()).where(deadlines.c.fired_at.is_not(None))
        # Ten orders to a transaction: thirty transactions to kill one in the middle of.
        worker = _sellerflow(url, "worker", "--once", "--sweep-batch", "10")
        done_before_kill = _wait_for(market, fired, 200, worker)
        _kill(worker)
        assert done_before_kill < 1200, "the worker finished before it could be killed"
        _worker_once(url)
        assert reasons_per_order(market) == {
            o: ["placed", "approved", "hold-ended", "ship-deadline"] for o in orders}


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_L21_an_upload_killed_mid_file_is_resumed_by_the_worker_without_repeats(
        kind: str, tmp_path: Path, sqlite_template: Path, postgres_template: str | None) -> None:
    with fresh_market(kind, tmp_path, sqlite_template, postgres_template) as (market, url):
        _upload_killed_and_resumed(market, url, tmp_path)


def _released_orders_and_their_file(market: Marketplace, tmp_path: Path, orders: int,
                                    units: int, missing_every: int = 0
                                    ) -> tuple[str, list[str], Path]:
    """A shop with `orders` released orders of `units` units each, and a shipment file
    confirming every unit in a row of its own (and, every `missing_every` rows, a row for an
    order that does not exist)."""
    shop = h.seller(market)
    h.listing(market, shop, quantity=orders * units)
    placed = [h.place(market, shop, qty=units) for _ in range(orders)]
    h.advance(market, "30m")
    items = {o: h.item_id(market, o) for o in placed}
    rows = ["order-id\torder-item-id\tquantity\tship-date\tcarrier-code\ttracking-number"]
    for unit in range(units):
        for n, o in enumerate(placed):
            rows.append(f"{o}\t{items[o]}\t1\t2026-01-05\tFedEx\t{unit * 1000 + n:012d}")
            if missing_every and len(rows) % missing_every == 0:
                rows.append("999-9999999-9999999\t\t\t2026-01-05\tFedEx\t000000000000")
    upload = tmp_path / "shipments.txt"
    upload.write_text("\n".join(rows) + "\n")
    return shop, placed, upload


def _upload_killed_and_resumed(market: Marketplace, url: str, tmp_path: Path) -> None:
    # 500 orders of 20 units, a row per unit (21 batches of 500 rows to be killed among);
    # 1 in 50 rows names a missing order, so the report has lines to lose or repeat.
    shop, orders, upload = _released_orders_and_their_file(market, tmp_path, 500, 20,
                                                           missing_every=50)
    uploader = _sellerflow(url, "shipments", "upload", shop, str(upload))
    progress = select(func.coalesce(func.max(feeds.c.next_record), 0))
    _wait_for(market, progress, random.randrange(1, 9_000), uploader, timeout=600)
    _kill(uploader)
    with h.reading(market) as conn:
        applied_at_kill = conn.execute(progress).scalar_one() - 1
    assert 0 < applied_at_kill < 10_200
    _worker_once(url)
    assert uploads.unfinished(market) == []
    with h.reading(market) as conn:
        feed = conn.execute(select(feeds)).one()
    result = uploads.result(market, h.OP, feed.feed_id)
    assert (result.status, result.processed, result.successful) == ("DONE", 10_204, 10_000)
    rejected = [line.split("\t") for line in result.report.splitlines()[5:]]
    assert len(rejected) == 204 and {line[3] for line in rejected} == {"10002"}
    assert [int(line[0]) for line in rejected] == sorted({int(line[0]) for line in rejected})
    with h.reading(market) as conn:
        assert conn.execute(select(func.count()).select_from(shipments)).scalar_one() == 10_000
        assert conn.execute(select(func.count()).select_from(ledger)).scalar_one() == 10_000
        shipped = conn.execute(select(order_items.c.quantity_shipped)).scalars().all()
    assert shipped == [20] * 500
    assert all(h.status(market, o) == "Shipped" for o in orders[:5])


def test_ctrl_c_during_an_upload_says_what_was_done_and_the_worker_finishes_it(
        tmp_path: Path, sqlite_template: Path, postgres_template: str | None) -> None:
    with fresh_market("sqlite", tmp_path, sqlite_template, postgres_template) as (market, url):
        shop, _, upload = _released_orders_and_their_file(market, tmp_path, 100, 100)
        uploader = subprocess.Popen(
            [sys.executable, "-m", "sellerflow", "--db", url, "--json", "shipments", "upload",
             shop, str(upload)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            # As a terminal would: a run started in the background inherits SIGINT ignored.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        _wait_for(market, select(func.coalesce(func.max(feeds.c.next_record), 0)), 100,
                  uploader)
        uploader.send_signal(signal.SIGINT)
        out, err = uploader.communicate(timeout=60)
        assert uploader.returncode == 130 and b"Traceback" not in err, (uploader.returncode,
                                                                       out, err[-2000:])
        error = json.loads(out)["errors"][0]
        assert error["code"] == "Interrupted" and "worker --once" in error["message"]
        assert 0 < error["details"]["processed"] < 10_000
        _worker_once(url)
        with h.reading(market) as conn:
            feed = conn.execute(select(feeds)).one()
            assert (feed.status, feed.processed, feed.successful) == ("DONE", 10_000, 10_000)
            assert conn.execute(select(func.count()).select_from(shipments)).scalar_one() \
                == 10_000


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_worker_killed_mid_delivery_loses_no_notification(
        kind: str, tmp_path: Path, sqlite_template: Path, postgres_template: str | None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """300 ORDER_CHANGE notifications for an SQS queue (moto's); the worker is killed with
    SIGKILL after its first batch is recorded, then runs again: every notification is in the
    queue at least once, and only the batch under way when it died may come twice."""
    from sellerflow.service import subscriptions
    from sellerflow.store.schema import outbox
    from tests import aws

    with aws.moto_server() as endpoint, fresh_market(kind, tmp_path, sqlite_template,
                                                     postgres_template) as (market, url):
        for name, value in aws.environment(endpoint).items():
            monkeypatch.setenv(name, value)     # the worker processes inherit them
        queue, arn = aws.new_queue(f"crash-{kind}")
        shop = h.seller(market)
        destination = subscriptions.create_destination(market, _as(shop), shop, "q",
                                                       {"sqs": {"arn": arn}})
        subscriptions.create_subscription(market, _as(shop), shop, "ORDER_CHANGE", "1.0",
                                          destination.destination_id)
        h.listing(market, shop, quantity=1000)
        for _ in range(300):
            h.place(market, shop)
        sent = select(func.count()).where(outbox.c.sent_at.is_not(None))
        worker = _sellerflow(url, "worker", "--once")
        done_before_kill = _wait_for(market, sent, 100, worker)
        _kill(worker)
        assert done_before_kill < 300, "the worker finished before it could be killed"
        _worker_once(url)
        with h.reading(market) as conn:
            expected = set(conn.execute(select(outbox.c.dedupe_key).where(
                outbox.c.kind.startswith("sp-api:"))).scalars())
        arrived = [json.loads(body)["NotificationMetadata"]["NotificationId"]
                   for body in aws.received(queue)]
    assert len(expected) == 300 and set(arrived) == expected
    assert len(arrived) - len(expected) <= 100, "more came twice than one batch"


def _as(seller_id: str) -> Caller:
    return Caller.seller(seller_id)

"""SP-API notifications to SQS (moto's server, a real SQS implementation from PyPI), on SQLite
and PostgreSQL, with a live database (the system clock):

    notify-latency-DB p50=Xms p99=Yms changes=N
        from the commit of a change (a new order, at 100 a second for 10 seconds) to its
        ORDER_CHANGE message received from the queue, with `sellerflow worker` running
        beside (goal: p99 <= 1 s)
    notify-rate-DB ratio=R delivered=X/s placed=Y/s
        notifications delivered per second (one worker pass draining 2,000) against orders
        placed per second on the same database (goal >= 1.0)
"""

from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg

from sellerflow.domain.callers import Caller
from sellerflow.domain.placement import CartLine
from sellerflow.service import accounts, listings, sp_notifications, subscriptions
from sellerflow.service.checkout import Checkout, place_order
from sellerflow.service.context import Marketplace, open_marketplace
from sellerflow.service.database import initialise

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests import aws  # noqa: E402  (moto's server, as the tests start it)

OPERATOR = Caller.operator()
PG_ADMIN = os.environ.get("SELLERFLOW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
ADDRESS = {"Name": "Jane Doe", "AddressLine1": "1 Main St", "City": "Seattle",
           "StateOrRegion": "WA", "PostalCode": "98101", "CountryCode": "US"}
RATE, SECONDS, DRAIN = 100, 10, 2000


def _database(kind: str, folder: Path) -> tuple[str, Any]:
    if kind == "sqlite":
        return f"sqlite:///{folder}/notify-{uuid.uuid4().hex[:8]}.db", None
    name = f"sf_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", name


def _drop(name: str | None) -> None:
    if name:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _shop(url: str, queue_arn: str) -> tuple[Marketplace, str]:
    initialise(url, sandbox=False)
    market = open_marketplace(url)
    seller = accounts.create_seller(market, OPERATOR, "Bench", "professional",
                                    "bench@example.com")
    listings.set_listing(market, OPERATOR, seller.seller_id, "SKU", title="Bench item",
                         price="9.99", quantity=10_000_000)
    accounts.create_buyer(market, OPERATOR, "buyer@example.com")
    me = Caller.seller(seller.seller_id)
    destination = subscriptions.create_destination(market, me, seller.seller_id, "bench",
                                                   {"sqs": {"arn": queue_arn}})
    subscriptions.create_subscription(market, me, seller.seller_id, "ORDER_CHANGE", "1.0",
                                      destination.destination_id)
    return market, seller.seller_id


def _place(market: Marketplace, seller_id: str) -> str:
    return place_order(market, OPERATOR, Checkout("buyer@example.com", [
        CartLine(seller_id, "SKU", 1)], ADDRESS))[0].order_id


def latency(kind: str, folder: Path) -> None:
    url, name = _database(kind, folder)
    queue, arn = aws.new_queue(f"latency-{kind}-{uuid.uuid4().hex[:6]}")
    try:
        market, seller_id = _shop(url, arn)
        log = folder / f"worker-{kind}.log"
        worker = subprocess.Popen([sys.executable, "-m", "sellerflow", "--db", url, "worker"],
                                  stdout=subprocess.DEVNULL, stderr=log.open("w"))
        _started(worker, log)
        committed: dict[str, float] = {}
        received: dict[str, float] = {}
        done = threading.Event()

        def receive() -> None:
            sqs = aws.client("sqs")
            while not done.is_set() or len(received) < len(committed):
                found = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10,
                                            WaitTimeSeconds=1)
                now = time.monotonic()
                messages = found.get("Messages", [])
                for message in messages:
                    order_id = json.loads(message["Body"])["Payload"][
                        "OrderChangeNotification"]["AmazonOrderId"]
                    received.setdefault(order_id, now)
                if messages:
                    sqs.delete_message_batch(QueueUrl=queue, Entries=[
                        {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]}
                        for n, m in enumerate(messages)])
                if done.is_set() and time.monotonic() > stop_waiting:
                    break

        stop_waiting = float("inf")
        reader = threading.Thread(target=receive)
        reader.start()
        start = time.monotonic()
        for n in range(RATE * SECONDS):
            pause = start + n / RATE - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            order_id = _place(market, seller_id)
            committed[order_id] = time.monotonic()
        stop_waiting = time.monotonic() + 30
        done.set()
        reader.join()
        worker.terminate()
        worker.wait(timeout=30)
        delays = sorted((received[o] - t) * 1000 for o, t in committed.items() if o in received)
        missing = len(committed) - len(delays)
        p50 = statistics.median(delays)
        p99 = delays[min(len(delays) - 1, int(len(delays) * 0.99))]
        print(f"notify-latency-{kind} p50={p50:.0f}ms p99={p99:.0f}ms "
              f"changes={len(committed)}" + (f" missing={missing}" if missing else ""),
              flush=True)
        if missing:
            print(log.read_text()[-3000:], file=sys.stderr)
        market.engine.dispose()
    finally:
        _drop(name)


def _started(worker: subprocess.Popen[bytes], log: Path) -> None:
    """Wait for the worker to be delivering: the changes measured are those of a running
    worker, not of one still starting."""
    deadline = time.monotonic() + 60
    while "delivering SP-API notifications" not in log.read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the worker did not start:\n" + log.read_text()[-3000:])
        time.sleep(0.05)


def _drain(queue: str, count: int, readers: int = 3) -> None:
    """Take `count` messages off the queue, as an integration with `readers` consumers does."""
    seen = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + 300

    def read() -> None:
        sqs = aws.client("sqs")
        while seen[0] < count and time.monotonic() < deadline:
            found = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10,
                                        WaitTimeSeconds=1)
            messages = found.get("Messages", [])
            if messages:
                sqs.delete_message_batch(QueueUrl=queue, Entries=[
                    {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]}
                    for n, m in enumerate(messages)])
            with lock:
                seen[0] += len(messages)

    consumers = [threading.Thread(target=read) for _ in range(readers)]
    for consumer in consumers:
        consumer.start()
    for consumer in consumers:
        consumer.join()


def rate(kind: str, folder: Path) -> None:
    url, name = _database(kind, folder)
    queue, arn = aws.new_queue(f"rate-{kind}-{uuid.uuid4().hex[:6]}")
    try:
        market, seller_id = _shop(url, arn)
        start = time.perf_counter()
        for _ in range(DRAIN):
            _place(market, seller_id)
        placed = DRAIN / (time.perf_counter() - start)
        # The integration reads its queue meanwhile, from a process of its own, as a real one
        # does (moto's SQS, like any queue left to fill, takes longer the more it holds).
        read = multiprocessing.get_context("spawn").Process(target=_drain, args=(queue, DRAIN))
        read.start()
        start = time.perf_counter()
        sent = sp_notifications.dispatch(market)
        delivered = sent / (time.perf_counter() - start)
        read.join()
        assert sent == DRAIN, f"{sent} of {DRAIN} delivered"
        print(f"notify-rate-{kind} ratio={delivered / placed:.2f} delivered={delivered:.0f}/s "
              f"placed={placed:.0f}/s", flush=True)
        market.engine.dispose()
    finally:
        _drop(name)


def main() -> None:
    with aws.moto_server() as endpoint, tempfile.TemporaryDirectory() as folder:
        os.environ.update(aws.environment(endpoint))
        for kind in ("sqlite", "postgresql"):
            rate(kind, Path(folder))
            latency(kind, Path(folder))


if __name__ == "__main__":
    main()

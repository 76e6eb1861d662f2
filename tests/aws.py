"""A real SQS and EventBridge for the notification tests: moto's server (from PyPI), started
once per test session on a free port and reached through boto3's standard AWS_ENDPOINT_URL,
as an integration reaches LocalStack or AWS itself."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

REGION = "us-east-1"
ACCOUNT = "123456789012"        # moto's account
ENVIRONMENT = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
               "AWS_DEFAULT_REGION": REGION}


@contextmanager
def moto_server() -> Iterator[str]:
    """moto's server on a free port until the block ends; yields its endpoint URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("moto_server.py")),
                               "-p", str(port), "-H", "127.0.0.1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(endpoint + "/moto-api/")
                break
            except httpx.TransportError:
                if server.poll() is not None:
                    raise RuntimeError("moto_server exited: is moto[server] installed?") from None
                time.sleep(0.05)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=30)


def environment(endpoint: str) -> dict[str, str]:
    return {**ENVIRONMENT, "AWS_ENDPOINT_URL": endpoint}


def client(service: str) -> Any:
    import boto3

    return boto3.client(service, region_name=REGION)


def new_queue(name: str) -> tuple[str, str]:
    """A new queue: (its URL, its ARN)."""
    sqs = client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    return url, arn


def received(url: str) -> list[str]:
    """Every message body in the queue, taken off it."""
    sqs = client("sqs")
    bodies: list[str] = []
    while True:
        found = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        messages = found.get("Messages", [])
        if not messages:
            return bodies
        for message in messages:
            bodies.append(message["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


"""Sending one notification document to a destination: an SQS queue through boto3 (which
honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_SQS, so LocalStack, ElasticMQ or moto can stand
in for AWS), or an HTTP webhook signed with HMAC-SHA256. Any failure is a DeliveryFailed
carrying the destination's own words."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

SIGNATURE_HEADER = "X-Sellerflow-Signature"
ID_HEADER = "X-Sellerflow-Notification-Id"
TIMEOUT = 10
NOT_TRIED = ""
LANES = 4               # requests in flight at once, over all destinations


class DeliveryFailed(Exception):
    """The destination did not take the notification; the message says what it answered."""


def signature(secret: str, body: bytes) -> str:
    """The webhook's signature header value: sha256=<hex HMAC-SHA256 of the body>."""
    import hashlib
    import hmac

    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# One destination's notifications to send in order: (kind, target, secret, notifications as
# send_many takes them).
Lane = tuple[str, dict[str, Any], "str | None", list[tuple[str, str, str, str]]]


class Sender:
    """Connections kept from one send to the next (boto3 clients by service and region, queue
    URLs by ARN) and the threads that send several lanes at once."""

    def __init__(self) -> None:
        self._clients: dict[tuple[str, str], Any] = {}
        self._queues: dict[str, str] = {}
        self._lock = threading.Lock()
        self._pool: Any = None         # a ThreadPoolExecutor, made when first needed

    def connect(self, kind: str, target: dict[str, Any]) -> None:
        """Open what a destination's first notification would wait for (boto3, its client,
        the queue's URL) now; a destination that cannot be reached is left for its first
        delivery to report."""
        try:
            if kind == "sqs":
                self._queue(target["arn"])
            elif kind == "eventBridge":
                self._client("events", target["region"])
        except Exception:       # noqa: BLE001, S110 (reported by the first delivery)
            pass

    def send_lanes(self, lanes: Sequence[Lane]) -> list[list[str | None]]:
        """Each lane's notifications in its order, LANES lanes at a time: a queue's answer
        takes milliseconds of waiting, which other lanes' requests fill. Each lane's outcome
        as send_many gives it."""
        if len(lanes) <= 1:
            return [self.send_many(*lane) for lane in lanes]
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor  # only a worker needs it

            self._pool = ThreadPoolExecutor(LANES, thread_name_prefix="sellerflow-send")
        return list(self._pool.map(lambda lane: self.send_many(*lane), lanes))

    def send(self, kind: str, target: dict[str, Any], secret: str | None,
             notification_type: str, notification_id: str, body: str,
             group: str) -> None:
        try:
            if kind == "sqs":
                self._sqs(target["arn"], notification_id, body, group)
            else:
                self._webhook(target["url"], secret or "", notification_id, body)
        except DeliveryFailed:
            raise
        except Exception as error:     # boto3's and the network's many kinds, alike here
            raise DeliveryFailed(f"{type(error).__name__}: {error}") from error

    def send_many(self, kind: str, target: dict[str, Any], secret: str | None,
                  notifications: list[tuple[str, str, str, str]]) -> list[str | None]:
        """(type, id, body, group) notifications for one destination, in order; each one's
        outcome: None delivered, NOT_TRIED kept for later, else why it failed. An SQS queue
        takes ten to a request; a failed request fails its ten, and nothing after a failure
        is tried (the order holds, but for a request whose ten the queue took in part)."""
        outcome: list[str | None] = []
        step = 10 if kind in ("sqs", "eventBridge") else 1
        for start in range(0, len(notifications), step):
            chunk = notifications[start:start + step]
            if any(outcome):
                outcome += [NOT_TRIED] * len(chunk)     # after a failure: kept for later
                continue
            try:
                if kind == "sqs" and len(chunk) > 1:
                    outcome += self._sqs_batch(target["arn"], chunk)
                    continue
                if kind == "eventBridge":
                    outcome += self._partner_events(target, chunk)
                    continue
                kind_, notification_id, body, group = chunk[0]
                self.send(kind, target, secret, kind_, notification_id, body, group)
                outcome.append(None)
            except DeliveryFailed as error:
                outcome += [str(error)] * len(chunk)
        return outcome

    def _sqs_batch(self, arn: str, chunk: list[tuple[str, str, str, str]]
                   ) -> list[str | None]:
        try:
            client, url = self._queue(arn)
            fifo = arn.endswith(".fifo")
            answer = client.send_message_batch(QueueUrl=url, Entries=[
                {"Id": str(n), "MessageBody": body,
                 **({"MessageGroupId": group, "MessageDeduplicationId": notification_id}
                    if fifo else {})}
                for n, (_, notification_id, body, group) in enumerate(chunk)])
        except Exception as error:     # boto3's and the network's many kinds, alike here
            raise DeliveryFailed(f"{type(error).__name__}: {error}") from error
        failed = {entry["Id"]: f"{entry.get('Code')}: {entry.get('Message')}"
                  for entry in answer.get("Failed", [])}
        return [failed.get(str(n)) for n in range(len(chunk))]

    def _partner_events(self, target: dict[str, Any], chunk: list[tuple[str, str, str, str]]
                        ) -> list[str | None]:
        """Notifications put to the destination's partner event source, as Amazon puts them:
        the notification type as the event's detail-type, the document as its detail."""
        try:
            answer = self._client("events", target["region"]).put_partner_events(Entries=[
                {"Source": target["name"], "DetailType": notification_type, "Detail": body}
                for notification_type, _, body, _ in chunk])
        except Exception as error:     # boto3's and the network's many kinds, alike here
            raise DeliveryFailed(f"{type(error).__name__}: {error}") from error
        entries = answer.get("Entries") or []
        if not answer.get("FailedEntryCount"):
            return [None] * len(chunk)
        if len(entries) != len(chunk):
            return [f"EventBridge refused {answer['FailedEntryCount']} of {len(chunk)}"] * len(
                chunk)
        return [f"{entry['ErrorCode']}: {entry.get('ErrorMessage')}"
                if entry.get("ErrorCode") else None for entry in entries]

    def create_event_source(self, region: str, account_id: str, name: str) -> None:
        """The partner event source Amazon creates in the integration's AWS account for an
        EventBridge destination (one already there is kept)."""
        try:
            self._client("events", region).create_partner_event_source(Name=name,
                                                                       Account=account_id)
        except Exception as error:     # boto3's and the network's many kinds, alike here
            if "AlreadyExists" not in type(error).__name__ + str(error):
                raise DeliveryFailed(f"{type(error).__name__}: {error}") from error

    def delete_event_source(self, region: str, account_id: str, name: str) -> None:
        """The partner event source of a deleted destination, deleted if it can be (else left
        for its account to delete: nothing is put to it any more)."""
        try:
            self._client("events", region).delete_partner_event_source(Name=name,
                                                                       Account=account_id)
        except Exception:       # noqa: BLE001, S110 (nothing depends on it)
            pass

    def _queue(self, arn: str) -> tuple[Any, str]:
        _, _, _, region, account, name = arn.split(":", 5)
        client = self._client("sqs", region)
        if arn not in self._queues:
            url = client.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)
            self._queues[arn] = url["QueueUrl"]
        return client, self._queues[arn]

    def _client(self, service: str, region: str) -> Any:
        key = (service, region)
        with self._lock:        # boto3's default session makes one client at a time
            return self._clients[key] if key in self._clients else self._new_client(*key)

    def _new_client(self, service: str, region: str) -> Any:
        # boto3 costs every command its import time: loaded only to deliver.
        import boto3
        from botocore.config import Config

        client = boto3.client(service, region_name=region, config=Config(
            connect_timeout=TIMEOUT, read_timeout=TIMEOUT, retries={"max_attempts": 2},
            max_pool_connections=LANES))
        self._clients[service, region] = client
        return client

    def _sqs(self, arn: str, notification_id: str, body: str, group: str) -> None:
        client, url = self._queue(arn)
        extra = ({"MessageGroupId": group, "MessageDeduplicationId": notification_id}
                 if arn.endswith(".fifo") else {})
        client.send_message(QueueUrl=url, MessageBody=body, **extra)

    def _webhook(self, url: str, secret: str, notification_id: str, body: str) -> None:
        # urllib's HTTP client, loaded only to deliver to a webhook.
        import urllib.error
        import urllib.request

        data = body.encode()
        request = urllib.request.Request(url, data=data, method="POST", headers={
            "Content-Type": "application/json", SIGNATURE_HEADER: signature(secret, data),
            ID_HEADER: notification_id, "User-Agent": "sellerflow-notifications"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310
                status = answer.status
        except urllib.error.HTTPError as error:
            raise DeliveryFailed(f"HTTP {error.code} {error.reason}") from error
        if not 200 <= status < 300:
            raise DeliveryFailed(f"HTTP {status}")

"""moto's server, as `moto_server` starts it, with changes of speed and none of behaviour.

moto's SQS counts every message it holds, reading the clock through a datetime subtraction
for each, on every message sent (to learn whether the queue dedupes by content it computes
all of the queue's attributes, counts included) and every message received (to learn the
retention period, likewise): a queue of a few thousand messages takes seconds a request,
where AWS's does not slow down as it fills. Here the clock reading comes from time.time()
(the same value, some ten times cheaper), a send skips the counts it throws away, and the
retention check reads the retention period alone, so that what the notification tests and
bench/ measure is sellerflow's delivery rather than moto's bookkeeping. And the list of moto's own
services, which it reads from its package folder (a stat of every entry) on every request,
is read once."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from functools import cache
from typing import Any

import moto.sqs.models as sqs_models
from moto import backends
from moto.server import main

_unix_time = sqs_models.unix_time


def unix_time(dt: object = None) -> float:
    return time.time() if dt is None else _unix_time(dt)  # type: ignore[arg-type]


def unix_time_millis(dt: object = None) -> float:
    return unix_time(dt) * 1000.0


def is_message_valid_based_on_retention_period(self: sqs_models.SQSBackend, queue_name: str,
                                               message: sqs_models.Message) -> bool:
    retention_period = int(self.get_queue(queue_name).message_retention_period)  # type: ignore
    return bool(retention_period + message.sent_timestamp / 1000 > unix_time())


_list_of_moto_modules = backends.list_of_moto_modules


@cache
def list_of_moto_modules() -> tuple[str, ...]:
    return tuple(_list_of_moto_modules())


backends.list_of_moto_modules = list_of_moto_modules  # type: ignore[assignment]

_sending = threading.local()
_send_message = sqs_models.SQSBackend.send_message


def send_message(self: sqs_models.SQSBackend, *args: Any, **kwargs: Any) -> Any:
    _sending.now = True
    try:
        return _send_message(self, *args, **kwargs)
    finally:
        _sending.now = False


def _uncounted_while_sending(count: Callable[[Any], int]) -> property:
    return property(lambda queue: 0 if getattr(_sending, "now", False) else count(queue))


for _count in ("approximate_number_of_messages", "approximate_number_of_messages_delayed",
               "approximate_number_of_messages_not_visible"):
    setattr(sqs_models.Queue, _count,
            _uncounted_while_sending(getattr(sqs_models.Queue, _count).fget))
sqs_models.SQSBackend.send_message = send_message  # type: ignore[method-assign]
sqs_models.unix_time = unix_time
sqs_models.unix_time_millis = unix_time_millis
sqs_models.SQSBackend.is_message_valid_based_on_retention_period = (  # type: ignore[method-assign]
    is_message_valid_based_on_retention_period)

if __name__ == "__main__":
    main(sys.argv[1:])

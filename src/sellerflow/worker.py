"""The worker: fires due deadlines, resumes stored uploads and delivers the outbox (mail, and
SP-API notifications to their destinations).

SP-API notifications have a thread of their own that looks for new ones every
NOTIFY_PAUSE seconds: an integration waits on its queue for an order's change, and should
not wait for the deadline sweep or a report being built in the same pass."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError

from sellerflow.domain.callers import Caller
from sellerflow.notifications.transports import Sender
from sellerflow.service import notifications, report_requests, sp_notifications, uploads
from sellerflow.service.context import Marketplace
from sellerflow.service.deadlines import SWEEP_BATCH, sweep

log = logging.getLogger("sellerflow.worker")
T = TypeVar("T")
NOTIFY_PAUSE = 0.1      # seconds between looks for new SP-API notifications when idle


def run_once(market: Marketplace, sweep_batch: int = SWEEP_BATCH, *,
             sp_api: bool = True) -> dict[str, int]:
    """One pass; without `sp_api`, SP-API notifications are left to the delivery thread."""
    fired = sweep(market, sweep_batch)
    resumed = 0
    for feed_id in uploads.unfinished(market):
        uploads.process(market, Caller.system(), feed_id)
        resumed += 1
    built = report_requests.process_queued(market)
    delivered = notifications.dispatch(market)
    if sp_api:
        delivered += sp_notifications.dispatch(market)
    return {"fired": fired, "feeds": resumed, "reports": built, "delivered": delivered}


def run(market: Marketplace, *, once: bool, interval: float,
        sweep_batch: int = SWEEP_BATCH) -> None:
    """The worker as its own process: stops after the pass under way on SIGTERM or Ctrl-C."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    stop = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %s: stopping after this pass", signum)
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    loop(market, stop, interval, once=once, sweep_batch=sweep_batch)


def loop(market: Marketplace, stop: threading.Event, interval: float, *,
         once: bool = False, sweep_batch: int = SWEEP_BATCH) -> None:
    """Pass after pass until `stop` is set (or once): also what `serve` runs in a thread."""
    log.info("worker started (%s database)", "sandbox" if market.sandbox else "live")
    if once:
        _log(run_once(market, sweep_batch))
        log.info("worker stopped")
        return
    delivery = threading.Thread(target=deliver_notifications, args=(market, stop),
                                name="sellerflow-notifications", daemon=True)
    delivery.start()
    while True:
        done = _guarded(lambda: run_once(market, sweep_batch, sp_api=False), stop, interval)
        if done:
            _log(done)
        if stop.wait(interval):
            break
    delivery.join()
    log.info("worker stopped")


def deliver_notifications(market: Marketplace, stop: threading.Event) -> None:
    """SP-API notifications as they come, until `stop` is set: after a pass that delivered
    something the next starts at once, else after NOTIFY_PAUSE. One sender for the thread's
    life keeps its connections (and each queue's URL) from pass to pass."""
    sender = Sender()
    queues = _guarded(lambda: sp_notifications.connect(market, sender), stop, NOTIFY_PAUSE)
    log.info("delivering SP-API notifications (%s AWS destination(s) connected)",
             queues if queues is not None else "no")
    while not stop.is_set():
        delivered = _guarded(lambda: sp_notifications.dispatch(market, sender=sender), stop,
                             NOTIFY_PAUSE)
        if not delivered and stop.wait(NOTIFY_PAUSE):
            break


def _guarded(work: Callable[[], T], stop: threading.Event, interval: float) -> T | None:
    """`work`, or None after logging why it failed and pausing: the database went away (a
    restart, a network blip: nothing was half-applied, since every step is its own
    transaction), or a fault of the program itself, logged whole, so that the next pass
    tries again rather than leave deadlines unfired for as long as the server runs."""
    pause = max(interval, 5.0)
    try:
        return work()
    except SQLAlchemyError as error:
        log.warning("database error, retrying in %.0fs: %s", pause,
                    str(getattr(error, "orig", error)).strip())
    except Exception:
        log.exception("worker pass failed; retrying in %.0fs", pause)
    stop.wait(pause)
    return None


def _log(done: dict[str, int]) -> None:
    if any(done.values()):
        log.info("fired %(fired)d deadline(s), finished %(feeds)d upload(s), built "
                 "%(reports)d report(s), delivered %(delivered)d notification(s)", done)

"""The worker: fires due deadlines, resumes stored uploads and delivers the outbox (mail, and
SP-API notifications to their destinations)."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

from sqlalchemy.exc import SQLAlchemyError

from sellerflow.domain.callers import Caller
from sellerflow.service import notifications, report_requests, sp_notifications, uploads
from sellerflow.service.context import Marketplace
from sellerflow.service.deadlines import SWEEP_BATCH, sweep

log = logging.getLogger("sellerflow.worker")


def run_once(market: Marketplace, sweep_batch: int = SWEEP_BATCH) -> dict[str, int]:
    fired = sweep(market, sweep_batch)
    resumed = 0
    for feed_id in uploads.unfinished(market):
        uploads.process(market, Caller.system(), feed_id)
        resumed += 1
    built = report_requests.process_queued(market)
    delivered = notifications.dispatch(market) + sp_notifications.dispatch(market)
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
    while True:
        try:
            done = run_once(market, sweep_batch)
        except SQLAlchemyError as error:
            if once:
                raise
            # The database went away (a restart, a network blip): nothing was half-applied,
            # since every step is its own transaction; try again after a pause.
            log.warning("database error, retrying in %.0fs: %s", max(interval, 5.0),
                        str(getattr(error, "orig", error)).strip())
            if stop.wait(max(interval, 5.0)):
                break
            continue
        except Exception:
            if once:
                raise
            # A fault of the program itself: logged whole, and the next pass tries again
            # rather than leave deadlines unfired for as long as the server runs.
            log.exception("worker pass failed; retrying in %.0fs", max(interval, 5.0))
            if stop.wait(max(interval, 5.0)):
                break
            continue
        if any(done.values()):
            log.info("fired %(fired)d deadline(s), finished %(feeds)d upload(s), built "
                     "%(reports)d report(s), delivered %(delivered)d notification(s)", done)
        if once or stop.wait(interval):
            break
    log.info("worker stopped")

"""Commands that run the marketplace: the sandbox clock, the worker, the demo and serve."""

from __future__ import annotations

from typing import Any

import typer

from sellerflow.cli.errors import Interrupted
from sellerflow.cli.output import OPERATOR, emit, options, stderr, stdout, table
from sellerflow.clock import iso, parse_duration
from sellerflow.domain.errors import InvalidInput

# Each command imports its service itself, so a command loads only what it uses.

clock_app = typer.Typer(help="The sandbox's simulated clock.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(clock_app, name="clock")
    app.command("worker")(worker)
    app.command("demo")(demo)
    app.command("serve")(serve)


@clock_app.command("show")
def clock_show(ctx: typer.Context) -> None:
    """What time it is for this database."""
    now = iso(options(ctx).market().now())
    emit(ctx, {"now": now, "fired": 0}, lambda: stdout.print(f"Now: {now}"))


@clock_app.command("advance")
def clock_advance(ctx: typer.Context,
                  duration: str = typer.Argument(..., metavar="DURATION",
                                                 help="e.g. 30m, 36h, 21d, 1d2h.")) -> None:
    """Sandbox: move the clock, firing every deadline at its own due time (L28)."""
    from sellerflow.service import clock as clock_service

    delta = parse_duration(duration)
    reading = clock_service.advance(options(ctx).market(), OPERATOR, delta)
    now, fired = iso(reading.now), reading.fired
    emit(ctx, {"now": now, "fired": fired},
         lambda: stdout.print(f"Now: {now}; {fired} deadline(s) fired."))


def worker(ctx: typer.Context,
           once: bool = typer.Option(False, "--once", help="One pass, then exit."),
           interval: float = typer.Option(1.0, "--interval", help="Seconds between passes."),
           sweep_batch: int = typer.Option(500, "--sweep-batch", min=1, max=10_000,
                                           help="Orders whose due deadlines fire in one "
                                                "transaction: smaller holds each lock for "
                                                "less time, larger sweeps faster.")
           ) -> None:
    """Fire due deadlines, resume unfinished uploads and deliver notifications."""
    from sellerflow import worker as worker_loop

    worker_loop.run(options(ctx).market(), once=once, interval=interval,
                    sweep_batch=sweep_batch)


def demo(ctx: typer.Context,
         days: int = typer.Option(None, "--days", min=1,
                                  help="Simulated days of trading (default 45; 30 with "
                                       "--orders)."),
         seed: int = typer.Option(7, "--seed", help="Random seed, for a repeatable demo."),
         if_empty: bool = typer.Option(False, "--if-empty",
                                       help="Do nothing if the database already has data "
                                            "(a demo, or your own)."),
         orders: int = typer.Option(None, "--orders", metavar="N",
                                    help="Instead of the story: a large data set of N orders "
                                         "over --days (default 30) for many sellers and "
                                         "buyers, placed by checkout's own code."),
         sellers: int = typer.Option(None, "--sellers",
                                     help="With --orders: how many sellers (default one per "
                                          "5,000 orders, at most 200)."),
         buyers: int = typer.Option(None, "--buyers",
                                    help="With --orders: how many buyers (default one per "
                                         "10 orders)."),
         settle: bool = typer.Option(False, "--settle",
                                     help="With --orders: fire the deadlines that fell due "
                                          "while the orders were placed (else the worker "
                                          "does).")
         ) -> None:
    """Seed a new sandbox with a believable marketplace: 3 sellers (one healthy, one at risk,
    one bad on one metric), 50 listings, 150 buyers, ~450 orders through 45 simulated days.
    All or nothing; refused on a database that has data. With --orders N, a large data set
    instead (1,000,000 orders take minutes)."""
    from rich.progress import BarColumn, Progress, TextColumn

    from sellerflow.service import demo as demo_service

    if orders is not None:
        _dataset(ctx, orders, days or 30, sellers, buyers, seed, settle)
        return
    for name, given in (("--sellers", sellers), ("--buyers", buyers), ("--settle", settle)):
        if given:
            raise InvalidInput(name, "goes with --orders N (a generated data set)")

    days = days or 45
    try:
        with Progress(TextColumn("simulating {task.fields[day]}"), BarColumn(),
                      TextColumn("{task.completed}/{task.total} days"), console=stderr,
                      transient=True) as bar:
            task = bar.add_task("days", total=days, day="")
            summary = demo_service.seed(
                options(ctx).market(), OPERATOR, days=days, seed=seed, if_empty=if_empty,
                progress=lambda done, total, at: bar.update(task, completed=done, day=at))
    except KeyboardInterrupt:
        raise Interrupted("interrupted; the demo is all or nothing, so nothing of it was kept "
                          "and the clock is back where it was; run `sellerflow demo` again"
                          ) from None
    if summary is None:
        emit(ctx, {"skipped": True}, lambda: stdout.print(
            "The database already has data (a demo, or your own); the demo was skipped."))
        return
    emit(ctx, summary, lambda: _print_demo(summary))


def _dataset(ctx: typer.Context, orders: int, days: int, sellers: int | None,
             buyers: int | None, seed: int, settle: bool) -> None:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from sellerflow.service import dataset

    placed = 0

    def advanced(done: int, _total: int) -> None:
        nonlocal placed
        placed = done
        bar.update(task, completed=done)

    try:
        with Progress(TextColumn("placing orders"), BarColumn(), MofNCompleteColumn(),
                      TimeRemainingColumn(), console=stderr, transient=True) as bar:
            task = bar.add_task("orders", total=orders)
            summary = dataset.generate(
                options(ctx).market(), OPERATOR, orders, days=days, sellers=sellers,
                buyers=buyers, seed=seed, settle=settle, progress=advanced)
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted after {placed:,} of {orders:,} orders, which stay (a "
                          "thousand commit at a time); the data set is partial, so start "
                          "again on a new sandbox: `sellerflow --db URL init --sandbox`"
                          ) from None

    def human() -> None:
        table("Orders by status", ["status", "orders"],
              [[status, n] for status, n in sorted(summary["ordersByStatus"].items()) if n])
        stdout.print(f"{summary['orders']:,} orders of {summary['sellers']} seller(s) "
                     f"({summary['listings']} listings) and {summary['buyers']:,} buyer(s), "
                     f"placed from {summary['from']}; the sandbox clock now reads "
                     f"{summary['now']}.")
        if summary["due"]:
            stdout.print(f"{summary['due']:,} deadlines fell due meanwhile: `sellerflow worker "
                         "--once` fires them (or `serve`'s worker, as it runs).")

    emit(ctx, summary, human)


def _print_demo(summary: dict[str, Any]) -> None:
    table("Sellers (sign in with these; the passwords are shown only now)",
          ["seller id", "plan", "email", "password"],
          [[s["sellerId"], s["plan"], s["email"], s["password"]] for s in summary["sellers"]])
    # Lines, not a table: a table would cut a long secret short on a narrow terminal.
    lines = ["SP-API credentials of the Professional sellers, for an SP-API client (shown only "
             "now; `sellerflow seller rotate-credentials SELLER` makes new ones):"]
    for s in summary["sellers"]:
        if s["plan"] == "professional":
            lines += [f"  {s['sellerId']}", f"    lwa_app_id         {s['clientId']}",
                      f"    lwa_client_secret  {s['clientSecret']}",
                      f"    refresh_token      {s['refreshToken']}"]
    stdout.print("\n".join(lines) + "\n", markup=False, highlight=False, soft_wrap=True)
    table("Orders by status", ["status", "orders"],
          [[status, count] for status, count in sorted(summary["ordersByStatus"].items())])
    stdout.print(f"{summary['listings']} listings, {summary['buyers']} buyers; the sandbox "
                 f"clock now reads {summary['now']}.")


def serve(ctx: typer.Context,
          host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
          port: int = typer.Option(8000, "--port", min=1, max=65535,
                                   help="Port to listen on."),
          workers: int = typer.Option(1, "--workers", min=1, max=64,
                                      help="Server processes (each with its own connection "
                                           "pool); several need PostgreSQL to pay off."),
          no_worker: bool = typer.Option(False, "--no-worker",
                                         help="Do not run the worker (deadlines, uploads, "
                                              "reports, notifications) in the server; run "
                                              "`sellerflow worker` apart."),
          throttle: bool | None = typer.Option(None, "--throttle/--no-throttle",
                                               help="Enforce Amazon's per-operation rate "
                                                    "limits (429). Default: on for a live "
                                                    "database, off for a sandbox.")) -> None:
    """The HTTP API (OpenAPI at /docs) with the worker beside it, until Ctrl-C. The worker
    runs as a process of its own, so its sweeps never hold up a request."""
    import logging
    import os
    import signal

    import uvicorn

    from sellerflow.api import app as api

    market = options(ctx).market()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # Uvicorn shuts down gracefully on SIGTERM or Ctrl-C, then raises the signal again for the
    # handler found before it: a stop asked for is a normal end (exit 0), not a kill.
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop_signal, lambda _signum, _frame: None)
    where = f"http://{host}:{port}"
    stderr.print(f"sellerflow serve: {'sandbox' if market.sandbox else 'live'} database; "
                 f"the seller console is at {where}/, the storefront at {where}/shop, the "
                 f"API at {where} (its reference at {where}/docs); Ctrl-C stops.",
                 soft_wrap=True)
    beside = None if no_worker else WorkerProcess(options(ctx).db)
    try:
        if workers == 1:
            app = api.create_app(market, throttle=throttle)
            uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
            return
        market.close()
        os.environ[api.ENV_DB] = options(ctx).db
        if throttle is not None:
            os.environ[api.ENV_THROTTLE] = "on" if throttle else "off"
        uvicorn.run("sellerflow.api.app:app_from_environment", factory=True, host=host,
                    port=port, workers=workers, log_level="info", access_log=False)
    finally:
        if beside is not None:
            beside.stop()


class WorkerProcess:
    """`sellerflow worker` as a process beside the server, started again should it end while
    the server runs; stopped (after the pass under way) with the server."""

    RESTART_AFTER = 5.0

    def __init__(self, db: str) -> None:
        import subprocess
        import sys
        import threading

        self._command = [sys.executable, "-m", "sellerflow", "--db", db, "worker"]
        self._popen = subprocess.Popen
        self._stopping = threading.Event()
        self._process = self._popen(self._command)
        self._watch = threading.Thread(target=self._keep_running, daemon=True,
                                       name="sellerflow-worker-watch")
        self._watch.start()

    def _keep_running(self) -> None:
        import logging

        while not self._stopping.is_set():
            code = self._process.wait()
            if self._stopping.is_set():
                return
            logging.getLogger("sellerflow.worker").warning(
                "the worker process ended (exit %s); starting it again in %.0fs", code,
                self.RESTART_AFTER)
            if self._stopping.wait(self.RESTART_AFTER):
                return
            self._process = self._popen(self._command)

    def stop(self) -> None:
        import subprocess

        self._stopping.set()
        self._process.terminate()
        try:
            self._process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

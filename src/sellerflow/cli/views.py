"""Read-only commands: the flat-file reports, the ledger, the metrics and the mailbox."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from sellerflow.cli.output import (
    OPERATOR,
    emit,
    money,
    options,
    seller_arg,
    seller_times,
    stderr,
    stdout,
    table,
)
from sellerflow.domain.errors import InvalidInput

# Each command imports its service itself, so a command loads only what it uses.


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("ledger")(ledger)
    app.command("metrics")(seller_metrics)
    app.command("mailbox")(mailbox)


def report(ctx: typer.Context,
           kind: str = typer.Argument(..., metavar="orders|unshipped|all",
                                      help="orders: Order Report; unshipped: Unshipped Orders "
                                           "Report; all: All Orders Report."),
           seller: str = seller_arg(),
           start: str = typer.Option(None, "--from", help="YYYY-MM-DD; default 30 days ago."),
           end: str = typer.Option(None, "--to", help="YYYY-MM-DD (inclusive); default now."),
           out: Path = typer.Option(None, "--out", help="Write the TSV here.")) -> None:
    """Amazon's flat-file order reports, tab-separated with Amazon's headers."""
    from rich.progress import BarColumn, Progress, TextColumn

    from sellerflow.cli import parsing
    from sellerflow.service import reports

    opts = options(ctx)
    if opts.json and out is None:
        raise InvalidInput("--out", "--json prints a summary, so it needs --out FILE for the "
                                    "report itself")
    if out is not None:
        parsing.output_file(out, "--out")
    if out is None:
        reports.write(opts.market(), OPERATOR, kind, seller, sys.stdout.write, start, end)
        return
    # Written beside the target and moved into place when whole: an error or Ctrl-C part-way
    # leaves any earlier file as it was.
    partial = out.with_name(f".{out.name}.partial")
    try:
        with Progress(TextColumn("writing report"), BarColumn(),
                      TextColumn("{task.completed:,} rows"), console=stderr,
                      transient=True) as bar, \
                partial.open("w", encoding="utf-8", newline="") as handle:
            task = bar.add_task("rows", total=None)
            rows = reports.write(opts.market(), OPERATOR, kind, seller, handle.write, start, end,
                                 progress=lambda done: bar.update(task, completed=done))
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    document = {"rows": rows, "path": str(out)}
    emit(ctx, document, lambda: stdout.print(f"{rows:,} rows written to {out}"))


def ledger(ctx: typer.Context, seller: str = seller_arg()) -> None:
    """What the seller is owed (L25, L26)."""
    from sellerflow.service import fulfillment
    from sellerflow.wire import ledger_to_wire

    found = ledger_to_wire(fulfillment.seller_ledger(options(ctx).market(), OPERATOR, seller))

    def human() -> None:
        local = seller_times(ctx, seller)
        table(f"Ledger of {seller}", ["at", "order", "kind", "amount"],
              [[local(e["at"]), e["orderId"], e["kind"], money(e["amount"])]
               for e in found["entries"]])
        stdout.print(f"Balance: {money(found['balance'])}")

    emit(ctx, found, human)


def seller_metrics(ctx: typer.Context, seller: str = seller_arg()
                   ) -> None:
    """Cancel rate, late shipment rate, valid tracking rate, order defect rate (L27)."""
    from sellerflow.service import metrics
    from sellerflow.wire import metrics_to_wire

    found = metrics_to_wire(metrics.seller_metrics(options(ctx).market(), OPERATOR, seller))
    emit(ctx, found, lambda: table(
        f"Metrics of {seller}", ["metric", "value", "target", "status", "of", "days"],
        [[name, "—" if m["value"] is None else f"{m['value']:.2%}", f"{m['target']:.1%}",
          m["status"] or "no orders", f"{m['numerator']}/{m['denominator']}", m["windowDays"]]
         for name, m in found.items()]))


def mailbox(ctx: typer.Context,
            to: str = typer.Option(None, "--to", help="Only messages to this address."),
            failed: bool = typer.Option(False, "--failed",
                                        help="Messages set aside after their last delivery "
                                             "attempt, with the last error."),
            show: int = typer.Option(None, "--show", metavar="N", min=1,
                                     help="Print message N of the list (the # column) "
                                          "whole, with its body."),
            bodies: bool = typer.Option(False, "--bodies",
                                        help="Print every message whole, with its body.")
            ) -> None:
    """Notifications delivered to the local mailbox (delivers what is due first), numbered;
    --show N or --bodies prints them whole."""
    from sellerflow.service import notifications
    from sellerflow.wire import mail_to_wire

    market = options(ctx).market()
    mails = (notifications.failed(market, OPERATOR, to) if failed
             else notifications.mailbox(market, OPERATOR, to))
    found = [mail_to_wire(m) for m in mails]
    if failed:
        emit(ctx, {"messages": found}, lambda: table(
            "Set aside after their last attempt", ["to", "kind", "subject", "attempts", "error"],
            [[m["to"], m["kind"], m["subject"], m["attempts"], m["lastError"]] for m in found]))
        return
    if show is not None:
        if show > len(found):
            raise InvalidInput("--show", f"there are {len(found)} messages; give a number "
                                         f"from the # column, 1-{max(len(found), 1)}")
        emit(ctx, found[show - 1], lambda: _print_mail(show, found[show - 1]))
        return
    if bodies:
        emit(ctx, {"messages": found},
             lambda: [_print_mail(n, m) for n, m in enumerate(found, start=1)])
        return
    emit(ctx, {"messages": found}, lambda: table(
        "Mailbox", ["#", "sent", "to", "kind", "subject"],
        [[n, m["sentAt"], m["to"], m["kind"], m["subject"]] for n, m in enumerate(found, 1)],
        optional=("sent", "kind")))


def _print_mail(number: int, mail: dict[str, Any]) -> None:
    stdout.print(f"#{number}  {mail['sentAt']}  to {mail['to']}  ({mail['kind']})",
                 style="bold", soft_wrap=False)
    stdout.print(f"Subject: {mail['subject']}\n", soft_wrap=False)
    stdout.print(mail["body"].rstrip() + "\n", soft_wrap=False)

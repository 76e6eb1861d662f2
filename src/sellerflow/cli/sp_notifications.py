"""`sellerflow notifications`: the SP-API notifications sent to destinations (SQS queues,
webhooks), the ones set aside after their last attempt with the destination's own error, and
sending them again."""

from __future__ import annotations

import typer

from sellerflow.cli.output import OPERATOR, emit, options, stdout, table

notifications_app = typer.Typer(help=__doc__, no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(notifications_app, name="notifications")


@notifications_app.command("list")
def list_notifications(
        ctx: typer.Context,
        failed: bool = typer.Option(False, "--failed",
                                    help="Only those set aside after their last attempt."),
        limit: int = typer.Option(100, "--limit", min=1, max=10_000,
                                  help="At most this many, newest first.")) -> None:
    """Notifications newest first: sent, waiting to be tried again, or set aside, with the
    destination's last error."""
    from sellerflow.service import sp_notifications

    rows = sp_notifications.listed(options(ctx).market(), OPERATOR, failed_only=failed,
                                   limit=limit)
    found = [{"id": r.outbox_id, "notificationId": r.notification_id,
              "notificationType": r.notification_type, "about": r.about,
              "sellerId": r.seller_id, "destinationId": r.destination_id,
              "createdAt": r.created_at, "sentAt": r.sent_at, "attempts": r.attempts,
              "state": "sent" if r.sent_at else "set aside" if r.set_aside else "waiting",
              "lastError": r.last_error} for r in rows]
    emit(ctx, {"notifications": found}, lambda: table(
        "Notifications", ["id", "type", "about", "seller", "state", "attempts", "error"],
        [[n["id"], n["notificationType"], n["about"], n["sellerId"], n["state"],
          n["attempts"], n["lastError"]] for n in found], optional=("error", "seller")))


@notifications_app.command("resend")
def resend(ctx: typer.Context,
           ids: list[int] = typer.Argument(..., metavar="ID...",
                                           help="The id column of `notifications list`.")
           ) -> None:
    """Send notifications set aside (or waiting) again, at the worker's next pass."""
    from sellerflow.service import sp_notifications

    moved = sp_notifications.resend(options(ctx).market(), OPERATOR, ids)
    emit(ctx, {"resent": moved}, lambda: stdout.print(
        f"{moved} notification(s) will be sent again at the worker's next pass."))

"""Order commands: checkout, the buyer's and seller's actions, shipments and refunds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from sellerflow.cli.errors import Interrupted, was_interrupted
from sellerflow.cli.output import (
    OPERATOR,
    LocalTimes,
    emit,
    money,
    options,
    order_arg,
    pairs,
    seller_arg,
    seller_times,
    stderr,
    stdout,
    table,
)
from sellerflow.domain.errors import InvalidInput
from sellerflow.service import orders as order_service
from sellerflow.wire import (
    detail_to_wire,
    feed_to_wire,
    feedback_to_wire,
    message_to_wire,
    order_to_wire,
    row_to_wire,
)

if TYPE_CHECKING:
    from sellerflow.domain.model import Order
    from sellerflow.service.views import FeedView

# Commands import the services they use themselves: a command starts faster when it loads
# only its own (cli-startup in `make bench`).

order_app = typer.Typer(help="One order: place, show, cancel, verify, message, redirect.",
                        no_args_is_help=True)
shipments_app = typer.Typer(help="Shipment-confirmation files (Professional sellers, L21).",
                            no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(order_app, name="order")
    app.command("orders")(list_orders)
    app.command("ship")(ship)
    app.add_typer(shipments_app, name="shipments")
    app.command("refund")(refund)
    app.command("feedback")(feedback)


def _show_order(ctx: typer.Context, order: Order, note: str | None = None) -> None:
    wire = order_to_wire(order)

    def human() -> None:
        local = seller_times(ctx, order.seller_id)
        pairs(f"Order {order.amazon_order_id}", {
            "status": wire["OrderStatus"], "purchased": local(wire["PurchaseDate"]),
            "ship by": local(wire.get("LatestShipDate")), "total": money(wire.get("OrderTotal")),
            "units shipped": wire["NumberOfItemsShipped"],
            "units to ship": wire["NumberOfItemsUnshipped"]})
        if note:
            stdout.print(note)

    emit(ctx, wire, human)


@order_app.command("place")
def place(ctx: typer.Context,
          buyer: str = typer.Option(..., "--buyer", help="Buyer's email."),
          item: list[str] = typer.Option(..., "--item", help="SELLER:SKU:QTY, repeatable."),
          ship_to: str = typer.Option(..., "--ship-to", help="SP-API Address object as JSON."),
          service: str = typer.Option("Standard", "--service",
                                      help="Standard, Expedited, SecondDay or NextDay."),
          payment: str = typer.Option("ok", "--payment",
                                      help="Sandbox verifier: ok, deferred, declined, fraud."),
          idempotency_key: str = typer.Option(None, "--idempotency-key",
                                              help="Replays answer the first result."),
          prime: bool = typer.Option(False, "--prime",
                                     help="The buyer checks out with Prime (IsPrime).")
          ) -> None:
    """Check out a cart: one Pending order per seller, stock taken at once (L1, L2)."""
    from sellerflow.cli import parsing
    from sellerflow.service.checkout import Checkout, place_order
    from sellerflow.wire import placed_to_wire

    checkout = Checkout(buyer, [parsing.cart_line(i) for i in item],
                        parsing.json_object(ship_to, "--ship-to"), service, payment,
                        idempotency_key, prime)
    placed = place_order(options(ctx).market(), OPERATOR, checkout)
    emit(ctx, placed_to_wire(placed), lambda: table(
        "Orders placed", ["order", "seller", "status"],
        [[p.order_id, p.seller_id, p.status] for p in placed]))


@order_app.command("show")
def show(ctx: typer.Context, order: str = order_arg()) -> None:
    """The order, its items, shipments, refunds, messages and history."""
    view = detail_to_wire(order_service.show(options(ctx).market(), OPERATOR, order))
    emit(ctx, view, lambda: _print_view(view, seller_times(ctx, view["sellerId"])))


def address_line(address: dict[str, str] | None) -> str:
    """An address as it is written on a label: name, street, city, state and postal code."""
    if not address:
        return "(not shown: the order was never released, L18)"
    region = " ".join(filter(None, [address.get("StateOrRegion"), address.get("PostalCode")]))
    parts = [address.get(k) for k in ("Name", "AddressLine1", "AddressLine2", "AddressLine3",
                                      "City")] + [region, address.get("CountryCode")]
    return ", ".join(p for p in parts if p)


def _print_view(view: dict[str, Any], local: LocalTimes) -> None:
    o = view["order"]
    pairs(f"Order {o['AmazonOrderId']}", {
        "status": o["OrderStatus"] + (" (Prime)" if o["IsPrime"] else ""),
        "seller": view["sellerId"],
        "purchased": local(o["PurchaseDate"]), "service": o["ShipServiceLevel"],
        **({"ship between": f"{local(o['EarliestShipDate'])} and {local(o['LatestShipDate'])}",
            "deliver between": f"{local(o['EarliestDeliveryDate'])} and "
                               f"{local(o['LatestDeliveryDate'])}"}
           if o.get("LatestShipDate") else {"dates": view["datesNote"]}),
        "shipping": f"{sum(Decimal(i['ShippingPrice']['Amount']) for i in view['items']):.2f} "
                    f"{o.get('OrderTotal', {}).get('CurrencyCode', 'USD')}",
        "total": money(o.get("OrderTotal")),
        "ship to": address_line(o.get("ShippingAddress"))})
    if view["warning"]:
        stdout.print(view["warning"], style="bold yellow")
    table("Items", ["item id", "sku", "title", "ordered", "shipped", "cancel requested"],
          [[i["OrderItemId"], i["SellerSKU"], i["Title"], i["QuantityOrdered"],
            i["QuantityShipped"], i["BuyerRequestedCancel"]["IsBuyerRequestedCancel"]]
           for i in view["items"]], optional=("cancel requested", "shipped"))
    if view["shipments"]:
        table("Shipments", ["confirmed", "carrier", "tracking", "valid", "items"],
              [[local(s["confirmedAt"]), s["carrierName"] or s["carrierCode"], s["trackingNumber"],
                s["trackingValid"], ", ".join(f"{i['quantity']} x {i['orderItemId']}"
                                              for i in s["items"])]
               for s in view["shipments"]],
              optional=("valid", "confirmed"))
    if view["refunds"]:
        table("Refunds", ["at", "amount", "reason"],
              [[local(r["at"]), money(r["amount"]), r["reason"]] for r in view["refunds"]])
    table("History", ["at", "from", "to", "cause", "reason"],
          [[local(h["at"]), h["from"], h["to"], h["cause"], h["reason"]]
           for h in view["history"]])


def list_orders(ctx: typer.Context, seller: str = seller_arg(),
                status: str = typer.Option(None, "--status", help="Only this OrderStatus."),
                limit: int = typer.Option(100, "--limit", help="Orders on a page, 1-1000."),
                next_token: str = typer.Option(None, "--next-token",
                                               help="The next page: the token the previous "
                                                    "page ended with.")
                ) -> None:
    """A seller's orders, newest first (Manage Orders), with ship-by warnings (L24), a page
    at a time: the page's last line (in --json, NextToken) gives the token of the next."""
    page = order_service.manage_orders(options(ctx).market(), OPERATOR, seller, status, limit,
                                       next_token)
    found = [row_to_wire(row) for row in page.rows]

    def human() -> None:
        local = seller_times(ctx, seller)
        warned = [o for o in found if o["ShipByWarning"]]
        table(f"Orders of {seller}", ["order", "status", "purchased", "ship by", "to ship",
                                      "total", "warning"],
              [[o["AmazonOrderId"], o["OrderStatus"], local(o["PurchaseDate"]),
                local(o.get("LatestShipDate")),
                o["NumberOfItemsUnshipped"], money(o.get("OrderTotal")),
                "yes" if o["ShipByWarning"] else ""] for o in found],
              optional=("purchased", "total", "to ship"))
        # The warnings whole, below the table, where a narrow terminal cannot cut them (L24).
        for o in warned:
            stdout.print(f"{o['AmazonOrderId']}: {o['ShipByWarning']}", style="bold yellow",
                         soft_wrap=False)
        if page.next_token:
            stdout.print(f"More orders: --next-token {page.next_token}", soft_wrap=True)

    document: dict[str, Any] = {"orders": found}
    if page.next_token:
        document["NextToken"] = page.next_token
    emit(ctx, document, human)


@order_app.command("cancel")
def cancel(ctx: typer.Context, order: str = order_arg(),
           by: str = typer.Option(..., "--by", help="buyer or seller."),
           reason: str = typer.Option(None, "--reason",
                                      help="Amazon's reason code (seller), free text (buyer)."),
           items: list[str] = typer.Option(
               [], "--item", help="Seller: cancel only this order item's unshipped units "
                                  "(repeatable); the whole unshipped rest without.")
           ) -> None:
    """Cancel (L6, L22). A buyer's cancel of a released order is only a request."""
    market = options(ctx).market()
    if items and by != "seller":
        raise InvalidInput("--item", "only a seller cancels single items; a buyer cancels "
                                     "the order")
    if by == "buyer":
        result = order_service.buyer_cancel(market, OPERATOR, order, reason)
    elif by == "seller":
        result = order_service.seller_cancel(market, OPERATOR, order, reason or "", items)
    else:
        raise InvalidInput("--by", f"{by!r} is not buyer or seller")
    note = ("The order is released, so this is a cancellation request: the seller decides "
            "(L6)." if result.requested_only else None)
    _show_order(ctx, result.order, note)


@order_app.command("verify")
def verify(ctx: typer.Context, order: str = order_arg(),
           outcome: str = typer.Option(..., "--outcome", help="approved, declined or fraud.")
           ) -> None:
    """Sandbox: the payment verifier's answer (L9-L11)."""
    _show_order(ctx, order_service.verify(options(ctx).market(), OPERATOR, order, outcome))


@order_app.command("message")
def message(ctx: typer.Context, order: str = order_arg(),
            address_change: str = typer.Option(..., "--address-change",
                                               help="The new SP-API Address, as JSON.")) -> None:
    """The buyer asks to ship to another address (L19)."""
    from sellerflow.cli import parsing

    sent = order_service.request_address_change(
        options(ctx).market(), OPERATOR, order,
        parsing.json_object(address_change, "--address-change"))
    emit(ctx, message_to_wire(sent), lambda: stdout.print(
        f"Address change requested for order {order}; the seller may now redirect it."))


@order_app.command("redirect")
def redirect(ctx: typer.Context, order: str = order_arg()) -> None:
    """The seller accepts the buyer's requested address (L19)."""
    _show_order(ctx, order_service.accept_redirect(options(ctx).market(), OPERATOR, order))


def ship(ctx: typer.Context, order: str = order_arg(),
         carrier: str = typer.Option(..., "--carrier", help="USPS, UPS, FedEx, DHL, ... Other."),
         tracking: str = typer.Option(..., "--tracking", help="Tracking number."),
         carrier_name: str = typer.Option(None, "--carrier-name",
                                          help="Needed with --carrier Other."),
         method: str = typer.Option(None, "--method", help="Default: the order's level."),
         ship_date: str = typer.Option(None, "--ship-date", help="YYYY-MM-DD; default now."),
         item: list[str] = typer.Option(None, "--item",
                                        help="ORDER_ITEM_ID:QTY, repeatable; default all.")
         ) -> None:
    """Confirm a shipment, whole or in part (L20)."""
    from sellerflow.cli import parsing
    from sellerflow.domain.fulfillment import ShipmentRequest
    from sellerflow.service import fulfillment

    request = ShipmentRequest(carrier=carrier, tracking_number=tracking,
                              carrier_name=carrier_name, ship_method=method,
                              ship_date=parsing.ship_date(ship_date),
                              lines=tuple(parsing.shipment_line(i) for i in item) if item
                              else None)
    confirmed = fulfillment.ship(options(ctx).market(), OPERATOR, order, request)
    for warning in confirmed.warnings:
        stderr.print(f"warning: {warning}", style="yellow")
    _show_order(ctx, confirmed.order)


@shipments_app.command("upload")
def upload(ctx: typer.Context, seller: str = seller_arg(),
           file: Path = typer.Argument(..., metavar="FILE", help="Amazon's tab-separated "
                                       "shipment-confirmation file (or, with --cancellations, "
                                       "order-cancellation file)."),
           report: Path = typer.Option(None, "--report", help="Write the processing report to "
                                       "this file (the folder must exist)."),
           cancellations: bool = typer.Option(False, "--cancellations", help="FILE is Amazon's "
                                              "order-cancellation file (order-id, "
                                              "amazon-order-item-code, "
                                              "cancellation-reason-code): each row cancels an "
                                              "order's unshipped rest (L22).")
           ) -> None:
    """Store a shipment-confirmation file (or an order-cancellation file), then apply its rows
    in batches (L21). A file that cannot be read at all is stored with a FATAL processing
    report and exits 2."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from sellerflow.cli import parsing
    from sellerflow.flatfile import CANCELLATIONS, SHIPMENTS
    from sellerflow.service import uploads

    if not file.is_file():
        raise InvalidInput("FILE", f"{file} is not a readable file")
    if report is not None:
        parsing.output_file(report, "--report")
    market = options(ctx).market()
    layout = CANCELLATIONS if cancellations else SHIPMENTS
    feed_id = uploads.upload(market, OPERATOR, seller, file.read_bytes(), layout.feed_type)
    applied = [0, 0]     # rows done, rows in all: for the message if interrupted

    def progress(done: int, total: int) -> None:
        applied[:] = [done, total]
        bar.update(task, completed=done, total=total)

    try:
        with Progress(TextColumn("applying rows"), BarColumn(), MofNCompleteColumn(),
                      TimeRemainingColumn(), console=stderr, transient=True) as bar:
            task = bar.add_task("rows", total=None)
            result = uploads.process(market, OPERATOR, feed_id, progress)
    except BaseException as error:
        if not was_interrupted(error):
            raise
        raise Interrupted(
            f"interrupted after {applied[0]} of {applied[1]} rows of upload {feed_id}; those "
            "rows are applied, none half-applied; `sellerflow worker --once` applies the rest",
            {"feedId": feed_id, "processed": applied[0], "records": applied[1]}) from None
    if result.fatal is not None:
        # The report first, then the error (exit 2) as the one document.
        if report is not None:
            report.write_text(result.report, encoding="utf-8")
        details = {"feedId": feed_id, **({"report": str(report)} if report else {})}
        raise InvalidInput("FILE", f"{result.fatal}; nothing was applied (feed {feed_id}, "
                                   "FATAL)", details)
    _show_feed(ctx, result, report)


@shipments_app.command("list")
def list_feeds(ctx: typer.Context, seller: str = seller_arg()) -> None:
    """A seller's uploads, newest first, with their status and counts."""
    from sellerflow.flatfile import CANCELLATIONS, SHIPMENTS
    from sellerflow.service import uploads

    kinds = {SHIPMENTS.feed_type: "shipments", CANCELLATIONS.feed_type: "cancellations"}
    found = [feed_to_wire(f) for f in
             uploads.seller_feeds(options(ctx).market(), OPERATOR, seller)]
    local = seller_times(ctx, seller)
    emit(ctx, {"feeds": found}, lambda: table(
        f"Uploads of {seller}", ["feed", "kind", "status", "created", "records", "successful",
                                 "rejected"],
        [[f["feedId"], kinds.get(f["feedType"], f["feedType"]), f["status"],
          local(f["createdAt"]), f["records"], f["successful"], f["rejected"]] for f in found],
        optional=("created", "records", "kind")))


@shipments_app.command("show")
def show_feed(ctx: typer.Context, feed: str = typer.Argument(..., metavar="FEED",
                                                            help="The feed id an upload gave."),
              report: Path = typer.Option(None, "--report", help="Write the processing report "
                                          "to this file (the folder must exist).")) -> None:
    """One upload: its status, counts and processing report (also after a crash, once the
    worker has finished it)."""
    from sellerflow.cli import parsing
    from sellerflow.service import uploads

    if report is not None:
        parsing.output_file(report, "--report")
    _show_feed(ctx, uploads.result(options(ctx).market(), OPERATOR, feed), report)


def _show_feed(ctx: typer.Context, result: FeedView, report: Path | None) -> None:
    """The processing report on stdout, or written to `report` with a one-line summary."""
    if report is not None:
        report.write_text(result.report, encoding="utf-8")
    document = feed_to_wire(result)
    if report is not None:
        document["report"] = str(report)

    def human() -> None:
        if report is None:
            stdout.print(result.report)
        else:
            stdout.print(f"{result.feed_id} {result.status}: {result.processed} rows processed, "
                         f"{result.successful} successful, {result.rejected} rejected; report "
                         f"written to {report}")

    emit(ctx, document, human)


def refund(ctx: typer.Context, order: str = order_arg(),
           full: bool = typer.Option(False, "--full", help="Refund all that can be refunded."),
           amount: str = typer.Option(None, "--amount", help="e.g. 12.50"),
           reason: str = typer.Option(..., "--reason", help="e.g. CustomerReturn.")) -> None:
    """Refund a shipped order fully or in part (L26)."""
    from sellerflow.service import fulfillment
    from sellerflow.wire import refund_to_wire

    if full == (amount is not None):
        raise InvalidInput("--full/--amount", "give exactly one of --full or --amount X")
    done = refund_to_wire(fulfillment.refund_order(options(ctx).market(), OPERATOR, order,
                                                   None if full else amount, reason))
    emit(ctx, done, lambda: pairs(f"Refund on order {order}", done))


def feedback(ctx: typer.Context, order: str = order_arg(),
             rating: int = typer.Option(..., "--rating", help="1 to 5 stars."),
             comment: str = typer.Option(None, "--comment",
                                          help="What the buyer says, up to 2,000 characters.")
             ) -> None:
    """The buyer's feedback on an order (1-2 stars count as defects, L27)."""
    left = feedback_to_wire(order_service.leave_feedback(options(ctx).market(), OPERATOR, order,
                                                         rating, comment))
    emit(ctx, left, lambda: pairs(f"Feedback on order {order}", left))

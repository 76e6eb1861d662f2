"""The seller console's pages: sign-in, Manage Orders, order details and its actions, shipment
uploads, inventory, reports, Account Health and the sandbox bar. Each page parses its input,
calls a service as the signed-in seller and renders the read model it returns."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from sellerflow.api import errors as api_errors
from sellerflow.api.calls import call
from sellerflow.clock import parse_duration
from sellerflow.domain import validation
from sellerflow.domain.callers import Caller
from sellerflow.domain.carriers import CARRIER_CODES, TRACKING_FORMATS
from sellerflow.domain.errors import InvalidInput, NotFound, SellerflowError, Unauthenticated
from sellerflow.domain.fulfillment import ShipmentRequest
from sellerflow.domain.lifecycle import Action
from sellerflow.domain.model import (
    MARKETPLACE_ID,
    SHIP_SERVICE_LEVELS,
    Plan,
    Seller,
)
from sellerflow.domain.reasons import CANCELLATION_REASONS
from sellerflow.domain.text import Phrase
from sellerflow.service import (
    accounts,
    auth,
    buy_shipping,
    console_access,
    fulfillment,
    lessons,
    listings,
    manage_orders,
    metrics,
    notifications,
    report_requests,
    shipping,
    uploads,
)
from sellerflow.service import clock as clock_service
from sellerflow.service import orders as order_service
from sellerflow.web import charts, refusals
from sellerflow.web.i18n import LOCALES, zone_of
from sellerflow.web.pages import (
    LANGUAGE_COOKIE,
    PLACE_KEY,
    SignInNeeded,
    checked_form,
    flash,
    form_text,
    language,
    local_path,
    market_of,
    pages_of,
    run_service,
    see_other,
    server_market,
)
from sellerflow.web.pages_text import N_

router = APIRouter(include_in_schema=False)
REPORTS = {"GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING": "unshipped",
           "GET_FLAT_FILE_ORDER_REPORT_DATA_SHIPPING": "orders",
           "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL": "all"}
ADVANCES = ("30m", "1d", "7d")
INLINE_UPLOAD_BYTES = 256 * 1024
PROBLEMS_PER_PAGE = 100      # a processing report's rows with errors, on one page
MAX_PAGE_NUMBER = 1_000_000
SIGN_IN_LOG = logging.getLogger("sellerflow.auth")
UPLOAD_COLUMNS = ("order-id", "order-item-id", "quantity", "ship-date", "carrier-code",
                  "carrier-name", "tracking-number", "ship-method")
# Seller Central's template form: a line naming the template, a row of labels in the reader's
# language, then the columns' keys (the header the upload reads: docs/shipment-upload.md).
UPLOAD_LABELS = (N_("Order ID"), N_("Order item ID"), N_("Quantity"), N_("Ship date"),
                 N_("Carrier code"), N_("Carrier name"), N_("Tracking number"),
                 N_("Ship method"))
UPLOAD_NOTE = N_("One shipment per row below the keys. Required: order-id, ship-date "
                 "(yyyy-mm-dd), carrier-code (carrier-name too for Other), tracking-number.")


SESSION_KEY = "console_session"      # the cookie's part: the id of a session the database keeps
TRAINER_KEY = "class_session"        # a class's trainer's session (web/trainer.py)


def _session_id(request: Request) -> str | None:
    found = request.session.get(SESSION_KEY)
    return found if isinstance(found, str) else None


async def signed_in(request: Request) -> Seller:
    """The seller this session signed in, as it is now; an ended session signs in again."""
    session = _session_id(request)
    if session is None:
        raise SignInNeeded(request.url.path)
    try:
        return await run_service(request, console_access.signed_in, session)
    except Unauthenticated:
        request.session.pop(SESSION_KEY, None)
        raise SignInNeeded(request.url.path) from None


Signed = Annotated[Seller, Depends(signed_in)]


def _caller(seller: Seller) -> Caller:
    return Caller.seller(seller.seller_id)


def _download(text: str, filename: str) -> Response:
    """A tab-separated file the browser saves rather than shows."""
    return Response(text, media_type="text/tab-separated-values",
                    headers={"content-disposition": f'attachment; filename="{filename}"'})


# Sign-in ------------------------------------------------------------------------------------

@router.get("/")
async def home(request: Request) -> Response:
    return see_other("/orders-v3" if _session_id(request) else "/signin")


@router.get("/signin")
async def sign_in_page(request: Request, next: str | None = None) -> Response:
    sellers = await _sandbox_sellers(request)
    return await pages_of(request).render(request, "seller/signin.html", sellers=sellers,
                                          next=local_path(next, "/orders-v3"))


@router.post("/signin")
async def sign_in(request: Request) -> Response:
    # Hashing a password takes a while: the thread pool, never the event loop.
    form = await checked_form(request)
    email, target = form_text(form, "email"), local_path(form_text(form, "next"), "/orders-v3")
    client = request.client.host if request.client else "-"
    try:
        signed = await run_in_threadpool(
            console_access.sign_in, server_market(request), email,
            str(form.get("password") or ""), client, request.app.state.trainees.fresh)
    except SellerflowError as error:
        SIGN_IN_LOG.warning("console sign-in refused (%s) from %s", error.reason, client)
        sellers = await _sandbox_sellers(request)
        page = await pages_of(request).render(
            request, "seller/signin.html", status=api_errors.OWN_STATUS[error.category],
            error=error, email=email, sellers=sellers, next=target)
        page.headers.update(api_errors.retry_headers(error))
        return page
    if signed.seller is None:         # a class's trainer: the class's page
        _start_trainer_session(request, signed.session)
        return see_other("/class")
    _start_session(request, signed.session, signed.place)
    await _reads_in(request, Caller.seller(signed.seller.seller_id))
    return see_other(target)


@router.post("/signin/sandbox")
async def sandbox_sign_in(request: Request) -> Response:
    form = await checked_form(request)
    market = server_market(request)
    signed, session = await call(market, console_access.sandbox_sign_in, market,
                                 form_text(form, "seller_id"))
    _start_session(request, session)
    await _reads_in(request, Caller.seller(signed.seller_id))
    return see_other(local_path(form_text(form, "next"), "/orders-v3"))


def _start_trainer_session(request: Request, session: str) -> None:
    request.session.clear()
    request.session[TRAINER_KEY] = session


def _start_session(request: Request, session: str, place: str | None = None) -> None:
    """A new session at sign-in (a new CSRF token too): nothing from before carries over but
    a form to send again and, in the same marketplace, the storefront's buyer and cart. A
    class's trainee's session holds the place of their own marketplace (web/pages.py)."""
    same_place = request.session.get(PLACE_KEY) == place
    keep = {k: v for k, v in request.session.items()
            if k == refusals.KEY or (same_place and k in ("buyer_id", "cart"))}
    request.session.clear()
    request.session.update(keep)
    request.session[SESSION_KEY] = session
    if place is not None:
        request.session[PLACE_KEY] = place


@router.post("/signout")
async def sign_out(request: Request) -> Response:
    await checked_form(request)
    await run_service(request, console_access.sign_out, request.session.pop(SESSION_KEY, None))
    if request.session.pop(PLACE_KEY, None) is not None:
        # Out of the trainee's marketplace: its storefront's buyer and cart too.
        request.session.pop("buyer_id", None)
        request.session.pop("cart", None)
    return see_other("/signin")


async def _sandbox_sellers(request: Request) -> list[Seller]:
    """The sellers a sandbox's sign-in page offers (the server's); none on a live database."""
    market = server_market(request)
    if not market.sandbox:
        return []
    return await call(market, auth.sandbox_sellers, market)


@router.get("/settings/password")
async def password_page(request: Request, seller: Signed) -> Response:
    return await pages_of(request).render(request, "seller/password.html", seller=seller)


@router.post("/settings/password")
async def change_password(request: Request, seller: Signed) -> Response:
    form = await checked_form(request)
    # A refusal comes back to this page (web/refusals.py), the passwords never kept.
    await run_in_threadpool(
        console_access.change_password, market_of(request), _caller(seller),
        seller.seller_id, str(form.get("current_password") or ""),
        str(form.get("new_password") or ""), keep_session=_session_id(request))
    flash(request, "ok", N_("Password changed; everywhere else you were signed in is "
                            "signed out."))
    return see_other("/orders-v3")


async def _reads_in(request: Request, caller: Caller, code: str | None = None) -> None:
    """The account reads the page's language (or `code`): its e-mails are written in it."""
    await run_service(request, accounts.read_in, caller, code or language(request))


@router.get("/language/{code}")
async def choose_language(request: Request, code: str, next: str | None = None) -> Response:
    answer = see_other(local_path(next, "/"))
    if code in LOCALES:
        answer.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax",
                          httponly=True)
        # Whoever is signed in here (a seller, a buyer of the storefront) now reads it.
        session = _session_id(request)
        if session is not None:
            try:
                seller = await run_service(request, console_access.signed_in, session)
                await _reads_in(request, Caller.seller(seller.seller_id), code)
            except Unauthenticated:
                pass
        buyer = request.session.get("buyer_id")
        if isinstance(buyer, str):
            await _reads_in(request, Caller.buyer(buyer), code)
    return answer


# Manage Orders ------------------------------------------------------------------------------

@router.get("/orders-v3")
async def manage(request: Request, seller: Signed, tab: str = "unshipped",
                 q: str | None = None, sort: str = "purchase-desc", page: str = "1",
                 per_page: str = "50") -> Response:
    number = validation.whole_number(page, "page", 1, MAX_PAGE_NUMBER)
    size = validation.whole_number(per_page, "per_page", 1, MAX_PAGE_NUMBER)
    view = await run_service(
        request, manage_orders.manage_orders_page, _caller(seller), seller.seller_id,
        manage_orders.ManageOrdersQuery(tab=tab, search=q, sort=sort, page=number,
                                        per_page=size))
    return await pages_of(request).render(request, "seller/orders.html", seller=seller, view=view,
                                          tab=tab, q=q or "", sort=sort, per_page=size,
                                          tabs=list(manage_orders.TABS), sorts=manage_orders.SORTS,
                                          page_sizes=manage_orders.PAGE_SIZES,
                                          SHIP=Action.SHIP, now=view.as_of)


@router.get("/orders-v3/order/{order_id}")
async def order_details(request: Request, order_id: str, seller: Signed) -> Response:
    detail = await run_service(request, order_service.show, _caller(seller), order_id)
    a = detail.address
    address = [line for line in (a.Name, a.CompanyName, a.AddressLine1, a.AddressLine2,
                                 a.AddressLine3, " ".join(filter(None, (
                                     a.City, a.StateOrRegion, a.PostalCode))),
                                 a.CountryCode, a.Phone) if line] if a is not None else []
    as_of = detail.as_of or datetime.now(UTC)
    # Buy shipping starts from where the seller's last label shipped from.
    ship_from = (await run_service(request, buy_shipping.last_ship_from, _caller(seller),
                                   seller.seller_id)
                 if Action.SHIP in detail.row.actions else None)
    return await pages_of(request).render(
        request, "seller/order.html", seller=seller, detail=detail, address=address,
        total=detail.total, now=detail.as_of, ship_from=ship_from,
        today=as_of.astimezone(zone_of(seller)).date().isoformat(),
        carriers=CARRIER_CODES, reasons=CANCELLATION_REASONS, levels=SHIP_SERVICE_LEVELS,
        tracking_formats={c: p.pattern for c, p in TRACKING_FORMATS.items()})


def _back_to(order_id: str) -> str:
    return f"/orders-v3/order/{order_id}"


def typed_units(form: FormData) -> tuple[tuple[str, int], ...] | None:
    """The units typed per item (inputs qty-ITEM_ID), those above 0; None when none was."""
    lines = []
    for name, value in form.multi_items():
        if name.startswith("qty-") and isinstance(value, str) and value.strip():
            units = validation.whole_number(value, name, 0, validation.MAX_UNITS_PER_LINE)
            if units > 0:
                lines.append((name.removeprefix("qty-"), units))
    return tuple(lines) or None


@router.post("/orders-v3/order/{order_id}/confirm-shipment")
async def confirm_shipment(request: Request, order_id: str, seller: Signed) -> Response:
    form = await checked_form(request)
    ship_date = form_text(form, "ship_date")
    try:
        when = date.fromisoformat(ship_date) if ship_date else None
    except ValueError:
        raise InvalidInput("ship_date", Phrase("%(value)r is not a date like 2026-11-26",
                                               value=ship_date)) from None
    # The day typed is the seller's day (their time zone), as the field was filled.
    shipment = ShipmentRequest(
        carrier=form_text(form, "carrier"), tracking_number=form_text(form, "tracking"),
        carrier_name=form_text(form, "carrier_name") or None,
        ship_method=form_text(form, "ship_method") or None, ship_date=when,
        lines=typed_units(form), zone=zone_of(seller))
    confirmation = await run_service(request, fulfillment.ship, _caller(seller), order_id,
                                     shipment)
    flash(request, "ok", N_("Shipment confirmed."))
    for warning in confirmation.warnings:
        flash(request, "warning", warning.template, **warning.values)
    return see_other(_back_to(order_id))


_ASKED = {Action.SELLER_CANCEL: "cancel", Action.REFUND: "refund"}


async def _ask_first(request: Request, seller: Seller, form: FormData, order_id: str,
                     action: Action) -> Response | None:
    """A cancellation or a refund cannot be undone: the first post shows what it will do,
    with the values given, and a button that posts them again confirmed; None once
    confirmed, or when the order does not offer the action (the command then says why, as
    for any other refusal). No script needed: it works wherever the form does."""
    if form_text(form, "confirmed") == "yes":
        return None
    detail = await run_service(request, order_service.show, _caller(seller), order_id)
    if action not in detail.row.actions:
        return None
    kind = _ASKED[action]
    fields = [(name, value) for name, value in form.multi_items()
              if isinstance(value, str) and name not in ("csrf_token", "confirmed")]
    return await pages_of(request).render(
        request, "seller/confirm.html", seller=seller, kind=kind, order_id=order_id,
        fields=fields, values={name: value for name, value in fields},
        action=f"{_back_to(order_id)}/{kind}")


@router.post("/orders-v3/order/{order_id}/cancel")
async def cancel(request: Request, order_id: str, seller: Signed) -> Response:
    form = await checked_form(request)
    if (asked := await _ask_first(request, seller, form, order_id,
                                      Action.SELLER_CANCEL)) is not None:
        return asked
    await run_service(request, order_service.seller_cancel, _caller(seller),
                      order_id, form_text(form, "reason"))
    flash(request, "ok", N_("Order canceled."))
    return see_other(_back_to(order_id))


@router.post("/orders-v3/order/{order_id}/refund")
async def refund(request: Request, order_id: str, seller: Signed) -> Response:
    form = await checked_form(request)
    if (asked := await _ask_first(request, seller, form, order_id, Action.REFUND)) is not None:
        return asked
    full = form_text(form, "kind") != "partial"
    await run_service(request, fulfillment.refund_order, _caller(seller),
                      order_id, None if full else form_text(form, "amount"),
                      form_text(form, "reason"))
    flash(request, "ok", N_("Refund issued."))
    return see_other(_back_to(order_id))


@router.post("/orders-v3/order/{order_id}/redirect")
async def redirect_order(request: Request, order_id: str, seller: Signed) -> Response:
    await checked_form(request)
    await run_service(request, order_service.accept_redirect, _caller(seller),
                      order_id)
    flash(request, "ok", N_("The order now ships to the address the buyer asked for."))
    return see_other(_back_to(order_id))


# Uploads ------------------------------------------------------------------------------------

@router.get("/upload")
async def upload_page(request: Request, seller: Signed) -> Response:
    # The page's files: shipment confirmations and cancellations (listings feeds come
    # through the Feeds API).
    feeds = (await run_service(request, uploads.seller_feeds, _caller(seller),
                               seller.seller_id, types=uploads.FLAT_FILE_TYPES)
             if seller.plan is Plan.PROFESSIONAL else ())
    return await pages_of(request).render(request, "seller/upload.html", seller=seller, feeds=feeds,
                                          status=200 if seller.plan is Plan.PROFESSIONAL else 403)


@router.get("/upload/template.txt")
async def upload_template(request: Request, seller: Signed) -> Response:
    say = pages_of(request).gettext(request)
    lines = (f"TemplateType=ShippingConfirmation\tVersion=2026.1\t{say(UPLOAD_NOTE)}",
             "\t".join(say(label) for label in UPLOAD_LABELS), "\t".join(UPLOAD_COLUMNS))
    return _download("\n".join(lines) + "\n", "shipment-confirmation-template.txt")


@router.post("/upload")
async def upload_file(request: Request, seller: Signed) -> Response:
    form = await checked_form(request)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        raise InvalidInput("file", Phrase("choose the shipment-confirmation file to upload"))
    content = await file.read()
    market = market_of(request)
    # Work that may take a while runs in the thread pool whatever the database: the event
    # loop serves other pages meanwhile.
    feed_id = await run_in_threadpool(uploads.upload, market, _caller(seller),
                                      seller.seller_id, content)
    # A small file is processed before the answer; a large one is processed by the worker
    # while its page shows the progress.
    if len(content) <= INLINE_UPLOAD_BYTES:
        await run_in_threadpool(uploads.process, market, _caller(seller), feed_id)
    return see_other(f"/upload/{feed_id}")


@router.get("/upload/{feed_id}")
async def upload_result(request: Request, feed_id: str, seller: Signed,
                        page: str = "1") -> Response:
    number = validation.whole_number(page, "page", 1, MAX_PAGE_NUMBER)
    view = await run_service(request, uploads.result, _caller(seller), feed_id)
    rows = [line.split("\t") for line in view.report.splitlines()]
    # The rows' errors and warnings, a page at a time (a file may have thousands); a whole
    # file's failure is said once, above them.
    problems = [r for r in rows if len(r) >= 6 and r[0].isdigit() and r[4] != "Fatal"]
    pages = max(1, -(-len(problems) // PROBLEMS_PER_PAGE))
    number = min(number, pages)
    shown = problems[(number - 1) * PROBLEMS_PER_PAGE:number * PROBLEMS_PER_PAGE]
    return await pages_of(request).render(request, "seller/upload_result.html", seller=seller,
                                          feed=view, problems=shown, page=number, pages=pages,
                                          problem_count=len(problems))


@router.get("/upload/{feed_id}/report.txt")
async def upload_report(request: Request, feed_id: str, seller: Signed) -> Response:
    view = await run_service(request, uploads.result, _caller(seller), feed_id)
    return _download(view.report, f"processing-report-{feed_id}.txt")


# Inventory, reports, Account Health ---------------------------------------------------------

@router.get("/inventory")
async def inventory(request: Request, seller: Signed) -> Response:
    caller = _caller(seller)
    return await pages_of(request).render(
        request, "seller/inventory.html", seller=seller,
        listings=await run_service(request, listings.inventory, caller, seller.seller_id),
        shipping=await run_service(request, shipping.shipping_settings, caller,
                                   seller.seller_id))


@router.post("/inventory/shipping/{level}")
async def set_shipping(request: Request, level: str, seller: Signed) -> Response:
    """One service level's shipping charges (orders placed from now on charge them)."""
    form = await checked_form(request)
    await run_service(request, shipping.set_shipping, _caller(seller),
                      seller.seller_id, level, form_text(form, "per_shipment") or None,
                      form_text(form, "per_item") or None)
    flash(request, "ok", N_("Shipping settings saved."))
    return see_other("/inventory#shipping")


@router.post("/inventory/{sku:path}/quantity")     # a SKU may hold a "/"
async def set_quantity(request: Request, sku: str, seller: Signed) -> Response:
    form = await checked_form(request)
    quantity = validation.whole_number(form_text(form, "quantity"), "quantity", 0,
                                       listings.MAX_QUANTITY)
    await run_service(request, listings.set_listing, _caller(seller),
                      seller.seller_id, sku, quantity=quantity)
    flash(request, "ok", N_("Quantity saved."))
    return see_other("/inventory")


@router.get("/reports")
async def reports_page(request: Request, seller: Signed) -> Response:
    page = await run_service(
        request, report_requests.get_reports, _caller(seller), seller.seller_id,
        report_types=list(REPORTS), statuses=[], created_since=None, created_until=None,
        page_size=50, next_token=None)
    return await pages_of(request).render(request, "seller/reports.html", seller=seller,
                                          reports=page.reports, kinds=REPORTS)


@router.post("/reports")
async def request_report(request: Request, seller: Signed) -> Response:
    form = await checked_form(request)
    await run_service(request, report_requests.create_report, _caller(seller),
                      seller.seller_id, form_text(form, "report_type"), [MARKETPLACE_ID])
    flash(request, "ok", N_("Report requested; it is ready in a few seconds."))
    return see_other("/reports")


@router.get("/reports/{document_id}/download")
async def download_report(request: Request, document_id: str, seller: Signed) -> Response:
    content = await run_service(request, report_requests.report_content, _caller(seller),
                                document_id)
    return _download(content.decode(), f"{document_id}.txt")


@router.get("/lesson")
async def lesson(request: Request, seller: Signed) -> Response:
    """A trainee's lesson: its tasks, each done, not yet done or missed, with a hint."""
    progress = await run_service(request, lessons.progress, _caller(seller), seller.seller_id)
    if progress is None:
        raise NotFound(Phrase("there is no lesson in this marketplace"))
    return await pages_of(request).render(request, "seller/lesson.html", seller=seller,
                                          lesson=progress, now=progress.as_of)


@router.get("/lesson/shipment-confirmation.txt")
async def lesson_file(request: Request, seller: Signed) -> Response:
    text = await run_service(request, lessons.lesson_file, _caller(seller), seller.seller_id)
    return _download(text, "shipment-confirmation.txt")


@router.get("/health")
async def account_health(request: Request, seller: Signed) -> Response:
    health = await run_service(request, metrics.account_health, _caller(seller),
                               seller.seller_id)
    rows = [(key, history, charts.line_chart(history.values, history.now.target,
                                             history.now.upper_bound))
            for key, history in (("order-defect", health.order_defect_rate),
                                 ("cancel", health.cancel_rate),
                                 ("late-shipment", health.late_shipment_rate),
                                 ("valid-tracking", health.valid_tracking_rate),
                                 ("on-time-delivery", health.on_time_delivery_rate))]
    return await pages_of(request).render(request, "seller/health.html", seller=seller, rows=rows,
                                          chart=charts, history_days=metrics.HISTORY_DAYS)


# The sandbox bar ----------------------------------------------------------------------------

@router.post("/sandbox/advance")
async def advance(request: Request) -> Response:
    form = await checked_form(request)
    step = form_text(form, "by")
    if step not in ADVANCES:
        raise InvalidInput("by", Phrase("%(step)r is not one of %(steps)s", step=step,
                                        steps=", ".join(ADVANCES)))
    # Deadlines falling due may be many: the thread pool, as for an upload.
    reading = await run_in_threadpool(clock_service.advance, market_of(request),
                                      Caller.sandbox(), parse_duration(step))
    flash(request, "ok", N_("The sandbox clock moved on; %(fired)s deadlines fell due."),
          fired=reading.fired)
    return see_other(local_path(form_text(form, "next"), "/"))


@router.get("/mailbox")
async def mailbox(request: Request, seller: Signed) -> Response:
    market_of(request).require_sandbox("the mailbox")    # no database: a setting it holds
    mails = await run_service(request, notifications.mailbox, _caller(seller))
    return await pages_of(request).render(request, "seller/mailbox.html", seller=seller,
                                          mails=mails)

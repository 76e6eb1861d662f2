"""The class's page, for its trainer (docs/classroom.md): each trainee's clock, orders and
Account Health, read from their own marketplace, and the trainer moving one trainee's clock or
everyone's."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from sellerflow.clock import parse_duration
from sellerflow.domain.errors import InvalidInput, Unauthenticated
from sellerflow.domain.text import Phrase
from sellerflow.service import classroom, console_access
from sellerflow.web.pages import (
    SignInNeeded,
    checked_form,
    flash,
    form_text,
    pages_of,
    see_other,
    server_market,
)
from sellerflow.web.pages_text import N_
from sellerflow.web.seller import ADVANCES, TRAINER_KEY

router = APIRouter(include_in_schema=False)
TASK = N_("Task %(n)s")
T = TypeVar("T")


def _session(request: Request) -> str:
    session = request.session.get(TRAINER_KEY)
    if not isinstance(session, str):
        raise SignInNeeded(request.url.path)
    return session


async def _guarded(request: Request, work: Callable[..., T], *args: Any) -> T:
    """`work(server, session, *args, opener)` run in the thread pool (it reads every trainee's
    marketplace); an ended trainer's session signs in again."""
    try:
        return await run_in_threadpool(work, server_market(request), _session(request), *args,
                                       request.app.state.trainees.open)
    except Unauthenticated:
        request.session.pop(TRAINER_KEY, None)
        raise SignInNeeded("/class") from None


@router.get("/class")
async def class_page(request: Request) -> Response:
    page = await _guarded(request, classroom.class_page)
    # The server's own sandbox bar would move the server's clock, no trainee's: not here.
    return await pages_of(request).render(request, "seller/class.html", view=page,
                                          advances=ADVANCES, hide_sandbox_bar=True)


@router.get("/class/trainee/{number}")
async def trainee_orders(request: Request, number: int) -> Response:
    """A trainee's orders and what happened to each, for the trainer."""
    found = await _guarded(request, classroom.trainee_orders, number)
    return await pages_of(request).render(request, "seller/class_trainee.html", trainee=found,
                                          hide_sandbox_bar=True)


@router.get("/class/progress.csv")
async def progress_csv(request: Request) -> Response:
    """The class's progress as a spreadsheet: a row per trainee, their clock, orders, Account
    Health and each task's state, in the reader's language."""
    page = await _guarded(request, classroom.class_page)
    say = pages_of(request).gettext(request)
    states = {"done": say("Done"), "waiting": say("Not yet"), "missed": say("Missed"),
              None: say("No orders yet"), "ok": say("Good"), "atRisk": say("At risk"),
              "bad": say("Needs action")}
    tasks = [task for task in (page.trainees[0].lesson.tasks if page.trainees
                               and page.trainees[0].lesson else ())]
    out = io.StringIO()
    sheet = csv.writer(out)
    sheet.writerow(["#", say("Sign-in"), say("Simulated time"), say("Pending"),
                    say("Unshipped"), say("Shipped"), say("Canceled"),
                    say("Cancellation Rate"), say("Late Shipment Rate"),
                    say("Valid Tracking Rate"),
                    *(say(TASK) % {"n": n} for n, _ in enumerate(tasks, 1))])
    for t in page.trainees:
        health = (t.health.cancel_rate, t.health.late_shipment_rate,
                  t.health.valid_tracking_rate)
        sheet.writerow([
            t.number, t.email, t.now.isoformat(), t.orders.get("Pending", 0),
            t.orders.get("Unshipped", 0) + t.orders.get("PartiallyShipped", 0),
            t.orders.get("Shipped", 0), t.orders.get("Canceled", 0),
            *(states[m.status] for m in health),
            *(states[task.state] for task in (t.lesson.tasks if t.lesson else ()))])
    # With a byte-order mark, as spreadsheets read UTF-8 (Chinese) by it.
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition":
                             f'attachment; filename="class-{page.name}-progress.csv"'})


@router.post("/class/advance")
async def advance(request: Request) -> Response:
    form = await checked_form(request)
    step, who = form_text(form, "by"), form_text(form, "trainee")
    if step not in ADVANCES:
        raise InvalidInput("by", Phrase("%(step)r is not one of %(steps)s", step=step,
                                        steps=", ".join(ADVANCES)))
    if who != "all" and not who.isdigit():
        raise InvalidInput("trainee", Phrase("choose a trainee or everyone"))
    fired = await _guarded(request, classroom.advance_trainees,
                           None if who == "all" else int(who), parse_duration(step))
    flash(request, "ok", N_("The clock moved on; %(fired)s deadlines fell due."), fired=fired)
    return see_other("/class")


@router.post("/class/signout")
async def sign_out(request: Request) -> Response:
    await checked_form(request)
    await run_in_threadpool(console_access.trainer_sign_out, server_market(request),
                            request.session.pop(TRAINER_KEY, None))
    return see_other("/signin")

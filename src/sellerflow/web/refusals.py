"""A refused form comes back on its own page: what was typed, the error beside the field and in
a summary, the menu and the sandbox bar as they were.

The refusal is kept in the session and the browser is sent (POST, redirect, GET) to the page
the form is on, which takes it back once: Refresh then shows the page, not the form posted
again. The same holds when the session ended before the form was sent: the seller signs in
and comes back to the page, told plainly that nothing was saved, with the values they typed.

Typed values are kept only for a form posted from this site (the browser's Sec-Fetch-Site, or
its Origin): a form another site posts must not be able to fill in a seller's page for them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from fastapi import Request
from starlette.datastructures import FormData

from sellerflow.domain.errors import InvalidInput, SellerflowError
from sellerflow.domain.model import OrderStatus
from sellerflow.domain.money import Money
from sellerflow.domain.text import N_, Phrase

KEY = "refused"
FORM_READ = "sellerflow.form"      # where web/pages.checked_form keeps the form it read
# What is never written back into a form (nor kept in the session cookie).
_NEVER_KEPT = ("csrf_token", "confirmed", "password", "current_password", "new_password")
_MAX_VALUE = 500       # the session is a cookie: a value longer than this is not kept

# The page a form is on, and the form's name there, from the address it posts to.
_FORMS = (
    (re.compile(r"/orders-v3/order/([^/]+)/(confirm-shipment|cancel|refund|redirect)"),
     lambda m: (f"/orders-v3/order/{m[1]}", m[2])),
    # The rates asked and the label bought are one form, Buy shipping, on the order's page.
    (re.compile(r"/orders-v3/order/([^/]+)/(?:rates|buy-shipping)"),
     lambda m: (f"/orders-v3/order/{m[1]}", "buy-shipping")),
    (re.compile(r"/orders-v3/order/([^/]+)/labels/[^/]+/cancel"),
     lambda m: (f"/orders-v3/order/{m[1]}#shipments", "cancel-label")),
    (re.compile(r"/inventory/shipping/([^/]+)"), lambda m: ("/inventory#shipping",
                                                            f"shipping:{m[1]}")),
    (re.compile(r"/inventory/(.+)/quantity"), lambda m: ("/inventory", f"quantity:{m[1]}")),
    (re.compile(r"/upload"), lambda m: ("/upload", "upload")),
    (re.compile(r"/reports"), lambda m: ("/reports", "report")),
    (re.compile(r"/settings/password"), lambda m: ("/settings/password", "password")),
    (re.compile(r"/shop/checkout"), lambda m: ("/shop/cart", "checkout")),
)

# A refusal's wire field (or a rule's reason) -> the form's input it is about.
_INPUTS = {"carrierCode": "carrier", "carrierName": "carrier_name",
           "trackingNumber": "tracking", "shippingMethod": "ship_method",
           "ship_date": "ship_date", "ship-date-out-of-range": "ship_date",
           "orderItems": "units", "too-many-units": "units", "reason": "reason",
           "amount": "amount", "quantity": "quantity", "perShipment": "per_shipment",
           "perItem": "per_item", "file": "file", "reportType": "report_type",
           "password": "new_password", "current_password": "current_password"}

SIGNED_OUT = N_("You were signed out before this was saved, so nothing was saved. Check what "
                "you entered and send it again.")
FORM_OLD = N_("This page was open too long (or you signed in again elsewhere), so nothing was "
              "saved. Check what you entered and send it again.")


@dataclass
class Refusal:
    """What a page shows of a form it refused: the form, the values typed, the input the
    error is about, the error's words (a phrase or the engine's English) and its rule."""

    form: str
    page: str = ""
    typed: dict[str, str] = field(default_factory=dict)
    input: str | None = None
    phrase: Phrase | None = None
    message: str = ""
    code: str = ""
    notice: str | None = None       # a catalog message: why nothing was saved

    def value(self, form: str, name: str, default: Any = "") -> Any:
        """The value typed into `name` when this is `form`'s refusal, else `default`."""
        return self.typed.get(name, default) if form == self.form else default

    def about(self, form: str, name: str) -> bool:
        return form == self.form and self.input == name


NONE = Refusal("")       # no form was refused: every value is the page's own


def form_of(path: str) -> tuple[str, str] | None:
    """(the page, the form's name) of a form posting to `path`; None if it is no such form."""
    for pattern, place in _FORMS:
        found = pattern.fullmatch(path)
        if found:
            return place(found)
    return None


def from_this_site(request: Request) -> bool:
    """Whether the browser says the form was sent from one of this site's pages. (Our pages are
    served with no referrer, so a browser's Origin is "null"; Sec-Fetch-Site still tells.)"""
    if request.headers.get("sec-fetch-site") == "same-origin":
        return True
    origin = request.headers.get("origin")
    return origin is not None and origin.rstrip("/") == str(request.base_url).rstrip("/")


async def keep(request: Request, error: SellerflowError | None, notice: str | None = None
               ) -> str | None:
    """Keep the refusal of the form posted to this request for its page; the page's address,
    or None when the request was no form of a page (the caller then shows the error)."""
    place = form_of(request.url.path)
    if place is None:
        return None
    page, name = place
    typed: dict[str, str] = {}
    if from_this_site(request):
        form = request.scope.get(FORM_READ) or await request.form()
        typed = _typed(form)
    refusal = Refusal(name, page.split("#")[0], typed, notice=notice)
    if error is not None:
        refusal.input = _input_of(error)
        refusal.phrase = error.phrase
        refusal.message = (error.problem if isinstance(error, InvalidInput)
                           else error.message.removeprefix(f"{error.code}: "))
        refusal.code = error.code
    request.session[KEY] = _to_session(refusal)
    return page


def take(request: Request) -> Refusal:
    """The refusal kept for this page, once (another page leaves it be: the sign-in page
    shown on the way back, say); NONE when there is none."""
    kept = request.session.get(KEY)
    if not isinstance(kept, dict) or kept.get("page") != request.url.path:
        return NONE
    del request.session[KEY]
    try:
        return _from_session(kept)
    except (KeyError, TypeError, ValueError):
        return NONE


def _typed(form: FormData) -> dict[str, str]:
    return {name: value for name, value in form.multi_items()
            if isinstance(value, str) and name not in _NEVER_KEPT and len(value) <= _MAX_VALUE}


def _input_of(error: SellerflowError) -> str | None:
    if isinstance(error, InvalidInput):
        if error.field.startswith("qty-"):
            return "units"
        return _INPUTS.get(error.field, error.field)
    return _INPUTS.get(error.reason or "")


# The session is JSON: a phrase's values keep their kind (a time, money, a status) so the
# page writes them in the reader's way.

def _to_session(refusal: Refusal) -> dict[str, Any]:
    phrase = refusal.phrase
    return {"form": refusal.form, "page": refusal.page, "typed": refusal.typed,
            "input": refusal.input, "message": refusal.message, "code": refusal.code,
            "notice": refusal.notice,
            "phrase": None if phrase is None else [
                phrase.template, {k: encode(v) for k, v in phrase.values.items()}]}


def _from_session(kept: dict[str, Any]) -> Refusal:
    phrase = kept.get("phrase")
    return Refusal(
        str(kept["form"]), str(kept["page"]),
        {str(k): str(v) for k, v in dict(kept.get("typed") or {}).items()},
        kept.get("input"), None if phrase is None else Phrase(
            str(phrase[0]), **{k: decode(v) for k, v in dict(phrase[1]).items()}),
        str(kept.get("message") or ""), str(kept.get("code") or ""), kept.get("notice"))


def encode(value: Any) -> Any:
    if isinstance(value, OrderStatus):
        return {"status": value.value}
    if isinstance(value, datetime):
        return {"time": value.isoformat()}
    if isinstance(value, date):
        return {"day": value.isoformat()}
    if isinstance(value, Money):
        return {"money": [str(value.amount), value.currency]}
    if isinstance(value, Decimal):
        return str(value)
    return value if isinstance(value, (str, int, float)) or value is None else str(value)


def decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "status" in value:
        return OrderStatus(value["status"])
    if "time" in value:
        return datetime.fromisoformat(value["time"])
    if "day" in value:
        return date.fromisoformat(value["day"])
    amount, currency = value["money"]
    return Money(Decimal(amount), currency)

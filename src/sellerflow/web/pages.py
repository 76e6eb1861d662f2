"""Rendering a console page: the template environment of the request's language, the session
(who is signed in, the CSRF token, the buyer's cart) and the sandbox bar's clock."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from babel.support import Translations
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from sellerflow.api.calls import call
from sellerflow.domain.errors import Category, SellerflowError
from sellerflow.domain.text import Phrase
from sellerflow.service import clock
from sellerflow.service.context import Marketplace
from sellerflow.web import i18n, refusals, templating

LANGUAGE_COOKIE = "sellerflow_lang"
PLACE_KEY = "class_place"       # the session's part naming a trainee's marketplace
T = TypeVar("T")


class SignInNeeded(Exception):
    """The page is for a signed-in seller (or buyer); the answer is the sign-in page."""

    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


class FormExpired(SellerflowError):
    """A form posted without the session's CSRF token: from another site, or a stale tab."""

    category = Category.FORBIDDEN
    code = "CsrfTokenMissing"


class Pages:
    """One template environment per language (web/templating.py)."""

    def __init__(self, market: Marketplace) -> None:
        self.market = market
        self.environments = {locale: templating.environment_for(locale)
                             for locale in i18n.LOCALES}

    async def render(self, request: Request, template: str, *, status: int = 200,
                     **context: Any) -> HTMLResponse:
        """The page; its dates in the time zone of the `seller` it shows, if it shows one. The
        sandbox bar shows `now` if the page was read at a time it knows, else the clock's
        (a trainee's own, in a class)."""
        locale = language(request)
        seller = context.get("seller")
        market = market_of(request)
        if market.sandbox and context.get("now") is None:
            context["now"] = (await call(market, clock.read, market)).now
        page = self.environments[locale].get_template(template).render(
            request=request, lang=locale, languages=i18n.NAMES,
            fmt=i18n.Formats(locale, seller.time_zone if seller else None),
            csrf=csrf_token(request), session=request.session, sandbox=market.sandbox,
            flashed=flashed,
            refused=refusals.take(request),
            path=request.url.path, query=str(request.url.query), **context)
        return HTMLResponse(page, status_code=status)


    def gettext(self, request: Request) -> Callable[[str], str]:
        """The request's language's translation of a catalog message (for what is not a page:
        a downloaded file's labels)."""
        translations: Translations = getattr(self.environments[language(request)],
                                             templating.TRANSLATIONS)
        return translations.gettext


def server_market(request: Request) -> Marketplace:
    """The server's own marketplace, whoever is signed in: where sign-ins are checked."""
    market: Marketplace = request.app.state.market
    return market


def market_of(request: Request) -> Marketplace:
    """The marketplace a request works on: a class's trainee works in their own (the place
    their session holds, web/trainees.py); everyone else in the server's."""
    place = request.session.get(PLACE_KEY) if "session" in request.scope else None
    if isinstance(place, str):
        own: Marketplace | None = request.app.state.trainees.get(place)
        if own is not None:
            return own
        request.session.pop(PLACE_KEY, None)     # the class was deleted: signed out of it
    return server_market(request)


async def run_service(request: Request, service: Callable[..., T], *args: Any,
                      **kwargs: Any) -> T:
    """`service` run on the page's marketplace (its first argument), as the API runs one: the
    event loop never waits for the database (api/calls.py)."""
    market = market_of(request)
    return await call(market, service, market, *args, **kwargs)


def pages_of(request: Request) -> Pages:
    pages: Pages = request.app.state.pages
    return pages


def language(request: Request) -> str:
    return i18n.negotiate(request.cookies.get(LANGUAGE_COOKIE),
                          request.headers.get("accept-language"))


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def checked_form(request: Request) -> FormData:
    """The posted form, once its CSRF token is the session's."""
    form = await request.form()
    # An error page is rendered with another Request of this scope, which cannot read the
    # body again: the form is kept where it can find it (web/refusals.py).
    request.scope[refusals.FORM_READ] = form
    given = form.get("csrf_token")
    expected = request.session.get("csrf")
    if not (isinstance(given, str) and isinstance(expected, str)
            and secrets.compare_digest(given, expected)):
        raise FormExpired(Phrase("The form was sent without its security token (it may be "
                                 "from another site, or the page is old). Reload the page and "
                                 "try again."))
    return form


def local_path(target: str | None, default: str) -> str:
    """A redirect target on this site only (a `next` parameter must not lead elsewhere)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def see_other(target: str) -> RedirectResponse:
    """After a form: the page to show next (POST, then redirect, then GET)."""
    return RedirectResponse(target, status_code=303)


def flash(request: Request, kind: str, message: str, **values: Any) -> None:
    """A message for the next page shown (the outcome of a form): `message` is a catalog
    message id, filled with `values` in the reader's language (money, times and statuses
    written the reader's way, text as real data)."""
    request.session.setdefault("flash", []).append({
        "kind": kind, "message": message,
        "values": {name: refusals.encode(value) for name, value in values.items()}})


def flashed(session: dict[str, Any]) -> list[tuple[str, Phrase]]:
    """The messages for this page, once: (kind, phrase)."""
    return [(str(note["kind"]), Phrase(str(note["message"]), **{
        name: refusals.decode(value) for name, value in dict(note["values"]).items()}))
            for note in session.pop("flash", [])]


def form_text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""

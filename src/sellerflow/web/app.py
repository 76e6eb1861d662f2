"""The console application, mounted at / under the API by `sellerflow serve`: its pages, its
signed session cookie, its static files and how an error becomes a page."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from sellerflow.api import errors as api_errors
from sellerflow.domain.errors import Category, SellerflowError
from sellerflow.service import auth
from sellerflow.service.context import Marketplace
from sellerflow.web import buy_shipping, refusals, seller, shop, trainer
from sellerflow.web.pages import FormExpired, Pages, SignInNeeded, pages_of, see_other
from sellerflow.web.trainees import TraineeMarketplaces

STATIC = Path(__file__).parent / "static"
SESSION_COOKIE = "sellerflow_console"
SESSION_DAYS = 14
# Paths of the HTTP API: a route missing there answers the API's JSON error, not a page.
API_PREFIXES = (*api_errors.SP_API_PREFIXES, "/sellerflow/", "/buyer/", "/sandbox/v1/",
                "/auth/", "/documents/")
# Refusals a form's own page shows again, with what was typed: the seller can mend them. (Not
# found, too many tries, an unreachable database or a failure are pages of their own.)
_MENDABLE = (Category.BAD_INPUT, Category.RULE, Category.CONFLICT)


def create_console(market: Marketplace) -> FastAPI:
    console = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    console.state.market = market
    console.state.pages = Pages(market)
    console.state.trainees = TraineeMarketplaces(market)
    console.add_middleware(SessionMiddleware, secret_key=auth.console_secret(market),
                           session_cookie=SESSION_COOKIE, max_age=SESSION_DAYS * 24 * 3600,
                           same_site="lax", https_only=False)
    console.mount("/static", StaticFiles(directory=STATIC), name="static")
    console.include_router(seller.router)
    console.include_router(buy_shipping.router)
    console.include_router(shop.router)
    console.include_router(trainer.router)
    console.add_exception_handler(SignInNeeded, _sign_in)
    console.add_exception_handler(SellerflowError, _error_page)
    console.add_exception_handler(RequestValidationError, _bad_request)
    console.add_exception_handler(HTTPException, _http_error)
    console.add_exception_handler(Exception, _internal_error)
    return console


async def _internal_error(request: Request, error: Exception) -> Response:
    """What no handler expected: logged whole with the request id, and a page that gives the
    id (never a traceback). Should the page itself fail, a plain one says the same."""
    if request.url.path.startswith(API_PREFIXES):
        return await api_errors.on_internal_error(request, error)
    request_id = api_errors.request_id_of(request)
    api_errors.ERROR_LOG.error("request %s %s %s failed", request_id, request.method,
                               request.url.path, exc_info=error)
    try:
        return await pages_of(request).render(request, "error.html", status=500, error=None,
                                              category="internal", request_id=request_id)
    except Exception:
        return HTMLResponse(f"<!doctype html><title>Error</title><h1>Something went wrong"
                            f"</h1><p>Request id: {request_id}</p>", status_code=500)


async def _sign_in(request: Request, error: Exception) -> Response:
    """The sign-in page, then back where the seller was. A form sent after the session ended
    was not saved: its page says so after the sign-in, with what was typed."""
    assert isinstance(error, SignInNeeded)
    place = "/shop/signin" if error.where.startswith("/shop") else "/signin"
    where: str | None = error.where
    if request.method == "POST":
        where = await refusals.keep(request, None, notice=refusals.SIGNED_OUT)
    return see_other(f"{place}?next={where}" if where else place)


async def _error_page(request: Request, error: Exception) -> Response:
    assert isinstance(error, SellerflowError)
    if request.method == "POST":
        # A stale page's form comes back to be sent again; another site's form does not.
        if isinstance(error, FormExpired):
            page = (await refusals.keep(request, None, notice=refusals.FORM_OLD)
                    if refusals.from_this_site(request) else None)
        else:
            page = (await refusals.keep(request, error) if error.category in _MENDABLE
                    else None)
        if page is not None:
            return see_other(page)
    # The console answers each kind of error with the status sellerflow's own routes use.
    return await pages_of(request).render(request, "error.html",
                                          status=api_errors.OWN_STATUS[error.category], error=error,
                                          category=error.category.value)


async def _bad_request(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    return await _error_page(request, api_errors.validation_problem(error))


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if request.url.path.startswith(API_PREFIXES):
        return await api_errors.on_http_error(request, error)
    return await pages_of(request).render(
        request, "error.html", status=error.status_code, error=None,
        category="not-found" if error.status_code == 404 else "bad-input")

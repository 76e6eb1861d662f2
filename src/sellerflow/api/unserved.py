"""Paths under Amazon's Selling Partner API roots that sellerflow does not serve (Finances,
Messaging, Catalog…, or an operation of a served API it lacks): 404 in Amazon's error shape,
naming what was asked. Without these routes the console would answer them with an HTML page,
which an SP-API client reads as an empty success.

An SP-API path names its version in its second or third segment (`/orders/v0/…`,
`/fba/inventory/v1/…`, `/catalog/2022-04-01/…`); the console's own pages under a shared
first segment (`/reports/{id}/download`) never do, and stay the console's."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.convertors import Convertor, register_url_convertor

from sellerflow.api.errors import SP_API_ROOTS
from sellerflow.domain.errors import NotFound


class _Pattern(Convertor[str]):
    regex = ""

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


class ApiRoot(_Pattern):
    # Two routes with these patterns rather than one route per root: every console page is
    # matched after them.
    regex = "|".join(SP_API_ROOTS)


class ApiVersion(_Pattern):
    regex = r"v\d+|\d{4}-\d{2}-\d{2}"


register_url_convertor("sp_api_root", ApiRoot())
register_url_convertor("sp_api_version", ApiVersion())

router = APIRouter(include_in_schema=False)
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


async def unserved(request: Request) -> None:
    raise NotFound(f"sellerflow does not serve {request.method} {request.url.path}; the "
                   "SP-API operations it serves are listed at /docs")


router.add_api_route("/{root:sp_api_root}/{version:sp_api_version}/{rest:path}", unserved,
                     methods=METHODS, name="unserved")
router.add_api_route("/{root:sp_api_root}/{area}/{version:sp_api_version}/{rest:path}",
                     unserved, methods=METHODS, name="unserved-in-area")

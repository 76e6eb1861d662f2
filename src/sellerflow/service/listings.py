"""Listings (L3): create or update, restock, and the buyable catalog."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sellerflow.domain import validation
from sellerflow.domain.callers import SELLER_SIDE, Caller, listing_not_found
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.listing_attributes import ListingFields, apply_patches, read_fields
from sellerflow.domain.model import Listing
from sellerflow.domain.money import Money
from sellerflow.domain.policy import MAX_HANDLING_DAYS
from sellerflow.domain.text import Phrase
from sellerflow.service import ids, page_tokens, sp_notifications
from sellerflow.service.context import Marketplace, Work, check_seller, require_seller
from sellerflow.store import catalog

MAX_QUANTITY = 1_000_000_000
# A listing's attributes as the Listings Items API stores them: far more than any product
# type has, far less than a request body may carry (every page that shows the listing reads
# them).
MAX_ATTRIBUTES = 200
MAX_ATTRIBUTES_BYTES = 256 * 1024


def set_listing(market: Marketplace, caller: Caller, seller_id: str, sku: str, *,
                title: str | None = None,
                price: str | None = None, quantity: int | None = None,
                handling_days: int | None = None) -> Listing:
    caller.require(*SELLER_SIDE, doing="a listing change")
    change = _checked(sku, ListingFields(title, price, quantity, handling_days))
    return market.run(lambda work: _apply(work, caller, seller_id, sku, change))


@dataclass(frozen=True)
class _Change:
    sku: str
    title: str | None
    price: Money | None
    quantity: int | None
    handling_days: int | None
    product_type: str | None = None
    attributes: str | None = None


def _checked(sku: str, fields: ListingFields, product_type: str | None = None,
             attributes: dict[str, Any] | None = None) -> _Change:
    sku = validation.text(sku, "sku", 200, required=True)
    if "\t" in sku:
        raise InvalidInput("sku", "a SKU is one line of 1 to 200 characters, without tabs")
    money = (Money.parse(fields.price, "price", positive=True) if fields.price is not None
             else None)
    quantity, handling_days = fields.quantity, fields.handling_days
    if quantity is not None and quantity < 0:
        raise InvalidInput("quantity", Phrase("%(quantity)s is negative; 0 takes the listing off "
                                              "sale", quantity=quantity))
    clean_title = validation.text(fields.title, "title", 500)
    if fields.title is not None and not clean_title:
        raise InvalidInput("title", "must not be empty")
    if quantity is not None and quantity > MAX_QUANTITY:
        raise InvalidInput("quantity", Phrase("%(quantity)s is more than %(most)s units",
                                              quantity=quantity, most=MAX_QUANTITY))
    if handling_days is not None and not 1 <= handling_days <= MAX_HANDLING_DAYS:
        raise InvalidInput("handlingDays", f"{handling_days} must be 1 to "
                                              f"{MAX_HANDLING_DAYS} business days")
    product = validation.text(product_type, "productType", 100) or None
    return _Change(sku, clean_title or None, money, quantity, handling_days, product,
                   None if attributes is None else _bounded(attributes))


def _bounded(attributes: dict[str, Any]) -> str:
    """The attributes as stored, refused when they hold more than a listing can."""
    if len(attributes) > MAX_ATTRIBUTES:
        raise InvalidInput("attributes", f"holds {len(attributes)} attributes; a listing has "
                                         f"at most {MAX_ATTRIBUTES}")
    stored = json.dumps(attributes)
    if "\\u0000" in stored:
        raise InvalidInput("attributes", "holds a NUL character, which no text may hold")
    if len(stored.encode()) > MAX_ATTRIBUTES_BYTES:
        raise InvalidInput("attributes", f"take {len(stored.encode()) // 1024} KiB; a "
                                         f"listing's attributes take at most "
                                         f"{MAX_ATTRIBUTES_BYTES // 1024} KiB", reason="too-large")
    return stored


def _apply(work: Work, caller: Caller, seller_id: str, sku: str, change: _Change) -> Listing:
    conn, now = work.conn, work.now
    require_seller(conn, caller, seller_id)
    listing = catalog.get_listing(conn, seller_id, change.sku, lock=True, deleted_too=True)
    if listing is None:
        if change.price is None:
            raise InvalidInput("price", f"new listing {change.sku} needs a price")
        listing = Listing(0, seller_id, change.sku, ids.asin(), change.title or change.sku,
                          change.price, change.quantity or 0,
                          change.handling_days or work.policy.default_handling_days,
                          change.product_type or "PRODUCT", change.attributes, now)
        listing.listing_id = catalog.insert_listing(conn, listing, now)
        before: int | None = None          # a new listing's quantity is always news
    else:
        before = listing.quantity          # a deleted listing has none
        for name in ("title", "price", "quantity", "handling_days", "product_type",
                     "attributes"):
            if (value := getattr(change, name)) is not None:
                setattr(listing, name, value)
        listing.updated_at = now
        catalog.update_listing(conn, listing, now)
    if listing.quantity != before:
        sp_notifications.record_quantities(conn, [(seller_id, listing.sku, listing.quantity)],
                                           now)
    return listing


def put_listing(market: Marketplace, caller: Caller, seller_id: str, sku: str,
                product_type: str, attributes: Any) -> Listing:
    """Listings Items putListingsItem: the listing as the attributes describe it, created or
    replaced (L3: a quantity above 0 makes it buyable)."""
    return market.run(lambda work: put_in(work, caller, seller_id, sku, product_type,
                                          attributes))


def put_in(work: Work, caller: Caller, seller_id: str, sku: str, product_type: str,
           attributes: Any) -> Listing:
    """put_listing within the caller's unit of work (a listings feed's message)."""
    caller.require(*SELLER_SIDE, doing="a listing change")
    change = _checked(sku, read_fields(attributes), product_type, attributes)
    return _apply(work, caller, seller_id, sku, change)


def patch_listing(market: Marketplace, caller: Caller, seller_id: str, sku: str,
                  patches: Any) -> Listing:
    """Listings Items patchListingsItem: replace or delete whole attributes of a listing; a
    restock through fulfillment_availability makes a sold-out listing buyable again (L3)."""
    return market.run(lambda work: patch_in(work, caller, seller_id, sku, patches))


def patch_in(work: Work, caller: Caller, seller_id: str, sku: str, patches: Any) -> Listing:
    """patch_listing within the caller's unit of work."""
    caller.require(*SELLER_SIDE, doing="a listing change")
    listing = _own_listing(work, caller, seller_id, sku)
    patched = apply_patches(json.loads(listing.attributes or "{}"), patches)
    return _apply(work, caller, seller_id, sku, _checked(sku, read_fields(patched), None,
                                                          patched))


def _own_listing(work: Work, caller: Caller, seller_id: str, sku: str) -> Listing:
    """The caller's listing, locked for a change; any other is not found."""
    check_seller(work.conn, caller, seller_id)
    listing = catalog.get_listing(work.conn, seller_id, sku, lock=True)
    if listing is None:
        raise listing_not_found(seller_id, sku)
    return listing


def delete_listing(market: Marketplace, caller: Caller, seller_id: str, sku: str) -> str:
    """The listing leaves the inventory and the catalog; orders that name it keep it."""
    return market.run(lambda work: delete_in(work, caller, seller_id, sku))


def delete_in(work: Work, caller: Caller, seller_id: str, sku: str) -> str:
    """delete_listing within the caller's unit of work."""
    caller.require(*SELLER_SIDE, doing="a listing change")
    listing = _own_listing(work, caller, seller_id, sku)
    catalog.delete_listing(work.conn, seller_id, listing.listing_id, work.now)
    if listing.quantity:
        sp_notifications.record_quantities(work.conn, [(seller_id, listing.sku, 0)], work.now)
    return listing.sku


def get_listing(market: Marketplace, caller: Caller, seller_id: str, sku: str) -> Listing:
    def query(work: Work) -> Listing:
        check_seller(work.conn, caller, seller_id)
        listing = catalog.get_listing(work.conn, seller_id, sku)
        if listing is None:
            raise listing_not_found(seller_id, sku)
        return listing

    return market.read(query)


def inventory(market: Marketplace, caller: Caller, seller_id: str) -> list[Listing]:
    """L3: every listing of the seller, those at quantity 0 included."""
    def query(work: Work) -> list[Listing]:
        check_seller(work.conn, caller, seller_id)
        return catalog.seller_listings(work.conn, seller_id)

    return market.read(query)


MAX_SEARCH = 200


CATALOG_PAGE = 50


@dataclass(frozen=True)
class CatalogPage:
    listings: tuple[Listing, ...]
    next_token: str | None          # the next page's, when there is one


def _search_words(search: str | None) -> str | None:
    words = (search or "").strip() or None
    if words is not None and len(words) > MAX_SEARCH:
        raise InvalidInput("search", f"is {len(words)} characters long; search by a word of "
                                     f"the title or the SKU (at most {MAX_SEARCH})")
    return validation.text(words, "search", MAX_SEARCH) or None


def buyable(market: Marketplace, search: str | None = None) -> list[Listing]:
    """L3: the whole catalog (the command line's): listings with units for sale; with
    `search`, those whose title or SKU contains it."""
    words = _search_words(search)
    return market.read(lambda work: catalog.buyable_listings(work.conn, words))


def catalog_page(market: Marketplace, search: str | None = None,
                 next_token: str | None = None, size: int = CATALOG_PAGE) -> CatalogPage:
    """L3: the catalog every caller may browse, a page at a time (the storefront's and the
    buyer API's: it is open to anyone, so no request reads more than a page)."""
    words = _search_words(search)
    after = None
    if next_token:
        kept = page_tokens.decode(next_token, "nextToken", "catalog")
        after = kept.get("after")
        if (not isinstance(after, list) or len(after) != 2
                or not all(isinstance(part, str) for part in after) or kept.get("q") != words):
            raise page_tokens.refused("nextToken", "catalog")
    found = market.read(lambda work: catalog.buyable_listings(
        work.conn, words, after=None if after is None else (after[0], after[1]),
        limit=size + 1))
    token = None
    if len(found) > size:
        last = found[size - 1]
        token = page_tokens.encode({"q": words, "after": [last.seller_id, last.sku]})
    return CatalogPage(tuple(found[:size]), token)


def offered(market: Marketplace, lines: Sequence[tuple[str, str]]) -> dict[tuple[str, str],
                                                                            Listing]:
    """The listings for sale among these (seller, SKU): a cart's."""
    if not lines:
        return {}
    found = market.read(lambda work: catalog.buyable_listings(work.conn, among=lines))
    return {(x.seller_id, x.sku): x for x in found}

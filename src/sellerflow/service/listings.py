"""Listings (L3): create or update, restock, and the buyable catalog."""

from __future__ import annotations

from sellerflow.domain import validation
from sellerflow.domain.callers import SELLER_SIDE, Caller, listing_not_found
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.model import Listing
from sellerflow.domain.money import Money
from sellerflow.domain.policy import MAX_HANDLING_DAYS
from sellerflow.service import ids
from sellerflow.service.context import Marketplace, Work, require_seller
from sellerflow.store import catalog

MAX_QUANTITY = 1_000_000_000


def set_listing(market: Marketplace, caller: Caller, seller_id: str, sku: str, *,
                title: str | None = None,
                price: str | None = None, quantity: int | None = None,
                handling_days: int | None = None) -> Listing:
    caller.require(*SELLER_SIDE, doing="a listing change")
    sku = validation.text(sku, "sku", 200, required=True)
    if "\t" in sku:
        raise InvalidInput("sku", "a SKU is one line of 1 to 200 characters, without tabs")
    money = Money.parse(price, "price", positive=True) if price is not None else None
    if quantity is not None and quantity < 0:
        raise InvalidInput("quantity", f"{quantity} is negative; 0 takes the listing off sale")
    clean_title = validation.text(title, "title", 500)
    if quantity is not None and quantity > MAX_QUANTITY:
        raise InvalidInput("quantity", f"{quantity} is more than {MAX_QUANTITY} units")
    if handling_days is not None and not 1 <= handling_days <= MAX_HANDLING_DAYS:
        raise InvalidInput("handlingDays", f"{handling_days} must be 1 to "
                                              f"{MAX_HANDLING_DAYS} business days")

    def command(work: Work) -> Listing:
        conn, now = work.conn, work.now
        require_seller(conn, caller, seller_id)
        listing = catalog.get_listing(conn, seller_id, sku, lock=True)
        if listing is None:
            if money is None:
                raise InvalidInput("price", f"new listing {sku} needs a price")
            listing = Listing(0, seller_id, sku, ids.asin(), clean_title or sku, money,
                              quantity or 0, handling_days or work.policy.default_handling_days)
            listing.listing_id = catalog.insert_listing(conn, listing, now)
            return listing
        if title is not None:
            if not clean_title:
                raise InvalidInput("title", "must not be empty")
            listing.title = clean_title
        if money is not None:
            listing.price = money
        if quantity is not None:
            listing.quantity = quantity
        if handling_days is not None:
            listing.handling_days = handling_days
        catalog.update_listing(conn, listing, now)
        return listing

    return market.run(command)


def get_listing(market: Marketplace, caller: Caller, seller_id: str, sku: str) -> Listing:
    def query(work: Work) -> Listing:
        require_seller(work.conn, caller, seller_id)
        listing = catalog.get_listing(work.conn, seller_id, sku)
        if listing is None:
            raise listing_not_found(seller_id, sku)
        return listing

    return market.read(query)


def inventory(market: Marketplace, caller: Caller, seller_id: str) -> list[Listing]:
    """L3: every listing of the seller, those at quantity 0 included."""
    def query(work: Work) -> list[Listing]:
        require_seller(work.conn, caller, seller_id)
        return catalog.seller_listings(work.conn, seller_id)

    return market.read(query)


def buyable(market: Marketplace) -> list[Listing]:
    """L3: the catalog every caller may browse: listings with units for sale."""
    return market.read(lambda work: catalog.buyable_listings(work.conn))

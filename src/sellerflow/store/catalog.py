"""Sellers, buyers and listings; stock changes are single conditional statements (L2, L3, L4)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    Connection,
    Row,
    bindparam,
    case,
    func,
    insert,
    null,
    or_,
    select,
    tuple_,
    update,
)

from sellerflow.domain.model import Buyer, Listing, Plan, Seller
from sellerflow.domain.money import Money
from sellerflow.domain.shipping import ShippingRate
from sellerflow.store import text_search
from sellerflow.store.driver import DriverStatement, SelectRows
from sellerflow.store.schema import buyers, listings, sellers
from sellerflow.store.schema import shipping_rates as shipping_rates_table

# Every seller command and request reads its seller: straight through the driver.
_SELLER = SelectRows(select(sellers).where(sellers.c.seller_id == bindparam("seller_id")))


def get_seller(conn: Connection, seller_id: str) -> Seller | None:
    row = _SELLER.first(conn, {"seller_id": seller_id})
    return None if row is None else Seller(row["seller_id"], row["name"], Plan(row["plan"]),
                                           row["email"], row["time_zone"])


def seller_login(conn: Connection, seller_id: str) -> str | None:
    """The seller's console password hash."""
    found = conn.execute(select(sellers.c.password_hash)
                         .where(sellers.c.seller_id == seller_id)).scalar()
    return None if found is None else str(found)


def set_password_hash(conn: Connection, seller_id: str, password_hash: str) -> None:
    conn.execute(update(sellers).where(sellers.c.seller_id == seller_id)
                 .values(password_hash=password_hash))


def seller_password_hash(conn: Connection, email: str) -> tuple[str, str] | None:
    """The seller signing in to the console with this e-mail, and its password's hash."""
    row = conn.execute(select(sellers.c.seller_id, sellers.c.password_hash)
                       .where(sellers.c.email == email)).first()
    return None if row is None else (row.seller_id, row.password_hash)


def all_sellers(conn: Connection) -> list[Seller]:
    return [Seller(r.seller_id, r.name, Plan(r.plan), r.email, r.time_zone)
            for r in conn.execute(select(sellers).order_by(sellers.c.name, sellers.c.seller_id))]


def seller_credentials(conn: Connection, refresh_token_hash: str) -> Row[Any] | None:
    """The seller a refresh token belongs to, with its client id and secret hash."""
    return conn.execute(select(sellers)
                        .where(sellers.c.refresh_token_hash == refresh_token_hash)).first()


def buyer_by_token(conn: Connection, token_hash: str) -> Buyer | None:
    row = _BUYER_BY_TOKEN.execute(conn, {"token_hash": token_hash}).fetchone()
    return None if row is None else Buyer(*row)


def seller_calendar(conn: Connection, seller_id: str) -> tuple[str, list[date]] | None:
    """The seller's time zone and holidays, for promise dates (L15)."""
    row = _SELLER_CALENDAR.first(conn, {"seller_id": seller_id})
    if row is None:
        return None
    return row["time_zone"], _holidays(row["holidays"])


def insert_seller(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(sellers).values(**values))


def set_seller_holidays(conn: Connection, seller_id: str, days: list[date]) -> None:
    conn.execute(update(sellers).where(sellers.c.seller_id == seller_id)
                 .values(holidays=",".join(d.isoformat() for d in sorted(set(days)))))


# A buyer is looked up on every buyer request and every checkout: through the driver.
_BUYER = select(buyers.c.buyer_id, buyers.c.email, buyers.c.name)
_BUYER_BY_EMAIL = DriverStatement(_BUYER.where(buyers.c.email == bindparam("email")))
_BUYER_BY_ID = DriverStatement(_BUYER.where(buyers.c.buyer_id == bindparam("buyer_id")))
_BUYER_BY_TOKEN = DriverStatement(_BUYER.where(buyers.c.token_hash == bindparam("token_hash")))
# L2: one conditional decrement that also answers what checkout needs to know of the listing.
_TAKE_STOCK = DriverStatement(
    update(listings)
    .where(listings.c.seller_id == bindparam("seller"), listings.c.sku == bindparam("wanted_sku"),
           listings.c.quantity >= bindparam("units"))
    .values(quantity=listings.c.quantity - bindparam("units"), updated_at=bindparam("at"))
    .returning(listings.c.listing_id, listings.c.asin, listings.c.title, listings.c.price_cents,
               listings.c.currency, listings.c.quantity, listings.c.handling_days))
_SELLER_CALENDAR = SelectRows(select(sellers.c.time_zone, sellers.c.holidays).where(
    sellers.c.seller_id == bindparam("seller_id")))


def get_buyer_by_email(conn: Connection, email: str) -> Buyer | None:
    row = _BUYER_BY_EMAIL.execute(conn, {"email": email}).fetchone()
    return None if row is None else Buyer(*row)


def seller_contacts(conn: Connection, seller_ids: Collection[str]) -> dict[str, Contact]:
    """Each seller's e-mail address and the language they read."""
    return {r.seller_id: Contact(r.email, r.language) for r in conn.execute(
        select(sellers.c.seller_id, sellers.c.email, sellers.c.language)
        .where(sellers.c.seller_id.in_(sorted(seller_ids))))}


def buyer_contacts(conn: Connection, buyer_ids: Collection[str]) -> dict[str, Contact]:
    return {r.buyer_id: Contact(r.email, r.language) for r in conn.execute(
        select(buyers.c.buyer_id, buyers.c.email, buyers.c.language)
        .where(buyers.c.buyer_id.in_(sorted(buyer_ids))))}


def set_seller_language(conn: Connection, seller_id: str, language: str) -> None:
    conn.execute(update(sellers).where(sellers.c.seller_id == seller_id,
                                       sellers.c.language != language)
                 .values(language=language))


def set_buyer_language(conn: Connection, buyer_id: str, language: str) -> None:
    conn.execute(update(buyers).where(buyers.c.buyer_id == buyer_id,
                                      buyers.c.language != language)
                 .values(language=language))


class Contact(NamedTuple):
    email: str
    language: str


def seller_by_client_id(conn: Connection, client_id: str) -> Any:
    """The seller (id, secret hash) whose LWA client this is, or None."""
    return conn.execute(select(sellers.c.seller_id, sellers.c.client_secret_hash)
                        .where(sellers.c.client_id == client_id)).first()


def client_ids(conn: Connection, seller_ids: Collection[str]) -> dict[str, str]:
    return {row.seller_id: row.client_id for row in conn.execute(
        select(sellers.c.seller_id, sellers.c.client_id)
        .where(sellers.c.seller_id.in_(list(seller_ids))))}


def seller_email_taken(conn: Connection, email: str) -> bool:
    return conn.execute(select(sellers.c.seller_id).where(sellers.c.email == email)).first() \
        is not None


def get_buyer(conn: Connection, buyer_id: str) -> Buyer | None:
    row = _BUYER_BY_ID.execute(conn, {"buyer_id": buyer_id}).fetchone()
    return None if row is None else Buyer(*row)


def set_buyer_token(conn: Connection, buyer_id: str, token_hash: str) -> None:
    conn.execute(update(buyers).where(buyers.c.buyer_id == buyer_id)
                 .values(token_hash=token_hash))


def set_seller_credentials(conn: Connection, seller_id: str, client_secret_hash: str,
                           refresh_token_hash: str) -> str:
    """Replaces the seller's client secret and refresh token; returns its client id."""
    return str(conn.execute(update(sellers).where(sellers.c.seller_id == seller_id).values(
        client_secret_hash=client_secret_hash, refresh_token_hash=refresh_token_hash)
        .returning(sellers.c.client_id)).scalar_one())


def insert_buyer(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(buyers).values(**values))


def listing_from_row(row: Any) -> Listing:
    return Listing(row.listing_id, row.seller_id, row.sku, row.asin, row.title,
                   Money.from_cents(row.price_cents, row.currency), row.quantity,
                   row.handling_days, row.product_type or "PRODUCT", row.attributes,
                   row.updated_at, row.created_at)


def get_listing(conn: Connection, seller_id: str, sku: str, *, lock: bool = False,
                deleted_too: bool = False) -> Listing | None:
    query = select(listings).where(listings.c.seller_id == seller_id, listings.c.sku == sku)
    if not deleted_too:
        query = query.where(listings.c.deleted_at.is_(None))
    if lock:
        query = query.with_for_update()
    row = conn.execute(query).first()
    return None if row is None else listing_from_row(row)


def _holidays(text: str) -> list[date]:
    return [date.fromisoformat(d) for d in text.split(",") if d]


def seller_listings(conn: Connection, seller_id: str) -> list[Listing]:
    rows = conn.execute(select(listings).where(listings.c.seller_id == seller_id,
                                               listings.c.deleted_at.is_(None))
                        .order_by(listings.c.sku))
    return [listing_from_row(r) for r in rows]


def search_listings(conn: Connection, seller_id: str, *, skus: Collection[str] | None,
                    asins: Collection[str] | None,
                    created: tuple[datetime | None, datetime | None],
                    updated: tuple[datetime | None, datetime | None], buyable: bool | None,
                    sort_by: str, descending: bool, offset: int, limit: int
                    ) -> tuple[list[Listing], int]:
    """A page of a seller's listings matching every filter given (`skus`, `asins`, creation
    and last-update bounds, inclusive; `buyable` True for quantity above 0, False for 0),
    sorted by `sort_by` (sku, created or updated, SKU breaking ties), and how many match."""
    t = listings.c
    created_at = func.coalesce(t.created_at, t.updated_at)
    found = [t.seller_id == seller_id, t.deleted_at.is_(None)]
    if skus is not None:
        found.append(t.sku.in_(list(skus)))
    if asins is not None:
        found.append(t.asin.in_(list(asins)))
    for column, (since, until) in ((created_at, created), (t.updated_at, updated)):
        if since is not None:
            found.append(column >= since)
        if until is not None:
            found.append(column <= until)
    if buyable is not None:
        found.append(t.quantity > 0 if buyable else t.quantity == 0)
    total = conn.execute(select(func.count()).select_from(listings).where(*found)).scalar_one()
    key = {"sku": t.sku, "created": created_at, "updated": t.updated_at}[sort_by]
    order = [key.desc(), t.sku.desc()] if descending else [key.asc(), t.sku.asc()]
    rows = conn.execute(select(listings).where(*found).order_by(*order)
                        .offset(offset).limit(limit))
    return [listing_from_row(r) for r in rows], int(total)


# What the catalog shows of a listing: all but its stored attributes, which may be large and
# which no catalog page shows.
_CATALOG_COLUMNS = [c for c in listings.c if c.name != "attributes"]


def buyable_listings(conn: Connection, search: str | None = None, *,
                     after: tuple[str, str] | None = None, limit: int | None = None,
                     among: Sequence[tuple[str, str]] | None = None) -> list[Listing]:
    """Listings with units for sale, by seller and SKU, without their attributes: with
    `search`, those whose title or SKU contains it (any case; % and _ are letters, not
    wildcards); `after` a (seller, SKU), `limit` at most; `among` only these (seller, SKU)."""
    query = select(*_CATALOG_COLUMNS, null().label("attributes")).where(listings.c.quantity > 0)
    if search:
        pattern = text_search.contains(search)
        query = query.where(or_(
            func.lower(listings.c.title).like(pattern, escape=text_search.ESCAPE),
            func.lower(listings.c.sku).like(pattern, escape=text_search.ESCAPE)))
    if after is not None:
        query = query.where(tuple_(listings.c.seller_id, listings.c.sku) > tuple_(*after))
    if among is not None:
        query = query.where(tuple_(listings.c.seller_id, listings.c.sku).in_(list(among)))
    query = query.order_by(listings.c.seller_id, listings.c.sku)
    if limit is not None:
        query = query.limit(limit)
    return [listing_from_row(r) for r in conn.execute(query)]


def insert_listing(conn: Connection, listing: Listing, at: datetime) -> int:
    result = conn.execute(insert(listings).values(
        seller_id=listing.seller_id, sku=listing.sku, asin=listing.asin, title=listing.title,
        price_cents=listing.price.cents, currency=listing.price.currency,
        quantity=listing.quantity, handling_days=listing.handling_days,
        units_stocked=listing.quantity, units_written_off=0, updated_at=at, created_at=at,
        product_type=listing.product_type, attributes=listing.attributes))
    key = result.inserted_primary_key
    assert key is not None
    return int(key.listing_id)


def update_listing(conn: Connection, listing: Listing, at: datetime) -> None:
    """L3: setting a quantity sets what is available; the difference is stocked or written off."""
    c = listings.c
    new = listing.quantity
    conn.execute(update(listings).where(c.seller_id == listing.seller_id,
                                        c.listing_id == listing.listing_id).values(
        title=listing.title, price_cents=listing.price.cents, handling_days=listing.handling_days,
        product_type=listing.product_type, attributes=listing.attributes, deleted_at=None,
        units_stocked=c.units_stocked + case((c.quantity < new, new - c.quantity), else_=0),
        units_written_off=c.units_written_off + case((c.quantity > new, c.quantity - new),
                                                     else_=0),
        quantity=new, updated_at=at))


def delete_listing(conn: Connection, seller_id: str, listing_id: int, at: datetime) -> None:
    """The listing leaves the inventory and the catalog; what was on sale is written off."""
    c = listings.c
    conn.execute(update(listings).where(c.seller_id == seller_id, c.listing_id == listing_id)
                 .values(units_written_off=c.units_written_off + c.quantity, quantity=0,
                         deleted_at=at, updated_at=at))


def take_stock(conn: Connection, seller_id: str, sku: str, units: int, at: datetime
               ) -> Listing | None:
    """L2: take `units` off the listing in one conditional statement, returning the listing
    as it now is; None when the listing has fewer units (or does not exist). A change of
    stock is a change of the listing (its lastUpdatedDate)."""
    row = _TAKE_STOCK.execute(conn, {"seller": seller_id, "wanted_sku": sku,
                                     "units": units, "at": at}).fetchone()
    if row is None:
        return None
    listing_id, asin, title, price_cents, currency, quantity, handling_days = row
    return Listing(listing_id, seller_id, sku, asin, title, Money.from_cents(price_cents, currency),
                   quantity, handling_days)


def quantities(conn: Connection, keys: Collection[tuple[str, int]]
               ) -> list[tuple[str, str, int]]:
    """(seller, SKU, quantity available) of listings by (seller, listing id)."""
    if not keys:
        return []
    c = listings.c
    rows = conn.execute(select(c.seller_id, c.sku, c.quantity).where(
        tuple_(c.seller_id, c.listing_id).in_(list(keys))).order_by(c.seller_id, c.sku))
    return [(seller_id, sku, int(quantity)) for seller_id, sku, quantity in rows]


def _later(at: datetime) -> Any:
    """The listing's last change, never moved back: a batch of the sweep records its orders'
    effects in lock order, not in the order their deadlines fell due."""
    return case((listings.c.updated_at < at, at), else_=listings.c.updated_at)


def return_stock(conn: Connection, seller_id: str, listing_id: int, units: int,
                 at: datetime) -> None:
    c = listings.c
    conn.execute(update(listings).where(c.seller_id == seller_id, c.listing_id == listing_id)
                 .values(quantity=c.quantity + units, updated_at=_later(at)))


def empty_listing(conn: Connection, seller_id: str, listing_id: int, units_not_returned: int,
                  at: datetime) -> None:
    """L4 NoInventory: the canceled units and what was on sale are written off."""
    c = listings.c
    conn.execute(update(listings).where(c.seller_id == seller_id, c.listing_id == listing_id)
                 .values(units_written_off=c.units_written_off + c.quantity + units_not_returned,
                         quantity=0, updated_at=_later(at)))


_SHIPPING_RATES = DriverStatement(
    select(shipping_rates_table.c.service_level, shipping_rates_table.c.per_shipment_cents,
           shipping_rates_table.c.per_item_cents)
    .where(shipping_rates_table.c.seller_id == bindparam("seller_id")))


def shipping_rates(conn: Connection, seller_id: str) -> dict[str, ShippingRate]:
    """The levels a seller has set; the others charge the defaults. (Read at every checkout,
    so straight through the driver.)"""
    rows = _SHIPPING_RATES.execute(conn, {"seller_id": seller_id}).fetchall()
    return {level: ShippingRate(Money.from_cents(per_shipment), Money.from_cents(per_item))
            for level, per_shipment, per_item in rows}


def set_shipping_rate(conn: Connection, seller_id: str, level: str, rate: ShippingRate) -> None:
    t = shipping_rates_table
    values = {"per_shipment_cents": rate.per_shipment.cents, "per_item_cents": rate.per_item.cents}
    if conn.execute(update(t).where(t.c.seller_id == seller_id, t.c.service_level == level)
                    .values(**values)).rowcount == 0:
        conn.execute(insert(t).values(seller_id=seller_id, service_level=level, **values))

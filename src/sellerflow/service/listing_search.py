"""searchListingsItems (Listings Items 2021-08-01): a seller's listings found by identifiers,
creation and update times and status, sorted and paged as Amazon pages them (at most 20 a
page, 1,000 in all). Every filter of Amazon's model is applied or answered as Amazon would
for listings that have no such thing: sellerflow's listings carry a SKU and an ASIN but no
EAN, GTIN or UPC, have no variation or package relationships and are stored without issues,
so those filters match nothing."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sellerflow.domain import validation
from sellerflow.domain.callers import SELLER_SIDE, Caller
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.model import MARKETPLACE_ID, Listing
from sellerflow.service import page_tokens
from sellerflow.service.context import Marketplace, Work, check_seller
from sellerflow.service.order_search import parse_time
from sellerflow.store import catalog

OPERATION = "searchListingsItems"
MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE = 20, 10
MAX_PAGED = 1000            # Amazon: at most 1,000 listings can be paged through
MAX_IDENTIFIERS = 20
IDENTIFIER_TYPES = ("ASIN", "EAN", "FNSKU", "GTIN", "ISBN", "JAN", "MINSAN", "SKU", "UPC")
STATUSES = ("BUYABLE", "DISCOVERABLE")
SEVERITIES = ("WARNING", "ERROR")
SORTS = {"sku": "sku", "createdDate": "created", "lastUpdatedDate": "updated"}
SORT_ORDERS = ("ASC", "DESC")


@dataclass(frozen=True)
class ListingSearch:
    """The request's parameters as given (text), checked by `search_listings`."""

    marketplace_ids: list[str]
    identifiers: list[str] = field(default_factory=list)
    identifiers_type: str | None = None
    variation_parent_sku: str | None = None
    package_hierarchy_sku: str | None = None
    created_after: str | None = None
    created_before: str | None = None
    last_updated_after: str | None = None
    last_updated_before: str | None = None
    with_issue_severity: list[str] = field(default_factory=list)
    with_status: list[str] = field(default_factory=list)
    without_status: list[str] = field(default_factory=list)
    sort_by: str | None = None
    sort_order: str | None = None
    page_size: str | None = None
    page_token: str | None = None


@dataclass(frozen=True)
class ListingPage:
    listings: tuple[Listing, ...]
    number_of_results: int
    next_token: str | None
    previous_token: str | None


def search_listings(market: Marketplace, caller: Caller, seller_id: str,
                    search: ListingSearch) -> ListingPage:
    caller.require(*SELLER_SIDE, doing="searching a seller's listings")
    _check(search)
    size = (validation.whole_number(search.page_size, "pageSize", 1, MAX_PAGE_SIZE)
            if search.page_size is not None else DEFAULT_PAGE_SIZE)
    created = (parse_time(search.created_after, "createdAfter"),
               parse_time(search.created_before, "createdBefore"))
    updated = (parse_time(search.last_updated_after, "lastUpdatedAfter"),
               parse_time(search.last_updated_before, "lastUpdatedBefore"))
    # The token carries where the page starts and the search it belongs to (the client sends
    # the same parameters again with it).
    query = {k: v for k, v in asdict(search).items() if k != "page_token"}
    offset = 0
    if search.page_token:
        kept = page_tokens.decode(search.page_token, "pageToken", OPERATION)
        if kept.get("search") != query or not isinstance(kept.get("offset"), int):
            raise InvalidInput("pageToken", "belongs to another search: send it with the "
                                            "parameters of the search that gave it")
        offset = kept["offset"]
    buyable, none_match = _status(search)
    identified = search.identifiers_type if search.identifiers else None
    none_match = (none_match or identified not in (None, "SKU", "ASIN")
                  or search.variation_parent_sku is not None
                  or search.package_hierarchy_sku is not None
                  or bool(search.with_issue_severity))

    def read(work: Work) -> ListingPage:
        check_seller(work.conn, caller, seller_id)
        if none_match:
            return ListingPage((), 0, None, None)
        found, total = catalog.search_listings(
            work.conn, seller_id,
            skus=search.identifiers if identified == "SKU" else None,
            asins=search.identifiers if identified == "ASIN" else None,
            created=created, updated=updated, buyable=buyable,
            sort_by=SORTS[search.sort_by or "lastUpdatedDate"],
            descending=(search.sort_order or "DESC") == "DESC", offset=offset,
            limit=max(0, min(size, MAX_PAGED - offset)))
        end = offset + len(found)
        following = (page_tokens.encode({"search": query, "offset": end})
                     if end < min(total, MAX_PAGED) else None)
        previous = (page_tokens.encode({"search": query, "offset": max(0, offset - size)})
                    if offset > 0 else None)
        return ListingPage(tuple(found), total, following, previous)

    return market.read(read)


def _check(search: ListingSearch) -> None:
    """Amazon's refusals: the marketplace, the enums, identifiers with their type, and the
    three ways of naming listings one at a time."""
    if not search.marketplace_ids:
        raise InvalidInput("marketplaceIds", f"is required; this marketplace is {MARKETPLACE_ID}")
    if MARKETPLACE_ID not in search.marketplace_ids:
        raise InvalidInput("marketplaceIds", f"{', '.join(search.marketplace_ids)}: the seller "
                                             f"sells only in {MARKETPLACE_ID}")
    for name, values, allowed in (
            ("identifiersType", [search.identifiers_type] if search.identifiers_type else [],
             IDENTIFIER_TYPES),
            ("withIssueSeverity", search.with_issue_severity, SEVERITIES),
            ("withStatus", search.with_status, STATUSES),
            ("withoutStatus", search.without_status, STATUSES),
            ("sortBy", [search.sort_by] if search.sort_by else [], tuple(SORTS)),
            ("sortOrder", [search.sort_order] if search.sort_order else [], SORT_ORDERS)):
        for value in values:
            if value not in allowed:
                raise InvalidInput(name, f"{value!r} is not one of {', '.join(allowed)}")
    if len(search.identifiers) > MAX_IDENTIFIERS:
        raise InvalidInput("identifiers", f"at most {MAX_IDENTIFIERS} identifiers a search")
    for n, identifier in enumerate(search.identifiers):
        validation.text(identifier, f"identifiers[{n}]", 200)
    if bool(search.identifiers) != bool(search.identifiers_type):
        raise InvalidInput("identifiersType", "identifiers and identifiersType go together: "
                                              "give both (e.g. identifiersType=SKU) or neither")
    named = [name for name, given in (("identifiers", bool(search.identifiers)),
                                      ("variationParentSku", search.variation_parent_sku),
                                      ("packageHierarchySku", search.package_hierarchy_sku))
             if given]
    if len(named) > 1:
        raise InvalidInput(named[1], f"cannot be used with {named[0]}; give one of "
                                     "identifiers, variationParentSku, packageHierarchySku")
    for text, name in ((search.variation_parent_sku, "variationParentSku"),
                       (search.package_hierarchy_sku, "packageHierarchySku")):
        validation.text(text, name, 200)


def _status(search: ListingSearch) -> tuple[bool | None, bool]:
    """(buyable wanted: True, False or either; whether no listing can match). Every listing
    is DISCOVERABLE; BUYABLE ones have units for sale (L3)."""
    wanted, unwanted = set(search.with_status), set(search.without_status)
    if "DISCOVERABLE" in unwanted or "BUYABLE" in wanted & unwanted:
        return None, True
    if "BUYABLE" in wanted:
        return True, False
    if "BUYABLE" in unwanted:
        return False, False
    return None, False

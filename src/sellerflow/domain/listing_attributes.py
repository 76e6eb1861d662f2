"""A listing as Amazon's Listings Items API describes it: product-type attributes, of which
sellerflow reads three (title, price, quantity with handling time) and keeps the rest as given.

    item_name                 [{"value": "Mug", "language_tag": "en_US", "marketplace_id"}]
    purchasable_offer         [{"currency": "USD", "marketplace_id",
                                "our_price": [{"schedule": [{"value_with_tax": 12.5}]}]}]
    fulfillment_availability  [{"fulfillment_channel_code": "DEFAULT", "quantity": 10,
                                "lead_time_to_ship_max_days": 2}]
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

from sellerflow.domain.errors import InvalidInput

READ = ("item_name", "purchasable_offer", "fulfillment_availability")
# The attribute a listing's field is read from, to name it in an issue.
_ATTRIBUTE_OF = {"title": "item_name", "price": "purchasable_offer",
                 "quantity": "fulfillment_availability",
                 "handlingDays": "fulfillment_availability"}


def attribute_named(field: str) -> str:
    """The attribute an issue is about, from the field a refusal names (attributes.x[0].y,
    or a listing's field such as price)."""
    name = field.removeprefix("attributes.").split(".")[0].split("[")[0]
    return _ATTRIBUTE_OF.get(name, name)


@dataclass(frozen=True)
class ListingFields:
    """What the attributes say of the listing; None where they say nothing."""

    title: str | None = None
    price: str | None = None
    quantity: int | None = None
    handling_days: int | None = None


def _first(attributes: dict[str, Any], name: str) -> dict[str, Any] | None:
    value = attributes.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not value or not isinstance(value[0], dict):
        raise InvalidInput(f"attributes.{name}", "must be a list of objects, as in Amazon's "
                                                 "product type definitions")
    first: dict[str, Any] = value[0]
    return first


def _integer(value: Any, field: str) -> int | None:
    if value is None:
        return None
    if (isinstance(value, bool) or not isinstance(value, int | float)
            or not math.isfinite(value) or value != int(value)):
        raise InvalidInput(field, f"{value!r} is not a whole number")
    return int(value)


def read_fields(attributes: Any) -> ListingFields:
    if not isinstance(attributes, dict):
        raise InvalidInput("attributes", "must be an object of product-type attributes")
    title = price = None
    quantity = handling = None
    if (name := _first(attributes, "item_name")) is not None:
        title = name.get("value")
        if not isinstance(title, str):
            raise InvalidInput("attributes.item_name[0].value", "must be the title as text")
    if (offer := _first(attributes, "purchasable_offer")) is not None:
        if offer.get("currency", "USD") != "USD":
            raise InvalidInput("attributes.purchasable_offer[0].currency",
                               f"{offer.get('currency')!r}: this marketplace sells in USD")
        try:
            amount = offer["our_price"][0]["schedule"][0]["value_with_tax"]
        except (KeyError, IndexError, TypeError):
            raise InvalidInput("attributes.purchasable_offer[0].our_price",
                               'give the price as [{"schedule": [{"value_with_tax": 12.50}]}]'
                               ) from None
        if isinstance(amount, bool) or not isinstance(amount, int | float | str):
            raise InvalidInput("attributes.purchasable_offer[0].our_price", f"{amount!r} is "
                                                                            "not an amount")
        price = str(amount)
    if (stock := _first(attributes, "fulfillment_availability")) is not None:
        where = "attributes.fulfillment_availability[0]"
        if stock.get("fulfillment_channel_code", "DEFAULT") != "DEFAULT":
            raise InvalidInput(f"{where}.fulfillment_channel_code",
                               "sellerflow's orders are merchant-fulfilled: use DEFAULT")
        quantity = _integer(stock.get("quantity"), f"{where}.quantity")
        handling = _integer(stock.get("lead_time_to_ship_max_days"),
                            f"{where}.lead_time_to_ship_max_days")
    return ListingFields(title, price, quantity, handling)


def apply_patches(attributes: dict[str, Any], patches: Any) -> dict[str, Any]:
    """JSON-patch `replace` (or `add`, `merge`) and `delete` of whole attributes, at
    `/attributes/<name>`: a new dict, the given one untouched."""
    if not isinstance(patches, list) or not patches:
        raise InvalidInput("patches", "give at least one patch like {\"op\": \"replace\", "
                                      "\"path\": \"/attributes/fulfillment_availability\", "
                                      "\"value\": [...]}")
    result = copy.deepcopy(attributes)
    for n, patch in enumerate(patches):
        where = f"patches[{n}]"
        if not isinstance(patch, dict):
            raise InvalidInput(where, "must be an object with op, path and value")
        op, path = patch.get("op"), patch.get("path")
        if not isinstance(path, str) or not path.startswith("/attributes/") or \
                len(path.split("/")) != 3 or not path.split("/")[2]:
            raise InvalidInput(f"{where}.path", f"{path!r} is not /attributes/<name>")
        name = path.split("/")[2]
        if op in ("replace", "add", "merge"):
            value = patch.get("value")
            if not isinstance(value, list):
                raise InvalidInput(f"{where}.value", "must be the attribute's list of values")
            result[name] = value
        elif op == "delete":
            result.pop(name, None)
        else:
            raise InvalidInput(f"{where}.op", f"{op!r} is not add, replace, merge or delete")
    return result

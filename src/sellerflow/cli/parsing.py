"""Reading the CLI's structured arguments (SELLER:SKU:QTY, JSON addresses, dates)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.placement import CartLine
from sellerflow.flatfile import parse_ship_date


def cart_line(text: str) -> CartLine:
    seller, sep, rest = text.partition(":")
    sku, sep2, quantity = rest.rpartition(":")
    if not (sep and sep2 and seller and sku):
        raise InvalidInput("--item", f"{text!r} is not SELLER:SKU:QTY "
                                     "(e.g. A1B2C3D4E5F6G7:MUG-01:2)")
    return CartLine(seller, sku, whole_number(quantity, f"--item {text}"))


def shipment_line(text: str) -> tuple[str, int]:
    item_id, sep, quantity = text.rpartition(":")
    if not sep or not item_id:
        raise InvalidInput("--item", f"{text!r} is not ORDER_ITEM_ID:QTY (e.g. 12345678901234:1)")
    return item_id, whole_number(quantity, f"--item {text}")


def whole_number(text: str, field: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise InvalidInput(field, f"{text!r} is not a whole number of at least 1")
    return int(text)


MAX_JSON_CHARACTERS = 64 * 1024


def json_object(text: str, field: str) -> Any:
    if len(text) > MAX_JSON_CHARACTERS:
        raise InvalidInput(field, f"{len(text)} characters is more than the "
                                  f"{MAX_JSON_CHARACTERS} an address may have")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(field, f"not valid JSON ({error.msg} at character {error.pos}); "
                                  'give an object like {"Name": "Jane Doe", ...}') from None
    except RecursionError:
        raise InvalidInput(field, "is nested too deeply; an address is one flat JSON object"
                           ) from None
    if not isinstance(value, dict):
        raise InvalidInput(field, "must be a JSON object")
    return value


def output_file(path: Path, field: str) -> Path:
    """A file to write: its folder must exist, checked before any work is done."""
    folder = path.expanduser().resolve().parent
    if not folder.is_dir():
        raise InvalidInput(field, f"folder {folder} does not exist; create it first or write "
                                  "somewhere else")
    if path.is_dir():
        raise InvalidInput(field, f"{path} is a folder; give a file name")
    return path


def ship_date(text: str | None) -> datetime | date | None:
    return None if text is None else parse_ship_date(text, "--ship-date")

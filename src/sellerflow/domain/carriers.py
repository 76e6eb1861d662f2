"""Carriers, ship methods and tracking-number formats (L20)."""

from __future__ import annotations

import re

CARRIER_CODES = (
    "USPS", "UPS", "UPSMI", "FedEx", "DHL", "DHL Global Mail", "Fastway", "UPS Mail Innovations",
    "Lasership", "Royal Mail", "FedEx SmartPost", "OSM", "OnTrac", "Streamlite", "Newgistics",
    "Canada Post", "China Post", "Yanwen", "YunExpress", "4PX", "SF Express", "Other",
)

# The formats carriers publish; a number that fits none is accepted with a warning (L20).
TRACKING_FORMATS: dict[str, re.Pattern[str]] = {
    "UPS": re.compile(r"1Z[0-9A-Z]{16}|T\d{10}|\d{9}|\d{26}"),
    "USPS": re.compile(r"(94|93|92|95|82)\d{20}|\d{20}|\d{22}|[A-Z]{2}\d{9}US"),
    "FedEx": re.compile(r"\d{12}|\d{15}|\d{20}|\d{22}"),
    "DHL": re.compile(r"\d{10,11}|JJD\d{18,20}|[A-Z]{3}\d{7}"),
    # The UPU's S10 number of a Chinese postal item: two letters, nine digits, CN.
    "China Post": re.compile(r"[A-Z]{2}\d{9}CN"),
    "YunExpress": re.compile(r"YT\d{16}"),
    "SF Express": re.compile(r"SF\d{13}|\d{12}"),
}


_BY_LOWER_CASE = {code.lower(): code for code in CARRIER_CODES}


def canonical_carrier(code: str) -> str | None:
    """Amazon's spelling of a carrier code, matched without regard to case."""
    return _BY_LOWER_CASE.get(code.strip().lower())


def tracking_is_valid(carrier_code: str, tracking_number: str) -> bool:
    pattern = TRACKING_FORMATS.get(carrier_code)
    if pattern is None:
        return bool(tracking_number.strip())
    return pattern.fullmatch(tracking_number.strip().upper().replace(" ", "")) is not None

"""Amazon's flat files: reading the shipment-confirmation upload by header name, and the feed
processing report. Pure text handling; no database, no clock."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sellerflow.domain.errors import InvalidInput

SHIPMENT_COLUMNS = ("order-id", "order-item-id", "quantity", "ship-date", "carrier-code",
                    "carrier-name", "tracking-number", "ship-method")
REQUIRED_COLUMNS = ("order-id", "ship-date", "carrier-code")
ORDER_ID = re.compile(r"\d{3}-\d{7}-\d{7}")

# The processing report's error codes: stable numbers, documented in docs/shipment-upload.md.
ERROR_CODES = {
    "missing-value": "10001",
    "unknown-order": "10002",
    "unknown-item": "10003",
    "bad-quantity": "10004",
    "too-many-units": "10005",
    "bad-ship-date": "10006",
    "ship-date-out-of-range": "10007",
    "unknown-carrier": "10008",
    "carrier-name-needed": "10009",
    "missing-tracking": "10010",
    "not-actionable": "10011",
    "bad-order-id": "10012",
    "invalid-tracking": "20001",
    "already-applied": "20002",
}


@dataclass(frozen=True)
class ShipmentRow:
    record_number: int
    cells: dict[str, str]
    upload_key: str

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()


@dataclass
class Problem:
    record_number: int
    order_id: str
    order_item_id: str
    code: str
    error_type: str   # Error or Warning
    message: str


@dataclass
class ProcessingSummary:
    processed: int = 0
    successful: int = 0
    problems: list[Problem] = field(default_factory=list)


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), else ISO-8859-1 as Amazon allows; binary is refused."""
    if b"\x00" in content:
        at = content.index(b"\x00")
        raise InvalidInput("file", f"byte {at} is a NUL: this is not a tab-separated text file")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        text = content.decode("iso-8859-1")
        if any(ord(c) < 32 and c not in "\t\r\n" or 0x7F <= ord(c) < 0xA0 for c in text):
            line = content[:error.start].count(b"\n") + 1
            raise InvalidInput("file", f"line {line}: byte 0x{content[error.start]:02x} is neither "
                                       "UTF-8 nor ISO-8859-1 text; save the file as UTF-8"
                               ) from None
        return text


def parse_shipment_file(content: bytes) -> list[ShipmentRow]:
    """Rows keyed by header name; the header is the first line whose first cell is order-id
    (Seller Central's template adds a TemplateType line and a row of labels before it)."""
    lines = decode(content).splitlines()
    header_at = next((n for n, line in enumerate(lines)
                      if line.split("\t")[0].strip().lower() == "order-id"), None)
    if header_at is None:
        raise InvalidInput("file", "no header row: the file needs a tab-separated header line "
                                   "starting with order-id (" + "\t".join(SHIPMENT_COLUMNS) + ")")
    header = [cell.strip().lower() for cell in lines[header_at].split("\t")]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InvalidInput("file", f"line {header_at + 1}: the header lacks "
                                   f"{', '.join(missing)}; Amazon's columns are "
                                   + " ".join(SHIPMENT_COLUMNS))
    rows: list[ShipmentRow] = []
    seen: dict[str, int] = {}
    for line in lines[header_at + 1:]:
        if not line.strip():
            continue
        cells = line.split("\t")
        values = {name: cells[i].strip() if i < len(cells) else ""
                  for i, name in enumerate(header) if name}
        signature = "\t".join(values.get(c, "") for c in SHIPMENT_COLUMNS)
        seen[signature] = seen.get(signature, 0) + 1
        # The n-th identical row of a file: an upload of the same rows again is recognised.
        key = hashlib.sha256(f"{signature}\t#{seen[signature]}".encode()).hexdigest()
        rows.append(ShipmentRow(len(rows) + 1, values, key))
    return rows


def parse_ship_date(text: str, field_name: str = "ship-date") -> datetime | date:
    """A `yyyy-mm-dd` day, or an ISO 8601 date-time (UTC unless it names an offset)."""
    text = text.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(field_name, f"{text!r} is not a date like 2026-11-26 or "
                                       "2026-11-26T15:00:00Z") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def processing_report(summary: ProcessingSummary) -> str:
    lines = ["Feed Processing Summary:",
             f"\tNumber of records processed\t\t{summary.processed}",
             f"\tNumber of records successful\t\t{summary.successful}", ""]
    if summary.problems:
        lines.append("original-record-number\torder-id\torder-item-id\terror-code\terror-type\t"
                     "error-message")
        for p in sorted(summary.problems, key=lambda p: p.record_number):
            message = p.message.replace("\t", " ").replace("\n", " ")
            lines.append(f"{p.record_number}\t{p.order_id}\t{p.order_item_id}\t{p.code}\t"
                         f"{p.error_type}\t{message}")
    return "\n".join(lines) + "\n"

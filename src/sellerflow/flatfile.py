"""Amazon's flat files: reading an upload (shipment confirmations, order cancellations) by
header name, and the feed processing report. Pure text handling; no database, no clock."""

from __future__ import annotations

import codecs
import difflib
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from sellerflow.domain import validation
from sellerflow.domain.errors import InvalidInput

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
    "bad-reason": "10013",
    "invalid-tracking": "20001",
    "already-applied": "20002",
    "unknown-column": "20003",
    # File-level problems: a record-0 Fatal line, nothing applied.
    "no-header": "90001",
    "missing-column": "90002",
    "not-text": "90003",
}


@dataclass(frozen=True)
class Layout:
    """One kind of upload: its feed type, Amazon's columns in Amazon's order, the ones a file
    must have, and the column naming an order item."""

    feed_type: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    item_column: str
    # Keeps a row's key apart from an equal row of another kind (shipments have none, so the
    # keys of earlier uploads still match).
    key_prefix: str = ""


SHIPMENTS = Layout("POST_FLAT_FILE_FULFILLMENT_DATA",
                   ("order-id", "order-item-id", "quantity", "ship-date", "carrier-code",
                    "carrier-name", "tracking-number", "ship-method"),
                   ("order-id", "ship-date", "carrier-code"), "order-item-id")
CANCELLATIONS = Layout("POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA",
                       ("order-id", "amazon-order-item-code", "cancellation-reason-code"),
                       ("order-id", "cancellation-reason-code"), "amazon-order-item-code",
                       key_prefix="cancel\t")
LAYOUTS = {layout.feed_type: layout for layout in (SHIPMENTS, CANCELLATIONS)}


@dataclass(frozen=True)
class FeedRow:
    record_number: int
    cells: dict[str, str]
    upload_key: str
    item_column: str

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    @property
    def item_id(self) -> str:
        return self.get(self.item_column)


@dataclass
class Problem:
    record_number: int
    order_id: str
    order_item_id: str
    code: str
    error_type: str   # Error, Warning, or Fatal (record 0: the whole file)
    message: str


@dataclass
class ProcessingSummary:
    processed: int = 0
    successful: int = 0
    problems: list[Problem] = field(default_factory=list)


CHUNK = 1 << 20     # a file is read a mebibyte at a time
Chunks = Callable[[], Iterable[bytes]]   # the file's bytes in order, afresh at each call
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def in_chunks(content: bytes) -> Chunks:
    return lambda: (content[at:at + CHUNK] for at in range(0, len(content), CHUNK))


def _encoding(chunks: Chunks) -> tuple[str, str, int]:
    """(encoding, line end, size in bytes) of the file: UTF-8 (with or without BOM),
    else ISO-8859-1 as Amazon allows; binary is refused. Lines end in \\n or \\r\\n, or \\r
    alone in a file that has no \\n."""
    utf8 = codecs.getincrementaldecoder("utf-8-sig")()
    failed_at: tuple[int, int] | None = None    # (line, byte) where UTF-8 failed
    latin1_clean = True
    offset, line = 0, 1
    has_lf = has_cr = False
    for chunk in chunks():
        if b"\x00" in chunk:
            at = offset + chunk.index(b"\x00")
            raise FileProblem("not-text", f"byte {at} is a NUL: this is not a tab-separated "
                                          "text file; save it from the spreadsheet as Text "
                                          "(tab delimited)")
        if failed_at is None:
            # The decoder may hold the start of a character from the part before.
            seen = utf8.getstate()[0] + chunk
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError as error:
                failed_at = (line + seen[:error.start].count(b"\n"), seen[error.start])
        latin1_clean = latin1_clean and _CONTROL_BYTES.search(chunk) is None
        has_lf = has_lf or b"\n" in chunk
        has_cr = has_cr or b"\r" in chunk
        line += chunk.count(b"\n")
        offset += len(chunk)
    if failed_at is None:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            failed_at = (line, 0)
    end = "\n" if has_lf or not has_cr else "\r"
    if failed_at is None:
        return "utf-8-sig", end, offset
    if not latin1_clean:
        raise FileProblem("not-text", f"line {failed_at[0]}: byte 0x{failed_at[1]:02x} is "
                                      "neither UTF-8 nor ISO-8859-1 text; save the file as "
                                      "UTF-8")
    return "iso-8859-1", end, offset


class FileProblem(InvalidInput):
    """The file as a whole cannot be read (no header, a required column missing, not text):
    a record-0 `Fatal` line of the processing report, and nothing applied."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__("file", message, reason=kind)
        self.kind = kind


class FeedFile:
    """An upload read as Amazon reads it: the header is the first line
    holding an `order-id` cell (Seller Central's template puts a TemplateType line and a row
    of labels above it), columns are found by name in any order, and a column Amazon does not
    know is ignored with a warning. The file is read in chunks, row by row, in each pass: a
    large file costs neither its whole text nor an object per row.
    `content`: the file's bytes, or a function giving its chunks afresh (from the database);
    `layout`: which of Amazon's uploads it is."""

    def __init__(self, content: bytes | Chunks, layout: Layout = SHIPMENTS) -> None:
        self.layout = layout
        self._chunks = in_chunks(content) if isinstance(content, bytes) else content
        self._encoding, self._end, self._size = _encoding(self._chunks)
        self._header_at, header = self._find_header()
        self.columns = tuple(header)
        missing = [c for c in layout.required if c not in header]
        if missing:
            raise FileProblem("missing-column",
                              f"line {self._header_at + 1}: the header lacks "
                              f"{', '.join(missing)}; its columns are {_listed(header)}; "
                              f"Amazon's columns are {_listed(layout.columns)}")
        self.unknown = tuple(c for c in header if c and c not in layout.columns)

    def _lines(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(self._encoding)()
        end = self._end
        rest = ""
        for chunk in self._chunks():
            text = rest + decoder.decode(chunk)
            lines = text.split(end)
            rest = lines.pop()
            for line in lines:
                yield line.rstrip("\r")
        rest += decoder.decode(b"", final=True)
        for line in rest.split(end):
            if line:
                yield line.rstrip("\r")

    def _find_header(self) -> tuple[int, list[str]]:
        for n, line in enumerate(self._lines()):
            cells = [cell.strip().lower() for cell in line.split("\t")]
            if "order-id" in cells:
                return n, cells
        raise FileProblem("no-header", "no header row: the file needs a tab-separated line "
                                       "naming its columns, at least "
                                       f"{_listed(self.layout.required)} (Amazon's columns: "
                                       f"{_listed(self.layout.columns)})")

    def unknown_columns_warning(self) -> str | None:
        if not self.unknown:
            return None
        hints = []
        for name in self.unknown:
            close = difflib.get_close_matches(name, self.layout.columns, n=1)
            hints.append(f"{name} (did you mean {close[0]}?)" if close else name)
        return (f"column{'s' if len(hints) > 1 else ''} {', '.join(hints)} "
                f"{'are' if len(hints) > 1 else 'is'} not one of Amazon's and "
                f"{'were' if len(hints) > 1 else 'was'} ignored; "
                f"the columns are {_listed(self.layout.columns)}")

    def _parsed(self) -> Iterator[tuple[dict[str, str], bytes, int]]:
        """Each data row's cells, its signature (its cells in Amazon's column order) and an
        8-byte digest of that."""
        header = self.columns
        layout = self.layout
        for n, line in enumerate(self._lines()):
            if n <= self._header_at or not line.strip():
                continue
            cells = line.split("\t")
            values = {name: cells[i].strip() if i < len(cells) else ""
                      for i, name in enumerate(header) if name}
            signature = (layout.key_prefix
                         + "\t".join(values.get(c, "") for c in layout.columns)).encode()
            yield values, signature, int.from_bytes(hashlib.blake2b(signature,
                                                                   digest_size=8).digest())

    def _maybe_repeated(self) -> set[int]:
        """The digests of rows that may stand more than once in the file: every real repeat,
        and a few false alarms of the Bloom filter that finds them. Counting copies then
        takes memory for these only, not for every row (a 100,000-row file once held 20 MB
        in a dict of all of them)."""
        bits = max(1 << 16, self._size // 2)     # >= 20 bits a row, rows being >= 40 bytes
        bloom = bytearray(bits // 8 + 1)
        found: set[int] = set()
        for _, _, digest in self._parsed():
            places = (digest % bits, (digest >> 21) % bits, (digest >> 42) % bits)
            if all(bloom[p >> 3] >> (p & 7) & 1 for p in places):
                found.add(digest)
            for p in places:
                bloom[p >> 3] |= 1 << (p & 7)
        return found

    def rows(self) -> Iterator[FeedRow]:
        """The data rows in file order, numbered from 1; blank lines are skipped. A row's key
        names its n-th copy in the file, so an upload of the same rows again is recognised
        while identical rows within one file stay rows of their own."""
        repeated = self._maybe_repeated()
        copies: dict[int, int] = {}
        for number, (values, signature, digest) in enumerate(self._parsed(), start=1):
            copy = 1
            if digest in repeated:
                copies[digest] = copy = copies.get(digest, 0) + 1
            key = hashlib.sha256(signature + f"\t#{copy}".encode()).hexdigest()
            yield FeedRow(number, values, key, self.layout.item_column)

    def count(self) -> int:
        return sum(1 for n, line in enumerate(self._lines())
                   if n > self._header_at and line.strip())


def _listed(columns: Iterable[str]) -> str:
    return " ".join(c for c in columns if c) or "(none)"


def parse_ship_date(text: str, field_name: str = "ship-date") -> datetime | date:
    """A `yyyy-mm-dd` day, or an ISO 8601 date-time (UTC unless it names an offset)."""
    text = text.strip()
    moment = validation.iso_time(text, field_name, days=True)
    if len(text) == 10:
        return moment.date()
    return moment.replace(microsecond=0)


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

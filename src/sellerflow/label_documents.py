"""A Buy Shipping label as the document a printer takes (L29): a 4x6-inch PDF with a Code 39
barcode of the tracking number (its bars as fpdf2 encodes them), the same label in ZPL
(Zebra's printer language, its barcode drawn by the printer: Code 128), or a PNG image of it
at 203 dpi (the tracking number as text)."""

from __future__ import annotations

import functools
import io
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

FORMATS = {"PDF": "application/pdf", "ZPL": "application/zpl", "PNG": "image/png"}
SUFFIXES = {"PDF": "pdf", "ZPL": "zpl", "PNG": "png"}
DPI = 203


@dataclass(frozen=True)
class LabelText:
    """What a label says."""

    carrier: str
    service: str
    tracking_number: str
    ship_from: tuple[str, ...]
    ship_to: tuple[str, ...]
    order_id: str
    ship_date: datetime
    billed_pounds: int

    def lines(self) -> list[tuple[str, str]]:
        """(kind, text) from top to bottom: kind is big, small or rule."""
        return [("big", f"{self.carrier}  {self.service}"), ("rule", ""),
                ("small", "FROM:"), *(("small", line) for line in self.ship_from), ("rule", ""),
                ("small", "SHIP TO:"), *(("big", line) for line in self.ship_to), ("rule", ""),
                ("small", f"Order {self.order_id}   Ship date {self.ship_date:%Y-%m-%d}   "
                          f"{self.billed_pounds} lb"),
                ("small", f"TRACKING # {self.tracking_number}")]


def render(label: LabelText, fmt: str) -> bytes:
    """The label in PDF, ZPL or PNG."""
    if fmt == "PDF":
        return _pdf(label)
    if fmt == "ZPL":
        return _zpl(label)
    return _png(label)


def _latin(text: str) -> str:
    # A label font's characters: what Latin-1 lacks prints as "?" rather than failing.
    return text.encode("latin-1", "replace").decode("latin-1")


class _Bars(threading.local):
    """The bars of a Code 39 barcode, as fpdf2 draws them: its own drawing of the code, with
    each bar kept (x, width, in module widths) instead of drawn. One per thread, made on its
    first label: fpdf2 is loaded only when a PDF label is asked for."""

    recorder: Any = None
    bars: list[tuple[float, float]]

    def _start(self) -> None:
        from fpdf import FPDF

        bars: list[tuple[float, float]] = []

        class Recorder(FPDF):
            def rect(self, x: float, y: float, w: float, h: float,
                     *args: object, **kwargs: object) -> None:
                bars.append((x, w))

        self.bars = bars
        self.recorder = Recorder()
        self.recorder.add_page()

    def of(self, text: str) -> list[tuple[float, float]]:
        if self.recorder is None:
            self._start()
        self.bars.clear()
        self.recorder.code39(f"*{text}*", x=0, y=0, w=3, h=1)   # a wide bar is 3 narrow
        return list(self.bars)


_BARS = _Bars()
POINTS = 72        # a PDF's unit: a point, 1/72 inch


def _pdf_text(text: str) -> str:
    """A PDF string of the standard fonts' characters (Latin-1), its delimiters escaped."""
    latin = _latin(text)
    return latin.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _pdf(label: LabelText) -> bytes:
    """A 4x6-inch page in the PDF's own words: Helvetica (a standard font, nothing embedded),
    the rules and the barcode's bars as filled rectangles. Written directly: a label is
    bought as often as a shipment is confirmed, and a layout library took four times as
    long as the rest of the purchase."""
    width, height = 4 * POINTS, 6 * POINTS
    ops = []
    y = height - 0.25 * POINTS
    for kind, text in label.lines():
        if kind == "rule":
            ops.append(f"{0.2 * POINTS:.2f} {y - 5:.2f} {3.6 * POINTS:.2f} 1.5 re f")
            y -= 0.15 * POINTS
            continue
        size = 13 if kind == "big" else 9
        y -= size * 1.2
        font = "/F2" if kind == "big" else "/F1"
        ops.append(f"BT {font} {size} Tf {0.2 * POINTS:.2f} {y:.2f} Td "
                   f"({_pdf_text(text)}) Tj ET")
        y -= 3
    bars = _BARS.of(label.tracking_number)
    # Points per narrow bar: the code as wide as the page's margins allow, at most one.
    module = min(1.0, 3.5 * POINTS / (bars[-1][0] + bars[-1][1]))
    bottom, bar_height = y - 0.25 * POINTS - 0.8 * POINTS, 0.8 * POINTS
    left = 0.25 * POINTS
    ops += [f"{left + x * module:.2f} {bottom:.2f} {w * module:.2f} {bar_height:.2f} re"
            for x, w in bars]
    ops.append("f")
    content = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] "
         "/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>").encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
        b"/Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        ("<< /Title (" + _pdf_text(f"Shipping label {label.tracking_number}") + ") >>"
         ).encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, len(objects), xref))
    return bytes(out)


def _zpl(label: LabelText) -> bytes:
    def field(text: str) -> str:
        # ^ and ~ start ZPL commands: a field never carries them.
        return text.replace("^", " ").replace("~", " ")

    commands = ["^XA", "^CI28", "^PW812", "^LL1218"]
    y = 40
    for kind, text in label.lines():
        if kind == "rule":
            commands.append(f"^FO30,{y + 5}^GB750,3,3^FS")
            y += 25
            continue
        size = 40 if kind == "big" else 26
        commands.append(f"^FO30,{y}^A0N,{size},{size}^FD{field(text)}^FS")
        y += size + 10
    commands += ["^BY3", f"^FO60,{y + 30}^BCN,180,Y,N,N^FD{field(label.tracking_number)}^FS",
                 "^XZ"]
    return ("\n".join(commands) + "\n").encode()


@functools.cache
def _font(size: int) -> Any:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _png(label: LabelText) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("1", (4 * DPI, 6 * DPI), 1)
    draw = ImageDraw.Draw(image)
    fonts = {"big": _font(34), "small": _font(22)}
    y = 30
    for kind, text in label.lines():
        if kind == "rule":
            draw.rectangle((20, y + 6, 4 * DPI - 20, y + 9), fill=0)
            y += 24
            continue
        draw.text((24, y), text, font=fonts[kind], fill=0)
        y += (44 if kind == "big" else 30)
    draw.text((24, y + 40), label.tracking_number, font=_font(46), fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(DPI, DPI))
    return out.getvalue()

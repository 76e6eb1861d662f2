"""The shipment file read in parts gives exactly the rows of the file read whole (L21)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sellerflow import flatfile
from sellerflow.flatfile import FeedFile, FileProblem

cells = st.text(alphabet=st.characters(exclude_characters="\t\r\n\x00", max_codepoint=0x2FF),
                max_size=6)
rows = st.lists(st.lists(cells, min_size=3, max_size=3), max_size=8)


def _read(content: bytes | flatfile.Chunks) -> object:
    """The rows and their count, or the file-level problem."""
    try:
        file = FeedFile(content)
        return [(r.record_number, r.cells, r.upload_key) for r in file.rows()], file.count()
    except FileProblem as problem:
        return problem.kind, problem.message


@given(rows=rows, end=st.sampled_from(["\n", "\r\n", "\r"]), size=st.integers(1, 9),
       encoding=st.sampled_from(["utf-8", "iso-8859-1"]))
def test_L21_a_file_read_in_parts_reads_as_the_whole(rows: list[list[str]], end: str,
                                                     size: int, encoding: str) -> None:
    text = end.join(["order-id\tship-date\tcarrier-code", *("\t".join(r) for r in rows)]) + end
    content = text.encode(encoding, errors="replace")
    parts = _read(lambda: (content[at:at + size] for at in range(0, len(content), size)))
    assert parts == _read(content)


def test_L21_a_non_text_byte_in_a_later_part_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flatfile, "CHUNK", 4)
    with pytest.raises(FileProblem) as problem:
        FeedFile(b"order-id\tship-date\tcarrier-code\nabc\x00\n")
    assert problem.value.kind == "not-text" and "byte 35" in problem.value.message


@given(st.lists(st.sampled_from(["a\tb\tc", "a\tb\td", "x\ty\tz", "a\t b\tc"]), max_size=30))
def test_L21_the_nth_copy_of_a_row_has_a_key_of_its_own(lines: list[str]) -> None:
    content = ("order-id\tship-date\tcarrier-code\n" + "\n".join(lines) + "\n").encode()
    keys = [row.upload_key for row in FeedFile(content).rows()]
    # The same keys as counting every row's copies in full.
    seen: dict[str, int] = {}
    expected = []
    for line in lines:
        order_id, ship_date, carrier = (cell.strip() for cell in line.split("\t"))
        # Amazon's column order: order-id, order-item-id, quantity, ship-date, carrier-code,
        # carrier-name, tracking-number, ship-method.
        signature = "\t".join([order_id, "", "", ship_date, carrier, "", "", ""])
        seen[signature] = seen.get(signature, 0) + 1
        expected.append(hashlib.sha256(f"{signature}\t#{seen[signature]}".encode()).hexdigest())
    assert keys == expected and len(set(keys)) == len(keys)

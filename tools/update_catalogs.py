"""Refresh the console's catalogs after a page's text changed: extract the messages into
messages.pot, then bring en and zh_CN up to date with it (English is its own message; a new
Chinese message is left empty, and `--check` fails while any is).

    .venv/bin/python tools/update_catalogs.py [--check]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "src/sellerflow/locales"
POT = LOCALES / "messages.pot"


def extract() -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    str(ROOT / "babel.cfg"), "-k", "N_", "-k", "Phrase", "--no-location",
                    "--sort-output", "--omit-header", "-o", str(POT), str(ROOT)], check=True,
                   capture_output=True)


def update(locale: str) -> list[str]:
    """The catalog brought up to date with the template; the message ids still untranslated."""
    path = LOCALES / locale / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    old: dict[object, object] = {}
    if path.exists():
        with path.open("rb") as f:
            old = {m.id: m.string for m in read_po(f, locale=locale) if m.id}
    with POT.open("rb") as f:
        catalog = read_po(f)
    catalog.locale = locale
    missing = []
    for message in catalog:
        if not message.id:
            continue
        if locale == "en":
            message.string = message.id
        else:
            found = old.get(message.id, message.string)
            if message.pluralizable:     # as many forms as the language has (Chinese: one)
                forms = tuple(found) if isinstance(found, (tuple, list)) else (found,)
                found = (forms + ("",) * catalog.num_plurals)[:catalog.num_plurals]
            message.string = found
            if not (all(found) if isinstance(found, tuple) else found):
                missing.append(str(message.id))
    with path.open("wb") as f:
        write_po(f, catalog, omit_header=True, no_location=True, sort_output=True, width=100)
    return missing


def main() -> None:
    extract()
    missing = update("en") + update("zh_CN")
    if missing:
        print("untranslated in zh_CN:\n  " + "\n  ".join(missing))
        if "--check" in sys.argv:
            raise SystemExit(1)


if __name__ == "__main__":
    main()

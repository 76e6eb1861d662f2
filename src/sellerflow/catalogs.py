"""The product's languages: the gettext catalogs (English and Simplified Chinese) of every text
a person reads outside the wire formats: the console's pages, the engine's messages written as
phrases (domain/text.py) and the e-mails. Each is compiled in memory from its .po file the
first time it is asked for (there is no build step)."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.support import Translations

LANGUAGES = ("en", "zh_CN")
DEFAULT = "en"
FOLDER = Path(__file__).parent / "locales"


@cache
def catalog(language: str) -> Translations:
    """A language's catalog (English for a language sellerflow does not have)."""
    # Babel's catalog readers are imported here: a command that reads no catalog skips them.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    if language not in LANGUAGES:
        language = DEFAULT
    path = FOLDER / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        messages = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return Translations(compiled)


def language_of(value: str | None) -> str:
    """One of LANGUAGES for a stored or asked-for language; English when it is none of them."""
    return value if value in LANGUAGES else DEFAULT

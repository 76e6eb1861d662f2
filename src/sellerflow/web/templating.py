"""The Jinja2 environment of one language: its catalog, the date and money filters, and text
translated while a template compiles.

Each language has an environment of its own, so a message written as a literal,
`{{ _("Manage Orders") }}`, has one translation for the life of the process: it is put into
the compiled template as text, and a page spends nothing on it when it renders. Only
messages with values to fill (`_("Page %(page)s", page=n)`, `{% trans count=n %}`) are
translated as the page renders."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.runtime import Context
from markupsafe import Markup, escape

from sellerflow.domain.model import OrderStatus
from sellerflow.domain.money import Money
from sellerflow.domain.pending import PendingStage
from sellerflow.domain.text import Phrase
from sellerflow.web import i18n, labels

TEMPLATES = Path(__file__).parent / "templates"
TRANSLATIONS = "sellerflow_translations"     # the environment's catalog, for the extension


def environment_for(locale: str) -> Environment:
    environment = Environment(loader=FileSystemLoader(TEMPLATES),
                              autoescape=select_autoescape(["html"]),
                              extensions=["jinja2.ext.i18n", ConstantMessages],
                              trim_blocks=True, lstrip_blocks=True,
                              # Templates ship with the package: not checked on the disk on
                              # every render (a page and its parents cost ~0.3 ms of stats).
                              auto_reload=False)
    translations = i18n.load(locale)
    setattr(environment, TRANSLATIONS, translations)
    gettext, ngettext = plain_gettext(translations)
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=False)
    # Jinja's own `_` looks gettext up in the template context on every call.
    environment.globals["_"] = gettext
    # Filters rather than methods of `fmt`: a filter is called directly, a method through
    # the template context (a page of orders formats a hundred dates).
    environment.filters.update(when=_when, day=_day, money=_money)
    environment.globals["days"] = _days
    environment.globals["say"] = _say
    # A function rather than a macro: Manage Orders says it on every Pending row.
    environment.globals["pending_note"] = _pending_note
    # A colon after a label, as the language writes it (Chinese: full width, no space).
    environment.globals["colon"] = "：" if locale.startswith("zh") else ": "
    environment.globals.update({
        name: {k: translations.gettext(v) for k, v in texts.items()}
        for name, texts in (("status_names", labels.STATUS), ("cause_names", labels.CAUSE),
                            ("level_names", labels.LEVELS), ("rule_texts", labels.RULES),
                            ("reason_names", labels.REASONS),
                            ("carrier_names", labels.CARRIERS),
                            ("package_names", labels.PACKAGE), ("scan_names", labels.SCANS),
                            ("upload_error_texts", labels.UPLOAD_ERRORS))})
    return environment


def plain_gettext(translations: Translations) -> tuple[Callable[..., str], Callable[..., str]]:
    """gettext and ngettext that fill `%(name)s` from keyword arguments (a `{% trans %}`
    block fills its own); their text is escaped on output like any other value."""

    def gettext(message: str, **values: Any) -> str:
        text = translations.gettext(message)
        return text % values if values else text

    def ngettext(singular: str, plural: str, n: int, **values: Any) -> str:
        text = translations.ngettext(singular, plural, n)
        return text % values if values else text

    return gettext, ngettext


class ConstantMessages(Extension):
    """Rewrites `_("literal")` (a single string, nothing to fill) into the literal's
    translation while the template is lexed."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        translations: Translations = getattr(self.environment, TRANSLATIONS)
        pending: list[Token] = []      # a beginning of `_ ( "text" )`
        for token in stream:
            pending.append(token)
            if [t.type for t in pending] == _CALL[:len(pending)] and pending[0].value == "_":
                if len(pending) == len(_CALL):
                    yield Token(token.lineno, "string", translations.gettext(pending[2].value))
                    pending = []
                continue
            # Not such a call: pass the tokens on, but a last `_` may begin one.
            restart = token.type == "name" and token.value == "_"
            yield from pending[:-1] if restart else pending
            pending = [token] if restart else []
        yield from pending


_CALL = ["name", "lparen", "string", "rparen"]


@pass_context
def _when(context: Context, moment: datetime | None) -> str:
    formats: i18n.Formats = context["fmt"]
    return formats.when(moment)


@pass_context
def _day(context: Context, moment: datetime | date | None) -> str:
    formats: i18n.Formats = context["fmt"]
    return formats.day(moment)


@pass_context
def _pending_note(context: Context, stage: PendingStage) -> str:
    """Where a Pending order waits: the buyer-cancel hold (its end, the minutes left) or
    payment verification (up to its limit)."""
    translations: Translations = getattr(context.environment, TRANSLATIONS)
    formats: i18n.Formats = context["fmt"]
    if stage.stage == "hold":
        return translations.gettext(labels.PENDING_HOLD) % {
            "minutes": int(stage.length.total_seconds() // 60),
            "time": formats.when(stage.until),
            "left": int((stage.left.total_seconds() + 59) // 60)}
    return translations.gettext(labels.PENDING_VERIFICATION) % {
        "days": stage.length.days, "date": formats.day(stage.until)}


@pass_context
def _days(context: Context, first: datetime | date, last: datetime | date) -> str:
    """A range of days; one day written once when both ends fall on it."""
    formats: i18n.Formats = context["fmt"]
    start, end = formats.day(first), formats.day(last)
    return start if start == end else f"{start} – {end}"


@pass_context
def _money(context: Context, money: Money) -> str:
    formats: i18n.Formats = context["fmt"]
    return formats.money(money.amount, money.currency)


@pass_context
def _say(context: Context, phrase: Phrase | None) -> Markup:
    """A phrase in the page's language, its values written the reader's way (a time in their
    zone, money in their format, a status by its name); in English if the catalog's
    translation does not fit its values. A value given as text is real data (an order id, a
    SKU, what the seller typed): it is marked so (`data-real`) and never translated."""
    if phrase is None:
        return Markup("")
    translations: Translations = getattr(context.environment, TRANSLATIONS)
    text = translations.gettext(phrase.template)
    try:
        return _filled(text, phrase, context)
    except (KeyError, TypeError, ValueError):
        return _filled(phrase.template, phrase, context)


def _filled(text: str, phrase: Phrase, context: Context) -> Markup:
    formats: i18n.Formats = context["fmt"]
    statuses: dict[str, str] = context["status_names"]
    shown: dict[str, Any] = {}
    for name, value in phrase.values.items():
        if isinstance(value, OrderStatus):
            value = statuses.get(value.value, value.value)
        elif isinstance(value, datetime):
            value = formats.when(value)
        elif isinstance(value, date):
            value = formats.day(value)
        elif isinstance(value, Money):
            value = formats.money(value.amount, value.currency)
        else:
            quoted = f"%({name})r"
            if quoted in text:
                text, value = text.replace(quoted, f"%({name})s"), repr(value)
            value = _REAL.format(value)
        shown[name] = value
    return escape(text) % shown


_REAL = Markup('<span translate="no" data-real>{}</span>')

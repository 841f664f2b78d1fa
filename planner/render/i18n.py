"""The language of one render: its message catalog (gettext, through Babel) and its number,
money and date formats (Babel's CLDR data).

English is the source language: its messages are the msgids and its numbers keep Python's
formats, so an English render is exactly what it was before translation. Another language
reads its catalog, `planner/locale/<lang>/LC_MESSAGES/planner.po`, compiled in memory the
first time it is used (no compiled file in the repository that could fall out of date).

The language is chosen per render: `speaking(lang)` sets it for the duration of one render
(a context variable, reset when the render ends), so renders in different languages in one
process, or in threads, never see each other's language.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

LANGUAGES = ("en", "fr")
DOMAIN = "planner"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


@dataclass(frozen=True)
class Lang:
    """A language: its code, catalog and CLDR locale (None: English with Python's formats)."""

    code: str
    translations: gettext.NullTranslations
    locale: Locale | None


def catalog_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def lang(code: str) -> Lang:
    """The language `code` (one of LANGUAGES), its catalog compiled once per process."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; known: {', '.join(LANGUAGES)}")
    if code == "en":
        return Lang("en", gettext.NullTranslations(), None)
    with catalog_path(code).open("rb") as po:
        catalog = read_po(po, locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Lang(code, Translations(compiled, domain=DOMAIN), Locale.parse(code))


_CURRENT: ContextVar[Lang | None] = ContextVar("planner_render_lang", default=None)


def current() -> Lang:
    """The language of the render under way (English outside any)."""
    return _CURRENT.get() or lang("en")


@contextmanager
def speaking(code: str) -> Iterator[Lang]:
    """Render in language `code` inside the block; the previous language is restored after."""
    token = _CURRENT.set(lang(code))
    try:
        yield current()
    finally:
        _CURRENT.reset(token)


def _(message: str, /, **values: object) -> str:
    """`message` in the current language, its `{name}` placeholders filled from `values`."""
    text = current().translations.gettext(message)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, /, **values: object) -> str:
    """The singular or plural form for `n` in the current language, placeholders filled
    (`n` is one of them)."""
    text = current().translations.ngettext(singular, plural, n)
    return text.format(n=n, **values)


def _pattern(spec: str) -> str | None:
    """A CLDR decimal pattern for a Python format spec ('.2f', ',.2f', '.0f', 'g', ',.6g')."""
    spec = spec.lstrip(",")
    if spec.endswith("f"):
        digits = int(spec[1:-1] or 6)
        return "#,##0" + ("." + "0" * digits if digits else "")
    if spec.endswith("g"):
        return "#,##0.######"
    return None


def num(value: float, spec: str = "g") -> str:
    """A number as the current language writes it: Python's `format(value, spec)` in
    English, the locale's separators otherwise (2.5 -> '2,5', 1234.5 -> '1 234,5')."""
    locale = current().locale
    if locale is None:
        return format(value, spec)
    return format_decimal(value, format=_pattern(spec), locale=locale, group_separator=True)


def is_english() -> bool:
    return current().locale is None


def long_date(value: dt.date | str) -> str:
    """A date as a reader writes it: ISO in English (as before), '1 juillet 2027' in French."""
    locale = current().locale
    if locale is None:
        return str(value)
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return format_date(day, format="long", locale=locale)


def euros(value: float, digits: int = 2, signed: bool = False) -> str:
    """Euros in the current (non-English) locale: 1234.56 -> '1 234,56 €'; `signed` puts a
    '+' before a positive amount (a negative one always has its '-')."""
    from babel.numbers import format_currency

    locale = current().locale or Locale.parse("en")
    value = round(value, digits) + 0.0
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "\u00a0¤"
    text = format_currency(abs(value), "EUR", format=pattern, locale=locale, currency_digits=False)
    return sign + text

"""The languages of the reports: the French catalog is complete and current, French numbers,
money and dates, and the language is the render's own (English and French in one process)."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from planner.render.i18n import (
    _,
    catalog_path,
    current,
    euros,
    lang,
    long_date,
    ngettext,
    num,
    speaking,
)
from planner.render.templating import count, eur, pct

ROOT = Path(__file__).resolve().parents[2]
_BRACES = re.compile(r"\{(\w+)\}")
_PERCENT = re.compile(r"%\((\w+)\)s")


def _extracted() -> set[str | tuple[str, str]]:
    """Every message of the sources and templates, as `pybabel extract -F babel.cfg` finds
    them (with the keywords N_ and _label)."""
    from babel.messages.extract import DEFAULT_KEYWORDS

    keywords = {**DEFAULT_KEYWORDS, "N_": None, "_label": None}
    ids: set[str | tuple[str, str]] = set()
    with (ROOT / "babel.cfg").open() as cfg:
        from babel.messages.frontend import parse_mapping_cfg

        method_map, options_map = parse_mapping_cfg(cfg)  # type: ignore[no-untyped-call]
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        ids.add(message if isinstance(message, str) else (message[0], message[1]))
    return ids


def _catalog() -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    with catalog_path("fr").open("rb") as po:
        catalog = read_po(po, locale="fr")
    out: dict[str | tuple[str, str], str | tuple[str, ...]] = {}
    for m in catalog:
        if m.id:
            key = m.id if isinstance(m.id, str) else (m.id[0], m.id[1])
            out[key] = m.string if isinstance(m.string, str) else tuple(m.string or ())
    return out


def test_french_catalog_has_every_message_and_no_stale_one() -> None:
    extracted, catalog = _extracted(), _catalog()
    assert sorted(map(str, extracted - catalog.keys())) == []  # untranslated
    assert sorted(map(str, catalog.keys() - extracted)) == []  # no longer used
    assert [k for k, v in catalog.items() if not all(v if isinstance(v, tuple) else [v])] == []


def test_french_catalog_has_each_message_once() -> None:
    """A message given twice would be translated by whichever entry the reader keeps."""
    ids = re.findall(r'^msgid "(.+)"$', catalog_path("fr").read_text(encoding="utf-8"), re.M)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_every_translation_keeps_the_placeholders_of_its_message() -> None:
    """French plural forms: the first for 0 and 1 (the English singular), the second above."""
    for key, string in _catalog().items():
        sources = [key] if isinstance(key, str) else list(key)
        strings = [string] if isinstance(string, str) else list(string)
        for source, text in zip(sources, strings, strict=True):
            for pattern in (_BRACES, _PERCENT):
                assert set(pattern.findall(source)) == set(pattern.findall(text)), (key, text)


def test_french_numbers_money_and_dates() -> None:
    with speaking("fr"):
        assert euros(1234.56) == "1\u202f234,56\u00a0€"
        assert eur(-1234.5, signed=True) == "-1\u202f234,50\u00a0€"
        assert eur(2.0, signed=True) == "+2,00\u00a0€"
        assert eur(0.0, signed=True) == "0,00\u00a0€"
        assert euros(0.0123, 4) == "0,0123\u00a0€"
        assert count(4447) == "4\u202f447"
        assert pct(12.345) == "12,35\u00a0%"  # rounded half away: 12.345 -> 12.35 as in English
        assert num(2.5) == "2,5" and num(20.0) == "20" and num(1234.25, ".1f") == "1\u202f234,2"
        assert long_date("2027-07-01") == "1 juillet 2027"
        assert _("monthly budget {limit}", limit="x") == "budget mensuel x"
        assert (
            ngettext(
                "{count} may no longer run on {site} ({amount} / month)",
                "{count} may no longer run on {site} ({amount} / month)",
                1,
                count="1",
                site="s",
                amount="a",
            )
            == "1 ne peut plus tourner sur s (a / mois)"
        )


def test_english_keeps_python_formats() -> None:
    assert eur(1234.5) == "€1,234.50" and eur(-1.0, signed=True) == "-€1.00"
    assert count(4447) == "4,447" and pct(12.345) == "12.35 %" and num(2.5) == "2.5"
    assert long_date("2027-07-01") == "2027-07-01"


def test_the_language_is_the_renders_own() -> None:
    assert current().code == "en"
    with speaking("fr"):
        assert _("none") == "aucun"
        with speaking("en"):
            assert _("none") == "none"
        assert _("none") == "aucun"
    assert current().code == "en" and _("none") == "none"
    seen: list[str] = []

    def other_thread() -> None:  # a thread does not inherit a render's language
        seen.append(_("none"))

    with speaking("fr"):
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
    assert seen == ["none"]


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language 'de'; known: en, fr"):
        lang("de")

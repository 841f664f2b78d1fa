"""The Jinja2 environment: packaged templates, optionally overridden from a directory."""

from __future__ import annotations

from pathlib import Path

import jinja2

from planner.render.i18n import current, euros, is_english, long_date, num
from planner.render.wording import (
    commitment_text,
    commitments_text,
    cut_text,
    demand_text,
    lockin_text,
    reason_text,
    refusal_text,
    savings_text,
    shadow_text,
    sizing_how_text,
    sizing_summary_text,
    sizing_text,
    timing_text,
)

_PACKAGED = Path(__file__).resolve().parent.parent / "_templates"
_SOURCE = Path(__file__).resolve().parent.parent.parent / "templates"


def templates_dir() -> Path:
    """Templates shipped in the wheel, or the repository's templates/ in a source checkout."""
    return _PACKAGED if _PACKAGED.is_dir() else _SOURCE


def eur(value: float | None, signed: bool = False) -> str:
    """1234.5 -> '€1,234.50'; signed: '+€1,234.50' / '-€1,234.50' (French: '1 234,50 €')."""
    if value is None:
        return _na()
    if not is_english():
        return euros(value, signed=signed)
    value = round(value, 2) + 0.0
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    return f"{sign}€{abs(value):,.2f}"


def count(value: int) -> str:
    """4447 -> '4,447': every count a person reads, with the same separator as money."""
    return f"{value:,}" if is_english() else num(value, ",.0f")


def _na() -> str:
    return current().translations.gettext("n/a")


def pct(value: float | None, signed: bool = False) -> str:
    """12.345 -> '12.35 %' (French: '12,35 %'); signed: '+12.35 %'."""
    if value is None:
        return _na()
    value = round(value, 2) + 0.0
    if not is_english():
        return ("+" if signed and value > 0 else "") + num(value, ".2f") + "\u00a0%"
    return f"{value:+.2f} %" if signed else f"{value:.2f} %"


def number(value: float, spec: str = "g") -> str:
    """A number in the render's language, `spec` a Python format ('g', '.2f', '.4f')."""
    return num(value, spec)


def environment(override_dir: str | None = None, autoescape: bool = False) -> jinja2.Environment:
    """An environment that looks in `override_dir` first, then in the packaged templates."""
    loaders: list[jinja2.BaseLoader] = []
    if override_dir:
        loaders.append(jinja2.FileSystemLoader(override_dir))
    loaders.append(jinja2.FileSystemLoader(str(templates_dir())))
    env = jinja2.Environment(
        extensions=["jinja2.ext.i18n"],
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    translations = current().translations
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translations.gettext, translations.ngettext, newstyle=True
    )
    env.globals["lang"] = current().code  # the page's language: <html lang="...">
    env.filters["eur"] = eur
    env.filters["number"] = number
    env.filters["date"] = long_date
    env.filters["pct"] = pct
    env.filters["count"] = count
    env.filters["reason_text"] = reason_text
    env.filters["refusal_text"] = refusal_text
    env.filters["shadow_text"] = shadow_text
    env.filters["cut_text"] = cut_text
    env.filters["timing_text"] = timing_text
    env.filters["commitment_text"] = commitment_text
    env.filters["commitments_text"] = commitments_text
    env.filters["lockin_text"] = lockin_text
    env.filters["sizing_text"] = sizing_text
    env.filters["sizing_summary_text"] = sizing_summary_text
    env.filters["sizing_how_text"] = sizing_how_text
    env.filters["savings_text"] = savings_text
    env.filters["demand_text"] = demand_text
    from planner.render.report import budget_view, owner_lines

    env.globals["budget_view"] = budget_view
    env.globals["owner_lines"] = owner_lines
    return env

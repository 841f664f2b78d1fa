"""The format enum, the registry of plan renderers, and the one entry point to them."""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from enum import StrEnum
from typing import Any

import jinja2

from planner.controls import printable
from planner.errors import InputError, InputIssue
from planner.plan.document import Plan


class Format(StrEnum):
    """Every output format of the planner's commands; each command takes a subset."""

    text = "text"
    json = "json"
    html = "html"
    md = "md"
    csv = "csv"
    xlsx = "xlsx"

    @property
    def binary(self) -> bool:
        """Whether the format is bytes (a workbook), not text."""
        return self in BINARY_FORMATS

    @classmethod
    def parse(cls, name: str) -> Format:
        """A format by name; `markdown` is another name for `md`."""
        name = name.strip().lower()
        return cls(_ALIASES.get(name, name))


_ALIASES = {"markdown": "md"}
BINARY_FORMATS = frozenset({Format.xlsx})


# (plan, override templates folder) -> text, or bytes for a binary format
PlanRenderer = Callable[[Plan, str | None], str | bytes]


def renderers() -> dict[Format, PlanRenderer]:
    """The registry: one renderer per plan format, each in its own module (imported on use,
    so a command pays only for the format it writes)."""
    from planner.render.csv_format import render_csv
    from planner.render.html import render_html
    from planner.render.json_format import render_json
    from planner.render.markdown import render_markdown
    from planner.render.text import render_text
    from planner.render.xlsx_format import render_xlsx

    return {
        Format.text: render_text,
        Format.json: render_json,
        Format.html: render_html,
        Format.md: render_markdown,
        Format.csv: render_csv,
        Format.xlsx: render_xlsx,
    }


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line a rendering error came from."""
    where: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(".j2"):
            where = (frame.filename, frame.lineno)
    return where


def render(
    plan: Plan,
    fmt: Format,
    templates: str | None = None,
    summary: bool = False,
    lang: str = "en",
    csv_dialect: str = "rfc4180",
) -> str:
    """Render a plan in one text format (`summary`: the text plan's summary alone) and
    language (`lang`, one of planner.render.i18n.LANGUAGES; the JSON plan is the same in every
    language); a broken override template is an input error. A binary format is
    `render_bytes`'s."""
    from planner.render.i18n import speaking

    if fmt.binary:
        raise ValueError(f"{fmt.value} is a binary format: use render_bytes")
    with speaking(lang):
        return _render(plan, fmt, templates, summary, csv_dialect)


def render_bytes(plan: Plan, fmt: Format, lang: str = "en") -> bytes:
    """Render a plan in one binary format (a workbook), in language `lang`."""
    from planner.render.i18n import speaking

    if not fmt.binary:
        raise ValueError(f"{fmt.value} is a text format: use render")
    with speaking(lang):
        out = renderers()[fmt](plan, None)
    assert isinstance(out, bytes)
    return out


def render_output(
    plan: Plan,
    fmt: Format,
    templates: str | None = None,
    summary: bool = False,
    lang: str = "en",
    csv_dialect: str = "rfc4180",
) -> str | bytes:
    """What a command writes for `--format fmt`: text, or bytes for a binary format."""
    if fmt.binary:
        return render_bytes(plan, fmt, lang)
    return render(plan, fmt, templates, summary, lang, csv_dialect)


def _render(plan: Plan, fmt: Format, templates: str | None, summary: bool, csv_dialect: str) -> str:
    if fmt is Format.json:
        from planner.render.json_format import render_json

        return render_json(plan)  # no templates: the plan document itself
    if summary and fmt is Format.text:
        from planner.render.text import render_text_summary

        return printable(_templated(lambda: render_text_summary(plan, templates), templates))
    if fmt is Format.csv:  # printable per cell (CRLF line ends)
        from planner.render.csv_format import render_csv

        return _templated(lambda: render_csv(plan, templates, csv_dialect), templates)
    return printable(_templated(lambda: _text(renderers()[fmt](plan, templates)), templates))


def _text(out: str | bytes) -> str:
    assert isinstance(out, str)
    return out


def render_diagnosis(
    diagnosis: Any, inputs: Any, templates: str | None = None, lang: str = "en"
) -> str:
    """The HTML page of an infeasible scenario's diagnosis (planner.optimise.diagnosis)."""
    from planner.render.diagnosis_html import render_diagnosis_html
    from planner.render.i18n import speaking

    with speaking(lang):
        return printable(
            _templated(lambda: render_diagnosis_html(diagnosis, inputs, templates), templates)
        )


def _templated(call: Callable[[], str], templates: str | None) -> str:
    """Run a template renderer; a missing or broken override template is an input error."""
    if templates is not None and not os.path.isdir(templates):
        raise InputError(
            [
                InputIssue(
                    "templates directory not found",
                    templates,
                    field="--templates",
                    hint="give a directory of .j2 files overriding the packaged ones",
                )
            ]
        )
    try:
        return call()
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(
            [
                InputIssue(
                    f"template syntax error: {exc.message}", exc.filename or exc.name, exc.lineno
                )
            ]
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise InputError(
            [
                InputIssue(
                    f"template '{exc.name}' not found",
                    templates,
                    hint="an override directory may replace packaged templates, not remove them",
                )
            ]
        ) from None
    except jinja2.TemplateError as exc:
        file, line = _template_frame(exc)
        raise InputError(
            [
                InputIssue(
                    f"template error: {exc.message or exc}",
                    file,
                    line,
                    hint="a template uses a value the plan does not have",
                )
            ]
        ) from None

"""The format enum and the dispatcher to each renderer."""

from __future__ import annotations

import os
import traceback
from enum import StrEnum

import jinja2

from planner.errors import InputError, InputIssue
from planner.plan.document import Plan
from planner.render.controls import printable


class Format(StrEnum):
    """Every output format of the planner's commands; each command takes a subset."""

    text = "text"
    json = "json"
    html = "html"
    md = "md"
    csv = "csv"

    @classmethod
    def parse(cls, name: str) -> Format:
        """A format by name; `markdown` is another name for `md`."""
        name = name.strip().lower()
        return cls(_ALIASES.get(name, name))


_ALIASES = {"markdown": "md"}


def _dispatch(plan: Plan, fmt: Format, templates: str | None) -> str:
    if fmt is Format.html:
        from planner.render.html import render_html

        return render_html(plan, templates)
    if fmt is Format.md:
        from planner.render.markdown import render_markdown

        return render_markdown(plan, templates)
    if fmt is Format.csv:
        from planner.render.csv_format import render_csv

        return render_csv(plan, templates)
    from planner.render.text import render_text

    return render_text(plan, templates)


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line a rendering error came from."""
    where: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(".j2"):
            where = (frame.filename, frame.lineno)
    return where


def render(plan: Plan, fmt: Format, templates: str | None = None) -> str:
    """Render a plan in one format; a broken override template is an input error."""
    if fmt is Format.json:
        return plan.to_json()
    if templates is not None and not os.path.isdir(templates):
        raise InputError([InputIssue("templates directory not found", templates,
                                     field="--templates",
                                     hint="give a directory of .j2 files overriding the "
                                          "packaged ones")])
    try:
        text = _dispatch(plan, fmt, templates)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError([InputIssue(f"template syntax error: {exc.message}",
                                     exc.filename or exc.name, exc.lineno)]) from None
    except jinja2.TemplateNotFound as exc:
        raise InputError([InputIssue(f"template '{exc.name}' not found", templates,
                                     hint="an override directory may replace packaged "
                                          "templates, not remove them")]) from None
    except jinja2.TemplateError as exc:
        file, line = _template_frame(exc)
        raise InputError([InputIssue(f"template error: {exc.message or exc}", file, line,
                                     hint="a template uses a value the plan does not have"
                                     )]) from None
    return text if fmt is Format.csv else printable(text)  # CSV: per cell (CRLF line ends)

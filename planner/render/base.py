"""The format enum and the dispatcher to each renderer."""

from __future__ import annotations

from enum import StrEnum

from planner.plan import Plan


class Format(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    md = "md"
    csv = "csv"


def render(plan: Plan, fmt: Format, templates: str | None = None) -> str:
    """Render a plan in one format."""
    if fmt is Format.json:
        return plan.to_json()
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

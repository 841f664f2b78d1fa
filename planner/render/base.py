"""The format enum and the dispatcher to each renderer."""

from __future__ import annotations

from enum import StrEnum

from planner.plan import Plan


class Format(StrEnum):
    text = "text"
    json = "json"


def render(plan: Plan, fmt: Format, templates: str | None = None) -> str:
    """Render a plan in one format."""
    if fmt is Format.json:
        return plan.to_json()
    from planner.render.text import render_text

    return render_text(plan, templates)

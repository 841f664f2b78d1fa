"""GitHub-flavoured Markdown report: the HTML report's summary and tables, without charts."""

from __future__ import annotations

import re

from planner.plan.document import Plan
from planner.render.html import amount
from planner.render.report import cap_value, report_values, resource_keys
from planner.render.templating import environment

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&])")


def md(value: object) -> str:
    """Text safe in a Markdown table cell: specials backslash-escaped, no line breaks."""
    text = " ".join(str(value).split())
    return _SPECIAL.sub(r"\\\1", text)


def render_markdown(plan: Plan, templates: str | None = None) -> str:
    env = environment(templates)
    env.filters["md"] = md
    env.filters["amount"] = amount
    env.filters["resource_keys"] = resource_keys
    env.filters["cap_value"] = cap_value
    values = report_values(plan)
    values["places"] = {p.id: p for p in plan.context.places} if plan.context else {}
    return env.get_template("report.md.j2").render(**values)

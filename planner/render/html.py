"""Self-contained HTML report: inline CSS and SVG charts, one inline script allowed by its
hash in the page's Content Security Policy, nothing fetched."""

from __future__ import annotations

import base64
import hashlib

from markupsafe import Markup

from planner.plan.document import Plan
from planner.plan.roadmap_document import RoadmapPlan
from planner.render.charts import all_charts
from planner.render.i18n import num
from planner.render.report import cap_value, expansions, headline, resource_keys, review_values
from planner.render.roadmap_charts import roadmap_charts
from planner.render.templating import environment


def amount(value: float) -> str:
    """1234.0 -> '1,234'; 2.5 -> '2.50' (resource amounts, no unit; French: '1 234', '2,50')."""
    return num(value, ",.0f") if float(value).is_integer() else num(value, ",.2f")


def script_hash(script: str) -> str:
    """The CSP source allowing exactly this inline script: 'sha256-<base64 digest>'."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def render_html(plan: Plan, templates: str | None = None) -> str:
    """The HTML report of a plan; every value from the inputs is escaped."""
    env = environment(templates, autoescape=True)
    env.filters["amount"] = amount
    env.filters["resource_keys"] = resource_keys
    env.filters["cap_value"] = cap_value
    values = {
        "plan": plan,
        "context": plan.context,
        "head": headline(plan),
        "expansions": expansions(plan),
        **review_values(plan),
    }
    values["charts"] = all_charts(plan)
    values["places"] = {p.id: p for p in plan.context.places} if plan.context else {}
    script = env.get_template("report/filter.js.j2").render()
    values["script"] = Markup(script)  # our own code, not a value from the inputs
    values["script_hash"] = script_hash(script)
    if isinstance(plan, RoadmapPlan):  # its own section: templates/report/roadmap.html.j2
        values["roadmap_charts"] = roadmap_charts(plan)
    return env.get_template("report.html.j2").render(**values)

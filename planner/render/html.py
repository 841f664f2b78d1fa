"""Self-contained HTML report: inline CSS and SVG charts, no scripts, nothing fetched."""

from __future__ import annotations

from planner.plan.document import Plan
from planner.plan.roadmap_document import RoadmapPlan
from planner.render.charts import all_charts
from planner.render.report import cap_value, report_values, resource_keys
from planner.render.roadmap_charts import roadmap_charts
from planner.render.templating import environment


def amount(value: float) -> str:
    """1234.0 -> '1,234'; 2.5 -> '2.5' (resource amounts, no unit)."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def render_html(plan: Plan, templates: str | None = None) -> str:
    """The HTML report of a plan; every value from the inputs is escaped."""
    env = environment(templates, autoescape=True)
    env.filters["amount"] = amount
    env.filters["resource_keys"] = resource_keys
    env.filters["cap_value"] = cap_value
    values = report_values(plan)
    values["charts"] = all_charts(plan)
    values["places"] = {p.id: p for p in plan.context.places} if plan.context else {}
    if isinstance(plan, RoadmapPlan):  # its own section: templates/report/roadmap.html.j2
        values["roadmap_charts"] = roadmap_charts(plan)
    return env.get_template("report.html.j2").render(**values)

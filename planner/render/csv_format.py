"""CSV: one row per resource (workloads, then expansions and contracts), stable column order,
RFC 4180 quoting; the cost columns sum to the plan's monthly totals."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from planner.controls import printable
from planner.plan.document import Plan
from planner.render.report import rows
from planner.render.templating import environment

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_row(cells: Sequence[object]) -> str:
    """One CSV record (CRLF-terminated); text that a spreadsheet would run as a formula is
    prefixed with an apostrophe, control characters are escaped, numbers are written as
    they are."""
    text = [printable(c) if isinstance(c, str) else c for c in cells]
    safe = [f"'{c}" if isinstance(c, str) and c.startswith(_FORMULA_START) else c for c in text]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(safe)
    return buffer.getvalue()


def money(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def render_csv(plan: Plan, templates: str | None = None) -> str:
    env = environment(templates)
    env.filters["csv_row"] = csv_row
    env.filters["money"] = money
    s = plan.solver
    solver = {
        "status": s.status,
        "proven_optimal": "true" if s.proven_optimal else "false",
        "gap_pct": "" if s.gap_pct is None else f"{s.gap_pct:.4f}",
    }
    return env.get_template("report.csv.j2").render(plan=plan, rows=rows(plan), solver=solver)

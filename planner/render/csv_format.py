"""CSV: one row per resource (workloads, then expansions and contracts), stable column order,
RFC 4180 quoting; the cost columns sum to the plan's monthly totals.

Two dialects: `rfc4180` (`,`, decimal point) and `excel-fr`, what a French Excel opens as
columns of numbers: `;` between cells, a decimal comma, and a UTF-8 byte order mark."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from planner.controls import printable
from planner.plan.document import Plan
from planner.render.report import commitment_rows, rows
from planner.render.templating import environment

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


CSV_DIALECTS = ("rfc4180", "excel-fr")
_BOM = "\ufeff"
_NEGATIVE = re.compile(r"-[0-9]+(?:[.,][0-9]+)?")  # a negative amount: a number, no formula


def csv_row(cells: Sequence[object], delimiter: str = ",") -> str:
    """One CSV record (CRLF-terminated); text that a spreadsheet would run as a formula is
    prefixed with an apostrophe, control characters are escaped, numbers are written as
    they are."""
    text = [printable(c) if isinstance(c, str) else c for c in cells]
    safe = [
        f"'{c}"
        if isinstance(c, str) and c.startswith(_FORMULA_START) and not _NEGATIVE.fullmatch(c)
        else c
        for c in text
    ]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerow(safe)
    return buffer.getvalue()


def money(value: float | None, decimal: str = ".") -> str:
    return "" if value is None else f"{value:.2f}".replace(".", decimal)


def render_csv(plan: Plan, templates: str | None = None, dialect: str = "rfc4180") -> str:
    """The CSV of a plan in `dialect` (one of CSV_DIALECTS); its column names are the same in
    every language (they are a file format), its reasons are in the render's language."""
    if dialect not in CSV_DIALECTS:
        raise ValueError(f"unknown CSV dialect {dialect!r}")
    french = dialect == "excel-fr"
    delimiter, decimal = (";", ",") if french else (",", ".")
    env = environment(templates)
    env.filters["csv_row"] = lambda cells: csv_row(cells, delimiter)
    env.filters["money"] = lambda value: money(value, decimal)
    s = plan.solver
    solver = {
        "status": s.status,
        "proven_optimal": "true" if s.proven_optimal else "false",
        "gap_pct": "" if s.gap_pct is None else f"{s.gap_pct:.4f}".replace(".", decimal),
    }
    text = env.get_template("report.csv.j2").render(
        plan=plan, rows=rows(plan) + commitment_rows(plan), solver=solver
    )
    return _BOM + text if french else text

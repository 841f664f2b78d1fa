"""CSV: one row per resource (workloads, then expansions and contracts), stable column order,
RFC 4180 quoting; the cost columns sum to the plan's monthly totals.

A roadmap's CSV has a last column, `period`: first each wave in order (one `wave` row with
the period's monthly spend and its one-off cost, then one row per resource change of the
wave, its reason why then), then the end state's rows as a snapshot's, with an empty
period; those still sum to the plan's monthly totals (docs/reports.md, "CSV").

Two dialects: `rfc4180` (`,`, decimal point) and `excel-fr`, what a French Excel opens as
columns of numbers: `;` between cells, a decimal comma, and a UTF-8 byte order mark."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from planner.controls import printable
from planner.plan.document import Plan
from planner.plan.roadmap import WaveRecord
from planner.plan.roadmap_document import RoadmapPlan
from planner.render.report import Row, commitment_rows, rows
from planner.render.templating import environment
from planner.render.wording import timing_text, wave_row_text

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
    records = [
        CsvRecord("", r, r.one_off_eur if r.kind == "workload" else None)
        for r in rows(plan) + commitment_rows(plan)
    ]
    roadmap = isinstance(plan, RoadmapPlan)
    if isinstance(plan, RoadmapPlan):
        records = [r for wave in plan.roadmap.waves for r in _wave_records(plan, wave)] + records
    text = env.get_template("report.csv.j2").render(
        plan=plan, records=records, solver=solver, roadmap=roadmap
    )
    return _BOM + text if french else text


class CsvRecord(NamedTuple):
    """One CSV row: its period ('' outside a roadmap's waves: the end state), the resource,
    and its one-off cost (None: the cell is empty)."""

    period: str
    row: Row
    one_off_eur: float | None


def _wave_records(plan: Plan, wave: WaveRecord) -> list[CsvRecord]:
    """A wave's row (the period's monthly spend and one-off cost), then one row per change
    of the wave, its reason why it happens then and, for a move, its own one-off cost (a
    part of the wave's)."""
    head = Row(
        kind="wave",
        name=wave.name,
        action="",
        symbol="",
        data_class="",
        site_before="",
        site_after="",
        cost_before_eur_month=None,
        cost_after_eur_month=wave.totals.monthly_cost_eur,
        basis="",
        reason=wave_row_text(wave),
        code="wave",
    )
    changes = rows(plan.model_copy(update={"resource_changes": wave.resource_changes}))
    out = [CsvRecord(wave.name, head, wave.totals.one_off_eur)]
    for r in changes:
        why = wave.why.get(r.name) if r.kind == "workload" else None
        if why is not None:
            r = replace(r, reason=timing_text(why), code=why.code)
        one_off = wave.one_off_eur.get(r.name) if r.kind == "workload" else None
        out.append(CsvRecord(wave.name, r, one_off))
    return out

"""The plan as an Excel workbook: one sheet per table of `planner/render/tables.py`.

Cells keep their type (numbers are numbers; euros, percentages and dates carry a number
format; text is always written as text, never run as a formula). Labels and sheet names are
in the render's language; the number formats follow it too (French: `1 234,56 €` in a
French Excel, dates as `1 juillet 2027`). Written with XlsxWriter (chosen by measuring
against openpyxl, docs/benchmarks.md section 13) in memory, with the document's creation
time set to the scenario's reference date: the same plan gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import xlsxwriter

from planner.controls import printable
from planner.plan.document import Plan
from planner.render.i18n import is_english
from planner.render.tables import Kind, Table, plan_tables

_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
MAX_SHEET_NAME = 31  # Excel's limit


def number_formats(english: bool) -> dict[Kind, str | None]:
    """The number format of each cell kind, in the render's language."""
    return {
        "text": None,
        "bool": None,
        "number": "General",
        "int": "#,##0",
        "eur": '"€"#,##0.00;-"€"#,##0.00' if english else '#,##0.00 "€";-#,##0.00 "€"',
        "pct": '0.00" %"',
        "date": "yyyy-mm-dd" if english else "[$-40C]d mmmm yyyy",
    }


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid and unique sheet name for `title`."""
    name = title.translate(_SHEET_FORBIDDEN)[:MAX_SHEET_NAME] or "Sheet"
    base, n = name, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: MAX_SHEET_NAME - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _write_table(sheet: Any, table: Table, formats: dict[Kind, Any], head: Any) -> None:
    for col, column in enumerate(table.columns):
        sheet.write_string(0, col, printable(column.label), head)
        sheet.set_column(col, col, column.width)
    for r, cells in enumerate(table.rows):
        row = r + 1
        for col, value in enumerate(cells):
            if value is None or value == "":
                continue
            kind = table.kind(r, col)
            fmt = formats[kind]
            if isinstance(value, bool):
                sheet.write_boolean(row, col, value, fmt)
            elif isinstance(value, int | float):
                sheet.write_number(row, col, value, fmt)
            elif isinstance(value, dt.date):
                sheet.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), fmt)
            else:
                sheet.write_string(row, col, printable(value), fmt)
    sheet.freeze_panes(1, 0)
    if table.rows:
        sheet.autofilter(0, 0, len(table.rows), len(table.columns) - 1)


def render_xlsx(plan: Plan, templates: str | None = None) -> bytes:
    """The workbook of a plan (`templates` is unused: a workbook has no template)."""
    del templates
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    created = dt.datetime.fromisoformat(plan.scenario.reference_date)
    book.set_properties({"title": printable(plan.scenario.name), "created": created})
    formats = {
        kind: book.add_format({"num_format": spec}) if spec else None
        for kind, spec in number_formats(is_english()).items()
    }
    head = book.add_format({"bold": True})
    taken: set[str] = set()
    for table in plan_tables(plan):
        sheet = book.add_worksheet(sheet_name(table.title, taken))
        _write_table(sheet, table, formats, head)
    book.close()
    return buffer.getvalue()

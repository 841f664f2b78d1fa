"""Choosing the xlsx writer: openpyxl against XlsxWriter, writing the same plan's tables.

    python -m benchmarks.xlsx_bench PLAN.json [--runs 2]

Reads a plan JSON (for the fleet of docs/benchmarks.md section 16:
`python -m benchmarks.fleet 100000 40 DIR`, then `planner plan DIR/scenario.yaml --format json
--out PLAN.json`), builds its tables once (`planner.render.tables.plan_tables`, the cells every
writer writes), then writes them with each writer in a fresh process, one after the other,
`--runs` times in turn: the time to write the workbook to memory, the peak of the process's
resident memory above what it held before writing (Linux: the peak is reset through
/proc/self/clear_refs once the plan and its tables are loaded), and the file's size. Every
writer gives each cell the same number format. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import subprocess
import sys
import time
from typing import Any

WRITERS = ("xlsxwriter", "xlsxwriter-constant-memory", "openpyxl", "openpyxl-write-only")


def _status_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _xlsxwriter(tables: list[Any], constant_memory: bool) -> bytes:
    import xlsxwriter

    from planner.render.xlsx_format import _write_table, number_formats, sheet_name

    buffer = io.BytesIO()
    options = {"constant_memory": True} if constant_memory else {"in_memory": True}
    book = xlsxwriter.Workbook(buffer, options)
    formats = {
        kind: book.add_format({"num_format": spec}) if spec else None
        for kind, spec in number_formats(True).items()
    }
    head = book.add_format({"bold": True})
    taken: set[str] = set()
    for table in tables:
        _write_table(book.add_worksheet(sheet_name(table.title, taken)), table, formats, head)
    book.close()
    return buffer.getvalue()


def _openpyxl(tables: list[Any], write_only: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from planner.render.xlsx_format import number_formats, sheet_name

    formats = number_formats(True)
    book = Workbook(write_only=write_only)
    if not write_only and book.active is not None:
        book.remove(book.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(sheet_name(table.title, taken))
        sheet.freeze_panes = "A2"
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=column.label) if write_only else None
            if cell is not None:
                cell.font = bold
            header.append(cell if cell is not None else column.label)
        sheet.append(header)
        for r, cells in enumerate(table.rows):
            out: list[Any] = []
            for c, value in enumerate(cells):
                spec = formats[table.kind(r, c)]
                if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                    value = dt.datetime(value.year, value.month, value.day)
                if write_only and spec and value not in (None, ""):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = spec
                    out.append(cell)
                else:
                    out.append(None if value == "" else value)
            sheet.append(out)
            if not write_only:
                for c, value in enumerate(cells):
                    spec = formats[table.kind(r, c)]
                    if spec and value not in (None, ""):
                        sheet.cell(r + 2, c + 1).number_format = spec
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def child(plan_path: str, writer: str) -> dict[str, Any]:
    """One measure, in this (fresh) process."""
    from planner.plan.document import load_plan
    from planner.render.i18n import speaking
    from planner.render.tables import plan_tables

    plan = load_plan(plan_path)
    with speaking("en"):
        start = time.perf_counter()
        tables = plan_tables(plan)
        tables_s = time.perf_counter() - start
        rss_before = _status_kib("VmRSS")
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")  # reset the peak (VmHWM) to the current resident size
        start = time.perf_counter()
        if writer.startswith("xlsxwriter"):
            data = _xlsxwriter(tables, constant_memory=writer.endswith("constant-memory"))
        else:
            data = _openpyxl(tables, write_only=writer.endswith("write-only"))
        write_s = time.perf_counter() - start
        peak = _status_kib("VmHWM")
    return {
        "writer": writer,
        "rows": sum(len(t.rows) for t in tables),
        "cells": sum(len(t.rows) * len(t.columns) for t in tables),
        "tables_s": tables_s,
        "write_s": write_s,
        "peak_mib": (peak - rss_before) / 1024,
        "size_mb": len(data) / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--writers", default=",".join(WRITERS))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.plan, args.child)))
        return
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    print("| run | writer | rows | cells | write s | peak memory above the plan MiB | size MB |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for run in range(1, args.runs + 1):
        for writer in args.writers.split(","):
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.xlsx_bench", args.plan, "--child", writer],
                check=True,
                capture_output=True,
                text=True,
            )
            m = json.loads(out.stdout)
            print(
                f"| {run} | {writer} | {m['rows']:,} | {m['cells']:,} | {m['write_s']:.2f} "
                f"| {m['peak_mib']:,.0f} | {m['size_mb']:.2f} |",
                flush=True,
            )
    print()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

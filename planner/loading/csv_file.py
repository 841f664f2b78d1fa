"""Workload inventories as CSV (CMDB exports), mapped to the workload schema."""

from __future__ import annotations

import csv
from typing import Any

from planner.errors import InputError, InputIssue
from planner.input_files import open_input
from planner.source import Pos, SourceMap

CSV_COLUMNS: tuple[str, ...] = (
    "id", "name", "owner", "data_class", "needs_24_7", "vcpu", "ram_gib", "storage_gib", "gpu",
    "current_site", "retire", "affinity_group", "anti_affinity_group", "pin", "exclude",
    "egress_gib_month", "move_cost_eur",
)
_NUMBERS = {"vcpu", "ram_gib", "storage_gib", "gpu", "egress_gib_month", "move_cost_eur"}
_BOOLEANS = {"needs_24_7", "retire"}
_DEMAND = ("vcpu", "ram_gib", "storage_gib", "gpu")


def _cell(column: str, raw: str) -> Any:
    if column in _NUMBERS:
        return float(raw)
    if column in _BOOLEANS:
        lowered = raw.lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        raise ValueError("expected true or false")
    if column == "exclude":
        return [part.strip() for part in raw.split(";") if part.strip()]
    return raw


def load_workloads_csv(file: str) -> tuple[dict[str, Any], SourceMap]:
    """Read a CSV inventory into the same raw shape as a YAML workloads file."""
    smap = SourceMap(file)
    issues: list[InputIssue] = []
    try:
        with open_input(file, newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise InputError([InputIssue("the file is empty", file, 1)])
            header = [h.strip() for h in header]
            unknown = [h for h in header if h not in CSV_COLUMNS]
            for name in unknown:
                issues.append(InputIssue(f"unknown column '{name}'", file, 1, field=name,
                                         hint="columns: " + ", ".join(CSV_COLUMNS)))
            workloads: list[dict[str, Any]] = []
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    issues.append(InputIssue(
                        f"{len(row)} cells where the header has {len(header)}", file, line,
                        hint="quote cells that contain commas"))
                    continue
                index = len(workloads)
                item: dict[str, Any] = {}
                demand: dict[str, Any] = {}
                smap.positions[("workloads", index)] = Pos(file, line)
                for column_no, (column, raw) in enumerate(zip(header, row, strict=True), start=1):
                    raw = raw.strip()
                    if column in unknown or raw == "":
                        continue
                    try:
                        value = _cell(column, raw)
                    except ValueError:
                        kind = "a number" if column in _NUMBERS else "true or false"
                        issues.append(InputIssue(f"'{raw}' is not {kind}", file, line, column_no,
                                                 field=column))
                        continue
                    if column in _DEMAND:
                        demand[column] = value
                        path: tuple[str | int, ...] = ("workloads", index, "demand", column)
                    else:
                        item[column] = value
                        path = ("workloads", index, column)
                    smap.positions[path] = Pos(file, line, column_no)
                item["demand"] = demand
                workloads.append(item)
    except FileNotFoundError:
        raise InputError([InputIssue("file not found", file)]) from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError([InputIssue(f"cannot read CSV: {exc}", file)]) from None
    if issues:
        raise InputError(issues)
    return {"workloads": workloads}, smap

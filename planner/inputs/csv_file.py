"""Workload inventories as CSV (CMDB exports), mapped to the workload schema.

The header names the columns, in any order. A required column must be in the header and have a
value on every row; an optional column may be left out, or a cell left empty, and then means
its default (README, "CSV inventories"). The file is UTF-8 (a byte order mark is dropped) unless
another encoding is declared, `,`- or `;`-separated (sniffed from the header, `dialect.py`),
with a decimal point unless a decimal comma is declared.

Inventories can be large, so positions are not stored per cell: the source map keeps the line
each row starts on (4 bytes a row) and works out a cell's column from the header when asked.
"""

from __future__ import annotations

import csv
import itertools
from array import array
from collections.abc import Iterator
from typing import IO, Any

from planner.errors import InputError, InputIssue
from planner.inputs.dialect import (
    CsvDialect,
    decoded_lines,
    number_hint,
    parse_bool,
    parse_number,
    sniff_separator,
)
from planner.inputs.files import open_input_binary
from planner.inputs.schema.common import RESOURCES
from planner.inputs.schema.workloads import (
    UTILISATION_COLUMN_OF,
    UTILISATION_COLUMNS,
)
from planner.inputs.source import Path, Pos, SourceMap, excerpt

REQUIRED_COLUMNS: tuple[str, ...] = (
    "id",
    "data_class",
    "needs_24_7",
    "vcpu",
    "ram_gib",
    "storage_gib",
)
# column -> what it means when the column is absent or its cell empty
OPTIONAL_COLUMNS: dict[str, str] = {
    "name": "no name",
    "owner": "no owner",
    "gpu": "0",
    "current_site": "a new workload, not placed yet",
    "retire": "false",
    "affinity_group": "none",
    "anti_affinity_group": "none",
    "pin": "none",
    "exclude": "none (several sites or offers: separated by ';')",
    "egress_gib_month": "0",
    "move_cost_eur": "0",
    # observed use (read into `utilisation`; a sizing policy reads it): the observation
    # window, CPU and memory at p50/p95/p99 as % of the provisioned size or as an amount
    **{
        column: "not observed"
        + (" (required when a percentile is given)" if column == "util_window_days" else "")
        for column in UTILISATION_COLUMNS
    },
}
CSV_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + tuple(OPTIONAL_COLUMNS)
_DEMAND = frozenset(RESOURCES)  # one column per resource, read into `demand`
_USE = frozenset(UTILISATION_COLUMNS)  # read into `utilisation`
_NUMBERS = _DEMAND | _USE | {"egress_gib_month", "move_cost_eur"}
_BOOLEANS = {"needs_24_7", "retire"}
_UNIQUE = {"id", "name"}  # columns whose values seldom repeat: not shared between rows
_COLUMNS_HINT = (
    "required columns: "
    + ", ".join(REQUIRED_COLUMNS)
    + "; optional: "
    + ", ".join(OPTIONAL_COLUMNS)
)


class CsvSourceMap(SourceMap):
    """Positions in a CSV inventory, worked out from each row's first line and the header.

    `positions` holds only what is recorded explicitly (positions grafted from a scenario's
    overrides); those win over the computed ones.
    """

    def __init__(self, file: str, header: list[str]) -> None:
        super().__init__(file)
        self.column_of: dict[str, int] = {}
        for number, name in enumerate(header, start=1):
            self.column_of.setdefault(name, number)
        self.row_lines = array("L")  # line each data row starts on, by row index
        self.warnings: list[InputIssue] = []

    def find(self, path: Path) -> Pos:
        for end in range(len(path), -1, -1):
            prefix = tuple(path[:end])
            pos = self.positions.get(prefix) or self._computed(prefix)
            if pos is not None:
                return pos
        return Pos(self.file, 1)

    def _computed(self, path: Path) -> Pos | None:
        if len(path) < 2 or path[0] != "workloads" or not isinstance(path[1], int):
            return None
        if not 0 <= path[1] < len(self.row_lines):
            return None
        line = self.row_lines[path[1]]
        if len(path) == 2:
            return Pos(self.file, line)
        if path[2] == "utilisation":
            return self._use_cell(line, path[3:])
        column = path[3] if len(path) == 4 and path[2] == "demand" else path[2]
        number = self.column_of.get(column) if isinstance(column, str) else None
        return Pos(self.file, line, number) if number is not None and len(path) <= 4 else None

    def _use_cell(self, line: int, rest: Path) -> Pos:
        """A utilisation cell: `cpu_pct.p95` is column `cpu_p95_pct`; the row for a whole
        section or a check over several cells."""
        key = (str(rest[0]), str(rest[1]) if len(rest) > 1 else None) if rest else None
        name = UTILISATION_COLUMN_OF.get(key) if key else None
        number = self.column_of.get(name) if name else None
        return Pos(self.file, line, number)


def _cell(column: str, raw: str, decimal: str) -> Any:
    if column in _NUMBERS:
        return parse_number(raw, decimal)
    if column in _BOOLEANS:
        return parse_bool(raw)
    if column == "exclude":
        return tuple(part.strip() for part in raw.split(";") if part.strip())
    return raw


def open_rows(handle: IO[bytes], file: str, dialect: CsvDialect) -> tuple[Any, Iterator[list[str]]]:
    """A csv reader over the decoded file, its separator sniffed from the header unless
    declared, and its rows (a malformed one is an error at its line)."""
    lines = decoded_lines(handle, file, dialect.encoding)
    first = next(lines, None)
    if first is None:
        raise InputError([InputIssue("the file is empty", file, 1)])
    separator = dialect.separator or sniff_separator(first)
    reader = csv.reader(itertools.chain([first], lines), delimiter=separator)
    return reader, _rows(reader, file)


def _header_issues(file: str, header: list[str]) -> list[InputIssue]:
    """Separator, duplicated, unknown and missing columns, each at line 1."""
    issues = []
    first: dict[str, int] = {}
    for number, name in enumerate(header, start=1):
        if name in first:
            issues.append(
                InputIssue(
                    f"column '{excerpt(name)}' appears twice (columns {first[name]} and {number})",
                    file,
                    1,
                    number,
                    field=excerpt(name),
                    hint="keep only one of them",
                )
            )
            continue
        first[name] = number
        if name not in CSV_COLUMNS:
            issues.append(
                InputIssue(
                    f"unknown column '{excerpt(name)}'",
                    file,
                    1,
                    number,
                    field=excerpt(name),
                    hint=_COLUMNS_HINT,
                )
            )
    for name in REQUIRED_COLUMNS:
        if name not in first:
            issues.append(
                InputIssue(
                    f"missing required column '{name}'", file, 1, field=name, hint=_COLUMNS_HINT
                )
            )
    return issues


def _rows(reader: Any, file: str) -> Iterator[list[str]]:
    """The reader's rows; a malformed one (a NUL byte, ...) is an error at its line."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(
                [InputIssue(f"cannot read CSV: {exc}", file, reader.line_num)]
            ) from None


def _read(
    file: str, handle: IO[bytes], dialect: CsvDialect
) -> tuple[dict[str, Any], CsvSourceMap, list[InputIssue]]:
    reader, rows = open_rows(handle, file, dialect)
    header = [h.strip() for h in next(rows)]
    smap = CsvSourceMap(file, header)
    issues = _header_issues(file, header)
    # the cells read: (index in the row, column name, column number), first copy of a name only
    read = [
        (number - 1, name, number) for name, number in smap.column_of.items() if name in CSV_COLUMNS
    ]
    required = set(REQUIRED_COLUMNS)
    shared: dict[str, Any] = {}  # equal cells of columns that repeat share one object
    workloads: list[dict[str, Any]] = []
    line = reader.line_num
    for row in rows:
        first_line, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            issues.append(
                InputIssue(
                    f"{len(row)} cells where the header has {len(header)}",
                    file,
                    first_line,
                    hint=f"quote cells that contain {reader.dialect.delimiter!r}",
                )
            )
            continue
        item: dict[str, Any] = {}
        demand: dict[str, Any] = {}
        use: dict[str, Any] = {}
        for index, column, column_no in read:
            raw = row[index].strip()
            if raw == "":
                if column in required:
                    issues.append(
                        InputIssue(
                            f"empty cell in required column '{column}'",
                            file,
                            first_line,
                            column_no,
                            field=column,
                        )
                    )
                continue
            try:
                value = _cell(column, raw, dialect.decimal)
            except ValueError:
                kind = "a number" if column in _NUMBERS else "true or false"
                hint = number_hint(raw, dialect.decimal) if column in _NUMBERS else None
                issues.append(
                    InputIssue(
                        f"'{excerpt(raw)}' is not {kind}",
                        file,
                        first_line,
                        column_no,
                        field=column,
                        hint=hint,
                    )
                )
                continue
            if column not in _UNIQUE:
                value = shared.setdefault(f"{column}\0{raw}", value)
            if column in _DEMAND:
                demand[column] = value
            elif column in _USE:
                whole = column == "util_window_days" and value.is_integer()
                use[column] = int(value) if whole else value  # days: a whole number
            else:
                item[column] = value
        item["demand"] = demand
        if use:
            item["utilisation"] = use  # nested by the schema (Utilisation)
        workloads.append(item)
        smap.row_lines.append(first_line)
    if not workloads and not issues:
        issues.append(
            InputIssue(
                "the inventory has a header but no data rows",
                file,
                1,
                severity="warning",
                code="empty-inventory",
            )
        )
    return {"workloads": workloads}, smap, issues


def load_workloads_csv(
    file: str, dialect: CsvDialect | None = None
) -> tuple[dict[str, Any], CsvSourceMap]:
    """Read a CSV inventory into the same raw shape as a YAML workloads file.

    Raises InputError with every error found; warnings (an inventory with no rows) are left on
    the source map's `warnings`.
    """
    try:
        with open_input_binary(file) as handle:
            data, smap, issues = _read(file, handle, dialect or CsvDialect())
    except FileNotFoundError:
        raise InputError([InputIssue("file not found", file)]) from None
    except OSError as exc:
        raise InputError([InputIssue(f"cannot read file: {exc.strerror or exc}", file)]) from None
    errors = [issue for issue in issues if issue.severity == "error"]
    if errors:
        raise InputError(errors)
    smap.warnings = issues
    return data, smap

"""Inventories read through a declared mapping: RVTools exports, GLPI/iTop CSVs, any CSV/XLSX.

A scenario's workloads catalog `{file, format, mapping, defaults, filter}` (schema:
`schema/inventory.py`) names, for each workload field, the column it comes from, optionally
with a regular expression, a map of values and a size unit. Each row kept by the filter
becomes a workload in the raw shape of a YAML workloads file, validated by the same schema.
A cell that cannot be read, an empty cell of a required field without a default, or a value
missing from a value map is an error at its file, row and column; every one is reported.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from planner.errors import InputError, InputIssue
from planner.inputs.csv_file import CsvSourceMap, load_workloads_csv, open_rows
from planner.inputs.dialect import CsvDialect, number_hint, parse_bool, parse_number
from planner.inputs.files import open_input_binary
from planner.inputs.schema.common import RESOURCES
from planner.inputs.schema.inventory import (
    BOOLEAN_FIELDS,
    NUMBER_FIELDS,
    REQUIRED_FIELDS,
    UNIT_GIB,
    Column,
    Inventory,
)
from planner.inputs.schema.workloads import UTILISATION_COLUMNS
from planner.inputs.source import excerpt
from planner.inputs.xlsx_file import Workbook, column_letters

RVTOOLS_SHEET = "vInfo"
RVTOOLS_KEY = "VM"  # the column that names a VM in every RVTools sheet
_POWERED_OFF = ("poweredoff", "suspended")
_MAX_LISTED = 8  # value-map keys named in a hint


@dataclass
class Table:
    """Rows of one CSV file or sheet: the header, where it is, and the data rows by number."""

    file: str
    sheet: str | None  # None for a CSV file
    header: list[str]
    header_row: int
    first_column: int
    rows: Iterator[tuple[int, list[Any]]]
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for number, name in enumerate(self.header):
            self.index.setdefault(name, number)

    def column_number(self, name: str) -> int:
        return self.first_column + self.index[name]

    def issue(self, message: str, row: int, column: str | None = None, **kw: Any) -> InputIssue:
        """An issue at a row (and the cell of `column`), the cell named as a spreadsheet
        names it when the table is a sheet."""
        number = self.column_number(column) if column is not None else None
        if self.sheet is not None:
            where = f"sheet {excerpt(self.sheet)}, "
            where += f"cell {column_letters(number)}{row}" if number else f"row {row}"
            message = f"{where}: {message}"
        return InputIssue(message, self.file, row, number, **kw)


class _CellError(ValueError):
    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


_EMPTY: Any = object()


def _text(cell: Any) -> str:
    """A cell as text: a whole number without '.0', a date as ISO."""
    if type(cell) is str:  # the common case first: inventories are large
        return cell.strip()
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else repr(cell)
    if isinstance(cell, datetime | date | time):
        return cell.isoformat()
    if isinstance(cell, timedelta):
        return str(cell)
    return str(cell).strip()


def _number(cell: Any, decimal: str) -> float:
    if type(cell) is float and math.isfinite(cell):  # a workbook's number
        return cell
    if isinstance(cell, bool):
        raise _CellError(f"'{_text(cell)}' is not a number")
    if isinstance(cell, int | float):
        value = float(cell)
    else:
        text = _text(cell)
        try:
            value = parse_number(text, decimal)
        except ValueError:
            raise _CellError(
                f"'{excerpt(text)}' is not a number", number_hint(text, decimal)
            ) from None
    if not math.isfinite(value):
        raise _CellError(f"'{excerpt(_text(cell))}' is not a finite number")
    return value


def _boolean(cell: Any) -> bool:
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, float) and cell in (0.0, 1.0):
        return cell == 1.0
    text = _text(cell)
    try:
        return parse_bool(text)
    except ValueError:
        raise _CellError(
            f"'{excerpt(text)}' is not true or false",
            "map the export's words with values: {column: ..., values: {Oui: true, Non: false}}",
        ) from None


def _typed(name: str, cell: Any, source: Column, decimal: str) -> Any:
    """A cell as the value of workload field `name` (units converted to GiB)."""
    if name in NUMBER_FIELDS:
        value = _number(cell, decimal)
        return value * UNIT_GIB[source.unit] if source.unit else value
    if name in BOOLEAN_FIELDS:
        return _boolean(cell)
    text = _text(cell)
    if name == "exclude":
        return tuple(part.strip() for part in text.split(";") if part.strip())
    return text


def _value(name: str, cell: Any, source: Column, decimal: str) -> Any:
    """The field's value from its cell: match, value map, type; `_EMPTY` when there is none."""
    if cell is None or cell == "" or (type(cell) is str and not cell.strip()):
        return _EMPTY
    if source.match is not None:
        found = re.search(source.match, _text(cell))
        if found is None:
            return _EMPTY
        cell = (found.group(1) if found.re.groups else found.group(0)) or ""
        if not cell.strip():
            return _EMPTY
    if source.values is not None:
        key = _text(cell)
        if key not in source.values:
            known = sorted(source.values)
            listed = ", ".join(f"'{excerpt(k)}'" for k in known[:_MAX_LISTED])
            more = f" and {len(known) - _MAX_LISTED} more" if len(known) > _MAX_LISTED else ""
            raise _CellError(
                f"'{excerpt(key)}' is not one of the values mapped for {name}",
                f"mapped: {listed}{more}; add it to mapping.{name}.values",
            )
        mapped = source.values[key]
        if mapped is None:
            return _EMPTY
        return float(mapped) if name in NUMBER_FIELDS else mapped
    return _typed(name, cell, source, decimal)


def _csv_table(file: str, spec: Inventory) -> tuple[Table, Callable[[], None]]:
    handle = open_input_binary(file)
    try:
        dialect = CsvDialect(spec.encoding, spec.separator, spec.decimal)
        reader, rows = open_rows(handle, file, dialect)
        header = [h.strip() for h in next(rows)]

        def numbered() -> Iterator[tuple[int, list[Any]]]:
            line = reader.line_num
            for row in rows:
                first, line = line + 1, reader.line_num
                yield first, row

        return Table(file, None, header, 1, 1, numbered()), handle.close
    except BaseException:
        handle.close()
        raise


def _sheet_table(book: Workbook, name: str | None) -> Table:
    sheet = book.sheet(name)
    rows = sheet.numbered_rows()
    first = next(rows, None)
    if first is None:
        raise InputError([InputIssue(f"sheet {excerpt(sheet.name)} is empty", book.file)])
    header = [_text(cell) for cell in first[1]]
    return Table(book.file, sheet.name, header, first[0], sheet.first_column, rows)


def _missing_columns(table: Table, wanted: dict[str, str]) -> list[InputIssue]:
    """A column the mapping or filter names that the header lacks (`wanted`: column -> what
    needs it)."""
    where = f"sheet {excerpt(table.sheet)}" if table.sheet else "the header"
    shown = ", ".join(f"'{excerpt(c)}'" for c in table.header[:40] if c)
    return [
        InputIssue(
            f"no column '{excerpt(column)}' in {where} (named by {what})",
            table.file,
            table.header_row,
            field=what,
            hint=f"columns: {shown}",
        )
        for column, what in wanted.items()
        if column not in table.index
    ]


def _sums(book: Workbook, name: str, source: Column, spec: Inventory) -> dict[str, float]:
    """`source.column` of sheet `source.sheet` summed per VM (RVTools vDisk, vPartition)."""
    assert source.sheet is not None
    table = _sheet_table(book, source.sheet)
    wanted = {RVTOOLS_KEY: f"mapping.{name}.sheet", source.column: f"mapping.{name}"}
    issues = _missing_columns(table, wanted)
    if issues:
        raise InputError(issues)
    key_at, value_at = table.index[RVTOOLS_KEY], table.index[source.column]
    sums: dict[str, float] = {}
    for row_no, row in table.rows:
        vm = _text(row[key_at]) if key_at < len(row) else ""
        cell = row[value_at] if value_at < len(row) else ""
        if not vm or cell == "" or cell is None or _text(cell) == "":
            continue
        try:
            sums[vm] = sums.get(vm, 0.0) + _typed(name, cell, source, spec.decimal)
        except _CellError as exc:
            issues.append(table.issue(str(exc), row_no, source.column, field=name, hint=exc.hint))
    if issues:
        raise InputError(issues)
    return sums


def _kept(table: Table, row: list[Any], spec: Inventory) -> tuple[bool, bool]:
    """(whether the row is a workload, whether it is retired) by the filter."""

    def cell(column: str) -> str:
        at = table.index[column]
        return _text(row[at]) if at < len(row) else ""

    for column, allowed in spec.filter.only.items():
        if cell(column) not in allowed:
            return False, False
    for column, refused in spec.filter.skip.items():
        if cell(column) in refused:
            return False, False
    retire = False
    if spec.format == "rvtools":
        if cell("Template").lower() == "true" and spec.filter.templates == "skip":
            return False, False
        if cell("Powerstate").lower() in _POWERED_OFF:
            if spec.filter.powered_off == "skip":
                return False, False
            retire = spec.filter.powered_off == "retire"
    return True, retire


def _filter_columns(spec: Inventory) -> dict[str, str]:
    wanted = {column: f"filter.only.{column}" for column in spec.filter.only}
    wanted.update({column: f"filter.skip.{column}" for column in spec.filter.skip})
    if spec.format == "rvtools":
        wanted.update({"Template": "filter.templates", "Powerstate": "filter.powered_off"})
    return wanted


def _read_table(
    table: Table, spec: Inventory, sums: dict[str, dict[str, float]]
) -> tuple[dict[str, Any], CsvSourceMap, list[InputIssue]]:
    mapping = spec.effective_mapping()
    wanted = {
        source.column if source.sheet is None else RVTOOLS_KEY: f"mapping.{name}"
        for name, source in mapping.items()
    }
    wanted.update(_filter_columns(spec))
    issues = _missing_columns(table, wanted)
    if issues:
        return {"workloads": []}, CsvSourceMap(table.file, []), issues
    smap = CsvSourceMap(table.file, [])
    smap.column_of = {
        name: table.column_number(source.column if source.sheet is None else RVTOOLS_KEY)
        for name, source in mapping.items()
    }
    cells = [
        (name, source, table.index[source.column if source.sheet is None else RVTOOLS_KEY])
        for name, source in mapping.items()
    ]
    cells.sort(key=lambda cell: (cell[2], cell[0]))  # issues in the order of the columns
    defaulted = [(name, value) for name, value in sorted(spec.defaults.items())]
    workloads: list[dict[str, Any]] = []
    for row_no, row in table.rows:
        if not any(_text(cell) for cell in row):
            continue
        keep, retire = _kept(table, row, spec)
        if not keep:
            continue
        item: dict[str, Any] = {}
        bad = False
        for name, source, at in cells:
            cell = row[at] if at < len(row) else ""
            try:
                if source.sheet is not None:
                    total = sums[name].get(_text(cell))
                    value = _EMPTY if total is None else total
                else:
                    value = _value(name, cell, source, spec.decimal)
            except _CellError as exc:
                issues.append(
                    table.issue(str(exc), row_no, wanted_column(source), field=name, hint=exc.hint)
                )
                bad = True
                continue
            if value is not _EMPTY:
                item[name] = value
        for name, value in defaulted:
            item.setdefault(name, value)
        for name in REQUIRED_FIELDS:
            if name not in item and not bad:
                source = mapping[name]
                column = wanted_column(source)
                how = f" ('{excerpt(source.match)}' does not match)" if source.match else ""
                issues.append(
                    table.issue(
                        f"no value for {name} in column '{excerpt(column)}'{how}",
                        row_no,
                        column,
                        field=name,
                        hint=f"fill the cell, or give {name} a value in defaults",
                    )
                )
                bad = True
        if retire:
            item["retire"] = True
        item["demand"] = {r: item.pop(r) for r in RESOURCES if r in item}
        use = {c: _days(c, item.pop(c)) for c in UTILISATION_COLUMNS if c in item}
        if use:
            item["utilisation"] = use  # nested by the schema (Utilisation)
        workloads.append(item)
        smap.row_lines.append(row_no)
    return {"workloads": workloads}, smap, issues


def _days(column: str, value: Any) -> Any:
    """The observation window in whole days (a fraction is left for the schema to refuse)."""
    if column == "util_window_days" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def wanted_column(source: Column) -> str:
    """The column of the row a field's value is read from (the VM for a summed sheet)."""
    return source.column if source.sheet is None else RVTOOLS_KEY


def load_inventory(file: str, spec: Inventory) -> tuple[dict[str, Any], CsvSourceMap]:
    """Read an inventory through its declared mapping into the raw shape of a workloads file.

    A CSV without a mapping is read by column names, as `csv_file`, in the declared dialect.
    Raises InputError with every error found.
    """
    if spec.format == "csv" and not spec.mapping:
        return load_workloads_csv(file, CsvDialect(spec.encoding, spec.separator, spec.decimal))
    close: Callable[[], None] = lambda: None  # noqa: E731
    try:
        if spec.format == "csv":
            table, close = _csv_table(file, spec)
            sums: dict[str, dict[str, float]] = {}
        else:
            book = Workbook(file)
            sums = {
                name: _sums(book, name, source, spec)
                for name, source in sorted(spec.effective_mapping().items())
                if source.sheet is not None
            }
            sheet = spec.sheet or (RVTOOLS_SHEET if spec.format == "rvtools" else None)
            table = _sheet_table(book, sheet)
        data, smap, issues = _read_table(table, spec, sums)
    except FileNotFoundError:
        raise InputError([InputIssue("file not found", file)]) from None
    except OSError as exc:
        raise InputError([InputIssue(f"cannot read file: {exc.strerror or exc}", file)]) from None
    finally:
        close()
    if issues:
        raise InputError(issues)
    if not data["workloads"]:
        smap.warnings = [
            InputIssue(
                "the inventory has no row the filter keeps",
                file,
                1,
                severity="warning",
                code="empty-inventory",
            )
        ]
    return data, smap

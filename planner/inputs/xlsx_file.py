"""Workbooks (xlsx) read with python-calamine: sheets as rows of typed cells.

calamine was chosen by measuring (docs/benchmarks.md, "Inventory load"): it reads the vInfo
sheet of a 100,000-VM RVTools export about twenty times faster than openpyxl's read-only mode.
The file is read through `files.read_input_bytes` (regular files only, the size limit) and its
zip directory is checked before calamine sees it: a workbook whose parts would inflate past
`MAX_INFLATION` times the size limit, or whose parts compress more than `MAX_RATIO` to one
(a zip bomb), is refused unread.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from planner.errors import InputError, InputIssue
from planner.inputs.files import max_file_bytes, read_input_bytes
from planner.inputs.source import excerpt

MAX_INFLATION = 8  # the parts of a workbook, uncompressed, at most this many times the limit
MAX_RATIO = 200  # a real sheet's XML compresses about 10 to 1


@dataclass(frozen=True)
class Sheet:
    """One sheet's used area: the row and column numbers (1-based) of its top-left cell and its
    rows of cells (str, float, bool, date or time; an empty cell is '')."""

    name: str
    first_row: int
    first_column: int
    rows: list[list[Any]]

    def numbered_rows(self) -> Iterator[tuple[int, list[Any]]]:
        for index, row in enumerate(self.rows):
            yield self.first_row + index, row


def column_letters(number: int) -> str:
    """1 -> A, 27 -> AA: how a spreadsheet names a column."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class Workbook:
    """An xlsx file's sheets, read on demand."""

    def __init__(self, file: str) -> None:
        self.file = file
        data = read_input_bytes(file, what="workbook")
        _check_zip(file, data)
        try:
            self._book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        except (CalamineError, ValueError, OSError) as exc:
            raise InputError(
                [InputIssue(f"cannot read the workbook: {excerpt(str(exc))}", file)]
            ) from None
        self.sheet_names: list[str] = list(self._book.sheet_names)

    def sheet(self, name: str | None) -> Sheet:
        """The sheet named `name` (None: the first); a missing one is an error."""
        if name is None:
            if not self.sheet_names:
                raise InputError([InputIssue("the workbook has no sheet", self.file)])
            name = self.sheet_names[0]
        if name not in self.sheet_names:
            raise InputError(
                [
                    InputIssue(
                        f"no sheet '{excerpt(name)}' in the workbook",
                        self.file,
                        hint="its sheets: " + ", ".join(excerpt(s) for s in self.sheet_names),
                    )
                ]
            )
        try:
            sheet = self._book.get_sheet_by_name(name)
            rows = sheet.to_python()
        except (CalamineError, ValueError, OSError) as exc:
            raise InputError(
                [InputIssue(f"cannot read sheet '{excerpt(name)}': {excerpt(str(exc))}", self.file)]
            ) from None
        start = sheet.start or (0, 0)
        return Sheet(name, start[0] + 1, start[1] + 1, rows)


def _check_zip(file: str, data: bytes) -> None:
    """Refuse a file that is not a zip, or that would inflate past the limits."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError(
            [
                InputIssue(
                    "not an xlsx workbook (not a zip archive)",
                    file,
                    hint="save it as an Excel workbook (.xlsx), or declare format: csv",
                )
            ]
        ) from None
    limit = max_file_bytes(file) * MAX_INFLATION
    total = sum(part.file_size for part in parts)
    worst = max(
        (part.file_size / max(part.compress_size, 1) for part in parts if part.file_size > 1e6),
        default=1.0,
    )
    if total > limit or worst > MAX_RATIO:
        raise InputError(
            [
                InputIssue(
                    f"the workbook would inflate to {total / 1e6:,.1f} MB "
                    f"(one part {worst:,.0f} times its compressed size): refused unread",
                    file,
                    hint="a real workbook inflates about ten times; this one looks like a zip bomb",
                )
            ]
        )

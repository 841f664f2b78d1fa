"""The results file: one JSON record per line, appended as each variant finishes.

Each record is one complete line written with a single `write` on a file opened for appending,
then flushed to disk (`fsync`): a crash leaves at most one torn last line, without its newline.
Reading for `--resume` ignores that line (and cuts it off before appending again), so every
complete record is kept and none is half-read.
"""

from __future__ import annotations

import json
import math
import os
import stat
from dataclasses import dataclass, field
from typing import Any

from planner.errors import InputError, InputIssue


def _issue(path: str, message: str, hint: str | None = None) -> InputError:
    return InputError([InputIssue(message, path, field="--results", hint=hint)])


@dataclass
class ReadBack:
    """The records of a results file, by key, and what was ignored."""

    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    torn_bytes: int = 0  # a last line without its newline (a write cut short)
    bad_lines: list[int] = field(default_factory=list)  # complete lines that are not records


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _constant(text: str) -> float:
    raise ValueError(text)


def read_results(path: str) -> ReadBack:
    """Every complete record of `path` (the last one of a key wins)."""
    out = ReadBack()
    with open(path, "rb") as handle:
        data = handle.read()
    end = data.rfind(b"\n") + 1
    out.torn_bytes = len(data) - end
    for number, line in enumerate(data[:end].splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line, parse_float=_finite, parse_constant=_constant)
        except ValueError:
            out.bad_lines.append(number)
            continue
        if isinstance(record, dict) and isinstance(record.get("key"), str):
            out.records[record["key"]] = record
        else:
            out.bad_lines.append(number)
    return out


def check_results_path(path: str, resume: bool) -> None:
    """Refuse what cannot be the results file, before anything runs."""
    if not os.path.lexists(path):
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise _issue(path, f"folder '{folder}' does not exist", "create it first")
        return
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise _issue(path, "the results file is not a regular file", "give a file name")
    if not resume:
        raise _issue(
            path,
            "the results file exists",
            "--resume continues it (variants already done are skipped); "
            "or remove it, or give another --results",
        )


class ResultsFile:
    """Appends records, one atomic line each, to a results file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def cut_torn_tail(self, torn_bytes: int) -> None:
        """Remove a torn last line left by a crash, so the next record starts a line."""
        if torn_bytes:
            size = os.fstat(self.fd).st_size
            os.ftruncate(self.fd, size - torn_bytes)

    def append(self, record: dict[str, Any]) -> None:
        line = (
            json.dumps(
                record, sort_keys=True, ensure_ascii=False, allow_nan=False, separators=(",", ":")
            )
            + "\n"
        ).encode("utf-8")
        written = os.write(self.fd, line)
        if written != len(line):  # a short write: finish the line, as one record
            os.write(self.fd, line[written:])
        os.fsync(self.fd)

    def close(self) -> None:
        os.close(self.fd)

    def __enter__(self) -> ResultsFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

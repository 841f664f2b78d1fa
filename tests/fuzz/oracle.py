"""Run a planner command in-process and say what is wrong with its outcome, if anything.

What every outcome must be (issue "Trust"): no internal error, no traceback, no uncaught
exception; an exit code of the README's table (and one the command may give); every reported
error names its file and line; no raw control character reaches a person; `plan` prints a
strict JSON plan (no NaN or Infinity) or refuses clearly (exit 1 with located errors, or 3).
"""

from __future__ import annotations

import json
import math
import re
import signal
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from typer.testing import CliRunner

from planner.cli import app
from tests.fuzz.seed import ROOT

LOCATED = re.compile(
    r"^(?P<file>[^\s:][^:]*):(?P<line>\d+)(?::(?P<column>\d+))?: "
    r"(?P<severity>error|warning): "
)
MENTIONS_ERROR = re.compile(r"(^|: )error: ")
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
HANG_AFTER_S = 120


def readme_exit_codes() -> set[int]:
    """The exit codes of the README's table (`| 0 | success ... |`)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("| exit code | meaning |", 1)[1].split("\n\n", 1)[0]
    return {int(code) for code in re.findall(r"^\| (\d+) \|", table, re.MULTILINE)}


class Hang(BaseException):
    """A command ran longer than HANG_AFTER_S (a BaseException: the CLI must not catch it)."""


@dataclass
class Outcome:
    args: list[str]
    exit_code: int
    stdout: str
    stderr: str
    uncaught: str | None  # the traceback of an exception that escaped the command


def _on_alarm(_signum: int, _frame: FrameType | None) -> None:
    raise Hang(f"no answer after {HANG_AFTER_S} s")


def run(args: list[str]) -> Outcome:
    """`planner ARGS` through typer's CliRunner, with a watchdog against hangs."""
    runner = CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(HANG_AFTER_S)
    try:
        result = runner.invoke(app, args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    uncaught = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        uncaught = (
            "".join(traceback.format_exception(*result.exc_info))
            if result.exc_info
            else repr(result.exception)
        )
    return Outcome(args, result.exit_code, result.stdout, result.stderr, uncaught)


def _line_count(path: Path) -> int | None:
    try:
        return len(path.read_bytes().splitlines()) if path.is_file() else None
    except OSError:
        return None


def location_problems(outcome: Outcome, cwd: Path) -> list[str]:
    """Every error line must start `file:line:`; the line must exist in that file."""
    problems = []
    for stream in (outcome.stdout, outcome.stderr):
        for text in stream.splitlines():
            if not MENTIONS_ERROR.search(text):
                continue
            match = LOCATED.match(text)
            if match is None or match.group("severity") != "error":
                problems.append(f"error without file and line: {text[:300]}")
                continue
            if match.group("file") == "<input>":
                problems.append(f"error without a file: {text[:300]}")
                continue
            count = _line_count(cwd / match.group("file"))
            line = int(match.group("line"))
            if line < 1 or (count is not None and line > count + 1):
                problems.append(f"line {line} is not in a file of {count} lines: {text[:300]}")
    return problems


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} in JSON output")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} overflows in JSON output")
    return value


def strict_json(text: str) -> Any:
    """Parse JSON refusing NaN, Infinity and numbers that overflow a float."""
    return json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)


def common_problems(outcome: Outcome, allowed_exits: set[int], cwd: Path) -> list[str]:
    problems = []
    if outcome.uncaught:
        problems.append(f"uncaught exception:\n{outcome.uncaught[-3000:]}")
    output = outcome.stdout + outcome.stderr
    for text in output.splitlines():
        if "internal error" in text:
            problems.append(text[:500])
    if "Traceback (most recent call last)" in output:
        problems.append("a traceback was printed")
    if outcome.exit_code not in readme_exit_codes():
        problems.append(f"exit {outcome.exit_code} is not in the README's table")
    elif outcome.exit_code not in allowed_exits:
        problems.append(f"exit {outcome.exit_code} (expected one of {sorted(allowed_exits)})")
    if outcome.exit_code != 3:  # exit 3 reports an infeasible scenario, not an input error
        problems += location_problems(outcome, cwd)
    if outcome.exit_code == 1 and not any(
        (m := LOCATED.match(t)) and m.group("severity") == "error" for t in output.splitlines()
    ):
        problems.append("exit 1 without any `file:line: error:` line")
    for name, stream in (("stdout", outcome.stdout), ("stderr", outcome.stderr)):
        if (char := RAW_CONTROL.search(stream)) is not None:
            problems.append(f"raw control character {char.group()!r} on {name}")
    return problems


def validate_problems(outcome: Outcome, cwd: Path) -> list[str]:
    return common_problems(outcome, {0, 1}, cwd)


def plan_problems(outcome: Outcome, cwd: Path) -> list[str]:
    """As common_problems, and: exit 0 prints a strict JSON plan, exit 1 prints nothing on
    stdout, exit 3 prints a strict JSON diagnosis (or nothing)."""
    problems = common_problems(outcome, {0, 1, 3}, cwd)
    if outcome.exit_code == 0:
        try:
            plan = strict_json(outcome.stdout)
        except ValueError as exc:
            problems.append(f"exit 0 but the plan is not strict JSON: {exc}")
        else:
            if not (
                isinstance(plan, dict) and "resource_changes" in plan and "format_version" in plan
            ):
                problems.append("exit 0 but stdout is not a JSON plan")
    elif outcome.exit_code == 1 and outcome.stdout.strip():
        problems.append(f"refused (exit 1) but printed on stdout: {outcome.stdout[:200]!r}")
    elif outcome.exit_code == 3 and outcome.stdout.strip():
        try:
            strict_json(outcome.stdout)
        except ValueError as exc:
            problems.append(f"the diagnosis is not strict JSON: {exc}")
    return problems

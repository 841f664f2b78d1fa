"""Terminal escape sequences in names, references and keys reach no person's screen raw."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.controls import printable
from planner.render.csv_format import csv_row

HOSTILE = "tests/fixtures/hostile-ids/scenario.yaml"  # escapes in names and descriptions
BROKEN = "tests/fixtures/hostile-ids/broken.yaml"  # escapes in references and keys
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})


def _clean(*texts: str) -> None:
    for text in texts:
        assert not RAW.search(text), RAW.findall(text)


def test_printable_escapes_controls_and_keeps_lines() -> None:
    assert printable("a\x1b[2Jb\x1b]0;title\x07c") == "a\\x1b[2Jb\\x1b]0;title\\x07c"
    assert printable("csi\x9b31m del\x7f cr\r") == "csi\\x9b31m del\\x7f cr\\x0d"
    assert printable("rtl\u202eoverride") == "rtl\\u202eoverride"
    assert printable("two\nlines\tand tab, é €") == "two\nlines\tand tab, é €"


def test_validate_messages_escape_a_hostile_key(runner: CliRunner) -> None:
    for fmt in ("text", "github"):
        result = runner.invoke(app, ["validate", BROKEN, "-f", fmt])
        assert result.exit_code == 1
        _clean(result.stdout, result.stderr)
        assert "unknown field '\\x1b]0;pwned\\x07'" in result.stdout


def test_plan_errors_on_stderr_are_escaped(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", BROKEN])
    assert result.exit_code == 1
    _clean(result.stderr)
    assert "workloads[1].\\x1b]0;pwned\\x07: unknown field" in result.stderr


def test_text_plan_escapes_the_scenario_name(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", HOSTILE])
    assert result.exit_code == 0, result.output
    _clean(result.stdout, result.stderr)
    assert result.stdout.startswith('Scenario "hostile\\x1b[2J" (reference date 2026-11-29)')


@pytest.mark.parametrize(("fmt", "bracket"), [("md", "\\"), ("html", "")])
def test_reports_escape_names_and_descriptions(runner: CliRunner, fmt: str, bracket: str) -> None:
    # Markdown also backslash-escapes its own specials ([ and ])
    result = runner.invoke(app, ["plan", HOSTILE, "-f", fmt])
    assert result.exit_code == 0, result.output
    _clean(result.stdout)
    assert f"retitles the terminal\\x1b{bracket}]0;title\\x07" in result.stdout
    assert f"fixture\\x1b{bracket}[2J" in result.stdout  # an offer's price source


def test_explain_escapes_the_scenario_name(runner: CliRunner) -> None:
    result = runner.invoke(app, ["explain", HOSTILE, "w1"])
    assert result.exit_code == 0, result.output
    _clean(result.stdout)


def test_csv_cells_escape_controls_and_keep_crlf() -> None:
    assert csv_row(["w1\x1b[2J", 2.5]) == "w1\\x1b[2J,2.5\r\n"

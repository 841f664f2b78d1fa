"""The CLI's consoles print a message as it is: no emoji codes, no markup, controls escaped."""

from __future__ import annotations

import pytest

from planner.cli.common import err_console, report_issues
from planner.errors import InputIssue


def test_emoji_codes_and_markup_are_printed_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    err_console().print("sites.yaml:100:5: error: id '[bold]x[/bold]' :smile: [red]")
    captured = capsys.readouterr()
    assert (
        captured.out + captured.err
    ) == "sites.yaml:100:5: error: id '[bold]x[/bold]' :smile: [red]\n"


def test_an_issue_on_line_100_keeps_its_location(capsys: pytest.CaptureFixture[str]) -> None:
    report_issues([InputIssue("unknown field '.inf'", "sites.yaml", 100, 5, "sites[1]..inf")])
    assert (
        capsys.readouterr().err
        == "sites.yaml:100:5: error: sites[1]..inf: unknown field '.inf'\n1 error\n"
    )

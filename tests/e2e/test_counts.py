"""Counts carry thousands separators, as money does, in every output meant for a person."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.render.templating import count
from tests.helpers import site, workload, write_scenario


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> str:
    """1,234 new small workloads on one roomy site: 1,234 to add."""
    folder = tmp_path_factory.mktemp("big")
    workloads = [workload(f"w{i:04d}", vcpu=1, ram_gib=1) for i in range(1234)]
    return write_scenario(
        folder, sites=[site("alpha", vcpu=2000, ram_gib=2000)], workloads=workloads
    )


def test_count_formatter() -> None:
    assert [count(n) for n in (0, 999, 4447, 1234567)] == ["0", "999", "4,447", "1,234,567"]


def test_text_plan_counts(big: str) -> None:
    result = CliRunner().invoke(app, ["plan", big])
    assert result.exit_code == 0, result.output
    assert "Plan: 1,234 to add, 0 to change, 0 to destroy." in result.stdout
    assert "  public                 1,234 in-house     0 outsourced" in result.stdout


@pytest.mark.parametrize(
    ("fmt", "line"),
    [
        ("md", "| Changes | 1,234 to add, 0 to change, 0 to destroy |"),
        ("html", "<p>Plan: 1,234 to add, 0 to change, 0 to destroy (1,234 resources)."),
        ("html", '<output id="change-count">1,234 of 1,234 changes shown</output>'),
    ],
)
def test_report_counts(big: str, fmt: str, line: str) -> None:
    result = CliRunner().invoke(app, ["plan", big, "-f", fmt])
    assert result.exit_code == 0, result.output
    assert line in result.stdout


def test_diff_counts(big: str, tmp_path: Path) -> None:
    runner = CliRunner()
    new = tmp_path / "new.json"
    runner.invoke(app, ["plan", big, "-f", "json", "-o", str(new)])
    empty = json.loads(new.read_text())
    empty["resource_changes"] = []
    old = tmp_path / "old.json"
    old.write_text(json.dumps(empty))
    result = runner.invoke(app, ["diff", str(old), str(new), "-f", "md"])
    assert result.exit_code == 0, result.output
    assert "| Resources |  |  | 1,234 added |" in result.stdout
    assert "1,034 more not shown: see `planner diff --format json`." in result.stdout
    assert "<details><summary>Resources (1,234 changed)</summary>" in result.stdout

"""The command line through typer's CliRunner: outputs, files, exit codes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.helpers import site, workload, write_scenario

TINY = "tests/fixtures/tiny/scenario.yaml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})


def test_plan_text_is_terraform_style(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", TINY])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert '  + placement "w2" {' in out
    assert "Plan: 1 to add, 0 to change, 0 to destroy." in out
    assert "Monthly cost:    €96.00 -> €162.00 (+€66.00, +68.75 %)" in out
    assert "optimal (proven" in out


def test_detailed_exitcode_and_json_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = runner.invoke(app, ["plan", TINY, "-f", "json", "-o", str(out), "--detailed-exitcode"])
    assert result.exit_code == 2
    plan = json.loads(out.read_text())
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # a normal file, not a 0600 temp
    assert (plan["format_version"], plan["planner_format_version"]) == ("1.2", "2")
    changes = {rc["address"]: rc["change"]["actions"] for rc in plan["resource_changes"]}
    assert changes["planner_placement.w2"] == ["create"]
    assert changes["planner_placement.w1"] == ["no-op"]
    assert plan["solver"]["proven_optimal"] is True and plan["solver"]["time_s"] is None
    # the plan as the state: nothing left to do
    again = runner.invoke(app, ["plan", TINY, "--baseline", str(out), "--detailed-exitcode"])
    assert again.exit_code == 0, again.output
    assert "No changes." in again.stdout


def test_json_is_byte_identical_between_runs(runner: CliRunner) -> None:
    first = runner.invoke(app, ["plan", TINY, "-f", "json"]).stdout
    second = runner.invoke(app, ["plan", TINY, "-f", "json", "--solver", "cbc"]).stdout
    assert first == runner.invoke(app, ["plan", TINY, "-f", "json"]).stdout
    assert json.loads(first)["totals"] == json.loads(second)["totals"]


def test_bad_input_exit_1_no_traceback_no_file(runner: CliRunner, tmp_path: Path) -> None:
    path = write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("w")])
    text = (tmp_path / "workloads.yaml").read_text().replace("data_class", "data_clas")
    (tmp_path / "workloads.yaml").write_text(text)
    out = tmp_path / "plan.json"
    result = runner.invoke(app, ["plan", path, "-o", str(out)])
    assert result.exit_code == 1
    assert "workloads.yaml:2" in result.stderr and "did you mean 'data_class'?" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists() and list(tmp_path.glob("*.planner-tmp-*")) == []


def test_missing_scenario_file(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", "no/such/scenario.yaml"])
    assert result.exit_code == 1
    assert "no/such/scenario.yaml: error: file not found" in result.stderr


def test_infeasible_exits_3(runner: CliRunner, tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path, sites=[site("alpha")], workloads=[workload("w")], caps={"monthly_budget_eur": 1}
    )
    result = runner.invoke(app, ["plan", path])
    assert result.exit_code == 3
    assert "no feasible plan" in result.stderr


def test_validate_ok_and_help_has_examples(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", TINY])
    assert result.exit_code == 0 and "ok: 1 sites, 2 offers, 3 workloads" in result.stderr
    helped = runner.invoke(app, ["plan", "--help"])
    assert "planner plan scenarios/baseline.yaml" in helped.stdout


def test_usage_errors_exit_1_not_2(runner: CliRunner) -> None:
    # 2 is reserved for "the plan has changes" (--detailed-exitcode), as in Terraform
    for args in (
        ["plan", TINY, "--time-limit", "0"],
        ["plan", TINY, "-f", "pdf"],
        ["no-such-command"],
        ["plan"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, (args, result.output)

"""Merge gates and unproven plans: `--require-proven`, and rises within the solver gap."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app

OLD = "tests/golden/baseline.plan.json"  # €220,601.61 / month, proven
NEW = "tests/golden/what-if-price-rise.plan.json"  # €223,849.17: +€3,247.56, +1.47 %


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})


def _stopped_early(tmp_path: Path, gap_pct: float | None) -> str:
    """The new plan as a time-limited run would record it."""
    plan = json.loads(Path(NEW).read_text())
    plan["solver"].update(
        status="time_limit", proven_optimal=False, gap_pct=gap_pct, message="Time limit reached"
    )
    path = tmp_path / "new.json"
    path.write_text(json.dumps(plan))
    return str(path)


def test_a_rise_within_the_gap_is_reported_not_proven_and_passes(
    runner: CliRunner, tmp_path: Path
) -> None:
    # gap 0.5 %: the new optimum may be €223,849.17 x 0.5 % = €1,119.25 lower, so the proven
    # rise is €3,247.56 - €1,119.25 = €2,128.31, 0.96 % of €220,601.61
    new = _stopped_early(tmp_path, 0.5)
    result = runner.invoke(app, ["diff", OLD, new, "--fail-on-cost-increase-pct", "1"])
    assert result.exit_code == 0, result.output
    line = (
        "Gate not proven: --fail-on-cost-increase-pct 1: the monthly cost rises by 1.47 % "
        "(+€3,247.56), more than 1 %; not proven: within the new plan's solver gap of "
        "0.50 %, the proven rise is €2,128.31, 0.96 %"
    )
    assert line in result.stdout
    assert "gate not proven: --fail-on-cost-increase-pct 1" in result.stderr
    body = json.loads(
        runner.invoke(
            app, ["diff", OLD, new, "-f", "json", "--fail-on-cost-increase-pct", "1"]
        ).stdout
    )
    assert body["gates_failed"] == []
    assert [g["option"] for g in body["gates_not_proven"]] == ["--fail-on-cost-increase-pct 1"]


def test_a_rise_beyond_the_gap_fails(runner: CliRunner, tmp_path: Path) -> None:
    new = _stopped_early(tmp_path, 0.5)
    result = runner.invoke(
        app, ["diff", OLD, new, "--fail-on-cost-increase-pct", "0.9", "-f", "md"]
    )
    assert result.exit_code == 5
    assert (
        "**Gate failed**: `--fail-on-cost-increase-pct 0.9`: the monthly cost rises by "
        "1.47 % (+€3,247.56), more than 0.9 %" in result.stdout
    )


def test_require_proven_fails_on_an_unproven_side(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(app, ["diff", OLD, NEW, "--require-proven"]).exit_code == 0
    new = _stopped_early(tmp_path, None)
    result = runner.invoke(app, ["diff", OLD, new, "--require-proven"])
    assert result.exit_code == 5
    assert (
        "Gate failed: --require-proven: the new plan is not proven optimal (time_limit, "
        "gap unknown)"
    ) in result.stdout

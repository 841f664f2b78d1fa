"""`planner explain` and the diagnosis of `planner plan` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.golden_files import assert_golden
from tests.helpers import site, workload, write_scenario

TINY = "tests/fixtures/tiny/scenario.yaml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})


def test_explain_text_matches_golden(runner: CliRunner, update_goldens: bool) -> None:
    result = runner.invoke(app, ["explain", TINY, "w3"])
    assert result.exit_code == 0, result.output
    assert_golden("explain_tiny_w3.txt", result.stdout, update_goldens)


def test_explain_text_in_french_matches_golden(runner: CliRunner, update_goldens: bool) -> None:
    result = runner.invoke(app, ["explain", TINY, "w3", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert "Lieux éligibles, par mois" in result.stdout
    assert_golden("explain_tiny_w3.fr.txt", result.stdout, update_goldens)


def test_explain_baseline_in_french_matches_golden(runner: CliRunner, update_goldens: bool) -> None:
    result = runner.invoke(
        app, ["explain", "scenarios/baseline.yaml", "ft-ai-diagnostic", "--lang", "fr"]
    )
    assert result.exit_code == 0, result.output
    assert "  motif :      externalisée chez scaleway-gpu" in result.stdout
    assert_golden("explain_baseline_ft-ai-diagnostic.fr.txt", result.stdout, update_goldens)


def test_explain_roadmap_matches_golden(runner: CliRunner, update_goldens: bool) -> None:
    """A roadmap's workload: its path wave by wave and its runner-up timing (worked by hand
    in tests/unit/test_roadmap_small.py)."""
    scenario = "tests/fixtures/roadmap/scenario.yaml"
    result = runner.invoke(app, ["explain", scenario, "shop-web"])
    assert result.exit_code == 0, result.output
    assert "Runner-up timing (" in result.stdout
    assert_golden("explain_roadmap-small_shop-web.txt", result.stdout, update_goldens)


def test_explain_json(runner: CliRunner) -> None:
    result = runner.invoke(app, ["explain", TINY, "w3", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["placed_on"] == "pub" and data["reason_code"] == "capacity_full"
    # alpha: 2 x 10 + 8 x 1 = 28; pub: flavour small 30; snc: 2 x 20 + 8 x 2 = 56.
    assert [(c["place"], c["total_eur_month"]) for c in data["eligible"]] == [
        ("alpha", 28.0),
        ("pub", 30.0),
        ("snc", 56.0),
    ]
    assert data["refused"] == []
    assert data["runner_up"] == "alpha"
    assert "2 more vcpu free" in data["to_win"] and "8 more ram_gib free" in data["to_win"]
    sensitive = json.loads(runner.invoke(app, ["explain", TINY, "w1", "-f", "json"]).stdout)
    [refused] = sensitive["refused"]
    assert refused["place"] == "pub" and refused["code"] == "policy"
    assert "exposed to extra-EU law" in refused["reason"]
    # snc (132) must fall below alpha (66) to win.
    assert sensitive["to_win"].startswith(
        "snc would win if its run cost dropped by more than €66.00 / month (from €132.00)"
    )


def test_explain_unknown_workload(runner: CliRunner) -> None:
    result = runner.invoke(app, ["explain", TINY, "w33"])
    assert result.exit_code == 1
    assert "unknown workload 'w33'" in result.stderr and "did you mean 'w3'?" in result.stderr
    assert "Traceback" not in result.output


def test_explain_in_an_impossible_scenario(runner: CliRunner, tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=4)],
        workloads=[workload("a", 4, 4), workload("b", 4, 4)],
    )
    result = runner.invoke(app, ["explain", path, "a", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["placed_on"] is None and "no feasible plan" in data["note"]
    assert "need 4 more vcpu at alpha" in data["note"]


def test_plan_infeasible_json_diagnosis_and_exit_3(runner: CliRunner, tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=4)],
        workloads=[workload("a", 4, 4), workload("b", 4, 4)],
    )
    result = runner.invoke(app, ["plan", path, "--format", "json"])
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["causes"] == ["capacity_short"]
    [short] = data["shortfalls"]
    assert (short["place"], short["resource"], short["missing"]) == ("alpha", "vcpu", 4)
    assert "public workloads need 4 more vcpu at alpha" in result.stderr

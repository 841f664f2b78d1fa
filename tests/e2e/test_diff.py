"""`planner diff` through the CLI: golden outputs, --base-ref on a throw-away repository, gates."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.git_repo import commit_all, git, make_repo, set_price
from tests.golden_files import assert_golden
from tests.helpers import offer, provider, site, workload, write_scenario

ROOT = Path(__file__).resolve().parent.parent.parent
TINY = "tests/fixtures/tiny/scenario.yaml"
NEXT = "tests/fixtures/tiny-next/scenario.yaml"
SMALL = "{name: small, vcpu: 2, ram_gib: 8, price_eur_month: 30}"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})


@pytest.mark.parametrize(
    "fmt, golden", [("text", "diff.txt"), ("json", "diff.json"), ("markdown", "diff.md")]
)
def test_each_format_matches_its_golden_file(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, fmt: str, golden: str, update_goldens: bool
) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["diff", TINY, NEXT, "--format", fmt])
    assert result.exit_code == 0, result.output
    assert_golden(golden, result.stdout, update_goldens)


def test_plan_json_sides_give_the_same_diff(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(ROOT)
    for name, scenario in (("old", TINY), ("new", NEXT)):
        done = runner.invoke(
            app, ["plan", scenario, "-f", "json", "-o", str(tmp_path / f"{name}.json")]
        )
        assert done.exit_code == 0, done.output
    from_json = runner.invoke(
        app, ["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "-f", "json"]
    )
    solved = runner.invoke(app, ["diff", TINY, NEXT, "-f", "json"])
    strip = ("old", "new")
    a = {k: v for k, v in json.loads(from_json.stdout).items() if k not in strip}
    b = {k: v for k, v in json.loads(solved.stdout).items() if k not in strip}
    assert a == b


def test_base_ref_shows_only_what_one_price_moved(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    repo = make_repo(tmp_path / "repo")
    set_price(repo, SMALL, SMALL.replace("30}", "33}"))  # uncommitted, as in a review
    monkeypatch.chdir(repo)
    result = runner.invoke(app, ["diff", "--base-ref", "HEAD", "scenarios/baseline.yaml"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Plan diff: HEAD:scenarios/baseline.yaml -> scenarios/baseline.yaml\n\n"
        "  ~ placement.w3 repriced on pub: €30.00 -> €33.00 (+€3.00, +10.00 %)\n\n"
        "Monthly cost:   €162.00 -> €165.00 (+€3.00, +1.85 %)\n"
        "Outsourced:     18.52 % -> 20.00 % (+1.48 points) of monthly spend\n"
        "By data class (monthly):\n"
        "  public                 €30.00 -> €33.00 (+€3.00, +10.00 %)\n"
        "By provider (monthly):\n"
        "  provider:bigco         €30.00 -> €33.00 (+€3.00, +10.00 %)\n"
    )


def test_base_ref_between_two_commits(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    repo = make_repo(tmp_path / "repo")
    set_price(repo, SMALL, SMALL.replace("30}", "33}"))
    commit_all(repo, "pub: small flavour 30 -> 33")
    monkeypatch.chdir(repo / "scenarios")  # paths resolve from anywhere in the repository
    clean = runner.invoke(app, ["diff", "--base-ref", "HEAD", "baseline.yaml"])
    assert clean.exit_code == 0 and "No changes (tolerance €0.01)." in clean.stdout
    result = runner.invoke(app, ["diff", "--base-ref", "HEAD~1", "baseline.yaml", "-f", "json"])
    body = json.loads(result.stdout)
    assert body["old"] == "HEAD~1:scenarios/baseline.yaml"
    assert [r["address"] for r in body["resources"]] == ["placement.w3"]
    assert body["monthly_cost_eur"]["difference"] == 3.0
    assert body["gates_failed"] == []


def test_base_ref_errors_are_plain_messages(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    repo = make_repo(tmp_path / "repo")
    monkeypatch.chdir(repo)
    unknown = runner.invoke(app, ["diff", "--base-ref", "no-such-rev", "scenarios/baseline.yaml"])
    assert unknown.exit_code == 1 and "Traceback" not in unknown.output
    assert "no-such-rev:scenarios/baseline.yaml: error: git show failed" in unknown.stderr
    # a catalog the base revision did not have yet
    (repo / "scenarios" / "extra.yaml").write_text(
        (repo / "scenarios" / "baseline.yaml").read_text()
    )
    git(repo, "add", "scenarios/extra.yaml")
    missing = runner.invoke(app, ["diff", "--base-ref", "HEAD", "scenarios/extra.yaml"])
    assert missing.exit_code == 1 and "HEAD:scenarios/extra.yaml" in missing.stderr
    # a catalog broken at the base revision is named as REV:path, with its line
    broken = repo / "catalogs" / "sites.yaml"
    broken.write_text(broken.read_text().replace("operation_24_7", "operation_247"))
    commit_all(repo, "typo")
    broken.write_text(broken.read_text().replace("operation_247", "operation_24_7"))
    typo = runner.invoke(app, ["diff", "--base-ref", "HEAD", "scenarios/baseline.yaml"])
    assert typo.exit_code == 1
    assert (
        "HEAD:catalogs/sites.yaml:4:5: error: sites[0].operation_247: unknown field 'operation_247'"
    ) in typo.stderr


def test_gate_names_itself_and_exits_5(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    repo = make_repo(tmp_path / "repo")
    set_price(repo, SMALL, SMALL.replace("30}", "33}"))  # +3.00 on 162.00: +1.85 %
    monkeypatch.chdir(repo)
    args = ["diff", "--base-ref", "HEAD", "scenarios/baseline.yaml"]
    at = runner.invoke(
        app, [*args, "--fail-on-cost-increase-pct", "1.85", "--fail-on-cost-increase-eur", "3"]
    )
    assert at.exit_code == 0, at.output
    over = runner.invoke(app, [*args, "--fail-on-cost-increase-eur", "2.99", "-f", "markdown"])
    assert over.exit_code == 5
    assert (
        "**Gate failed**: `--fail-on-cost-increase-eur 2.99`: the monthly cost rises by "
        "€3.00, more than €2.99" in over.stdout
    )
    assert "gate failed: --fail-on-cost-increase-eur 2.99" in over.stderr
    share = runner.invoke(app, [*args, "--fail-on-outsourced-share", "19.99"])
    assert share.exit_code == 5 and "Gate failed: --fail-on-outsourced-share 19.99" in share.stdout


def test_warning_gate_reads_the_new_side(runner: CliRunner, tmp_path: Path) -> None:
    stale = offer("o", price_date=date(2025, 1, 1))  # 697 days before 2026-11-29
    warned = write_scenario(
        tmp_path / "warned",
        sites=[site("alpha")],
        providers=[provider("p", [stale])],
        workloads=[workload("w")],
    )
    clean = write_scenario(
        tmp_path / "clean",
        sites=[site("alpha")],
        providers=[provider("p", [offer("o")])],
        workloads=[workload("w")],
    )
    assert runner.invoke(app, ["diff", warned, clean, "--fail-on-warning"]).exit_code == 0
    result = runner.invoke(app, ["diff", clean, warned, "--fail-on-warning"])
    assert result.exit_code == 5
    assert "warning: price_date: prices of 'o' date from 2025-01-01" in result.stderr
    assert "Gate failed: --fail-on-warning: the new inputs raise 1 warning" in result.stdout
    assert runner.invoke(app, ["diff", clean, warned]).exit_code == 0


def test_usage_errors(runner: CliRunner) -> None:
    assert runner.invoke(app, ["diff", TINY]).exit_code == 1
    plan_at_rev = runner.invoke(app, ["diff", "--base-ref", "HEAD", "plan.json"])
    assert plan_at_rev.exit_code == 1 and "give a scenario, not a plan JSON" in plan_at_rev.stderr
    assert runner.invoke(app, ["diff", "a.json", "b.json", "c.json"]).exit_code == 1

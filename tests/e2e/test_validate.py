"""`planner validate PATH...` through the CLI: formats (golden files), strictness, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.git_repo import git
from tests.golden_files import assert_golden
from tests.helpers import offer, provider, site, workload, write_scenario

ROOT = Path(__file__).resolve().parent.parent.parent
FLAGGED = "tests/fixtures/flagged/scenario.yaml"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(ROOT)
    return CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})


@pytest.mark.parametrize(
    "fmt, golden",
    [
        ("text", "validate.txt"),
        ("json", "validate.json"),
        ("github", "validate.github.txt"),
        ("gitlab", "validate.gitlab.json"),
    ],
)
def test_each_format_matches_its_golden_file(
    runner: CliRunner, fmt: str, golden: str, update_goldens: bool
) -> None:
    result = runner.invoke(app, ["validate", FLAGGED, "--format", fmt])
    assert result.exit_code == 1  # the ineligible pin is an error
    assert_golden(golden, result.stdout, update_goldens)


def test_github_annotations_name_file_and_line(runner: CliRunner) -> None:
    lines = runner.invoke(app, ["validate", FLAGGED, "-f", "github"]).stdout.splitlines()
    assert lines[2].startswith("::error file=tests/fixtures/flagged/workloads.yaml,line=16,col=5,")
    assert lines[0].startswith("::warning file=tests/fixtures/flagged/providers.yaml,line=8,")


def test_gitlab_report_is_code_quality_json(runner: CliRunner) -> None:
    entries = json.loads(runner.invoke(app, ["validate", FLAGGED, "-f", "gitlab"]).stdout)
    assert {e["severity"] for e in entries} == {"major", "minor"}
    assert all(
        set(e) == {"description", "check_name", "fingerprint", "severity", "location"}
        for e in entries
    )
    assert len({e["fingerprint"] for e in entries}) == len(entries)


def test_warnings_alone_pass_unless_strict(runner: CliRunner, tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        sites=[site("alpha")],
        workloads=[
            workload("a", vcpu=5, ram_gib=1, data_class="sensitive"),
            workload("b", vcpu=4, ram_gib=1, data_class="sensitive"),
        ],
    )
    loose = runner.invoke(app, ["validate", path])
    assert loose.exit_code == 0, loose.output
    assert ": warning: " in loose.stdout and "0 errors, 1 warning in 1 file" in loose.stdout
    strict = runner.invoke(app, ["validate", path, "--strict"])
    assert strict.exit_code == 1
    assert ": error: " in strict.stdout and "1 error, 0 warnings" in strict.stdout


def test_clean_scenario_exits_0(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "tests/fixtures/tiny/scenario.yaml"])
    assert result.exit_code == 0
    assert result.stdout == "ok: 5 files checked, no issues\n"  # the scenario and its 4 catalogs


def test_catalog_file_alone_is_checked_by_its_top_level_key(
    runner: CliRunner, tmp_path: Path
) -> None:
    broken = tmp_path / "sites.yaml"
    text = (ROOT / "tests/fixtures/tiny/sites.yaml").read_text()
    broken.write_text(text.replace("operation_24_7", "operation_247"))
    result = runner.invoke(app, ["validate", str(broken), "-f", "github"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"::error file={broken},line=2,col=5,")  # the site lacks a field
    assert "missing required field 'operation_24_7'" in lines[0]
    assert lines[1].startswith(f"::error file={broken},line=4,col=5,")
    assert lines[1].endswith("unknown field 'operation_247' (hint: did you mean 'operation_24_7'?)")


def test_unknown_kind_and_missing_path(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "notes.yaml").write_text("title: hello\n")
    result = runner.invoke(app, ["validate", str(tmp_path), "nowhere.yaml"])
    assert result.exit_code == 1
    assert "notes.yaml:1: error: cannot tell what kind of file this is" in result.stdout
    assert "nowhere.yaml: error: file not found" in result.stdout


def test_catalog_directory_without_scenario_is_checked_as_a_whole(
    runner: CliRunner, tmp_path: Path
) -> None:
    write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("h", data_class="health")])
    (tmp_path / "scenario.yaml").unlink()
    result = runner.invoke(app, ["validate", str(tmp_path), "--reference-date", "2026-11-29"])
    assert result.exit_code == 1
    assert (
        "policy.yaml" in result.stdout
        and "no site or offer is eligible for data class 'health'" in result.stdout
    )


def test_issue_reported_once_when_a_file_is_reached_twice(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", FLAGGED, "tests/fixtures/flagged/"])
    assert result.stdout.count("pin-ineligible") == 0  # text format names no codes
    assert result.stdout.count("pinned to 'pub'") == 1


def test_broken_demo_catalog_is_annotated_on_its_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "catalogs", tmp_path / "catalogs")
    monkeypatch.chdir(tmp_path)
    clean = runner.invoke(app, ["validate", "catalogs/", "--reference-date", "2026-11-29"])
    assert clean.exit_code == 0, clean.output
    assert "(catalogs together)" in clean.stderr  # checked as a whole, not file by file
    path = tmp_path / "catalogs" / "providers.yaml"
    lines = path.read_text().splitlines(keepends=True)
    line_no = next(i for i, line in enumerate(lines, start=1) if "egress_eur_gib:" in line)
    lines[line_no - 1] = lines[line_no - 1].replace("egress_eur_gib:", "egress_eur_gb:")
    path.write_text("".join(lines))
    column = lines[line_no - 1].index("egress_eur_gb") + 1
    result = runner.invoke(app, ["validate", "catalogs/", "--format", "github"])
    assert result.exit_code == 1
    annotations = [a for a in result.stdout.splitlines() if a.startswith("::")]
    assert annotations[-1].startswith(
        f"::error file=catalogs/providers.yaml,line={line_no},col={column},title=planner input::"
    )
    assert "unknown field 'egress_eur_gb' (hint: did you mean 'egress_eur_gib'?)" in annotations[-1]


def _line_of(path: Path, text: str) -> tuple[int, int]:
    """1-based line and column of the first occurrence of `text` in `path`."""
    lines = path.read_text().splitlines()
    return next((i, row.index(text) + 1) for i, row in enumerate(lines, 1) if text in row)


def test_offer_with_neither_flavours_nor_unit_prices_is_an_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    bare = offer("bare")
    del bare["unit_prices_eur_month"]
    path = write_scenario(
        tmp_path,
        sites=[site("alpha")],
        providers=[provider("p", [bare])],
        workloads=[workload("w")],
    )
    line, _ = _line_of(tmp_path / "providers.yaml", "- id: bare")
    result = runner.invoke(app, ["validate", path, "--strict"])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{tmp_path}/providers.yaml:{line}:5: error: unit_prices_eur_month: offer 'bare' has "
        "neither flavours nor unit prices: it can take no workload [scenario "
        f"{path} (reference date 2026-11-29)] (hint: add its flavours or its "
        "unit_prices_eur_month, or remove the offer)\n1 error, 0 warnings in 1 file (5 checked)\n"
    )
    assert runner.invoke(app, ["plan", path]).exit_code == 1  # plan refuses it too


def test_policy_qualification_typo_is_an_error_with_did_you_mean(
    runner: CliRunner, tmp_path: Path
) -> None:
    snc = offer("snc", qualifications=[{"name": "secnumcloud"}])
    policy = {
        "public": {},
        "sensitive": {"any_of": [{"internal": True}, {"qualifications": ["secnumclod"]}]},
    }
    path = write_scenario(
        tmp_path,
        sites=[site("alpha")],
        providers=[provider("p", [snc])],
        workloads=[workload("w", data_class="sensitive")],
        policy=policy,
    )
    line, column = _line_of(tmp_path / "policy.yaml", "secnumclod")
    result = runner.invoke(app, ["validate", path, "--strict", "-f", "github"])
    assert result.exit_code == 1
    assert result.stdout == (
        f"::error file={tmp_path}/policy.yaml,line={line},col={column},title=planner "
        "unknown-qualification::any_of[1].qualifications[0]: data class 'sensitive' requires "
        "qualification 'secnumclod', which no site or offer holds [scenario "
        f"{path} (reference date 2026-11-29)] (hint: did you mean 'secnumcloud'?)\n"
        "1 error, 0 warnings in 1 file (5 checked)\n"
    )
    plan = runner.invoke(app, ["plan", path])
    assert plan.exit_code == 1 and "did you mean 'secnumcloud'?" in plan.stderr


def test_policy_activity_typo_and_site_qualifications_count(
    runner: CliRunner, tmp_path: Path
) -> None:
    # hds is held by a site, not an offer: the names of both count; 'hsd' is a typo of it
    alpha = site("alpha", qualifications=[{"name": "hds", "activities": [1]}])
    policy = {"public": {}, "health": {"any_of": [{"activities": {"hsd": [1]}}]}}
    path = write_scenario(tmp_path, sites=[alpha], workloads=[workload("w")], policy=policy)
    line, column = _line_of(tmp_path / "policy.yaml", "hsd:")
    result = runner.invoke(app, ["validate", path])
    assert result.exit_code == 1
    assert result.stdout.startswith(
        f"{tmp_path}/policy.yaml:{line}:{column}: error: any_of[0].activities.hsd: data class "
        "'health' requires qualification 'hsd', which no site or offer holds"
    )
    assert "(hint: did you mean 'hds'?)" in result.stdout


def test_qualification_this_estate_lacks_is_not_called_a_typo(
    runner: CliRunner, tmp_path: Path
) -> None:
    # the default test policy names secnumcloud and hds; nobody holds anything close
    path = write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("w")])
    result = runner.invoke(app, ["validate", path, "--strict"])
    assert result.exit_code == 0 and result.stdout == "ok: 5 files checked, no issues\n"


def _layout(root: Path) -> None:
    """The tiny catalogs in root/catalogs and a scenario using them in root/scenarios."""
    (root / "catalogs").mkdir(parents=True)
    (root / "scenarios").mkdir()
    text = (ROOT / "tests/fixtures/tiny/scenario.yaml").read_text()
    for name in ("sites.yaml", "providers.yaml", "workloads.yaml", "policy.yaml"):
        shutil.copy(ROOT / "tests/fixtures/tiny" / name, root / "catalogs" / name)
        text = text.replace(name, f"../catalogs/{name}")
    (root / "scenarios" / "base.yaml").write_text(text)


def _break_current_site(root: Path) -> None:
    path = root / "catalogs" / "workloads.yaml"
    path.write_text(path.read_text().replace("current_site: alpha", "current_site: alhpa"))


def test_catalog_file_outside_a_repository_checks_the_scenarios_beside_it(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _layout(tmp_path / "estate")
    _break_current_site(tmp_path / "estate")
    # a scenario two folders away is not beside the catalogs: not looked at
    (tmp_path / "estate" / "scenarios" / "deeper").mkdir()
    text = (tmp_path / "estate" / "scenarios" / "base.yaml").read_text()
    (tmp_path / "estate" / "scenarios" / "deeper" / "far.yaml").write_text(
        text.replace("../catalogs/", "../../catalogs/")
    )
    # nor is one beside them that uses other catalogs
    (tmp_path / "estate" / "scenarios" / "other.yaml").write_text(
        text.replace("../catalogs/workloads.yaml", "../catalogs/none.yaml")
    )
    monkeypatch.chdir(tmp_path / "estate")
    result = runner.invoke(app, ["validate", "catalogs/workloads.yaml"])
    assert result.exit_code == 1
    assert result.stdout == (
        "catalogs/workloads.yaml:2:5: error: current_site: unknown site or offer 'alhpa' "
        "[scenario scenarios/base.yaml (reference date 2026-11-29)] (hint: did you mean "
        "'alpha'?)\n1 error, 0 warnings in 1 file (5 checked)\n"
    )


def test_catalog_file_in_a_repository_checks_every_scenario_using_it(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    _layout(repo)
    git(repo, "init", "-q")
    text = (repo / "scenarios" / "base.yaml").read_text()
    (repo / "teams" / "ops").mkdir(parents=True)
    (repo / "teams" / "ops" / "later.yaml").write_text(
        text.replace("../catalogs/", "../../catalogs/").replace("2026-11-29", "2027-03-01")
    )
    (repo / ".cache").mkdir()  # hidden folders are not searched
    (repo / ".cache" / "copy.yaml").write_text(text.replace("../catalogs/", "../catalogs/"))
    _break_current_site(repo)
    monkeypatch.chdir(repo / "catalogs")  # paths are shown as given, from anywhere
    result = runner.invoke(app, ["validate", "workloads.yaml"])
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert errors == [
        "workloads.yaml:2:5: error: current_site: unknown site or offer 'alhpa' [scenarios "
        "../scenarios/base.yaml (reference date 2026-11-29); ../teams/ops/later.yaml "
        "(reference date 2027-03-01)] (hint: did you mean 'alpha'?)"
    ]
    assert result.stdout.endswith(" in 1 file (7 checked)\n")


def test_expected_infeasibility_gives_notes_but_broken_references_stay_errors(
    runner: CliRunner, tmp_path: Path
) -> None:
    # no place for health data: an error, unless the scenario expects to be infeasible
    path = write_scenario(
        tmp_path,
        sites=[site("alpha")],
        workloads=[workload("h", data_class="health")],
        expect="infeasible",
    )
    line, column = _line_of(tmp_path / "policy.yaml", "health:")
    result = runner.invoke(app, ["validate", path, "--strict"])
    assert result.exit_code == 0, result.stdout
    assert result.stdout == (
        f"{tmp_path}/policy.yaml:{line}:{column}: note: no site or offer is eligible for data "
        "class 'health' (1 workload) [scenario "
        f"{path} (reference date 2026-11-29, expect: infeasible)] (hint: for example alpha: "
        "data class 'health': no hds qualification)\n"
        "0 errors, 0 warnings, 1 note (expected) in 1 file (5 checked)\n"
    )
    plan = runner.invoke(app, ["plan", path])
    assert plan.exit_code == 3
    assert plan.stderr.rstrip().endswith(
        "This is expected: the scenario declares 'expect: infeasible'."
    )
    workloads = tmp_path / "workloads.yaml"
    workloads.write_text(
        workloads.read_text() + "- {id: x, data_class: public, demand: "
        "{vcpu: 1, ram_gib: 1}, current_site: alpah}\n"
    )
    broken = runner.invoke(app, ["validate", path])
    assert broken.exit_code == 1
    assert ": error: current_site: unknown site or offer 'alpah'" in broken.stdout


def test_a_scenario_expecting_infeasibility_that_has_a_plan_warns(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = write_scenario(
        tmp_path, sites=[site("alpha")], workloads=[workload("w")], expect="infeasible"
    )
    line, column = _line_of(Path(path), "expect:")
    result = runner.invoke(app, ["plan", path])
    assert result.exit_code == 0
    assert (
        f"{path}:{line}:{column}: warning: expect: the scenario declares 'expect: "
        "infeasible' but has a feasible plan (hint: remove 'expect: infeasible' if the "
        "scenario is meant to be feasible now)"
    ) in result.stderr

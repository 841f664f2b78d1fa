"""The CI recipes of docs/ci.md, run as written in a throw-away repository.

Every `planner` command of the GitHub Actions workflow and of the GitLab CI job is taken from
the documentation itself, so the recipe and the command line cannot drift apart.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from planner.cli import app
from planner.render.diff import MARKER
from tests.git_repo import commit_all, git, make_repo, set_price

ROOT = Path(__file__).resolve().parent.parent.parent
SMALL = "{name: small, vcpu: 2, ram_gib: 8, price_eur_month: 30}"
SEPARATORS = {"||", "&&", ";", "|"}


def _yaml_blocks(heading: str) -> list[str]:
    text = (ROOT / "docs" / "ci.md").read_text()
    section = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```yaml\n(.*?)```", section, re.S)
    assert blocks, f"no yaml block under '{heading}'"
    return list(blocks)


def _yaml_block(heading: str) -> Any:
    return yaml.safe_load(_yaml_blocks(heading)[0])


def _planner_commands(lines: list[str]) -> list[list[str]]:
    """Arguments of each `planner ...` command in shell lines, environment expanded."""
    commands = []
    for line in lines:
        tokens = shlex.split(line)
        if "planner" not in tokens:
            continue
        args = tokens[tokens.index("planner") + 1 :]
        for i, token in enumerate(args):
            if token in SEPARATORS:
                args = args[:i]
                break
        commands.append([os.path.expandvars(a) for a in args])
    return commands


def github_commands() -> list[list[str]]:
    workflow = _yaml_block("GitHub Actions")
    steps = next(iter(workflow["jobs"].values()))["steps"]
    lines = [line for step in steps for line in str(step.get("run", "")).splitlines()]
    return _planner_commands(lines)


def gitlab_commands() -> list[list[str]]:
    job = next(iter(_yaml_block("GitLab CI").values()))
    return _planner_commands([str(line) for line in job["script"]])


@pytest.fixture
def review(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A merge request: origin/main holds the catalogs, the branch changes them."""
    repo = make_repo(tmp_path / "repo")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    monkeypatch.setenv("CI_MERGE_REQUEST_DIFF_BASE_SHA", git(repo, "rev-parse", "HEAD").strip())
    return repo


def _run(commands: list[list[str]]) -> list[tuple[list[str], int, str]]:
    runner = CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
    results = []
    for args in commands:
        result = runner.invoke(app, args)
        results.append((args, result.exit_code, result.stdout))
    return results


def test_recipes_validate_then_diff_against_the_target_branch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    monkeypatch.delenv("CI_MERGE_REQUEST_DIFF_BASE_SHA", raising=False)
    for commands, fmt, base in (
        (github_commands(), "github", "origin/$GITHUB_BASE_REF"),
        (gitlab_commands(), "gitlab", "$CI_MERGE_REQUEST_DIFF_BASE_SHA"),
    ):
        validate, diff = commands
        assert validate[:3] == ["validate", "catalogs/", "scenarios/"]
        assert validate[validate.index("--format") + 1] == fmt
        assert diff[diff.index("--base-ref") + 1] == base
        assert diff[diff.index("--format") + 1] == "markdown"


@pytest.mark.parametrize("recipe", [github_commands, gitlab_commands])
def test_a_price_change_is_commented_with_its_cost(review: Path, recipe: Any) -> None:
    set_price(review, SMALL, SMALL.replace("30}", "33}"))
    commit_all(review, "pub: small flavour 30 -> 33")
    results = _run(recipe())
    assert [code for _, code, _ in results] == [0, 0], results
    comment = (review / "planner-diff.md").read_text()
    assert comment.startswith(MARKER + "\n### planner: monthly cost +€3.00 (+1.85 %)\n")
    assert "| repriced | `placement.w3` | pub | pub | €30.00 | €33.00 |" in comment
    assert comment.count("| repriced |") == 1 and "moved" not in comment
    if recipe is gitlab_commands:
        assert json.loads((review / "gl-code-quality-report.json").read_text()) == []


@pytest.mark.parametrize("recipe", [github_commands, gitlab_commands])
def test_a_costly_change_fails_its_gate_after_writing_the_comment(
    review: Path, recipe: Any
) -> None:
    # 30 -> 60 a month: +€30.00 on €162.00 is +18.52 %, above the recipe's 10 %
    set_price(review, SMALL, SMALL.replace("30}", "60}"))
    commit_all(review, "pub: small flavour 30 -> 60")
    results = _run(recipe())
    assert [code for _, code, _ in results] == [0, 5]
    comment = (review / "planner-diff.md").read_text()
    assert "**Gate failed**: `--fail-on-cost-increase-pct 10`" in comment


def test_a_broken_catalog_is_annotated_on_its_line(review: Path) -> None:
    path = review / "catalogs" / "workloads.yaml"
    path.write_text(path.read_text().replace("current_site: alpha", "current_site: alhpa"))
    validate = github_commands()[0]
    ((_, code, out),) = _run([validate])
    assert code == 1
    assert out.startswith(
        "::error file=catalogs/workloads.yaml,line=2,col=5,title=planner "
        "input::current_site: unknown site or offer 'alhpa' [scenario "
        "scenarios/baseline.yaml (reference date 2026-11-29)] (hint: did you "
        "mean 'alpha'?)"
    )
    ((_, gl_code, _),) = _run([gitlab_commands()[0]])
    report = json.loads((review / "gl-code-quality-report.json").read_text())
    assert gl_code == 1
    assert [(e["location"]["path"], e["location"]["lines"]["begin"]) for e in report] == [
        ("catalogs/workloads.yaml", 2)
    ]


def test_pre_commit_hook_validates_changed_catalogs(review: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "planner-validate")
    entry = shlex.split(hook["entry"])
    assert entry[0] == "planner" and hook["pass_filenames"] is True
    files = [
        str(p.relative_to(review))
        for p in sorted(review.rglob("*.yaml"))
        if ".git" not in p.parts and re.search(hook["files"], str(p.relative_to(review)))
    ]
    assert files == [
        "catalogs/policy.yaml",
        "catalogs/providers.yaml",
        "catalogs/sites.yaml",
        "catalogs/workloads.yaml",
        "scenarios/baseline.yaml",
    ]
    ((_, code, out),) = _run([[*entry[1:], *files]])
    assert code == 0 and out == "ok: 5 files checked, no issues\n"
    set_price(review, SMALL, "{name: small, vcpu: -2, ram_gib: 8, price_eur_month: 30}")
    ((_, code, out),) = _run([[*entry[1:], "catalogs/providers.yaml"]])
    assert code == 1 and "catalogs/providers.yaml:19:" in out


def _hook() -> dict[str, Any]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    return dict(next(h for h in hooks if h["id"] == "planner-validate"))


def pre_commit_commands(changed: list[str]) -> list[list[str]]:
    """The hook as the repository offers it (on the changed files), then as docs/ci.md
    configures it to check the whole set (its `args`, no file names)."""
    hook = _hook()
    entry = shlex.split(hook["entry"])
    assert entry[0] == "planner" and hook["pass_filenames"] is True
    pattern = re.compile(hook["files"])
    override = yaml.safe_load(textwrap.dedent(_yaml_blocks("pre-commit")[1]))[0]
    assert override["id"] == "planner-validate" and override["pass_filenames"] is False
    return [
        [*entry[1:], *[f for f in changed if pattern.search(f)]],
        [*entry[1:], *override["args"]],
    ]


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo's catalogs and scenarios in a repository, origin/main at its first commit."""
    repo = tmp_path / "demo"
    repo.mkdir()
    for folder in ("catalogs", "inventories", "scenarios", "schemas"):
        shutil.copytree(ROOT / folder, repo / folder)
    git(repo, "init", "-q")
    commit_all(repo, "the demo")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    monkeypatch.setenv("CI_MERGE_REQUEST_DIFF_BASE_SHA", git(repo, "rev-parse", "HEAD").strip())
    return repo


def test_demo_validates_with_the_impossible_scenario_as_expected_notes(demo: Path) -> None:
    runner = CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
    result = runner.invoke(app, ["validate", "catalogs/", "scenarios/"])
    assert result.exit_code == 0, result.stdout
    lines = result.stdout.splitlines()
    # 20: the catalogs, the scenarios (the RVTools demo, the roadmap, the commitments and the
    # right-sized what-ifs among them) and the four demo sweeps
    assert lines[-1] == "0 errors, 3 warnings, 28 notes (expected) in 5 files (20 checked)"
    assert lines[0] == (
        "catalogs/policy.yaml:37:5: note: no site or offer is eligible for data class 'health' "
        "(19 workloads) [scenario scenarios/what-if-impossible.yaml (reference date 2029-01-01, "
        "expect: infeasible)] (hint: for example pi: data class 'health': no hds qualification)"
    )
    notes = [line for line in lines if ": note: " in line]
    assert len(notes) == 28
    assert all("scenarios/what-if-impossible.yaml" in line for line in notes)
    # the three warnings: what-if-site-lost empties nubo, where workloads run today
    assert [line.split(": warning: ")[0] for line in lines if ": warning: " in line] == [
        "scenarios/what-if-site-lost.yaml:19:7"
    ] * 3
    assert (
        "ok: 3 sites, 12 offers, 339 workloads, 7 data classes "
        "(scenarios/what-if-impossible.yaml, expect: infeasible)"
    ) in result.stderr


def test_demo_passes_every_ci_recipe_of_the_docs(demo: Path) -> None:
    results = _run([*github_commands(), *gitlab_commands()])
    assert [code for _, code, _ in results] == [0, 0, 0, 0], results
    github_validate = results[0][2].splitlines()
    assert github_validate[0].startswith(
        "::notice file=catalogs/policy.yaml,line=37,col=5,title=planner class-not-covered::"
    )
    assert sum(line.startswith("::notice ") for line in github_validate) == 28
    assert not any(line.startswith("::error ") for line in github_validate)
    report = json.loads((demo / "gl-code-quality-report.json").read_text())
    assert sorted({e["severity"] for e in report}) == ["info", "minor"]
    comment = (demo / "planner-diff.md").read_text()
    assert comment.startswith(MARKER + "\n")
    assert "Gate failed" not in comment


def test_demo_passes_the_pre_commit_hook_both_ways(demo: Path) -> None:
    changed = sorted(
        str(p.relative_to(demo)) for p in demo.rglob("*") if p.is_file() and ".git" not in p.parts
    )
    hook_on_files, hook_on_all = pre_commit_commands(changed)
    assert "schemas/sites.schema.json" not in hook_on_files
    assert hook_on_all[1:] == ["catalogs/", "scenarios/"]
    results = _run([hook_on_files, hook_on_all])
    assert [code for _, code, _ in results] == [0, 0], results
    assert results[0][2] == results[1][2]  # the same files: the same report


def test_pre_commit_hook_on_a_changed_catalog_checks_the_scenarios_using_it(review: Path) -> None:
    # workloads.yaml alone is valid against its schema; the scenario that uses it is not
    path = review / "catalogs" / "workloads.yaml"
    path.write_text(path.read_text().replace("current_site: alpha", "current_site: alhpa"))
    [hook, _] = pre_commit_commands(["catalogs/workloads.yaml"])
    ((_, code, out),) = _run([hook])
    assert code == 1
    assert out == (
        "catalogs/workloads.yaml:2:5: error: current_site: unknown site or offer "
        "'alhpa' [scenario scenarios/baseline.yaml (reference date 2026-11-29)] "
        "(hint: did you mean 'alpha'?)\n1 error, 0 warnings in 1 file (5 checked)\n"
    )

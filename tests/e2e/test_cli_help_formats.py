"""Help at 80 columns, one set of format names, `planner schema` without KIND."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from planner.cli import app
from planner.inputs.schema import FILE_KINDS

COMMANDS = ("plan", "show", "diff", "validate", "schema", "explain")
PLAN_JSON = "tests/golden/baseline.plan.json"
NEW_JSON = "tests/golden/what-if-price-rise.plan.json"


@pytest.mark.parametrize("command", COMMANDS)
def test_help_at_80_columns_cuts_nothing(command: str) -> None:
    # piped, as in CI logs: every option's full name is there and no line is wider than 80
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "planner", command, "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    text = done.stdout
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    params = group.commands[command].params
    names = [o for p in params for o in p.opts if o.startswith("--")]
    assert names and all(name in text for name in names), names


def test_diff_help_names_the_cost_gates_in_full() -> None:
    result = CliRunner(env={"COLUMNS": "80"}).invoke(app, ["diff", "--help"])
    for option in (
        "--fail-on-cost-increase-pct",
        "--fail-on-cost-increase-eur",
        "--fail-on-outsourced-share",
        "--require-proven",
    ):
        assert option in result.stdout


@pytest.mark.parametrize("name", ["md", "markdown", "MD"])
def test_md_and_markdown_are_one_format(name: str) -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["show", PLAN_JSON, "-f", name])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("# Placement plan: baseline")
    diffed = runner.invoke(app, ["diff", PLAN_JSON, NEW_JSON, "-f", name])
    assert diffed.exit_code == 0, diffed.output
    assert diffed.stdout.startswith("<!-- planner-diff -->\n### planner:")


def test_a_format_a_command_does_not_write_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["diff", PLAN_JSON, NEW_JSON, "-f", "html"])
    assert result.exit_code == 1
    assert "'html' is not one of text|json|md (or markdown)" in result.stderr


def test_schema_without_kind_prints_every_kind() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert sorted(body) == sorted(f"{k}.schema.json" for k in FILE_KINDS)
    assert body["sites.schema.json"]["title"] == "planner sites file"


def test_schema_out_onto_a_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "taken"
    path.write_text("x")
    result = CliRunner().invoke(app, ["schema", "--out", str(path)])
    assert result.exit_code == 1
    assert f"{path}: error: --out: not a folder" in result.stderr

"""Hostile inputs through the command line: exit 1, the file and line, never a traceback.

Files that could hang or exhaust memory (an alias bomb, a named pipe, a device) run in a
subprocess with a timeout, so a regression fails the test instead of hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from planner.cli import app
from tests.helpers import site, workload, write_scenario
from tests.unit.test_loading_hostile import alias_bomb, line_of, replace_in


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})


def refused(result: Result) -> str:
    """The error output of a run that must exit 1 cleanly."""
    output = result.output
    assert result.exit_code == 1, output
    assert "Traceback" not in output and "internal error" not in output, output
    return output


def run_cli(*args: str, timeout_s: float = 60) -> str:
    """stdout and stderr of `planner ARGS` in a subprocess that must exit 1 cleanly."""
    done = subprocess.run(
        [sys.executable, "-m", "planner", *args],
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"},
    )
    assert done.returncode == 1, done.stdout + done.stderr
    output = done.stdout + done.stderr
    assert "Traceback" not in output and "internal error" not in output, output
    return output


def scenario(tmp_path: Path) -> str:
    return write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("w")])


def test_impossible_date_is_an_input_error(runner: CliRunner, tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", qualifications=[{"name": "hds", "valid_until": "VALID"}])],
        workloads=[workload("w")],
    )
    replace_in(tmp_path / "sites.yaml", "VALID", "2027-31-12")
    sites = str(tmp_path / "sites.yaml")
    for command in ("validate", "plan"):
        output = refused(runner.invoke(app, [command, path]))
        assert (
            f"{sites}:{line_of(sites, '2027-31-12')}:" in output
            and "sites[0].qualifications[0].valid_until: '2027-31-12' is not a date: "
            "month must be in 1..12"
            in output
        ), output


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("sites.yaml", "vcpu: 10\n", "vcpu: .inf\n"),
        ("sites.yaml", "vcpu: 10\n", "vcpu: .nan\n"),
        ("sites.yaml", "vcpu: 10\n", "vcpu: 1e309\n"),
        (
            "scenario.yaml",
            "name: test\n",
            "name: test\nobjective: {horizon_months: 9223372036854775808}\n",
        ),
    ],
)
def test_numbers_out_of_range_never_reach_the_solver(
    runner: CliRunner, tmp_path: Path, file: str, old: str, new: str
) -> None:
    path = scenario(tmp_path)
    replace_in(tmp_path / file, old, new)
    for command in ("validate", "plan"):
        output = refused(
            runner.invoke(
                app, [command, path, "-f", "json"] if command == "plan" else [command, path]
            )
        )
        assert f"{tmp_path / file}:" in output, output
        assert "Infinity" not in output and "NaN" not in output


def test_infinite_csv_cell_is_refused_with_its_cell(runner: CliRunner, tmp_path: Path) -> None:
    path = write_scenario(tmp_path, sites=[site("alpha")], workloads=[])
    (tmp_path / "inventory.csv").write_text(
        "id,data_class,vcpu,ram_gib,storage_gib,needs_24_7\nw,public,inf,8,10,false\n"
    )
    replace_in(tmp_path / "scenario.yaml", "- workloads.yaml", "- inventory.csv")
    output = refused(runner.invoke(app, ["plan", path]))
    assert (
        f"{tmp_path / 'inventory.csv'}:2:3: error: workloads[0].demand.vcpu: Input should "
        "be a finite number"
    ) in output


def test_deeply_nested_plan_json_is_refused_by_every_reader(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = scenario(tmp_path)
    good = tmp_path / "plan.json"
    assert runner.invoke(app, ["plan", path, "-f", "json", "-o", str(good)]).exit_code == 0
    deep = tmp_path / "deep.json"
    deep.write_text('{"format_version": "1.0", "x": ' + "[" * 999 + "]" * 999 + "}")
    for args in (
        ["show", str(deep)],
        ["diff", str(deep), str(good)],
        ["diff", str(good), str(deep)],
        ["plan", path, "--baseline", str(deep)],
    ):
        output = refused(runner.invoke(app, args))
        # the first bracket past the limit: the 64th `[`, after the 31 characters before them
        assert f"{deep}:1:95: error: lists and objects nested more than 64 levels deep" in output


def test_deep_yaml_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    path = scenario(tmp_path)
    (tmp_path / "workloads.yaml").write_text("workloads: " + "[" * 600 + "]" * 600 + "\n")
    output = refused(runner.invoke(app, ["validate", path]))
    assert "workloads.yaml:1:" in output and "nested more than 64 levels deep" in output


def test_alias_bomb_is_refused_in_seconds(tmp_path: Path) -> None:
    path = scenario(tmp_path)
    (tmp_path / "workloads.yaml").write_text(alias_bomb())
    for command in ("validate", "plan"):
        output = run_cli(command, path, timeout_s=30)
        assert (
            f"{tmp_path / 'workloads.yaml'}:6:1: error: f: aliases repeat more than 100,000 values"
        ) in output


def test_named_pipe_catalog_does_not_block(tmp_path: Path) -> None:
    path = scenario(tmp_path)
    (tmp_path / "sites.yaml").unlink()
    os.mkfifo(tmp_path / "sites.yaml")
    output = run_cli("validate", path, timeout_s=30)
    line = Path(path).read_text().splitlines().index("  - sites.yaml") + 1
    assert (
        f"{path}:{line}:5: error: catalogs.sites.0: sites catalog 'sites.yaml' is a named "
        "pipe, not a regular file"
    ) in output
    output = run_cli("validate", str(tmp_path / "sites.yaml"), timeout_s=30)
    assert "a named pipe, not a regular file" in output


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_device_is_not_read(device: str) -> None:
    for args in (["validate", device], ["show", device]):
        output = run_cli(*args, timeout_s=30)
        assert f"{device}: error: a character device, not a regular file" in output


def test_file_size_limit_is_overridable(runner: CliRunner, tmp_path: Path) -> None:
    path = scenario(tmp_path)
    limited = CliRunner(env={"PLANNER_MAX_FILE_MB": "0.0001", "NO_COLOR": "1"})
    output = refused(limited.invoke(app, ["validate", path]))
    assert "file too large" in output and "over the limit of 0.0001 MB" in output
    assert runner.invoke(app, ["validate", path]).exit_code == 0


@pytest.mark.parametrize("catalog", ["/etc/shadow", "/etc/passwd", "../../x"])
def test_catalog_outside_the_repository_is_not_printed(
    runner: CliRunner, tmp_path: Path, catalog: str
) -> None:
    folder = tmp_path / "repo" / "scenarios"
    path = write_scenario(folder, sites=[site("alpha")], workloads=[workload("w")])
    replace_in(folder / "scenario.yaml", "- sites.yaml", f"- {catalog}")
    for command in ("validate", "plan"):
        output = refused(runner.invoke(app, [command, path]))
        assert f"sites catalog '{catalog}' is outside {folder}" in output, output
        assert "root:" not in output and "daemon" not in output


def test_root_option_on_every_command_that_reads_a_scenario(
    runner: CliRunner, tmp_path: Path
) -> None:
    catalogs = tmp_path / "catalogs"
    write_scenario(catalogs, sites=[site("alpha")], workloads=[workload("w")])
    text = (catalogs / "scenario.yaml").read_text()
    for name in ("sites", "providers", "workloads", "policy"):
        text = text.replace(f"{name}.yaml", f"../catalogs/{name}.yaml")
    path = tmp_path / "scenarios" / "s.yaml"
    path.parent.mkdir()
    path.write_text(text)
    commands = (
        ["validate", str(path)],
        ["plan", str(path)],
        ["diff", str(path), str(path)],
        ["explain", str(path), "w"],
    )
    for args in commands:
        output = refused(runner.invoke(app, args))
        assert "is outside" in output and "--root DIR" in output
        done = runner.invoke(app, [*args, "--root", str(tmp_path)])
        assert done.exit_code == 0, done.output
    missing = runner.invoke(app, ["plan", str(path), "--root", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1 and "is not a folder" in missing.output

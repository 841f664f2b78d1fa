"""Bad inventories, broken includes and several broken files through the CLI: exit 1, no crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from planner.cli import app
from tests.helpers import POLICY, provider, site, workload, write_scenario

HEADER = "id,data_class,needs_24_7,vcpu,ram_gib,storage_gib"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})


def refused(result: Result) -> str:
    """The output of a run that must exit 1 with a clear message, not an internal error."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "internal error" not in result.output and "Traceback" not in result.output
    return result.output


def day_and_night(tmp_path: Path, inventory: str) -> str:
    """A cheap site not operated 24/7 (`day`), a dear 24/7 one (`ops`), an inventory only."""
    path = write_scenario(
        tmp_path,
        sites=[site("day", cost_vcpu=1, operation_24_7=False), site("ops", cost_vcpu=50)],
        workloads=[],
    )
    (tmp_path / "inv.csv").write_text(inventory)
    body = yaml.safe_load((tmp_path / "scenario.yaml").read_text())
    body["catalogs"]["workloads"] = ["inv.csv"]
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(body))
    return path


def site_of(plan_json: str, workload_id: str) -> str:
    changes = json.loads(plan_json)["resource_changes"]
    [change] = [c for c in changes if c["address"] == f"planner_placement.{workload_id}"]
    return str(change["change"]["after"]["site"])


def test_a_24_7_workload_is_no_longer_placed_where_the_column_was_missing(
    runner: CliRunner, tmp_path: Path
) -> None:
    scenario = day_and_night(
        tmp_path, "id,data_class,vcpu,ram_gib,storage_gib\nemergency,public,2,8,10\n"
    )
    out = refused(runner.invoke(app, ["validate", scenario, "--strict"]))
    inventory = str(tmp_path / "inv.csv")
    assert f"{inventory}:1: error: needs_24_7: missing required column 'needs_24_7'" in out
    refused(runner.invoke(app, ["plan", scenario]))
    # once the inventory says what the workload needs, it goes to the 24/7 site
    (tmp_path / "inv.csv").write_text(HEADER + "\nemergency,public,true,2,8,10\n")
    result = runner.invoke(app, ["plan", scenario, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert site_of(result.stdout, "emergency") == "ops"


def test_a_missing_vcpu_column_is_refused_not_read_as_zero(
    runner: CliRunner, tmp_path: Path
) -> None:
    scenario = day_and_night(
        tmp_path, "id,data_class,needs_24_7,ram_gib,storage_gib\nbatch,public,false,8,10\n"
    )
    out = refused(runner.invoke(app, ["plan", scenario]))
    assert f"{tmp_path / 'inv.csv'}:1: error: vcpu: missing required column 'vcpu'" in out


@pytest.mark.parametrize(
    "content, expected",
    [
        (
            (HEADER.replace(",", ";") + ";retire\nc1;public;true;2;8,5;10;false\n").encode(),
            "inv.csv:2:5: error: ram_gib: '8,5' is not a number",
        ),
        (
            (HEADER + ",name\nc1,public,true,2,8,10,Caf\u00e9\n").encode("cp1252"),
            "inv.csv:2:26: error: the file is not UTF-8: byte 0xE9 at byte offset 80",
        ),
    ],
)
def test_an_inventory_in_another_dialect_is_named(
    runner: CliRunner, tmp_path: Path, content: bytes, expected: str
) -> None:
    scenario = day_and_night(tmp_path, "")
    (tmp_path / "inv.csv").write_bytes(content)
    assert expected in refused(runner.invoke(app, ["validate", scenario]))
    assert expected in refused(runner.invoke(app, ["plan", scenario]))


def test_an_inventory_with_a_byte_order_mark_plans(runner: CliRunner, tmp_path: Path) -> None:
    scenario = day_and_night(tmp_path, "")
    (tmp_path / "inv.csv").write_bytes(
        b"\xef\xbb\xbf" + f"{HEADER}\nc1,public,true,2,8,10\n".encode()
    )
    result = runner.invoke(app, ["plan", scenario, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert site_of(result.stdout, "c1") == "ops"


def test_an_unknown_include_is_reported_by_validate_as_by_plan(
    runner: CliRunner, tmp_path: Path
) -> None:
    policy = dict(POLICY, health_sensitive={"includes": ["health", "sensitiv"]})
    scenario = write_scenario(
        tmp_path, sites=[site("alpha")], workloads=[workload("w")], policy=policy
    )
    [(line, column)] = [
        (n, text.index("sensitiv") + 1)
        for n, text in enumerate((tmp_path / "policy.yaml").read_text().splitlines(), start=1)
        if "- sensitiv" in text
    ]
    head = (
        f"policy.yaml:{line}:{column}: error: includes: data class 'health_sensitive' "
        "includes unknown data class 'sensitiv'"
    )
    for command in ("validate", "plan"):  # validate also names the scenario it was found in
        output = refused(runner.invoke(app, [command, scenario]))
        [message] = [text for text in output.splitlines() if head in text]
        assert message.endswith("(hint: did you mean 'sensitive'?)"), message


def test_an_include_broken_by_an_override_points_at_the_scenario(
    runner: CliRunner, tmp_path: Path
) -> None:
    policy = dict(POLICY, health_sensitive={"includes": ["health", "sensitive"]})
    scenario = write_scenario(
        tmp_path,
        sites=[site("alpha")],
        workloads=[workload("w")],
        policy=policy,
        overrides={"data_classes": {"health_sensitive": {"includes": ["health", "secret"]}}},
    )
    line = next(
        n
        for n, text in enumerate(Path(scenario).read_text().splitlines(), start=1)
        if "- secret" in text
    )
    out = refused(runner.invoke(app, ["validate", scenario]))
    assert (
        f"scenario.yaml:{line}:" in out
        and "data class 'health_sensitive' includes unknown data class 'secret'" in out
    )


def broken_pair(tmp_path: Path) -> str:
    """A scenario whose sites file is not YAML and whose providers file breaks the schema."""
    scenario = write_scenario(
        tmp_path,
        sites=[site("alpha")],
        providers=[provider("p", [{"id": "o", "bogus": 1}])],
        workloads=[workload("w")],
    )
    (tmp_path / "sites.yaml").write_text("sites:\n  - id: alpha\n   location: [\n")
    return scenario


def test_a_yaml_syntax_error_does_not_hide_the_other_files_errors(
    runner: CliRunner, tmp_path: Path
) -> None:
    scenario = broken_pair(tmp_path)
    for command in ("validate", "plan"):
        out = refused(runner.invoke(app, [command, scenario]))
        assert "sites.yaml:3:" in out and "YAML syntax error" in out
        assert "providers.yaml:" in out and "unknown field 'bogus'" in out


def test_a_bad_reference_date_does_not_hide_the_catalogs_errors(
    runner: CliRunner, tmp_path: Path
) -> None:
    scenario = broken_pair(tmp_path)
    text = Path(scenario).read_text().replace("reference_date: 2026-11-29", "reference_date: soon")
    Path(scenario).write_text(text)
    out = refused(runner.invoke(app, ["validate", scenario]))
    assert "scenario.yaml:2:" in out and "reference_date" in out
    assert "sites.yaml:3:" in out and "unknown field 'bogus'" in out


def test_the_summary_counts_the_files_with_issues_and_the_files_checked(
    runner: CliRunner, tmp_path: Path
) -> None:
    scenario = broken_pair(tmp_path)
    lines = refused(runner.invoke(app, ["validate", scenario])).splitlines()
    errors = [line for line in lines if ": error: " in line]
    assert {line.split(":")[0] for line in errors} == {
        str(tmp_path / "sites.yaml"),
        str(tmp_path / "providers.yaml"),
    }
    assert lines[-1] == f"{len(errors)} errors, 0 warnings in 2 files (5 checked)"

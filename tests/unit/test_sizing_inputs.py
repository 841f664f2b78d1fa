"""Utilisation inputs: CSV columns, inventory mappings and YAML fields, each error located at
its file, line (and column) and field; sizing rules for unknown ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.checks.references import check_sizing_overrides
from planner.errors import InputError, InputIssue
from planner.inputs import load_inputs
from planner.inputs.csv_file import load_workloads_csv
from planner.inputs.schema import Utilisation
from planner.pipeline import load_and_check, run_plan
from tests.helpers import site, workload, write_scenario
from tests.unit.test_inventory_mapping import VINFO, load, vm, workbook

HEADER = "id,data_class,needs_24_7,vcpu,ram_gib,storage_gib"


def csv_issues(tmp_path: Path, text: str) -> list[InputIssue]:
    """The located issues of a scenario whose workloads are the CSV `text`."""
    path = tmp_path / "inv.csv"
    path.write_text(text)
    scenario = write_scenario(tmp_path, sites=[site("alpha")], workloads=[])
    body = (tmp_path / "scenario.yaml").read_text().replace("workloads.yaml", "inv.csv")
    (tmp_path / "scenario.yaml").write_text(body)
    with pytest.raises(InputError) as info:
        load_inputs(scenario)
    return info.value.issues


def test_csv_utilisation_columns_read_into_utilisation(tmp_path: Path) -> None:
    path = tmp_path / "inv.csv"
    path.write_text(
        HEADER + ",util_window_days,cpu_p95_pct,cpu_p99_pct,ram_p95_gib,storage_used_gib\n"
        "a,public,false,8,32,100,30,25,40.5,12,60\n"
        "b,public,false,2,8,50,,,,,\n"
    )
    data, _ = load_workloads_csv(str(path))
    a, b = data["workloads"]
    # one flat mapping a row (the columns), nested by the schema
    assert a["utilisation"]["cpu_p95_pct"] == 25.0
    assert Utilisation.model_validate(a["utilisation"]).model_dump(exclude_none=True) == {
        "window_days": 30,
        "cpu_pct": {"p95": 25.0, "p99": 40.5},
        "ram_gib": {"p95": 12.0},
        "storage_used_gib": 60.0,
    }
    assert "utilisation" not in b  # nothing observed: no utilisation at all


def test_bad_csv_utilisation_is_an_error_at_its_line_column_and_field(tmp_path: Path) -> None:
    text = (
        HEADER + ",util_window_days,cpu_p95_pct,ram_p95_gib,storage_used_gib\n"
        "a,public,false,8,32,100,30,140,12,60\n"  # a percentage above 100
        "b,public,false,8,32,100,30,20,40,60\n"  # 40 GiB used of 32 provisioned
        "c,public,false,8,32,100,,20,,\n"  # percentiles without their window
        "d,public,false,8,32,100,7.5,20,,\n"  # a fractional window
    )
    issues = csv_issues(tmp_path, text)
    found = {(i.line, i.column, i.field): i.message for i in issues}
    inv = str(tmp_path / "inv.csv")
    assert all(i.file == inv for i in issues)
    assert found[2, 8, "workloads[0].utilisation.cpu_pct.p95"].startswith("Input should be less")
    assert found[3, None, "workloads[1].utilisation"] == (
        "ram_gib.p95 (40) is above the provisioned ram_gib (32)"
    )
    assert found[4, None, "workloads[2].utilisation"] == (
        "percentiles need the observation window they cover: window_days"
    )
    assert found[5, 7, "workloads[3].utilisation.window_days"] == "Input should be a valid integer"
    assert len(issues) == 4


def test_a_csv_utilisation_cell_that_is_not_a_number(tmp_path: Path) -> None:
    text = HEADER + ",util_window_days,cpu_p95_pct\na,public,false,8,32,100,30,lots\n"
    [issue] = csv_issues(tmp_path, text)
    assert (issue.line, issue.column, issue.field) == (2, 8, "cpu_p95_pct")
    assert issue.message == "'lots' is not a number"


def test_yaml_utilisation_errors_name_file_line_and_field(tmp_path: Path) -> None:
    bad: dict[str, Any] = workload("w", vcpu=4, ram_gib=8)
    bad["utilisation"] = {"window_days": 30, "cpu_pct": {"p50": 50, "p95": 20}}
    path = write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("ok"), bad])
    with pytest.raises(InputError) as info:
        load_inputs(path)
    [issue] = info.value.issues
    assert issue.file == str(tmp_path / "workloads.yaml")
    assert issue.field == "workloads[1].utilisation"
    assert issue.message == "cpu_pct: p50 (50) is above p95 (20)"
    lines = (tmp_path / "workloads.yaml").read_text().splitlines()
    assert issue.line is not None and "utilisation" in lines[issue.line - 1]


def test_an_rvtools_mapping_reads_storage_in_use_in_mib(tmp_path: Path) -> None:
    """RVTools' 'In Use MiB' 20480.5 MiB is 20.0005 GiB in use; a 30-day CPU p95 column."""
    path = workbook(tmp_path / "rv.xlsx", {"vInfo": [[*VINFO, "CPU p95"], [*vm("web-01"), 35]]})
    spec = {
        "format": "rvtools",
        "mapping": {
            "data_class": {"column": "Annotation", "match": "classe=(\\w+)"},
            "storage_used_gib": {"column": "In Use MiB", "unit": "MiB"},
            "cpu_p95_pct": "CPU p95",
        },
        "defaults": {"needs_24_7": False, "util_window_days": 30},
        "filter": {"templates": "skip", "powered_off": "retire"},
    }
    [web] = load(path, **spec)
    assert Utilisation.model_validate(web["utilisation"]).model_dump(exclude_none=True) == {
        "window_days": 30,
        "cpu_pct": {"p95": 35.0},
        "storage_used_gib": pytest.approx(20480.5 / 1024),
    }


def test_a_sizing_rule_for_an_unknown_id_is_an_error(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        sites=[site("alpha")],
        workloads=[workload("web")],
        sizing={"workloads": {"wbe": {"policy": "as_provisioned"}}, "data_classes": {"pub": {}}},
    )
    with pytest.raises(InputError) as info:
        load_and_check(path)
    messages = {(i.field, i.message, i.hint) for i in info.value.issues}
    assert (
        "sizing.workloads.wbe",
        "sizing rule for unknown workload 'wbe'",
        "did you mean 'web'?",
    ) in messages
    assert any(f == "sizing.data_classes.pub" for f, _m, _h in messages)


def test_a_roadmap_with_a_performance_policy_is_an_error(tmp_path: Path) -> None:
    """A roadmap plans as provisioned: its periods would need today's costs and sizes per
    period, which the sizing stage does not give yet."""
    sizing = {
        "policy": "performance",
        "percentile": "p95",
        "comfort_factor": 1.3,
        "min_window_days": 14,
    }
    path = write_scenario(
        tmp_path, sites=[site("alpha")], workloads=[workload("web")], sizing=sizing
    )
    body = (tmp_path / "scenario.yaml").read_text()
    (tmp_path / "scenario.yaml").write_text(
        body + "roadmap:\n  periods: {start: 2027-01-01, length: year, count: 2}\n"
    )
    with pytest.raises(InputError) as info:
        run_plan(path)
    [issue] = info.value.issues
    assert issue.field == "sizing" and "must be as_provisioned" in issue.message
    assert issue.file == path
    [checked] = [i for i in check_sizing_overrides(load_inputs(path)) if i.field == "sizing"]
    assert checked.severity == "error" and checked.line == issue.line  # validate says it too

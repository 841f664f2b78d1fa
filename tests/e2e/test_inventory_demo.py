"""The RVTools demo through the CLI: planned with one command; a bad cell is exit 1, located."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from benchmarks import inventory_files
from planner.cli import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})


def test_the_rvtools_demo_plans_every_vm_but_the_templates(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", str(ROOT / "scenarios/rvtools-demo.yaml"), "-f", "json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    vinfo, _, _ = inventory_files.rvtools_rows(inventory_files.DEMO_VMS)
    vms = [row for row in vinfo if row[2] == "False"]
    placements = [r for r in plan["resource_changes"] if r["type"] == "planner_placement"]
    assert sorted(r["name"] for r in placements) == sorted(row[0] for row in vms)
    retired = {r["name"] for r in placements if r["change"]["actions"] == ["delete"]}
    assert retired == {row[0] for row in vms if row[1] == "poweredOff"}
    assert plan["solver"]["proven_optimal"] is True


def test_a_bad_cell_of_the_workbook_is_exit_1_at_its_sheet_row_and_column(
    runner: CliRunner, tmp_path: Path
) -> None:
    for folder in ("catalogs", "inventories", "scenarios"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / ".git").mkdir()  # the copy's root, where its catalogs must be
    path = tmp_path / "inventories" / "rvtools-export.xlsx"
    book = load_workbook(path)
    book["vInfo"]["J7"] = "huit"  # CPUs of the sixth VM
    book["vInfo"]["U9"] = "CL-INCONNU"  # Cluster of the eighth
    book.save(path)
    result = runner.invoke(app, ["plan", str(tmp_path / "scenarios/rvtools-demo.yaml")])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if ": error: " in line]
    assert lines == [
        f"{path}:7:10: error: vcpu: sheet vInfo, cell J7: 'huit' is not a number",
        f"{path}:9:21: error: current_site: sheet vInfo, cell U9: 'CL-INCONNU' is not one of the "
        "values mapped for current_site (hint: mapped: 'CL-MSOC-HDS', 'CL-NUBO-01', 'CL-NUBO-02', "
        "'CL-PI-HORSPROD', 'CL-PI-PROD'; add it to mapping.current_site.values)",
    ]

"""The JSON plan names its files relative to the scenario: the same from any working folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _plan_json(cwd: Path, scenario: str) -> bytes:
    done = subprocess.run(
        [sys.executable, "-m", "planner", "plan", scenario, "-f", "json"],
        cwd=cwd,
        capture_output=True,
        timeout=120,
        check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    return done.stdout


def test_plans_made_from_two_folders_are_byte_identical(tmp_path: Path) -> None:
    from_root = _plan_json(ROOT, "tests/fixtures/tiny/scenario.yaml")
    from_fixture = _plan_json(ROOT / "tests/fixtures/tiny", "scenario.yaml")
    from_elsewhere = _plan_json(tmp_path, str(ROOT / "tests/fixtures/tiny/scenario.yaml"))
    assert from_root == from_fixture == from_elsewhere
    record = json.loads(from_root)["scenario"]
    assert record["file"] == "scenario.yaml"
    assert sorted(record["catalog_digests"]) == [
        "policy.yaml",
        "providers.yaml",
        "sites.yaml",
        "workloads.yaml",
    ]


def test_catalog_paths_are_relative_to_the_scenario_folder() -> None:
    record = json.loads(_plan_json(ROOT, "scenarios/baseline.yaml"))["scenario"]
    assert record["file"] == "baseline.yaml"
    assert sorted(record["catalog_digests"]) == [
        "../catalogs/inventory.csv",
        "../catalogs/policy.yaml",
        "../catalogs/providers.yaml",
        "../catalogs/sites.yaml",
        "../catalogs/workloads.yaml",
    ]
    assert str(ROOT) not in json.dumps(record)

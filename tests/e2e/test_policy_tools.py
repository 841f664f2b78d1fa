"""The demo plan JSON in checkov's terraform_plan framework and terraform-compliance.

Both tools (dev extras) load the baseline plan (`tests/golden/baseline.plan.json`, what
`planner plan scenarios/baseline.yaml -f json` writes), evaluate the shipped rules of
`policies/` on every resource, pass on the demo plan and fail on a hand-altered copy.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.golden_files import GOLDEN

ROOT = Path(__file__).resolve().parents[2]
DEMO_PLAN = (
    GOLDEN / "baseline.plan.json"
)  # what `planner plan scenarios/baseline.yaml -f json` writes
BIN = Path(sys.executable).parent
SENSITIVE = ("sensitive", "health_sensitive", "diffusion_restreinte")
HEALTH = ("health", "health_sensitive")


def demo() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO_PLAN.read_text(encoding="utf-8"))
    return data


def planned(data: dict[str, Any]) -> list[dict[str, Any]]:
    resources: list[dict[str, Any]] = data["planned_values"]["root_module"]["resources"]
    return resources


def alter(data: dict[str, Any], name: str, **values: Any) -> None:
    """Change a planned placement by hand, in planned_values and in its change's `after`."""
    for resource in planned(data):
        if resource["name"] == name:
            resource["values"].update(values)
    for rc in data["resource_changes"]:
        if rc["name"] == name and rc["change"]["after"] is not None:
            rc["change"]["after"].update(values)


def altered() -> dict[str, Any]:
    """The demo plan with a health workload moved to a hyperscaler, every sensitive placement
    exposed to extra-EU law, and the outsourced share raised to 62.5 %."""
    data = copy.deepcopy(demo())
    alter(
        data,
        "hospital-capacity-dashboard",
        site="aws-eu-central-1",
        kind="external",
        qualifications=[],
        extra_eu_law_exposure=True,
    )
    for resource in planned(data):
        if resource["values"].get("data_class") in SENSITIVE:
            alter(data, resource["name"], extra_eu_law_exposure=True)
    summary = next(r for r in planned(data) if r["type"] == "planner_summary")
    summary["values"].update(outsourced_share_pct=62.5, outsourced_share_basis_points=6250)
    return data


def addresses(data: dict[str, Any], classes: tuple[str, ...]) -> set[str]:
    return {r["address"] for r in planned(data) if r["values"].get("data_class") in classes}


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "BC_SKIP_MAPPING": "TRUE", "LOG_LEVEL": "WARNING"}
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_every_resource_of_the_plan_has_a_terraform_address_mode_and_provider() -> None:
    data = demo()
    assert (data["format_version"], data["terraform_version"]) == ("1.2", "1.9.0")
    for rc in [*data["resource_changes"], *planned(data)]:
        assert rc["address"] == f"{rc['type']}.{rc['name']}"
        assert rc["mode"] == "managed"
        assert rc["provider_name"] == "registry.terraform.io/sovereign-cloud/planner"
    after = {rc["address"] for rc in data["resource_changes"] if rc["change"]["after"]}
    before = {rc["address"] for rc in data["resource_changes"] if rc["change"]["before"]}
    assert {r["address"] for r in planned(data)} == after | {"planner_summary.plan"}
    prior = data["prior_state"]["values"]["root_module"]["resources"]
    assert {r["address"] for r in prior} == before


@pytest.fixture(scope="module")
def checkov(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """checkov run once over both plans: file name -> its results."""
    folder = tmp_path_factory.mktemp("checkov")
    (folder / "demo.json").write_text(json.dumps(demo(), indent=2), encoding="utf-8")
    (folder / "altered.json").write_text(json.dumps(altered(), indent=2), encoding="utf-8")
    command = [str(BIN / "checkov"), "-d", str(folder), "--framework", "terraform_plan"]
    command += ["--external-checks-dir", str(ROOT / "policies" / "checkov")]
    command += ["--check", "CKV2_PLANNER_1,CKV2_PLANNER_2,CKV2_PLANNER_3"]
    command += ["--skip-download", "-o", "json", "--soft-fail"]
    result = run(command, folder)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    by_file: dict[str, dict[str, Any]] = {}
    for outcome in ("passed_checks", "failed_checks"):
        for check in report["results"][outcome]:
            name = Path(check["file_path"]).name
            entry = by_file.setdefault(name, {"passed": set(), "failed": set()})
            entry[outcome.split("_")[0]].add((check["check_id"], check["resource"]))
    by_file["summary"] = report["summary"]
    return by_file


def test_checkov_counts_every_resource_and_passes_the_demo_plan(
    checkov: dict[str, dict[str, Any]],
) -> None:
    data = demo()
    placements = {r["address"] for r in planned(data) if r["type"] == "planner_placement"}
    # both files, each with every planned resource (placements and the summary)
    assert checkov["summary"]["resource_count"] == 2 * len(planned(data))
    demo_results = checkov["demo.json"]
    assert demo_results["failed"] == set()
    for check in ("CKV2_PLANNER_1", "CKV2_PLANNER_2"):
        assert {a for c, a in demo_results["passed"] if c == check} == placements
    assert ("CKV2_PLANNER_3", "planner_summary.plan") in demo_results["passed"]


def test_checkov_fails_the_hand_altered_plan_on_each_rule(
    checkov: dict[str, dict[str, Any]],
) -> None:
    data = altered()
    failed = checkov["altered.json"]["failed"]
    assert {a for c, a in failed if c == "CKV2_PLANNER_1"} == {
        "planner_placement.hospital-capacity-dashboard"
    }
    assert {a for c, a in failed if c == "CKV2_PLANNER_2"} == addresses(data, SENSITIVE)
    assert {a for c, a in failed if c == "CKV2_PLANNER_3"} == {"planner_summary.plan"}


def terraform_compliance(tmp_path: Path, data: dict[str, Any]) -> tuple[int, str]:
    """terraform-compliance on `data` written on one line, as `terraform show -json` writes it
    (the tool reads only the second line of a file of several)."""
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    features = ROOT / "policies" / "terraform-compliance"
    command = [str(BIN / "terraform-compliance"), "-p", str(plan), "-f", str(features)]
    result = run([*command, "--no-ansi"], tmp_path)
    return result.returncode, result.stdout + result.stderr


def test_terraform_compliance_passes_the_demo_plan(tmp_path: Path) -> None:
    code, out = terraform_compliance(tmp_path, demo())
    assert code == 0, out[-3000:]
    assert "3 scenarios (3 passed)" in out
    assert "10 steps (10 passed)" in out


def test_terraform_compliance_fails_the_hand_altered_plan_on_each_rule(tmp_path: Path) -> None:
    data = altered()
    code, out = terraform_compliance(tmp_path, data)
    assert code == 1, out[-3000:]
    assert "3 scenarios (0 passed, 3 failed)" in out
    failures = [line.strip() for line in out.splitlines() if "Failure: " in line]
    assert (
        "Failure: planner_placement.hospital-capacity-dashboard (planner_placement) does not "
        "have qualifications property." in failures
    )
    named = {
        address.strip().rstrip(".")
        for line in failures
        if "extra_eu_law_exposure" in line
        for address in line.split(" property of ")[1].split(",")
    }
    assert named == addresses(data, SENSITIVE)  # every sensitive placement was evaluated
    assert (
        "Failure: for planner_summary.plan on planner_summary. "
        "6250 is not less and equal than 4000." in failures
    )

"""Typed plan states: each resource's `type` picks its state model; the JSON is unchanged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.errors import InputError
from planner.pipeline import run_plan
from planner.plan.document import (
    ContractChange,
    ContractState,
    ExpansionChange,
    ExpansionState,
    PlacementChange,
    PlacementState,
    Plan,
    load_plan,
)
from planner.render.json_format import render_json
from tests.golden_files import GOLDEN
from tests.helpers import offer, provider, site, workload, write_scenario

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_PLANS = [
    p
    for p in sorted(GOLDEN.glob("*.plan.json"))
    if '"resource_changes"' in p.read_text(encoding="utf-8")
]


def test_each_resource_type_carries_its_own_state_model(tmp_path: Path) -> None:
    # alpha: 2*1 + 8*0.1 = 2.8 a workload, room for 2 and, with the rack (48/48 = 1 / month),
    # 4 more; the other 9 go to flat at 2*8 + 8*0.5 = 20 each plus its 100 / month contract.
    rack = {
        "id": "rack",
        "adds": {"vcpu": 8, "ram_gib": 32},
        "capex_eur": 48,
        "amortisation_months": 48,
    }
    path = write_scenario(
        tmp_path,
        sites=[
            site("alpha", vcpu=4, ram_gib=16, cost_vcpu=1, cost_ram=0.1, expansion_blocks=[rack])
        ],
        providers=[
            provider("p", [offer("flat", 8, 0.5, fixed_cost_eur_month=100), offer("pub", 30, 3)])
        ],
        workloads=[workload(f"w{i:02d}", 2, 8) for i in range(15)],
    )
    plan = run_plan(path).plan
    by_type = {type(rc): rc for rc in plan.resource_changes}
    assert set(by_type) == {PlacementChange, ExpansionChange, ContractChange}
    expected = {
        PlacementChange: PlacementState,
        ExpansionChange: ExpansionState,
        ContractChange: ContractState,
    }
    for rc in plan.resource_changes:
        assert rc.change.before is None and type(rc.change.after) is expected[type(rc)]
    assert by_type[ExpansionChange].change.after == ExpansionState(
        site="alpha",
        block="rack",
        count=1,
        cost_eur_month=1.0,
        adds={"vcpu": 8.0, "ram_gib": 32.0},
        capex_eur=48.0,  # one block's purchase price, its amortisation and running cost apart
        amortisation_months=48,
        opex_eur_month=0.0,
    )
    assert by_type[ContractChange].change.after == ContractState(
        site="flat", kind="external", provider="p", cost_eur_month=100.0
    )
    placed = [
        rc.change.after
        for rc in plan.resource_changes
        if isinstance(rc, PlacementChange) and rc.change.after is not None
    ]
    assert sorted((s.site, s.cost_eur_month, s.basis) for s in placed) == (
        [("alpha", 2.8, "unit costs")] * 6 + [("flat", 20.0, "unit prices")] * 9
    )
    assert plan.totals.monthly_cost_after_eur == 297.8  # 6 * 2.8 + 1 + 9 * 20 + 100
    assert render_json(load_plan_text(tmp_path, render_json(plan))) == render_json(plan)


def load_plan_text(tmp_path: Path, text: str) -> Plan:
    saved = tmp_path / "saved.plan.json"
    saved.write_text(text, encoding="utf-8")
    return load_plan(str(saved))


@pytest.mark.parametrize("path", GOLDEN_PLANS, ids=lambda p: p.name)
def test_saved_plans_read_back_to_the_same_bytes(path: Path) -> None:
    assert GOLDEN_PLANS
    assert render_json(load_plan(str(path))) == path.read_text(encoding="utf-8")


def _golden_with(tmp_path: Path, edit: str) -> tuple[Path, int]:
    """The baseline plan with its first placement's end state broken: (file, its index)."""
    data = json.loads((GOLDEN / "baseline.plan.json").read_text(encoding="utf-8"))
    index, rc = next(
        (i, rc)
        for i, rc in enumerate(data["resource_changes"])
        if rc["type"] == "planner_placement" and rc["change"]["after"]
    )
    if edit == "renamed":
        rc["change"]["after"]["place"] = rc["change"]["after"].pop("site")
    else:
        rc["type"] = "planner_expansion"  # a placement's state under an expansion's type
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path, index


def test_a_state_with_a_renamed_field_is_refused_with_its_place(tmp_path: Path) -> None:
    path, index = _golden_with(tmp_path, "renamed")
    with pytest.raises(InputError) as caught:
        load_plan(str(path))
    [issue] = caught.value.issues
    assert issue.message == "not a planner plan: Field required"
    assert issue.field == f"resource_changes.{index}.change.after.site"
    result = CliRunner().invoke(app, ["show", str(path), "-f", "md"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "not a planner plan: Field required" in result.stderr


def test_a_state_under_the_wrong_type_is_refused(tmp_path: Path) -> None:
    path, index = _golden_with(tmp_path, "retyped")
    with pytest.raises(InputError) as caught:
        load_plan(str(path))
    [issue] = caught.value.issues
    assert issue.field is not None
    assert issue.field.startswith(f"resource_changes.{index}.change.")


def test_a_misnamed_state_attribute_is_a_type_error(tmp_path: Path) -> None:
    reader = tmp_path / "reader.py"
    reader.write_text(
        "from planner.plan.document import Plan\n\n\n"
        "def basis_of(plan: Plan) -> str:\n"
        "    for rc in plan.resource_changes:\n"
        "        if rc.type == 'planner_expansion' and rc.change.after is not None:\n"
        "            return rc.change.after.basis\n"
        "        if rc.change.after is not None:\n"
        "            return str(rc.change.after['site'])\n"
        "    return ''\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(reader)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stdout
    assert '"ExpansionState" has no attribute "basis"' in result.stdout
    assert "is not indexable" in result.stdout

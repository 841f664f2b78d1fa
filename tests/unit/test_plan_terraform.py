"""The plan JSON's Terraform parts: written derived, dropped on reading, older plans still read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from planner.errors import InputError
from planner.plan.document import load_plan, plan_of
from planner.plan.terraform import DERIVED_KEYS, DERIVED_STATE_KEYS
from planner.render.json_format import render_json
from tests.golden_files import GOLDEN

ROOT = Path(__file__).resolve().parents[2]
DEMO_PLAN = (
    GOLDEN / "baseline.plan.json"
)  # what `planner plan scenarios/baseline.yaml -f json` writes
OLD_TYPES = {"planner_placement": "placement", "planner_expansion": "expansion"}
OLD_TYPES["planner_contract"] = "contract"


def demo() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO_PLAN.read_text(encoding="utf-8"))
    return data


def as_written_before(data: dict[str, Any]) -> dict[str, Any]:
    """A plan as the planner wrote it in format_version 1.0 (no Terraform parts)."""
    old = {k: v for k, v in data.items() if k not in (*DERIVED_KEYS, "planner_format_version")}
    old["format_version"] = "1.0"
    changes = []
    for rc in data["resource_changes"]:
        rc = {k: v for k, v in rc.items() if k not in ("mode", "provider_name")}
        rc["address"] = f"{OLD_TYPES[rc['type']]}.{rc['name']}"
        for side in ("before", "after"):
            state = rc["change"][side]
            if state is not None:
                kept = {k: v for k, v in state.items() if k not in DERIVED_STATE_KEYS}
                rc["change"] = {**rc["change"], side: kept}
        changes.append(rc)
    old["resource_changes"] = changes
    return old


def test_a_plan_read_back_writes_the_same_bytes() -> None:
    assert render_json(plan_of(demo())) == DEMO_PLAN.read_text(encoding="utf-8")


def test_a_plan_of_format_version_1_0_reads_as_todays(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(json.dumps(as_written_before(demo())), encoding="utf-8")
    assert render_json(load_plan(str(path))) == DEMO_PLAN.read_text(encoding="utf-8")


def test_the_derived_values_of_a_placement_match_its_place_and_class() -> None:
    data = demo()
    places = {p["id"]: p for p in data["context"]["places"]}
    [rc] = [r for r in data["resource_changes"] if r["name"] == "pnds-health-data-platform"]
    after = rc["change"]["after"]
    assert after["data_class"] == data["context"]["data_class_of"]["pnds-health-data-platform"]
    place = places[after["site"]]
    assert after["extra_eu_law_exposure"] is place["extra_eu_law_exposure"]
    assert after["qualifications"] == sorted(q["name"] for q in place["qualifications"])
    [planned] = [
        r
        for r in data["planned_values"]["root_module"]["resources"]
        if r["address"] == rc["address"]
    ]
    assert planned["values"] == after


@pytest.mark.parametrize(
    "change, message, field",
    [
        (
            lambda d: d["resource_changes"][0].update(address="placement.x"),
            "not a planner plan: Value error, address must be "
            "'planner_placement.agri-agenda-15' (type.name)",
            "resource_changes.0",
        ),
        (
            lambda d: d.update(planner_format_version="3"),
            "unsupported plan format_version '1.2', planner_format_version '3'",
            None,
        ),
        (
            lambda d: d.pop("planner_format_version"),
            "unsupported plan format_version '1.2'",
            None,
        ),
    ],
)
def test_a_plan_that_is_not_one_the_planner_wrote_is_refused(
    tmp_path: Path, change: Any, message: str, field: str | None
) -> None:
    data = demo()
    change(data)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_plan(str(path))
    [issue] = info.value.issues
    assert (issue.message, issue.field) == (message, field)

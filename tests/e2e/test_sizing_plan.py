"""A tiny plan where right-sizing changes a place and a flavour, with every cost by hand.

tests/fixtures/sizing: site alpha (8 vCPU, 32 GiB, 1,000 GiB; €10 a vCPU, €1 a GiB of RAM,
€0.10 a GiB of storage) and offer pub (flavours small 2 vCPU / 8 GiB €30, large 4 / 16 €55;
storage €0.05 a GiB). The sizing rule is p95 x 1.25, floors 1 vCPU / 2 GiB, 14 days at least.

- big: 8 vCPU / 32 GiB / 100 GiB on alpha, p95 25 % and 25 % over 30 days: 2 x 1.25 = 2.5,
  up to 3 vCPU, and 8 x 1.25 = 10 GiB; today €80 + €32 + €10 = €122;
- web: 4 / 16, new, p95 1.2 vCPU and 4 GiB over 60 days: 1.5, up to 2 vCPU, and 5 GiB;
- flav: 4 / 16 on pub's large flavour (€55 today), p95 30 % and 40 % over 30 days:
  1.2 x 1.25 = 1.5, up to 2 vCPU, and 6.4 x 1.25 = 8 GiB;
- short: 2 / 8 on pub's small flavour (€30 today), 7 days of history: kept as provisioned.

As provisioned, alpha is full with big (8 vCPU), so web takes pub's large flavour: €55, and the
plan costs €122 + €55 + €55 + €30 = €262 against €207 today.

Right-sized: big on alpha costs 3 x €10 + 10 x €1 + 100 x €0.10 = €50 and leaves 5 vCPU and
22 GiB; web fits there for 2 x €10 + 5 x €1 = €25 (pub's small flavour would be €30), so it
moves from pub to alpha; flav fits pub's small flavour, €30 instead of €55 (on alpha it would
cost €28, €2 a month less, which does not repay its €3,600 move over 36 months); short stays
at €30. The plan costs €50 + €25 + €30 + €30 = €135: a saving of €207 - €135 = €72 a month.

The split: today's placements at the sized demand cost €50 + €30 + €30 = €110, so right-sizing
saves €207 - €110 = €97; placement €110 - €135 = -€25 (the new workload web adds €25); no
commitments, €0; €97 - €25 + €0 = €72.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from planner.cli import app
from planner.pipeline import run_plan
from planner.plan.document import PlacementState, Plan
from planner.render import Format, render

FIXTURE = Path("tests/fixtures/sizing")


def placements(plan: Plan) -> dict[str, tuple[str, str, float]]:
    out = {}
    for rc in plan.resource_changes:
        if rc.type == "planner_placement" and isinstance(rc.change.after, PlacementState):
            after = rc.change.after
            out[rc.name] = (after.site, after.basis, after.cost_eur_month)
    return out


def test_as_provisioned_the_new_workload_goes_to_the_large_flavour() -> None:
    plan = run_plan(str(FIXTURE / "provisioned.yaml")).plan
    assert placements(plan) == {
        "big": ("alpha", "unit costs", 122.0),
        "web": ("pub", "flavour large", 55.0),
        "flav": ("pub", "flavour large", 55.0),
        "short": ("pub", "flavour small", 30.0),
    }
    assert (plan.totals.monthly_cost_before_eur, plan.totals.monthly_cost_after_eur) == (207, 262)
    assert plan.sizing is None and plan.savings is None
    assert "sizing" not in plan.to_data() and "savings" not in plan.to_data()


def test_right_sized_the_place_and_the_flavour_change() -> None:
    plan = run_plan(str(FIXTURE / "scenario.yaml")).plan
    assert placements(plan) == {
        "big": ("alpha", "unit costs", 50.0),
        "web": ("alpha", "unit costs", 25.0),
        "flav": ("pub", "flavour small", 30.0),
        "short": ("pub", "flavour small", 30.0),
    }
    assert (plan.totals.monthly_cost_before_eur, plan.totals.monthly_cost_after_eur) == (207, 135)
    assert plan.savings is not None
    assert plan.savings.model_dump() == {
        "right_sizing_eur_month": 97.0,
        "placement_eur_month": -25.0,
        "commitments_eur_month": 0.0,
        "total_eur_month": 72.0,
    }
    assert plan.sizing is not None
    assert plan.sizing.outcomes == {"short_history": 1, "sized": 3}
    # big 8 -> 3, web 4 -> 2, flav 4 -> 2 vCPU; 32 -> 10, 16 -> 5, 16 -> 8 GiB
    assert plan.sizing.provisioned == {"vcpu": 16, "ram_gib": 64, "storage_gib": 100}
    assert plan.sizing.sized == {"vcpu": 7, "ram_gib": 23, "storage_gib": 100}


def test_the_reports_show_provisioned_to_sized_and_the_split(tmp_path: Path) -> None:
    run = run_plan(str(FIXTURE / "scenario.yaml"))
    text = render(run.plan, Format.text, None)
    assert (
        "  # sized: 8 vCPU, 32 GiB RAM, 100 GiB storage -> 3 vCPU, 10 GiB RAM, 100 GiB storage, "
        "over 30 days: vCPU: 2 vCPU at p95 × 1.25, rounded up to 3 vCPU; RAM: 8 GiB at p95 × "
        "1.25, rounded up to 10 GiB\n" in text
    )
    assert (
        "Right-sizing:    3 workloads sized: 9 vCPU, 41 GiB RAM and 0 GiB storage less than "
        "provisioned; 1 with too short a history\n" in text
    )
    assert (
        "Saving split:    €72.00 / month = right-sizing €97.00 + placement -€25.00 + "
        "commitments €0.00\n" in text
    )
    html = render(run.plan, Format.html, None)
    assert "Where the saving comes from" in html and "€97.00" in html and "-€25.00" in html
    md = render(run.plan, Format.md, None)
    assert "| short | 2 vCPU, 8 GiB RAM, 0 GiB storage | 2 vCPU, 8 GiB RAM, 0 GiB storage |" in md
    assert "7 days of observed use, fewer than the 14" in md
    french = render(run.plan, Format.text, None, lang="fr")
    assert "Redimensionnement" in french
    # the JSON re-renders the same text without solving
    saved = tmp_path / "plan.json"
    saved.write_text(render(run.plan, Format.json, None))
    data = json.loads(saved.read_text())
    assert data["savings"]["right_sizing_eur_month"] == 97.0
    shown = CliRunner().invoke(app, ["show", str(saved)])
    assert shown.exit_code == 0 and "Saving split:" in shown.output


def test_explain_shows_the_provisioned_and_sized_demand() -> None:
    result = CliRunner().invoke(app, ["explain", str(FIXTURE / "scenario.yaml"), "web"])
    assert result.exit_code == 0, result.output
    assert "  provisioned: 4 vCPU, 16 GiB RAM, 0 GiB storage\n" in result.output
    assert "  planned:     2 vCPU, 5 GiB RAM, 0 GiB storage\n" in result.output
    assert (
        "  sized:       over 60 days: vCPU: 1.2 vCPU at p95 × 1.25, rounded up to 2 vCPU; "
        "RAM: 4 GiB at p95 × 1.25, rounded up to 5 GiB\n" in result.output
    )
    # its costs are those of the sized demand: €25 on alpha, the small flavour on pub
    assert "alpha *" in result.output and "€25.00" in result.output
    data = json.loads(
        CliRunner()
        .invoke(app, ["explain", str(FIXTURE / "scenario.yaml"), "short", "--format", "json"])
        .output
    )
    assert data["sizing"]["outcome"] == "short_history"
    assert data["sizing"]["text"] == (
        "kept as provisioned: 7 days of observed use, fewer than the 14 the sizing policy needs"
    )

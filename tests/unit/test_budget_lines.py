"""State budget lines of a snapshot plan, worked by hand on tests/fixtures/budget, and the
chargeback per owner.

The fixture: one internal site `alpha` (8 vCPU, 32 GiB; unit costs 10 € / vCPU, 1 € / GiB,
0.1 € / GiB stored) with one rack to build (600 € bought, amortised over 12 months = 50 € /
month, plus 10 € / month running: 60 € / month); three sensitive workloads of 4 vCPU, 16 GiB
and 100 GiB stored (66 € / month each on alpha, 132 € on the SecNumCloud offer), only one
running on alpha today; a public workload `w3` on the public offer at 30 € / month (its
flavour), 28 € / month on alpha, with an 18 € move. The horizon is 18 months from
2026-11-29: November 2026 to April 2028, so 2026 holds 2 months, 2027 12 and 2028 4.

The plan builds the rack and brings `w3` in: after = 3 × 66 + 28 + 60 = 286 € / month
(before: 66 + 30 = 96). Running costs are the monthly spend less the rack's 50 € of
amortisation: 236 € / month after, 96 before.

| year | months | opex before    | opex after      | capex | amortisation   | one-off |
| 2026 | 2      | 96 × 2 = 192   | 236 × 2 = 472   | 600   | 50 × 2 = 100   | 18      |
| 2027 | 12     | 96 × 12 = 1152 | 236 × 12 = 2832 | 0     | 50 × 10 = 500  | 0       |
| 2028 | 4      | 96 × 4 = 384   | 236 × 4 = 944   | 0     | 0              | 0       |

(the 12 months of amortisation end in October 2027, hence 10 of them in 2027)

Owners: Intérieur (w1, w2) 66 → 132 € / month, no move; Santé (w4, w3) 30 → 94 € / month,
one move of 18 €.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.pipeline import run_plan
from planner.plan.budget_lines import budget_years, plan_budget_years
from planner.plan.document import BudgetYear, Plan, plan_of
from planner.render import Format, render
from planner.render.report import budget_view, owner_lines

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "budget" / "scenario.yaml"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return run_plan(str(FIXTURE)).plan


def test_the_plan_builds_the_rack_and_moves_w3(plan: Plan) -> None:
    t = plan.totals
    assert (t.monthly_cost_before_eur, t.monthly_cost_after_eur) == (96.0, 286.0)
    assert (t.one_off_migration_eur, t.moves, t.expansion_cost_eur_month) == (18.0, 1, 60.0)


def test_budget_years_worked_by_hand(plan: Plan) -> None:
    assert plan.totals.budget_years == (
        BudgetYear(
            year=2026,
            months=2,
            opex_before_eur=192.0,
            opex_eur=472.0,
            capex_eur=600.0,
            amortisation_eur=100.0,
            migration_eur=18.0,
        ),
        BudgetYear(
            year=2027,
            months=12,
            opex_before_eur=1152.0,
            opex_eur=2832.0,
            capex_eur=0.0,
            amortisation_eur=500.0,
            migration_eur=0.0,
        ),
        BudgetYear(
            year=2028,
            months=4,
            opex_before_eur=384.0,
            opex_eur=944.0,
            capex_eur=0.0,
            amortisation_eur=0.0,
            migration_eur=0.0,
        ),
    )
    view = budget_view(plan)
    assert view is not None and view.stated
    total = view.total
    assert (total.months, total.opex_eur, total.capex_eur, total.amortisation_eur) == (
        18,
        4248.0,
        600.0,
        600.0,
    )


def test_a_block_without_a_purchase_price_is_not_stated_never_zero(plan: Plan) -> None:
    """A plan saved before blocks carried their prices: the rack's whole 60 € / month is
    running cost (286 × 2 = 572 in 2026), capex and amortisation are not stated."""
    data = plan.to_data()
    del data["totals"]["budget_years"]
    for rc in data["resource_changes"]:
        if rc["type"] == "planner_expansion":
            for key in ("capex_eur", "amortisation_months", "opex_eur_month"):
                del rc["change"]["after"][key]
    old = plan_of(json.loads(json.dumps(data)))
    years = plan_budget_years(old)
    assert [(y.year, y.opex_eur, y.capex_eur, y.amortisation_eur) for y in years] == [
        (2026, 572.0, None, None),
        (2027, 3432.0, None, None),
        (2028, 1144.0, None, None),
    ]
    text = render(old, Format.text)
    assert "not stated" in text and "capex not stated" in text
    assert "purchase price not stated" in render(old, Format.md)


def test_saved_plan_reads_back_its_budget_years(plan: Plan) -> None:
    again = plan_of(json.loads(json.dumps(plan.to_data())))
    assert plan_budget_years(again) == plan.totals.budget_years


def test_amortisation_longer_than_the_horizon_and_a_block_held_before() -> None:
    """A block held before (from a baseline) is not bought again; a second one is: capex 1 ×
    1,200 in the first year; both amortise at 1,200 / 24 = 50 € / month each for the whole
    6-month horizon (100 € / month): 600 € over December 2026 to May 2027 (1 + 5 months)."""
    from planner.plan.document import Change, ExpansionChange, ExpansionState

    def state(n: int) -> ExpansionState:
        return ExpansionState(
            site="a",
            block="b",
            count=n,
            cost_eur_month=n * 60.0,
            adds={"vcpu": 8.0 * n},
            capex_eur=1200.0,
            amortisation_months=24,
            opex_eur_month=10.0,
        )

    rc = ExpansionChange(
        address="planner_expansion.a.b",
        name="a.b",
        change=Change(actions=("update",), before=state(1), after=state(2)),
    )
    years = budget_years("2026-12-01", 6, 160.0, 220.0, 0.0, [rc])
    assert [(y.year, y.months, y.capex_eur, y.amortisation_eur) for y in years] == [
        (2026, 1, 1200.0, 100.0),
        (2027, 5, 0.0, 500.0),
    ]
    # opex: before 160 less 50 of amortisation = 110; after 220 less 100 = 120 per month
    assert [(y.opex_before_eur, y.opex_eur) for y in years] == [(110.0, 120.0), (550.0, 600.0)]


def test_chargeback_by_owner(plan: Plan) -> None:
    lines = {o.owner: o for o in owner_lines(plan)}
    assert set(lines) == {"Intérieur", "Santé"}
    i, s = lines["Intérieur"], lines["Santé"]
    assert (i.workloads, i.before_eur_month, i.after_eur_month, i.moves, i.one_off_eur) == (
        2,
        66.0,
        132.0,
        0,
        0.0,
    )
    assert (s.workloads, s.before_eur_month, s.after_eur_month, s.moves, s.one_off_eur) == (
        2,
        30.0,
        94.0,
        1,
        18.0,
    )


def test_every_format_shows_the_budget_lines(plan: Plan) -> None:
    text = render(plan, Format.text)
    assert (
        "  2027        12       €1,152.00       €2,832.00           €0.00         €500.00" in text
    )
    french = render(plan, Format.text, lang="fr")
    assert "Années budgétaires" in french and "2\u202f832,00\u00a0€" in french
    md = render(plan, Format.md)
    assert "| 2026 | 2 | €192.00 | €472.00 | €600.00 | €100.00 | €18.00 |" in md
    assert "| Santé | 2 | €30.00 | €94.00 | +€64.00 | 1 | €18.00 |  |" in md
    html = render(plan, Format.html)
    assert 'id="budget-years"' in html and 'id="chargeback"' in html
    csv = render(plan, Format.csv)
    assert csv.splitlines()[0].endswith(",reason,owner,one_off_eur")
    assert any(
        line.startswith("workload,w3,") and line.endswith(",Santé,18.00")
        for line in csv.splitlines()
    )
    data = json.loads(render(plan, Format.json))
    assert data["totals"]["budget_years"][0]["capex_eur"] == 600.0

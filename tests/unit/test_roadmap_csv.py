"""The CSV of a roadmap: its waves (one row per period, then one per change of the wave, in a
last `period` column), then the end state as a snapshot's CSV, on hand-made tiny roadmaps.

Costs as in test_roadmap.py: a 2 vCPU / 8 GiB workload costs 28 EUR/month on the site `alpha`
and 56 EUR/month on the offer `pub`; quarterly periods from 2027-01-01.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

from planner.pipeline import run_plan
from planner.plan.roadmap_document import RoadmapPlan
from planner.render.csv_format import render_csv
from planner.render.i18n import speaking
from tests.helpers import offer, provider, site, workload, write_scenario

SOLVER = ["optimal", "true", "0.0000"]


def _quarters(count: int, **rules: Any) -> dict[str, Any]:
    return {"periods": {"start": date(2027, 1, 1), "length": "quarter", "count": count}, **rules}


def _budget_roadmap(tmp_path: Path) -> RoadmapPlan:
    """Two workloads on pub, each 400 to move; 2027's one-off budget is 500, so `a` moves in
    2027-Q1 and `b` waits for 2028-Q1 (test_roadmap.py)."""
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=64, ram_gib=256)],
        providers=[provider("cloud", [offer("pub")])],
        workloads=[
            workload("a", current_site="pub", move_cost_eur=400),
            workload("b", current_site="pub", move_cost_eur=400),
        ],
        roadmap=_quarters(8, budgets={"2027": {"migration_eur": 500}}),
    )
    plan = run_plan(path).plan
    assert isinstance(plan, RoadmapPlan) and plan.solver.status == "optimal"
    return plan


def _wave(name: str, start: str, end: str, monthly: str, moves: int, one_off: str) -> list[str]:
    opex = f"{3 * float(monthly):.2f}"
    words = f"from {start} to {end}: {moves} move{'s' if moves != 1 else ''}; "
    return [
        "wave",
        name,
        "",
        "",
        "",
        "",
        "",
        monthly,
        *SOLVER,
        f"{words}opex €{opex}, capex €0.00",
        "",
        one_off,
        name,
    ]


def test_the_waves_then_the_end_state(tmp_path: Path) -> None:
    """Each 2027 quarter spends 28 (a on alpha) + 56 (b on pub) = 84 a month, opex 3 x 84 =
    252; each 2028 quarter 2 x 28 = 56, opex 168. The one-off cells of the wave rows are 400
    in 2027-Q1 and 2028-Q1, each its one move's: they sum to 800, the roadmap's one-off
    spend (2027's 400 and 2028's 400). The end state's rows (empty period) sum to the plan's
    totals as a snapshot's do: before 56 + 56 = 112, after 28 + 28 = 56."""
    plan = _budget_roadmap(tmp_path)
    table = list(csv.reader(io.StringIO(render_csv(plan))))
    assert table[0][-2:] == ["one_off_eur", "period"] and len(table[0]) == 15
    move = ["workload", "public", "pub", "alpha", "move", "56.00", "28.00", *SOLVER]
    quarters = [
        ("2027-Q1", "2027-01-01", "2027-03-31"),
        ("2027-Q2", "2027-04-01", "2027-06-30"),
        ("2027-Q3", "2027-07-01", "2027-09-30"),
        ("2027-Q4", "2027-10-01", "2027-12-31"),
        ("2028-Q1", "2028-01-01", "2028-03-31"),
        ("2028-Q2", "2028-04-01", "2028-06-30"),
        ("2028-Q3", "2028-07-01", "2028-09-30"),
        ("2028-Q4", "2028-10-01", "2028-12-31"),
    ]
    expected = []
    for name, start, last in quarters:
        year_2027 = name.startswith("2027")
        moves = 1 if name in ("2027-Q1", "2028-Q1") else 0
        expected.append(
            _wave(name, start, last, "84.00" if year_2027 else "56.00", moves, f"{400 * moves}.00")
        )
        why = {
            "2027-Q1": ("a", "moved in 2027-Q1: the cheapest timing"),
            "2028-Q1": ("b", "held back by the 2027 migration budget"),
        }.get(name)
        if why is not None:
            expected.append([move[0], why[0], *move[1:], why[1], "", "400.00", name])
    assert table[1:-2] == expected
    end = table[-2:]
    assert [r[1] for r in end] == ["a", "b"] and all(r[-1] == "" for r in end)
    assert sum(float(r[6]) for r in end) == plan.totals.monthly_cost_before_eur == 112.0
    assert sum(float(r[7]) for r in end) == plan.totals.monthly_cost_after_eur == 56.0
    waves = [r for r in table[1:] if r[0] == "wave"]
    assert sum(float(r[13]) for r in waves) == 800.0
    moved = [r for r in table[1:-2] if r[0] == "workload"]
    assert sum(float(r[13]) for r in moved) == 800.0  # each move's own one-off, its wave's part
    assert sum(y.migration_eur for y in plan.roadmap.years) == 800.0


def test_an_expansion_ordered_in_a_wave(tmp_path: Path) -> None:
    """alpha has no room until its rack (lead 6 months, 120 amortised over 12 months: 10 a
    month once usable) arrives: ordered in 2027-Q1 (capex 120), w moves in 2027-Q3. The end
    state's rows sum to 28 + 10 = 38, the plan's monthly cost after."""
    rack = {
        "id": "rack",
        "adds": {"vcpu": 8, "ram_gib": 32},
        "capex_eur": 120,
        "amortisation_months": 12,
        "lead_time_months": 6,
    }
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=1, ram_gib=4, expansion_blocks=[rack])],
        providers=[provider("cloud", [offer("pub")])],
        workloads=[workload("w", current_site="pub")],
        roadmap=_quarters(4),
    )
    plan = run_plan(path).plan
    assert isinstance(plan, RoadmapPlan)
    table = list(csv.reader(io.StringIO(render_csv(plan))))
    q1 = [r for r in table if r[-1] == "2027-Q1"]
    assert q1[0][7] == "56.00" and q1[0][11].endswith("capex €120.00")
    assert q1[1] == [
        "expansion",
        "alpha.rack",
        "",
        "",
        "alpha",
        "create",
        "",
        "10.00",
        *SOLVER,
        "expansion needed",
        "",
        "",
        "2027-Q1",
    ]
    q3 = [r for r in table if r[-1] == "2027-Q3"]
    assert q3[0][7] == "38.00"
    assert q3[1][11] == "waited for the alpha rack ordered in 2027-Q1 (lead 6 months)"
    end = [r for r in table[1:] if r[-1] == ""]
    assert sum(float(r[7]) for r in end) == plan.totals.monthly_cost_after_eur == 38.0
    with speaking("fr"):  # a change without a reason of its own says its fact in French too
        french = list(csv.reader(io.StringIO(render_csv(plan))))
    assert next(r[11] for r in french if r[1] == "alpha.rack") == "extension nécessaire"


def test_excel_fr_and_french_reasons(tmp_path: Path) -> None:
    plan = _budget_roadmap(tmp_path)
    with speaking("fr"):
        text = render_csv(plan, dialect="excel-fr")
    assert text.startswith("\ufeffkind;name;")
    table = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert table[0][-1] == "period"
    first = table[1]
    assert first[:2] == ["wave", "2027-Q1"] and first[7] == "84,00" and first[13] == "400,00"
    assert first[11] == (
        "du 1 janvier 2027 au 31 mars 2027 : 1 déplacement ; fonctionnement "
        "252,00\u00a0€, investissement 0,00\u00a0€"
    )
    assert table[2][11] == "déplacée en 2027-Q1 : le moment le moins cher"


def test_a_snapshot_csv_has_no_period_column(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=64, ram_gib=256)],
        providers=[provider("cloud", [offer("pub")])],
        workloads=[workload("w", current_site="pub")],
    )
    header = render_csv(run_plan(path).plan).splitlines()[0]
    assert header.endswith(",owner,one_off_eur")

"""Each constraint family on a hand-made case whose optimum is worked out by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from planner.errors import InfeasibleError
from planner.pipeline import Run, run_plan
from tests.helpers import offer, provider, site, workload, write_scenario

SNC = [{"name": "secnumcloud", "status": "qualified", "valid_until": date(2027, 12, 31)}]


def placements(run: Run) -> dict[str, str]:
    return {
        rc.name: rc.change.after.site
        for rc in run.plan.resource_changes
        if rc.type == "planner_placement" and rc.change.after
    }


def test_tiny_fixture_costs_and_actions() -> None:
    # alpha: w1 = 4*10 + 16*1 + 100*0.1 = 66; w2 the same; w3 on pub: flavour small = 30.
    # alpha is full with w1 + w2 (8 vCPU); w3 on alpha would need the rack (120/month).
    run = run_plan("tests/fixtures/tiny/scenario.yaml")
    assert placements(run) == {"w1": "alpha", "w2": "alpha", "w3": "pub"}
    t = run.plan.totals
    assert (t.monthly_cost_before_eur, t.monthly_cost_after_eur) == (96.0, 162.0)
    assert (t.to_add, t.to_change, t.to_destroy) == (1, 0, 0)
    assert run.plan.solver.proven_optimal and run.plan.solver.status == "optimal"


@pytest.mark.parametrize(
    ("capex_eur", "expected_site", "total"),
    [
        # block = capex/12 + 20 opex. 1200 capex: 120 + 56 = 176 > snc 4*20 + 16*2 = 112.
        (1200.0, "snc", 56 * 2 + 112),
        # no capex: 20 + 56 = 76 < 112: build one block.
        (0.0, "alpha", 56 * 3 + 20),
    ],
)
def test_capacity_and_expansion(
    tmp_path: Path, capex_eur: float, expected_site: str, total: float
) -> None:
    block = {
        "id": "rack",
        "adds": {"vcpu": 8, "ram_gib": 32},
        "capex_eur": capex_eur,
        "amortisation_months": 12,
        "opex_eur_month": 20,
        "max_blocks": 2,
    }
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=8, ram_gib=32, expansion_blocks=[block])],
        providers=[provider("trusty", [offer("snc", qualifications=SNC)])],
        workloads=[workload(f"w{i}", 4, 16, "sensitive") for i in range(3)],
    )
    run = run_plan(path)
    placed = placements(run)
    assert sorted(placed.values()).count("alpha") == (3 if expected_site == "alpha" else 2)
    assert run.plan.totals.monthly_cost_after_eur == pytest.approx(total)


@pytest.mark.parametrize(
    ("preference_pct", "expected"), [(0, "cheap"), (10, "cheap"), (15, "alpha")]
)
def test_internal_preference_threshold(
    tmp_path: Path, preference_pct: float, expected: str
) -> None:
    # alpha: 2*10 + 8*1 = 28; cheap: 2*10 + 8*0.5 = 24, i.e. 14.3 % cheaper than alpha.
    path = write_scenario(
        tmp_path,
        sites=[site("alpha")],
        providers=[provider("p", [offer("cheap", vcpu_price=10, ram_price=0.5)])],
        workloads=[workload("w", 2, 8)],
        objective={"internal_preference_pct": preference_pct},
    )
    run = run_plan(path)
    assert placements(run) == {"w": expected}
    # real costs are reported, never the weighted ones
    assert run.plan.totals.monthly_cost_after_eur == (28.0 if expected == "alpha" else 24.0)


def test_anti_affinity_keeps_replicas_apart(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=64, ram_gib=256)],
        providers=[provider("trusty", [offer("snc", qualifications=SNC)])],
        workloads=[
            workload(f"idp-{i}", 2, 8, "sensitive", anti_affinity_group="idp") for i in range(2)
        ],
    )
    run = run_plan(path)
    assert sorted(placements(run).values()) == ["alpha", "snc"]
    assert run.plan.totals.monthly_cost_after_eur == 28.0 + 2 * 20 + 8 * 2


def test_affinity_group_moves_as_one(tmp_path: Path) -> None:
    # app (public) could go anywhere; db (sensitive) only alpha or snc. alpha fits one of them.
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=4, ram_gib=16)],
        providers=[
            provider("trusty", [offer("snc", qualifications=SNC)]),
            provider("big", [offer("pub", vcpu_price=1, ram_price=0.1)], eu=False),
        ],
        workloads=[
            workload("app", 4, 16, affinity_group="shop"),
            workload("db", 4, 16, "sensitive", affinity_group="shop"),
        ],
    )
    run = run_plan(path)
    assert placements(run) == {"app": "snc", "db": "snc"}
    assert run.plan.totals.monthly_cost_after_eur == 2 * (4 * 20 + 16 * 2)


@pytest.mark.parametrize(("count", "uses_contract"), [(5, False), (15, True)])
def test_fixed_cost_activation(tmp_path: Path, count: int, uses_contract: bool) -> None:
    # each workload: alpha 2*10 + 8*1 = 28; flat: 2*8 + 8*0.5 = 20 (8 cheaper) + 100/month once.
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=1000, ram_gib=4000)],
        providers=[provider("p", [offer("flat", 8, 0.5, fixed_cost_eur_month=100)])],
        workloads=[workload(f"w{i:02d}", 2, 8) for i in range(count)],
    )
    run = run_plan(path)
    on_flat = sum(1 for s in placements(run).values() if s == "flat")
    assert on_flat == (count if uses_contract else 0)
    expected = count * 20 + 100 if uses_contract else count * 28
    assert run.plan.totals.monthly_cost_after_eur == expected
    contracts = [rc for rc in run.plan.resource_changes if rc.type == "planner_contract"]
    assert bool(contracts) == uses_contract


def test_max_moves_and_migration_budget(tmp_path: Path) -> None:
    # both currently on pub at 2*30 + 8*3 = 84; alpha costs 28: moving saves 56 a month each.
    def scenario(**caps: object) -> str:
        return write_scenario(
            tmp_path / str(len(list(tmp_path.iterdir()))),
            sites=[site("alpha", vcpu=100, ram_gib=400)],
            providers=[provider("p", [offer("pub", 30, 3)])],
            workloads=[
                workload(f"w{i}", 2, 8, current_site="pub", move_cost_eur=500) for i in range(2)
            ],
            caps=caps,
        )

    assert set(placements(run_plan(scenario())).values()) == {"alpha"}
    one_move = run_plan(scenario(max_moves=1))
    assert sorted(placements(one_move).values()) == ["alpha", "pub"]
    assert one_move.plan.totals.one_off_migration_eur == 500
    budget = run_plan(scenario(migration_budget_eur=999))
    assert sorted(placements(budget).values()) == ["alpha", "pub"]


def test_outsourced_share_and_provider_share(tmp_path: Path) -> None:
    # 4 workloads: alpha 28 each, cheap 24 each. Uncapped: all 4 external (96).
    def scenario(**caps: object) -> str:
        return write_scenario(
            tmp_path / str(len(list(tmp_path.iterdir()))),
            sites=[site("alpha", vcpu=100, ram_gib=400)],
            providers=[
                provider("p", [offer("cheap", 10, 0.5)]),
                provider("q", [offer("dear", 10.5, 0.5)]),
            ],
            workloads=[workload(f"w{i}", 2, 8) for i in range(4)],
            caps=caps,
        )

    assert set(placements(run_plan(scenario())).values()) == {"cheap"}
    # at most 50 % outsourced: 2 external (48) + 2 internal (56) = 104, share 46 %;
    # 3 external would be 72/(72+28) = 72 % > 50 %.
    capped = run_plan(scenario(max_outsourced_share_pct=50))
    assert sorted(placements(capped).values()).count("cheap") == 2
    assert capped.plan.totals.monthly_cost_after_eur == 104
    # at most 40 % with any one provider: cheap 1 (24), dear 1 (25), alpha 2 (56)? 24/105 ok;
    # 2 on cheap + 1 dear + 1 alpha = 48+25+28 = 101, share 48/101 = 47.5 % > 40 %: not allowed.
    # cheap 1 + dear 1 + alpha 2 = 105 is optimal among feasible ones (both <= 40 %).
    split = run_plan(scenario(max_provider_share_pct=40))
    assert split.plan.totals.monthly_cost_after_eur == 105


def test_monthly_budget_too_small_is_infeasible(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        sites=[site("alpha")],
        workloads=[workload("w", 2, 8)],
        caps={"monthly_budget_eur": 27},
    )
    with pytest.raises(InfeasibleError):
        run_plan(path)


def test_identical_workloads_aggregate_to_same_optimum(tmp_path: Path) -> None:
    from planner.candidates.units import build_candidates
    from planner.inputs import load_inputs
    from planner.optimise.model import build_model
    from planner.optimise.solve import SolveOptions, solve

    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=10, ram_gib=40), site("beta", vcpu=6, ram_gib=24, cost_vcpu=12)],
        providers=[provider("p", [offer("pub", 15, 1)])],
        workloads=[workload(f"w{i}", 2, 8, current_site="pub") for i in range(9)],
    )
    inputs = load_inputs(path)
    objectives = []
    for aggregate in (True, False):
        cands = build_candidates(inputs, aggregate=aggregate)
        assert len(cands.units) == (1 if aggregate else 9)
        result = solve(build_model(inputs, cands), SolveOptions())
        objectives.append(result.objective)
    # 5 on alpha (28), 3 on beta (2*12 + 8 = 32), 1 on pub (2*15 + 8 = 38)
    assert objectives[0] == pytest.approx(objectives[1])
    assert objectives[0] == pytest.approx(5 * 28 + 3 * 32 + 38)

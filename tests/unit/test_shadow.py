"""Shadow prices equal the finite difference of the optimum where the basis does not change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.optimise.rows import capacity_key
from planner.optimise.shadow import fixed_lp, solve_lp
from planner.pipeline import Run, run_plan
from planner.render.wording import shadow_text
from tests.helpers import offer, provider, site, workload, write_scenario

SNC = [{"name": "secnumcloud", "status": "qualified"}]


def _capacity_case(tmp_path: Path, vcpu: float) -> Run:
    # alpha: 1 vCPU + 2 GiB = 10 + 2 = 12 / month; snc: 20 + 4 = 24 / month.
    # 12 identical sensitive workloads, alpha holds `vcpu` of them, the rest go to snc.
    path = write_scenario(
        tmp_path / f"cap{vcpu:g}",
        sites=[site("alpha", vcpu=vcpu, ram_gib=1000)],
        providers=[provider("trusty", [offer("snc", qualifications=SNC)])],
        workloads=[workload(f"w{i:02d}", 1, 2, "sensitive") for i in range(12)],
    )
    return run_plan(path)


def _price(run: Run, constraint: str) -> float:
    found = [sp for sp in run.plan.shadow_prices if sp.constraint == constraint]
    assert len(found) == 1, run.plan.shadow_prices
    return found[0].value_eur_month


def test_capacity_shadow_price_matches_the_milp_finite_difference(tmp_path: Path) -> None:
    run8, run9 = _capacity_case(tmp_path, 8), _capacity_case(tmp_path, 9)
    assert run8.result.objective == pytest.approx(8 * 12 + 4 * 24)
    assert _price(run8, "capacity:alpha:vcpu") == pytest.approx(24 - 12)
    assert run8.result.objective is not None and run9.result.objective is not None
    assert run8.result.objective - run9.result.objective == pytest.approx(
        _price(run8, "capacity:alpha:vcpu")
    )
    assert [sp.constraint for sp in run8.plan.shadow_prices] == ["capacity:alpha:vcpu"]
    assert "1 vcpu more at alpha is worth €12.00 / month" in shadow_text(run8.plan.shadow_prices[0])


def test_capacity_shadow_price_matches_the_lp_finite_difference(tmp_path: Path) -> None:
    # Workloads of 4 vCPU: the MILP moves in steps of 4 vCPU, the LP slope is per vCPU.
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=10, ram_gib=1000, cost_ram=0)],
        providers=[provider("trusty", [offer("snc", ram_price=0, qualifications=SNC)])],
        workloads=[workload(f"w{i}", 4, 2, "sensitive") for i in range(4)],
    )
    run = run_plan(path)
    value = _price(run, "capacity:alpha:vcpu")
    assert value == pytest.approx((20 - 10) * 4 / 4)  # € 40 saved per 4 vCPU workload
    objectives = []
    for extra in (0.0, 1.0):
        model = fixed_lp(run.inputs, run.candidates, run.result)
        row = model.problem.get_constraint_by_name(model.rows[capacity_key("alpha", "vcpu")])
        row.constant -= extra  # PuLP keeps the right-hand side as -constant
        assert solve_lp(model, 10.0)
        objectives.append(model.problem.objective.value())
    assert objectives[0] - objectives[1] == pytest.approx(value)


def _budget_case(tmp_path: Path, budget: float) -> Run:
    # Internal 10 / month, external 9 (weighted 9 / 0.85 = 10.588 with the 15 % preference):
    # in-house is preferred; each workload outsourced lowers real spend by € 1.
    # 12 workloads at 120 in-house; budget 115 forces 5 out, budget 116 only 4.
    caps: dict[str, Any] = {"monthly_budget_eur": budget}
    path = write_scenario(
        tmp_path / f"b{budget:g}",
        sites=[site("alpha", vcpu=100, cost_ram=0)],
        providers=[provider("p", [offer("cheap", vcpu_price=9, ram_price=0)])],
        workloads=[workload(f"w{i:02d}", 1, 1) for i in range(12)],
        objective={"internal_preference_pct": 15},
        caps=caps,
    )
    return run_plan(path)


def test_budget_shadow_price_matches_the_milp_finite_difference(tmp_path: Path) -> None:
    run115, run116 = _budget_case(tmp_path, 115), _budget_case(tmp_path, 116)
    step = 9 / 0.85 - 10
    assert run115.result.objective == pytest.approx(7 * 10 + 5 * 9 / 0.85)
    value = _price(run115, "cap:monthly_budget")
    assert value == pytest.approx(step)
    assert run115.result.objective is not None and run116.result.objective is not None
    assert run115.result.objective - run116.result.objective == pytest.approx(value)
    assert run115.plan.shadow_prices[0].unit == "EUR"


def test_no_binding_constraint_gives_no_shadow_price(tmp_path: Path) -> None:
    run = _capacity_case(tmp_path, 20)  # everything fits in-house
    assert run.plan.shadow_prices == ()


def _share_case(tmp_path: Path, pct: float) -> Run:
    # 12 workloads, in-house 10 / month each, outside 6: without the cap all go out, spending
    # 72, the cap's denominator. At most a share alpha of those 72 outsourced: n outside with
    # 6n <= 72 alpha, so n = 12 alpha: 6 at 50 %, objective 6 x 6 + 6 x 10 = 96. Each point
    # more lets 0.12 workload out, saving 4 each: € 0.48 per point.
    path = write_scenario(
        tmp_path / f"s{pct:g}",
        sites=[site("alpha", vcpu=100, cost_ram=0)],
        providers=[provider("p", [offer("cheap", vcpu_price=6, ram_price=0)])],
        workloads=[workload(f"w{i:02d}", 1, 1) for i in range(12)],
        caps={"max_outsourced_share_pct": pct},
    )
    return run_plan(path)


def _lp_objective(run: Run) -> float:
    model = fixed_lp(run.inputs, run.candidates, run.result)
    assert solve_lp(model, 10.0)
    return float(model.problem.objective.value())


def test_share_cap_value_is_the_derivative_of_the_lp_optimum(tmp_path: Path) -> None:
    run = _share_case(tmp_path, 50)
    assert run.result.share_reference_eur == 72
    assert run.result.objective == pytest.approx(6 * 6 + 6 * 10)
    assert _lp_objective(run) == pytest.approx(96)
    value = _price(run, "cap:outsourced_share")
    assert value == pytest.approx(0.48)
    step = _lp_objective(run) - _lp_objective(_share_case(tmp_path, 50.1))
    assert step / 0.1 == pytest.approx(value, rel=1e-2)


def test_each_shadow_price_is_checked_by_a_re_solve(tmp_path: Path) -> None:
    run = _capacity_case(tmp_path, 8)
    [price] = run.plan.shadow_prices
    assert price.gain_eur_month == pytest.approx(price.value_eur_month) == pytest.approx(12)


def test_degenerate_vertex_and_the_value_of_one_more_block() -> None:
    # Tiny: w1 + w2 fill alpha's 8 vCPU and 32 GiB exactly, so both limits bind at once.
    # One more vCPU alone saves nothing; the rack (+8 vCPU, +32 GiB) lets w3 in: 30 -> 28.
    run = run_plan("tests/fixtures/tiny/scenario.yaml")
    found = {sp.constraint: sp for sp in run.plan.shadow_prices}
    capacity = [sp for sp in found.values() if sp.kind == "capacity"]
    assert capacity and all(sp.gain_eur_month == 0 for sp in capacity)
    assert "holds for less than one unit" in shadow_text(capacity[0])
    rack = found["expansion:alpha:rack"]
    assert rack.value_eur_month == pytest.approx(2.0)
    assert shadow_text(rack) == (
        "one more rack at alpha would save €2.00 / month with divisible "
        "placements (it costs €120.00 / month)"
    )


def test_block_value_matches_the_milp_with_the_block_built(tmp_path: Path) -> None:
    # 12 one-vCPU workloads, alpha holds 8; a block adds 4 vCPU: 4 more in-house, 4 x 12 saved.
    def case(capex_eur: float) -> Run:
        block = {
            "id": "rack",
            "adds": {"vcpu": 4},
            "capex_eur": capex_eur,
            "amortisation_months": 1,
            "max_blocks": 1,
        }
        path = write_scenario(
            tmp_path / f"k{capex_eur:g}",
            sites=[site("alpha", vcpu=8, ram_gib=1000, expansion_blocks=[block])],
            providers=[provider("trusty", [offer("snc", qualifications=SNC)])],
            workloads=[workload(f"w{i:02d}", 1, 2, "sensitive") for i in range(12)],
        )
        return run_plan(path)

    dear, free = case(100), case(0)  # 100 / month > 48: not built; free: built
    assert dear.result.k == {("alpha", "rack"): 0} and free.result.k == {("alpha", "rack"): 1}
    worth = next(sp for sp in dear.plan.shadow_prices if sp.kind == "expansion")
    assert dear.result.objective is not None and free.result.objective is not None
    assert (
        worth.value_eur_month
        == pytest.approx(48)
        == pytest.approx(dear.result.objective - free.result.objective)
    )

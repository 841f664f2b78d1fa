"""A known plan as the solver's first incumbent: the same optimum, whether the start is the
optimum itself, a worse plan or one that is infeasible for the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.candidates.units import build_candidates
from planner.pipeline import StartPlan, load_and_check, plan_inputs

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "tests" / "fixtures" / "sweep" / "base.yaml"


def test_start_values_per_unit() -> None:
    inputs, _ = load_and_check(str(BASE), str(ROOT))
    start = StartPlan({"w1": "alpha", "w2": "snc", "w3": "pub"}, {("alpha", "rack"): 1})
    mip = start.for_units(build_candidates(inputs))
    assert mip.x == {("w1", "alpha"): 1.0, ("w2", "snc"): 1.0, ("w3", "pub"): 1.0}
    assert mip.k == {("alpha", "rack"): 1.0} and mip.y == {}


@pytest.mark.parametrize(
    "placements",
    [
        {"w1": "alpha", "w2": "alpha", "w3": "pub"},  # the optimum (162)
        {"w1": "snc", "w2": "snc", "w3": "pub"},  # feasible, dearer (294)
        {"w1": "alpha", "w2": "alpha", "w3": "alpha"},  # infeasible without the rack
    ],
)
def test_any_start_gives_the_optimum(placements: dict[str, str]) -> None:
    inputs, _ = load_and_check(str(BASE), str(ROOT))
    run = plan_inputs(inputs, [], with_shadow_prices=False, start=StartPlan(placements, {}))
    assert run.plan.totals.monthly_cost_after_eur == 162.0
    assert run.plan.solver.status == "optimal"

"""Properties of right-sized plans on random small instances (the tests/fixtures/sizing places):
the saving's three parts sum to the total saving to the cent, commitments are zero (none are
bought), right-sizing never costs more today, and the optimum right-sized is never dearer than
the optimum as provisioned (every sized demand is at most its provisioned one)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.inputs.frozen import Inputs
from planner.inputs.schema import Sizing, Workload
from planner.pipeline import load_and_check, plan_inputs

BASE, _ = load_and_check("tests/fixtures/sizing/provisioned.yaml")


@st.composite
def workloads(draw: st.DrawFn) -> tuple[Workload, ...]:
    out = []
    for i in range(draw(st.integers(1, 5))):
        vcpu = draw(st.sampled_from((1, 2, 4)))  # every size fits pub's large flavour
        ram = vcpu * draw(st.sampled_from((2, 4)))
        storage = draw(st.sampled_from((0, 50, 100)))
        data: dict[str, Any] = {
            "id": f"w{i}",
            "data_class": "public",
            "demand": {"vcpu": vcpu, "ram_gib": ram, "storage_gib": storage},
            "current_site": draw(st.sampled_from((None, "alpha", "pub"))),
            "move_cost_eur": draw(st.sampled_from((0.0, 500.0))),
        }
        window = draw(st.sampled_from((None, 7, 30)))
        if window is not None:
            data["utilisation"] = {
                "window_days": window,
                "cpu_pct": {"p95": draw(st.floats(0, 100))},
                "ram_pct": {"p95": draw(st.floats(0, 100))},
                "storage_used_gib": draw(st.floats(0, 1)) * storage,
            }
        out.append(Workload.model_validate(data))
    return tuple(out)


def scenario(inputs: Inputs, sizing: Sizing) -> Inputs:
    return replace(inputs, scenario=inputs.scenario.model_copy(update={"sizing": sizing}))


def cents(value: float) -> int:
    return round(value * 100)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fleet=workloads(),
    comfort=st.floats(1.0, 2.0),
    storage=st.sampled_from(("as_provisioned", "in_use")),
)
def test_the_split_sums_to_the_saving_and_sizing_never_costs_more(
    fleet: tuple[Workload, ...], comfort: float, storage: str
) -> None:
    inputs = replace(BASE, workloads=fleet)
    sizing = Sizing.model_validate(
        {
            "policy": "performance",
            "percentile": "p95",
            "comfort_factor": comfort,
            "min_window_days": 14,
            "storage": storage,
        }
    )
    sized = plan_inputs(scenario(inputs, sizing), [], with_shadow_prices=False)
    provisioned = plan_inputs(inputs, [], with_shadow_prices=False)
    plan = sized.plan
    assert plan.savings is not None and provisioned.plan.savings is None
    split = plan.savings
    parts = [split.right_sizing_eur_month, split.placement_eur_month, split.commitments_eur_month]
    assert sum(cents(p) for p in parts) == cents(split.total_eur_month)
    assert cents(split.total_eur_month) == -cents(plan.totals.monthly_difference_eur)
    assert split.commitments_eur_month == 0.0
    assert split.right_sizing_eur_month >= 0.0
    # today's cost is the same whatever the sizing: it is what the estate costs as provisioned
    assert plan.totals.monthly_cost_before_eur == provisioned.plan.totals.monthly_cost_before_eur
    assert sized.result.objective is not None and provisioned.result.objective is not None
    assert sized.result.objective <= provisioned.result.objective + 1e-6

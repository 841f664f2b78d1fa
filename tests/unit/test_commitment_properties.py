"""Properties of commitments on generated small estates: committed capacity is paid whether
used or not, and a plan's cost is what its commitments cost plus the on-demand overflow."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.candidates.evaluate import Evaluator
from planner.candidates.units import build_candidates
from planner.inputs import load_inputs
from planner.pipeline import run_plan
from tests.helpers import offer, provider, site, workload, write_scenario

FLAVOURS: list[dict[str, Any]] = [
    {"name": "f2", "vcpu": 2, "ram_gib": 8, "price_eur_month": 45.0},
    {"name": "f4", "vcpu": 4, "ram_gib": 16, "price_eur_month": 95.0},
]
PRICE: dict[str, float] = {"f2": 45.0, "f4": 95.0}  # the flavours' on-demand prices


@st.composite
def estates(draw: st.DrawFn) -> dict[str, Any]:
    terms: list[dict[str, Any]] = []
    for months in draw(st.lists(st.sampled_from([1, 12, 36, 60]), max_size=2, unique=True)):
        terms.append(
            {
                "term_months": months,
                "unit": "spend",
                "discount_pct": draw(st.integers(1, 70)),
                "early_exit": draw(
                    st.sampled_from([{"rule": "owed"}, {"rule": "fee", "fee_pct": 20}])
                ),
            }
        )
    if draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(["f2", "f4"]), min_size=1, unique=True))
        terms.append(
            {
                "term_months": draw(st.sampled_from([12, 36])),
                "unit": "instances",
                "prices_eur_month": {
                    f: round(PRICE[f] * draw(st.floats(0.3, 0.95)), 2) for f in sorted(chosen)
                },
                "early_exit": {"rule": "owed"},
            }
        )
    sizes = draw(st.lists(st.tuples(st.integers(1, 6), st.integers(1, 24)), min_size=1, max_size=6))
    return {
        "terms": [{**t, "source": "generated", "source_date": date(2026, 11, 1)} for t in terms],
        "workloads": [workload(f"w{i}", v, r) for i, (v, r) in enumerate(sizes)],
        "room": draw(st.integers(0, 12)),
        "horizon": draw(st.sampled_from([6, 12, 36, 48])),
        "preference": draw(st.sampled_from([0, 15])),
    }


def _write(directory: Path, estate: dict[str, Any]) -> str:
    o1 = offer("o1", flavours=FLAVOURS, commitments=estate["terms"])
    return write_scenario(
        directory,
        sites=[site("alpha", vcpu=estate["room"], ram_gib=4 * estate["room"])],
        providers=[provider("p1", [o1])],
        workloads=estate["workloads"],
        objective={
            "buy_commitments": True,
            "horizon_months": estate["horizon"],
            "internal_preference_pct": estate["preference"],
        },
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(estates())
def test_the_plan_costs_its_commitments_plus_the_on_demand_overflow(estate: dict[str, Any]) -> None:
    """Recomputed from the plan alone (placements, their basis and on-demand cost, the
    commitments bought): reserved instances cover at most the instances of their flavour
    placed on o1, savings plans at most the rest of o1's compute; the plan's monthly cost is
    sum(committed) + (on demand - covered), never below what is committed."""
    with tempfile.TemporaryDirectory() as folder:
        plan = run_plan(_write(Path(folder), estate)).plan
    on_o1 = [
        rc.change.after
        for rc in plan.resource_changes
        if rc.type == "planner_placement" and rc.change.after and rc.change.after.site == "o1"
    ]
    placements = [
        rc.change.after
        for rc in plan.resource_changes
        if rc.type == "planner_placement" and rc.change.after is not None
    ]
    on_demand_total = sum(p.cost_eur_month for p in placements)
    record = plan.commitments
    assert record is not None
    committed = sum(b.cost_eur_month for b in record.buys)
    covered = 0.0
    for name, price in PRICE.items():
        reserved = sum(b.amount for b in record.buys if b.flavour == name)
        running = sum(1 for p in on_o1 if p.basis == f"flavour {name}")
        covered += price * min(reserved, running)
    planned = sum(b.amount for b in record.buys if b.unit == "spend")
    compute = sum(p.cost_eur_month for p in on_o1)  # no storage, no egress: all compute
    covered += min(planned, max(0.0, compute - covered))
    expected = committed + on_demand_total - covered
    assert plan.totals.monthly_cost_after_eur == pytest.approx(expected, abs=0.02)
    assert plan.totals.monthly_cost_after_eur >= committed - 0.01
    assert record.saving_eur_month == pytest.approx(covered - committed, abs=0.02)
    # nothing is bought that the plan's load does not pay for
    assert record.saving_eur_month >= -0.01


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(estates(), st.lists(st.floats(0, 2000), min_size=4, max_size=4))
def test_committed_capacity_is_paid_whether_used_or_not(
    estate: dict[str, Any], amounts: list[float]
) -> None:
    """Any commitment, used or not, on every workload placed on o1: the evaluator's bill is
    sum(price * amount) + max(0, on demand - what the commitments may cover), so never
    below what is committed."""
    with tempfile.TemporaryDirectory() as folder:
        inputs = load_inputs(_write(Path(folder), estate))
    cands = build_candidates(inputs)
    evaluator = Evaluator(cands)
    x = {(u.id, "o1"): float(u.count) for u in cands.units}
    c = {
        (t.offer_id, t.key): float(round(a)) if t.integral else a
        for t, a in zip(evaluator.terms, amounts * 4, strict=False)
    }
    evaluation = evaluator.evaluate(evaluator.decision(x, c=c))
    committed = sum(t.price_eur_month * c[(t.offer_id, t.key)] for t in evaluator.terms)
    on_demand = sum(
        u.count * o.run_cost_eur_month for u in cands.units for o in u.options if o.place_id == "o1"
    )
    spend = evaluation.spend.get("provider:p1", 0.0)
    assert spend >= committed - 1e-6
    covered = sum(b.covered_eur_month for b in evaluation.commitments)
    assert 0.0 <= covered <= on_demand + 1e-6
    assert spend == pytest.approx(committed + on_demand - covered)

"""The one evaluator of spend, loads and limits, on the tiny fixture with costs worked by hand."""

from __future__ import annotations

import pytest

from planner.candidates.evaluate import (
    Decision,
    Evaluator,
    Var,
    max_capacity,
    objective_eur_month,
    place_limit,
    preference_weight,
)
from planner.candidates.units import build_candidates
from planner.inputs import load_inputs
from planner.optimise.model import build_model
from planner.optimise.model.constraints import spend_eur_month, spend_terms

TINY = "tests/fixtures/tiny/scenario.yaml"

# alpha: 10/vCPU, 1/GiB, 0.1/GiB storage; rack adds 8 vCPU + 32 GiB for 1200/12 + 20 = 120.
# w1 = w2 = 4 vCPU, 16 GiB, 100 GiB: 66 on alpha, 4*20 + 16*2 + 100*0.2 = 132 on snc.
# w3 = 2 vCPU, 8 GiB (public, on pub today): 28 on alpha, flavour small 30 on pub, 56 on snc.
DECISION = Decision(
    x={("w1", "alpha"): 1, ("w2", "snc"): 1, ("w3", "alpha"): 1}, k={("alpha", "rack"): 1}
)


def test_a_decision_is_evaluated_by_bucket_with_moves_and_loads() -> None:
    cands = build_candidates(load_inputs(TINY))
    evaluation = Evaluator(cands).evaluate(DECISION)
    assert evaluation.spend == pytest.approx({"internal": 66 + 28 + 120, "provider:trusty": 132})
    assert evaluation.total_eur_month == pytest.approx(346)
    assert evaluation.external_eur_month == pytest.approx(132)
    assert (evaluation.moves, evaluation.migration_eur) == (1, 0)  # w3 leaves pub
    assert evaluation.load["alpha"] == pytest.approx([6, 24, 100, 0])
    assert evaluation.used("snc", "storage_gib") == pytest.approx(100)


def test_limits_count_built_blocks_quota_or_none() -> None:
    cands = build_candidates(load_inputs(TINY))
    evaluator = Evaluator(cands)
    assert evaluator.limit("alpha", "vcpu", DECISION) == 16
    assert evaluator.limit("alpha", "vcpu", Decision(x={})) == 8
    assert evaluator.limit("alpha", "ram_gib") == 64  # every block built
    assert evaluator.limit("snc", "vcpu") is None  # no quota: unbounded
    alpha = evaluator.places["alpha"]
    assert place_limit(alpha, "storage_gib", {"rack": 1}) == 1000
    assert max_capacity(alpha) == (16, 64, 1000, 0)
    assert max_capacity(evaluator.places["pub"]) is None


def test_the_model_spend_terms_are_the_evaluator_coefficients() -> None:
    inputs = load_inputs(TINY)
    cands = build_candidates(inputs)
    model = build_model(inputs, cands)
    coefficients = Evaluator(cands).spend_coefficients()
    terms = spend_terms(model, cands)
    assert list(terms) == list(coefficients)
    for bucket, pairs in coefficients.items():
        assert terms[bucket] == [(model.var(v), coef) for v, coef in pairs]
    assert (Var("k", "alpha", "rack"), 120.0) in coefficients["internal"]
    assert dict(coefficients["provider:trusty"])[Var("x", "w2", "snc")] == pytest.approx(132.0)
    assert spend_eur_month(cands, DECISION) == pytest.approx(346)


def test_one_preference_weight_for_the_objective() -> None:
    inputs = load_inputs(TINY)
    cands = build_candidates(inputs)
    places = {p.id: p for p in cands.places}
    w3 = next(u for u in cands.units if u.id == "w3")
    pub = next(o for o in w3.options if o.place_id == "pub")
    alpha = next(o for o in w3.options if o.place_id == "alpha")
    assert preference_weight(20) == pytest.approx(1.25)
    assert objective_eur_month(places["pub"], pub, 20, 36) == pytest.approx(30 * 1.25)
    assert objective_eur_month(places["alpha"], alpha, 20, 36) == pytest.approx(28)

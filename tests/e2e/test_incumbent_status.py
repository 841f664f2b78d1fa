"""A plan whose solve the neighbourhood search ran beside: its status, bound and gap are still
HiGHS's, and its plan and objective agree with the evaluator."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
import yaml

from benchmarks.instances import Gap, gap_catalogs
from planner.candidates.evaluate import Decision, Evaluator
from planner.optimise.highs_direct import FastHiGHS
from planner.optimise.solve import OPTIMAL_GAP_REL, SolveStatus
from planner.pipeline import run_plan


def _type_d(jobs: int, agents: int, seed: int) -> Gap:
    """A random GAP of Chu & Beasley's type D: cost falls as resource use rises."""
    rng = random.Random(seed)
    use = [[float(rng.randint(1, 100)) for _ in range(jobs)] for _ in range(agents)]
    cost = [[111.0 - u + rng.randint(-10, 10) for u in row] for row in use]
    capacity = [0.8 * sum(row) / agents for row in use]
    return Gap(cost=cost, use=use, capacity=capacity)


def _write(tmp: Path, gap: Gap, limit_s: float) -> str:
    catalogs = gap_catalogs(gap)
    files = {
        "sites.yaml": {"sites": catalogs["sites"]},
        "providers.yaml": {"providers": []},
        "workloads.yaml": {"workloads": catalogs["workloads"]},
        "policy.yaml": {"policy": {"data_classes": {"public": {}}}},
        "scenario.yaml": {
            "name": "type-d",
            "reference_date": date(2026, 1, 1),
            "catalogs": {
                "sites": ["sites.yaml"],
                "providers": ["providers.yaml"],
                "workloads": ["workloads.yaml"],
                "policy": "policy.yaml",
            },
            "objective": {"internal_preference_pct": 0.0},
            "solver": {
                "name": "highs",
                "time_limit_s": limit_s,
                "gap_rel": 0.0,
                "threads": 1,
                "incumbent_search": True,
            },
        },
    }
    for name, data in files.items():
        (tmp / name).write_text(yaml.safe_dump(data, sort_keys=False))
    return str(tmp / "scenario.yaml")


def test_the_status_bound_and_gap_stay_highs_s(tmp_path: Path) -> None:
    run = run_plan(_write(tmp_path, _type_d(80, 10, seed=3), limit_s=6.0))
    result, problem = run.result, run.model.problem
    assert result.objective is not None and result.bound is not None
    solver = problem.solver
    assert isinstance(solver, FastHiGHS)
    outcome = solver.search_outcome
    assert outcome is not None and outcome.steps > 0  # HiGHS was still open: the search ran
    info = problem.solverModel.getInfo()
    assert result.bound == pytest.approx(info.mip_dual_bound)  # no move tie-break here
    assert result.gap_rel is not None
    assert result.gap_rel == pytest.approx((result.objective - result.bound) / result.objective)
    if result.status == SolveStatus.OPTIMAL:
        assert result.gap_rel <= OPTIMAL_GAP_REL
    else:
        assert result.status == SolveStatus.FEASIBLE
        assert result.gap_rel > OPTIMAL_GAP_REL
    if outcome.objective is not None:  # the search's plan beat HiGHS's incumbent
        assert result.objective == pytest.approx(outcome.objective)
        assert result.objective < info.objective_function_value
        assert "neighbourhood search" in result.message
    else:
        assert result.objective == pytest.approx(info.objective_function_value)
    decision = Decision(result.x, result.k, result.y)
    evaluation = Evaluator(run.candidates).evaluate(decision)
    assert evaluation.total_eur_month == pytest.approx(result.objective)
    assert run.plan.totals.monthly_cost_after_eur == pytest.approx(result.objective, abs=0.01)
    for place_id in evaluation.load:
        limit = Evaluator(run.candidates).limit(place_id, "vcpu", decision)
        assert limit is not None and evaluation.used(place_id, "vcpu") <= limit + 1e-6

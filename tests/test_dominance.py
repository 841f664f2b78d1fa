"""Dominated free options are dropped without changing the optimum."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.fleet import generate, write_fleet
from benchmarks.greedy import greedy_plan
from planner.candidates.pruning import prune_dominated
from planner.candidates.units import build_candidates
from planner.inputs import load_inputs
from planner.optimise.caps import model_kinds
from planner.optimise.model import build_model
from planner.optimise.solve import SolveOptions, SolveStatus, solve


@pytest.fixture(scope="module")
def fleet_scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("fleet")
    return write_fleet(generate(80, 9, seed=7), directory, time_limit_s=60.0, gap_rel=0.0)


def _objective(scenario: Path, prune: bool) -> tuple[float, int]:
    inputs = load_inputs(str(scenario))
    cands = build_candidates(inputs)
    if prune:
        cands = prune_dominated(inputs, cands, model_kinds(inputs.scenario.caps))
    result = solve(build_model(inputs, cands), SolveOptions(time_limit_s=60.0, gap_rel=0.0))
    assert result.status == SolveStatus.OPTIMAL
    assert result.objective is not None
    return result.objective, sum(len(u.options) for u in cands.units)


def test_pruning_keeps_the_optimum_with_fewer_options(fleet_scenario: Path) -> None:
    full, full_options = _objective(fleet_scenario, prune=False)
    pruned, pruned_options = _objective(fleet_scenario, prune=True)
    assert pruned == pytest.approx(full, rel=1e-9)
    assert pruned_options < full_options


def test_only_free_offers_are_pruned(fleet_scenario: Path) -> None:
    inputs = load_inputs(str(fleet_scenario))
    cands = build_candidates(inputs)
    pruned = prune_dominated(inputs, cands, model_kinds(inputs.scenario.caps))
    internal = {p.id for p in cands.places if p.internal}
    for before, after in zip(cands.units, pruned.units, strict=True):
        kept = {o.place_id for o in after.options}
        assert {o.place_id for o in before.options if o.place_id in internal} <= kept
        groups = [g for g in cands.anti_affinity.values() if before.id in g]
        external = [o for o in after.options if o.place_id not in internal]
        external_before = [o for o in before.options if o.place_id not in internal]
        assert len(external) >= min(len(external_before), 1 + sum(len(g) - 1 for g in groups))


def test_a_provider_share_cap_turns_pruning_off(fleet_scenario: Path) -> None:
    inputs = load_inputs(str(fleet_scenario))
    caps = inputs.scenario.caps.model_copy(update={"max_provider_share_pct": 50.0})
    capped = replace(inputs, scenario=inputs.scenario.model_copy(update={"caps": caps}))
    cands = build_candidates(capped)
    assert prune_dominated(capped, cands, model_kinds(capped.scenario.caps)) is cands


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10_000), workloads=st.integers(10, 40), places=st.integers(4, 9))
def test_property_pruning_and_greedy_against_the_optimum(
    tmp_path: Path, seed: int, workloads: int, places: int
) -> None:
    """On any generated fleet: pruning keeps the optimum, and the greedy rule never beats it."""
    scenario = write_fleet(
        generate(workloads, places, seed=seed), tmp_path / str(seed), time_limit_s=60.0, gap_rel=0.0
    )
    full, _ = _objective(scenario, prune=False)
    pruned, _ = _objective(scenario, prune=True)
    assert pruned == pytest.approx(full, rel=1e-9, abs=1e-6)
    inputs = load_inputs(str(scenario))
    greedy = greedy_plan(inputs, build_candidates(inputs, aggregate=False))
    if greedy.unplaced == 0:
        assert greedy.objective_eur >= full - 1e-6

"""The neighbourhood search beside HiGHS: sound plans only, a planted bad incumbent repaired,
models it is not argued for refused, and the status, bound and gap still HiGHS's."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import highspy
import numpy as np
import pulp
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from planner.candidates.evaluate import Decision, Evaluator
from planner.candidates.pruning import prune_dominated
from planner.candidates.units import Candidates, build_candidates
from planner.errors import InputError
from planner.inputs.frozen import Inputs
from planner.inputs.schema import RESOURCES
from planner.optimise.caps import model_kinds
from planner.optimise.highs_direct import FastHiGHS, quiet_stdout
from planner.optimise.improve import NeighbourhoodSearch, SearchSpace, refusal
from planner.optimise.improve.families import row_families
from planner.optimise.model import Model, build_model
from planner.optimise.rows import RowKind
from planner.optimise.solve import SolveOptions, SolveStatus, _search_request, solve
from planner.pipeline import load_and_check
from tests.helpers import site, workload, write_scenario
from tests.unit.test_properties import scenarios


def _model(path: str) -> tuple[Inputs, Candidates, Model]:
    inputs, _ = load_and_check(path)
    cands = prune_dominated(inputs, build_candidates(inputs), model_kinds(inputs.scenario.caps))
    return inputs, cands, build_model(inputs, cands)


def _space(model: Model) -> tuple[SearchSpace, FastHiGHS, list[tuple[str, str]]]:
    """The search's view of the model, as FastHiGHS hands it to HiGHS."""
    keys = list(model.x)
    units: dict[str, list[pulp.LpVariable]] = {}
    places: dict[str, list[str]] = {}
    for unit_id, place in keys:
        units.setdefault(unit_id, []).append(model.x[unit_id, place])
        places.setdefault(unit_id, []).append(place)
    solver = FastHiGHS(units=list(units.values()), msg=False)
    with quiet_stdout():
        solver.createAndConfigureSolver(model.problem)
    solver.buildSolverModel(model.problem)
    return solver.search_space([tuple(p) for p in places.values()]), solver, keys


def _decision(model: Model, values: np.ndarray[Any, Any]) -> Decision:
    """The plan's decisions (a variable in no row and not in the objective is 0)."""

    def value(var: pulp.LpVariable) -> float:
        index = getattr(var, "index", None)
        return 0.0 if index is None else float(values[index])

    return Decision(
        x={key: value(v) for key, v in model.x.items()},
        k={key: value(v) for key, v in model.k.items()},
        y={key: value(v) for key, v in model.y.items()},
    )


def _violations(inputs: Inputs, cands: Candidates, decision: Decision) -> list[str]:
    """What the decision breaks, each figure from the evaluator."""
    evaluator = Evaluator(cands)
    found = []
    for unit in cands.units:
        placed = sum(decision.x.get((unit.id, o.place_id), 0.0) for o in unit.options)
        if placed != unit.count:
            found.append(f"{unit.id} placed {placed} times of {unit.count}")
    evaluation = evaluator.evaluate(decision)
    for place_id in evaluation.load:
        for r in RESOURCES:
            limit = evaluator.limit(place_id, r, decision)
            if limit is not None and evaluation.used(place_id, r) > limit + 1e-6:
                found.append(f"{place_id} {r}: {evaluation.used(place_id, r)} > {limit}")
    for place in evaluator.contracts():
        used = any(decision.x.get((u.id, place.id), 0.0) > 0 for u in cands.units)
        if used and decision.y.get(place.id, 0.0) < 1:
            found.append(f"{place.id} used without its contract")
    for group, unit_ids in cands.anti_affinity.items():
        for place in cands.places:
            together = sum(decision.x.get((uid, place.id), 0.0) for uid in unit_ids)
            if together > 1:
                found.append(f"anti-affinity {group} twice on {place.id}")
    caps = inputs.scenario.caps
    if caps.max_moves is not None and evaluation.moves > caps.max_moves:
        found.append(f"{evaluation.moves} moves > {caps.max_moves}")
    return found


def _worst_plan(space: SearchSpace, solver: FastHiGHS) -> np.ndarray[Any, Any] | None:
    """A feasible plan of the model as bad as can be: its objective maximised."""
    with quiet_stdout():
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    lp = solver._arrays[0]
    highs.passModel(lp)
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    highs.setOptionValue("time_limit", 5.0)
    highs.run()
    if highs.getInfo().primal_solution_status != 2:
        return None
    return space.rounded(highs.getSolution().col_value)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.integers(0, 3))
def test_every_plan_of_the_search_keeps_every_constraint(spec: dict[str, Any], seed: int) -> None:
    """From the worst feasible plan, each better plan found is checked by the evaluator:
    assignment, capacity with the blocks built, contracts, anti-affinity, the move cap."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            inputs, cands, model = _model(write_scenario(Path(tmp), **spec))
        except InputError:
            event("no model")
            return
    if refusal(model) is not None:
        event("refused")
        return
    space, solver, _ = _space(model)
    values = _worst_plan(space, solver)
    if values is None:
        event("infeasible")
        return
    assert _violations(inputs, cands, _decision(model, values)) == []
    search = NeighbourhoodSearch(space, solver._arrays[0], seed)
    objective = space.objective(values)
    improved = 0
    for _ in range(12):
        found = search.step(values, objective)
        if found is None:
            continue
        assert found.objective < objective
        assert _violations(inputs, cands, _decision(model, found.values)) == []
        values, objective = found.values, found.objective
        improved += 1
    event("improved" if improved else "no better plan")


def _two_by_four(tmp: Path, **scenario: Any) -> str:
    """Two sites holding two 2-vCPU workloads each; a and b cost 1 on s0 and 5 on s1, c and d
    the other way round: the optimum, a and b on s0 and c and d on s1, costs 4; the reverse
    costs 20, and no single move leaves it (each site is full): only swaps do."""
    cheap = {"a": "s0", "b": "s0", "c": "s1", "d": "s1"}
    workloads = [
        workload(
            w,
            vcpu=2,
            ram_gib=1,
            site_overrides={
                s: {"cost_eur_month": 1.0 if cheap[w] == s else 5.0} for s in ("s0", "s1")
            },
        )
        for w in "abcd"
    ]
    sites = [site(s, vcpu=4, ram_gib=32) for s in ("s0", "s1")]
    return write_scenario(tmp, sites=sites, workloads=workloads, **scenario)


def test_a_planted_bad_incumbent_reaches_the_optimum_found_by_hand(tmp_path: Path) -> None:
    inputs, cands, model = _model(_two_by_four(tmp_path))
    assert refusal(model) is None
    space, solver, keys = _space(model)
    bad = np.zeros(space.n_cols)
    for w, s in (("a", "s1"), ("b", "s1"), ("c", "s0"), ("d", "s0")):
        bad[model.x[w, s].index] = 1.0
    assert space.check(bad) and space.objective(bad) == pytest.approx(20.0)
    search = NeighbourhoodSearch(space, solver._arrays[0], seed=0)
    found = search.step(bad, 20.0)
    assert found is not None
    assert found.objective == pytest.approx(4.0)
    placed = sorted(key for key in keys if found.values[model.x[key].index] == 1.0)
    assert placed == [("a", "s0"), ("b", "s0"), ("c", "s1"), ("d", "s1")]
    assert _violations(inputs, cands, _decision(model, found.values)) == []
    assert search.step(found.values, found.objective) is None  # nothing better than 4


def test_the_check_refuses_a_plan_over_capacity(tmp_path: Path) -> None:
    _, _, model = _model(_two_by_four(tmp_path))
    space, _, _ = _space(model)
    crowded = np.zeros(space.n_cols)
    for w in "abc":
        crowded[model.x[w, "s0"].index] = 1.0
    crowded[model.x["d", "s1"].index] = 1.0
    assert not space.check(crowded)  # 6 vCPU on a site of 4
    half = np.zeros(space.n_cols)
    for w, s in (("a", "s0"), ("b", "s0"), ("c", "s1"), ("d", "s1")):
        half[model.x[w, s].index] = 1.0
    half[model.x["a", "s0"].index] = 0.5
    assert not space.check(half)  # not integral


def test_the_families_of_every_row_are_known(tmp_path: Path) -> None:
    _, _, model = _model(_two_by_four(tmp_path, caps={"max_moves": 3}))
    families = row_families(model)
    assert sorted(set(families), key=str) == ["assignment", "cap:max_moves", "capacity"]
    assert refusal(model) is None


def test_a_family_it_is_not_argued_for_is_refused_and_highs_solves_alone(tmp_path: Path) -> None:
    _, _, model = _model(_two_by_four(tmp_path))
    model.problem += model.x["a", "s0"] + model.x["b", "s0"] <= 1, "roadmap_0"
    assert refusal(model) == "constraint families not handled: unknown"
    options = SolveOptions(time_limit_s=10.0, improve=True)
    places: list[tuple[str, ...]] = [("s0", "s1")] * 4
    assert _search_request(model, options, places) is None
    result = solve(model, options)
    assert result.status == SolveStatus.OPTIMAL
    # a or b goes to s1 (5), so c or d must leave the full s1 for s0 (5): 1 + 5 + 5 + 1
    assert result.objective == pytest.approx(12.0)


def test_a_provider_share_cap_is_refused(tmp_path: Path) -> None:
    _, _, model = _model(_two_by_four(tmp_path, caps={"max_provider_share_pct": 50.0}))
    model.problem += model.x["a", "s0"] <= 1, "cap_provider_share_x"
    model.rows[
        replace(next(iter(model.rows)), kind=RowKind.CAP, cap="provider_share", place=None)
    ] = "cap_provider_share_x"
    assert refusal(model) == "constraint families not handled: cap:provider_share"


def test_switched_off_or_sound_decides_whether_it_runs(tmp_path: Path) -> None:
    _, _, model = _model(_two_by_four(tmp_path))
    places: list[tuple[str, ...]] = [("s0", "s1")] * 4
    assert _search_request(model, SolveOptions(improve=False), places) is None
    assert _search_request(model, SolveOptions(), places) is None  # off by default
    request = _search_request(
        model, SolveOptions(time_limit_s=30.0, gap_rel=0.0, improve=True), places
    )
    assert request is not None
    assert request.start_after_s == pytest.approx(3.0)
    assert request.close_gap_rel == pytest.approx(1e-4)

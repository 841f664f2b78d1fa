"""The roadmap's exact reductions: free options dominated over the whole horizon, and the first
plan (the end state scheduled), checked against hand-worked small roadmaps.

Prices (helpers' defaults): a 2 vCPU / 8 GiB workload costs 2 * vcpu_price + 8 * ram_price
EUR/month on an offer; quarterly periods from 2027-01-01.
"""

from __future__ import annotations

import gc
import weakref
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pulp
import pytest

from planner.candidates.periods import roadmap_candidates
from planner.candidates.pruning import prune_dominated_over_periods
from planner.inputs.frozen import Inputs
from planner.inputs.periods import periods_of
from planner.optimise.caps import model_kinds
from planner.optimise.roadmap.bound import period_bound
from planner.optimise.roadmap.model import RoadmapModel, build_roadmap_model
from planner.optimise.roadmap.solve import RoadmapResult, solve_roadmap
from planner.optimise.roadmap.start import (
    end_state_schedule,
    end_state_targets,
    restricted,
    shrinking_sites,
    start_columns,
    with_blocks_fixed,
)
from planner.optimise.solve import SolveOptions, SolveStatus
from planner.pipeline import load_and_check
from tests.helpers import offer, provider, site, workload, write_scenario

QUARTERS = {"periods": {"start": date(2027, 1, 1), "length": "quarter", "count": 4}}


def _options(tmp_path: Path, **kwargs: Any) -> dict[str, list[set[str]]]:
    """workload -> its kept options in each period."""
    kwargs.setdefault("sites", [site("alpha", vcpu=0.5, ram_gib=1)])  # too small to use
    path = write_scenario(tmp_path, roadmap=QUARTERS, **kwargs)
    inputs, _ = load_and_check(path)
    assert inputs.scenario.roadmap is not None
    periods = roadmap_candidates(inputs, periods_of(inputs.scenario.roadmap))
    pruned = prune_dominated_over_periods(periods, model_kinds(inputs.scenario.caps))
    out: dict[str, list[set[str]]] = {}
    for pc in pruned:
        for unit in pc.cands.units:
            out.setdefault(unit.id, []).append({o.place_id for o in unit.options})
    return out


def test_an_offer_dearer_in_every_period_is_dropped(tmp_path: Path) -> None:
    """`cheap` costs 2*10 + 8*1 = 28 a month, `dear` 2*20 + 8*2 = 56, in every quarter: a new
    workload never needs `dear`. One already on `dear` keeps it: staying there needs no move,
    going to `cheap` one."""
    kept = _options(
        tmp_path,
        providers=[provider("cloud", [offer("cheap", 10, 1), offer("dear"), offer("dearer", 30)])],
        workloads=[workload("w"), workload("v", current_site="dear")],
    )
    assert kept["w"] == [{"cheap"}] * 4
    assert kept["v"] == [{"cheap", "dear"}] * 4


def test_an_offer_cheaper_in_some_period_is_kept(tmp_path: Path) -> None:
    """`dear`'s prices fall by 60 % from 2027-07-01, to 56 * 0.4 = 22.4 < 28: both stay."""
    fall = [{"effective_from": date(2027, 7, 1), "pct": -60}]
    kept = _options(
        tmp_path,
        providers=[provider("cloud", [offer("cheap", 10, 1), offer("dear", price_changes=fall)])],
        workloads=[workload("w")],
    )
    assert kept["w"] == [{"cheap", "dear"}] * 4


def test_an_offer_that_lapses_does_not_dominate(tmp_path: Path) -> None:
    """`cheap` (28) is qualified until 2027-06-30 only: from Q3 a sensitive workload may be on
    `dear` (56) alone, so `dear` is kept in every period, and so is `cheap` in Q1-Q2."""
    lapses = [{"name": "secnumcloud", "valid_until": date(2027, 6, 30)}]
    snc = [{"name": "secnumcloud"}]
    kept = _options(
        tmp_path,
        providers=[
            provider(
                "cloud",
                [offer("cheap", 10, 1, qualifications=lapses), offer("dear", qualifications=snc)],
            )
        ],
        workloads=[workload("w", data_class="sensitive")],
    )
    assert kept["w"] == [{"cheap", "dear"}, {"cheap", "dear"}, {"dear"}, {"dear"}]


def test_anti_affinity_replicas_keep_every_option(tmp_path: Path) -> None:
    kept = _options(
        tmp_path,
        providers=[provider("cloud", [offer("cheap", 10, 1), offer("dear")])],
        workloads=[
            workload("a", anti_affinity_group="g"),
            workload("b", anti_affinity_group="g"),
        ],
    )
    assert kept["a"] == [{"cheap", "dear"}] * 4
    assert kept["b"] == [{"cheap", "dear"}] * 4


def test_the_end_state_scheduled_is_a_first_plan_no_better_than_the_optimum(
    tmp_path: Path,
) -> None:
    """Three workloads on `pub` (2*20 + 8*2 = 56 a month) may move to `alpha` (2*10 + 8*1 = 28)
    or to `mid` (2*15 + 8*1.5 = 42); alpha holds two (4 vCPU), and a wave moves at most one.
    The end state's snapshot puts two on alpha and one on mid; restricted to pub and those
    targets, the roadmap moves one a quarter from Q1. Its plan is a plan of the whole
    roadmap, handed to the solver; the whole roadmap's optimum is no dearer, here the same:
    every move saves at least 14 a month, so the earliest wave is best for each."""
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=4, ram_gib=16)],
        providers=[provider("cloud", [offer("pub"), offer("mid", 15, 1.5)])],
        workloads=[workload(f"w{i}", current_site="pub") for i in range(3)],
        roadmap={**QUARTERS, "waves": {"max_moves": 1}},
    )
    inputs, _ = load_and_check(path)
    assert inputs.scenario.roadmap is not None
    periods = roadmap_candidates(inputs, periods_of(inputs.scenario.roadmap))
    options = SolveOptions(time_limit_s=30)
    targets = end_state_targets(periods, options, 10)
    assert targets is not None
    # the three identical workloads are one class: its targets are both places
    assert list(targets.values()) == [{"alpha", "mid"}]
    small = build_roadmap_model(inputs, restricted(periods, targets))
    scheduled = solve_roadmap(small, options)
    model = build_roadmap_model(inputs, periods)
    first = end_state_schedule(inputs, periods, options, 20)
    assert first is not None
    start = start_columns(model, first)
    full = solve_roadmap(model, options, None, None, start)
    assert scheduled.result.status == full.result.status == SolveStatus.OPTIMAL
    assert scheduled.result.objective is not None and full.result.objective is not None
    assert full.result.objective <= scheduled.result.objective + 1e-6
    # one move a wave, alpha's two first (each saves 28 a month, mid's 14): per month
    # Q1 28 + 56 + 56 = 140, Q2 28 + 28 + 56 = 112, Q3 and Q4 28 + 28 + 42 = 98
    assert full.result.objective == 3 * (140 + 112 + 98 + 98)


def _one_rack(tmp_path: Path, offers: list[dict[str, Any]]) -> tuple[Inputs, RoadmapModel]:
    """`w` (2 vCPU, 8 GiB) on `pub`, four quarters; alpha has 1 vCPU and 4 GiB and a rack
    of 8 vCPU and 32 GiB at 120 / 12 = 10 a month: the roadmap model, not solved."""
    rack = {"id": "rack", "adds": {"vcpu": 8, "ram_gib": 32}, "capex_eur": 120}
    rack["amortisation_months"] = 12
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=1, ram_gib=4, expansion_blocks=[rack])],
        providers=[provider("cloud", offers)],
        workloads=[workload("w", current_site="pub")],
        roadmap=QUARTERS,
    )
    inputs, _ = load_and_check(path)
    assert inputs.scenario.roadmap is not None
    model = build_roadmap_model(
        inputs, roadmap_candidates(inputs, periods_of(inputs.scenario.roadmap))
    )
    return inputs, model


def _by_column(model: RoadmapModel, values: dict[pulp.LpVariable, float]) -> np.ndarray[Any, Any]:
    """`values` (others 0) as a roadmap's start: by column of the model's arrays."""
    return np.array([values.get(v, 0.0) for v in model.problem.variables()], dtype=float)


def test_a_start_re_placed_with_its_blocks_kept(tmp_path: Path) -> None:
    """`w` on `pub` (56 a month) may go to `mid` (2*15 + 8*1.5 = 42) or to alpha, which has
    no room without its rack (10 a month once usable): 28 + 10 = 38. From a start where `w`
    stays on pub and no rack is built, the re-placement keeps the rack unbuilt and moves `w`
    to mid in Q1: 12 * 42 = 504 over the four quarters (solved in a child process). The
    model's block bounds are untouched, and the whole roadmap from that start finds alpha
    with its rack: 456."""
    _, model = _one_rack(tmp_path, [offer("pub"), offer("mid", 15, 1.5)])
    stays = {var: 1.0 for (_t, _u, p), var in model.x.items() if p == "pub"}
    blocks = [*model.usable.values(), *model.ordered.values()]
    bounds = [(var.lowBound, var.upBound) for var in blocks]
    options = SolveOptions(time_limit_s=30)
    model.as_arrays()  # each variable's column
    given = _by_column(model, stays)
    start = with_blocks_fixed(model, given, options, 20)
    assert [(var.lowBound, var.upBound) for var in blocks] == bounds
    assert all(start[var.index] == 0.0 for var in blocks)
    on = {(t, p) for (t, _u, p), var in model.x.items() if start[var.index] > 0.5}
    assert on == {(t, "mid") for t in range(4)}
    objective = model.problem.objective
    paid = objective.constant + sum(k * start[var.index] for var, k in objective.items())
    assert paid == pytest.approx(12 * 42.0, abs=0.01)
    full = solve_roadmap(model, options, None, None, start)
    assert full.result.status == SolveStatus.OPTIMAL
    assert full.result.objective == pytest.approx(12 * 38.0)
    assert {p for (_t, _u, p), v in full.x.items() if v > 0.5} == {"alpha"}


def test_units_on_a_shrinking_site_keep_every_option_when_the_targets_have_no_plan(
    tmp_path: Path,
) -> None:
    """alpha holds both workloads (w0 28 a month there, w1 with 7.5 GiB 27.5) until its room
    shrinks to 2 vCPU and 8 GiB from Q3; its rack (10 a month, ordered in Q1, usable from Q4
    after 9 months) makes the end state keep both there: 55.5 + 10 = 65.5 a month against
    69.25 with w1 on mid (30 + 11.25 = 41.25). Restricted to that target, Q3 has no plan;
    with alpha's units given every option again, w1 leaves for mid in Q3 (w0 leaving costs
    69.5; a move back in Q4 would be w1's second): 3 * (55.5 + 55.5 + 69.25 + 69.25) = 748.5."""
    rack = {"id": "rack", "adds": {"vcpu": 4, "ram_gib": 16}, "capex_eur": 120}
    rack.update(amortisation_months=12, lead_time_months=9)
    shrinks = [{"effective_from": date(2027, 7, 1), "capacity": {"vcpu": 2, "ram_gib": 8}}]
    alpha = site("alpha", vcpu=4, ram_gib=16, expansion_blocks=[rack], capacity_changes=shrinks)
    path = write_scenario(
        tmp_path,
        sites=[alpha],
        providers=[provider("cloud", [offer("pub"), offer("mid", 15, 1.5)])],
        workloads=[
            workload("w0", current_site="alpha"),
            workload("w1", current_site="alpha", ram_gib=7.5),
        ],
        roadmap=QUARTERS,
    )
    inputs, _ = load_and_check(path)
    assert inputs.scenario.roadmap is not None
    periods = roadmap_candidates(inputs, periods_of(inputs.scenario.roadmap))
    options = SolveOptions(time_limit_s=30)
    targets = end_state_targets(periods, options, 10)
    assert targets == {"w0": {"alpha"}, "w1": {"alpha"}}
    assert shrinking_sites(periods) == {"alpha"}
    small = build_roadmap_model(inputs, restricted(periods, targets))
    assert solve_roadmap(small, options).result.status == SolveStatus.INFEASIBLE
    model = build_roadmap_model(inputs, periods)
    first = end_state_schedule(inputs, periods, options, 20)
    assert first is not None
    start = start_columns(model, first)
    full = solve_roadmap(model, options, None, None, start)
    assert full.result.status == SolveStatus.OPTIMAL
    assert full.result.objective == pytest.approx(748.5, abs=0.01)
    moved = {(t, u, p) for (t, u, p), v in full.x.items() if v > 0.5 and p != "alpha"}
    assert moved == {(2, "w1", "mid"), (3, "w1", "mid")}


def test_each_periods_own_lp_bounds_the_roadmap(tmp_path: Path) -> None:
    """`w` (2 vCPU, 8 GiB) on `pub`; alpha has 1 vCPU and 4 GiB and a rack of 8 vCPU and
    32 GiB at 10 a month. A period's own LP takes an eighth of the rack (1 + 1/8 * 8 = 2 vCPU,
    4 + 1/8 * 32 = 8 GiB): 28 + 1.25 = 29.25 a month, 4 * 3 * 29.25 = 351 over the roadmap,
    below its optimum of 12 * 38 = 456 (alpha with a whole rack)."""
    inputs, model = _one_rack(tmp_path, [offer("pub"), offer("mid", 15, 1.5)])
    assert period_bound(model, inputs, 10) == pytest.approx(351.0)
    solved = solve_roadmap(model, SolveOptions(time_limit_s=30))
    assert solved.result.objective == pytest.approx(456.0)


def test_a_roadmap_with_its_rows_released_plans_and_bounds_the_same(tmp_path: Path) -> None:
    """The same roadmap with its PuLP rows dropped once in arrays (as a HiGHS plan does, for
    memory): no row is left nor held anywhere, and the period bound (351), the optimum (456)
    and every value read back by column are the model's with its rows; CBC, which reads the
    rows, refuses."""
    inputs, kept = _one_rack(tmp_path, [offer("pub"), offer("mid", 15, 1.5)])
    expected = solve_roadmap(kept, SolveOptions(time_limit_s=30))
    (tmp_path / "again").mkdir()
    _, model = _one_rack(tmp_path / "again", [offer("pub"), offer("mid", 15, 1.5)])
    rows = [weakref.ref(row) for row in model.problem._constraints.values()]
    model.release_rows()
    gc.collect()
    assert model.problem.numConstraints() == 0
    assert rows and all(row() is None for row in rows)  # nothing holds them: freed
    assert period_bound(model, inputs, 10) == pytest.approx(351.0)
    solved = solve_roadmap(model, SolveOptions(time_limit_s=30))
    assert solved.result.status == SolveStatus.OPTIMAL
    assert solved.result.objective == pytest.approx(456.0)
    assert (solved.x, solved.usable, solved.ordered, solved.y) == (
        expected.x,
        expected.usable,
        expected.ordered,
        expected.y,
    )
    with pytest.raises(ValueError, match="released"):
        solve_roadmap(model, SolveOptions(solver="cbc", time_limit_s=30))


def _stopped(solved: RoadmapResult, bound: float | None) -> RoadmapResult:
    """`solved` as if its solve had stopped at its time limit with a plan of 500 and `bound`."""
    from dataclasses import replace

    gap = None if bound is None else (500.0 - bound) / 500.0
    result = replace(
        solved.result,
        status=SolveStatus.FEASIBLE,
        objective=500.0,
        bound=bound,
        gap_rel=gap,
        message="Time limit reached",
    )
    return replace(solved, result=result)


def test_a_roadmap_stopped_without_a_bound_reports_the_periods_own(tmp_path: Path) -> None:
    """The same roadmap, as if its solve had stopped at a plan of 500 with no bound: the
    plan reports 351 as its bound and (500 - 351) / 500 as its gap, and says where from."""
    from planner.pipeline import _with_period_bound

    inputs, model = _one_rack(tmp_path, [offer("pub")])
    solved = solve_roadmap(model, SolveOptions(time_limit_s=30))
    bounded = _with_period_bound(inputs, model, _stopped(solved, None), 10).result
    assert bounded.bound == pytest.approx(351.0)
    assert bounded.gap_rel == pytest.approx((500.0 - 351.0) / 500.0)
    assert bounded.message == (
        "Time limit reached; best bound from each period's own LP relaxation"
    )
    assert bounded.status == SolveStatus.FEASIBLE


def test_a_roadmap_stopped_with_a_weak_bound_keeps_the_better_of_the_two(tmp_path: Path) -> None:
    """HiGHS's bound before its root LP is the trivial one (here -1,000 against a plan of
    500): the periods' own 351 replaces it; a bound of 400 (a gap of 20 %) is kept, being
    higher than theirs; a gap of 0.5 % is not weak (no period LP is solved)."""
    from planner.pipeline import _weakly_bounded, _with_period_bound

    inputs, model = _one_rack(tmp_path, [offer("pub")])
    solved = solve_roadmap(model, SolveOptions(time_limit_s=30))
    trivial = _stopped(solved, -1000.0)
    assert _weakly_bounded(trivial.result)
    bounded = _with_period_bound(inputs, model, trivial, 10).result
    assert bounded.bound == pytest.approx(351.0)
    assert bounded.gap_rel == pytest.approx((500.0 - 351.0) / 500.0)
    assert bounded.message.endswith("; best bound from each period's own LP relaxation")
    higher = _stopped(solved, 400.0)
    assert _with_period_bound(inputs, model, higher, 10) == higher
    assert not _weakly_bounded(_stopped(solved, 497.5).result)
    assert not _weakly_bounded(solved.result)  # optimal


def test_a_roadmap_from_its_first_plan_solves_without_the_feasibility_jump(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HiGHS's feasibility jump searches for a first plan: a roadmap solved from one turns it
    off (the option reaches HiGHS), one solved without keeps it; both reach the optimum."""
    import planner.optimise.roadmap.solve as roadmap_solve
    from planner.optimise import solve as solve_module

    seen: list[bool | None] = []
    real = solve_module._solve_highs

    def spy(model: Any, options: SolveOptions, *args: Any) -> Any:
        out = real(model, options, *args)
        seen.append(
            model.problem.solverModel.getOptionValue("mip_heuristic_run_feasibility_jump")[1]
        )
        return out

    monkeypatch.setattr(solve_module, "_solve_highs", spy)
    _, model = _one_rack(tmp_path, [offer("pub"), offer("mid", 15, 1.5)])
    options = SolveOptions(time_limit_s=30)
    plain = roadmap_solve.solve_roadmap(model, options)
    start = _by_column(model, {var: var.varValue or 0.0 for var in model.problem.variables()})
    started = roadmap_solve.solve_roadmap(model, options, None, None, start)
    assert seen == [True, False]
    assert plain.result.objective == pytest.approx(456.0)
    assert started.result.objective == pytest.approx(456.0)

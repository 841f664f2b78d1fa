"""The HiGHS solve in a child process: its answer, and the deadline it is held to."""

from __future__ import annotations

import time
from multiprocessing.connection import Connection
from typing import Any

import numpy as np
import pulp
import pytest

from planner.optimise.isolated import (
    LpArrays,
    Outcome,
    lp_arrays,
    run_isolated,
    with_bounds,
)


def _knapsack() -> tuple[LpArrays, list[pulp.LpVariable]]:
    """max 5a + 4b + 3c with 2a + 3b + c <= 4, binaries, written as min -(...): the optimum
    takes a and c (8); b with c (7) and a alone (5) are worse."""
    problem = pulp.LpProblem("knapsack", pulp.LpMinimize)
    a, b, c = (pulp.LpVariable(n, cat=pulp.LpBinary) for n in "abc")
    problem += -(5 * a + 4 * b + 3 * c) + 10
    problem += 2 * a + 3 * b + c <= 4
    variables = problem.variables()
    return lp_arrays(problem, variables), variables


def test_the_child_solves_from_the_start_given() -> None:
    arrays, variables = _knapsack()
    start = np.array([1.0 if v.name == "a" else 0.0 for v in variables])
    assert arrays.objective(start) == 5.0  # 10 - 5
    found = run_isolated(arrays, start, 10, {"random_seed": 0}).found
    assert found is not None
    objective, values = found
    assert objective == 2.0  # 10 - 8
    assert {v.name for v, x in zip(variables, values, strict=True) if x > 0.5} == {"a", "c"}


def test_fixed_bounds_hold_in_the_child() -> None:
    arrays, variables = _knapsack()
    b = next(i for i, v in enumerate(variables) if v.name == "b")
    fixed = with_bounds(arrays, np.array([b]), np.array([1.0]))
    found = run_isolated(fixed, np.zeros(3), 10, {}).found
    assert found is not None and found[0] == 3.0  # b and c: 10 - 7
    assert arrays.col_upper[b] == 1.0 and arrays.col_lower[b] == 0.0  # the original kept


def test_the_child_says_when_the_model_has_no_solution_at_all() -> None:
    """b fixed at 1 and a, c at 1 need 2 + 3 + 1 = 6 > 4: proven infeasible, unlike a child
    that gave no answer in time (no plan, nothing proven)."""
    arrays, _ = _knapsack()
    every = with_bounds(arrays, np.arange(3), np.ones(3))
    assert run_isolated(every, np.zeros(3), 10, {}) == Outcome(infeasible=True)
    unanswered = run_isolated(arrays, np.zeros(3), 0.5, {}, grace_s=0.5, target=_never_answers)
    assert unanswered == Outcome()


def _never_answers(conn: Connection, *_args: Any) -> None:
    time.sleep(60)


def _fails(conn: Connection, *_args: Any) -> None:
    raise RuntimeError("the child fails")


def test_a_child_past_its_deadline_is_killed() -> None:
    arrays, _ = _knapsack()
    started = time.monotonic()
    unanswered = run_isolated(arrays, np.zeros(3), 0.5, {}, grace_s=0.5, target=_never_answers)
    assert unanswered.found is None
    assert time.monotonic() - started < 30  # the child's 60 s sleep was cut short


def test_a_child_that_fails_gives_no_plan() -> None:
    arrays, _ = _knapsack()
    assert run_isolated(arrays, np.zeros(3), 10, {}, target=_fails).found is None


def _solve_in(conn: Connection) -> None:
    """Run in a daemonic process: run_isolated must not try to start a child there."""
    arrays, _ = _knapsack()
    conn.send(run_isolated(arrays, np.zeros(3), 5, {}).found)


def test_a_daemonic_process_gets_no_plan_rather_than_an_error() -> None:
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_solve_in, args=(send,), daemon=True)
    worker.start()
    assert receive.poll(60)
    assert receive.recv() is None
    worker.join(10)
    assert worker.exitcode == 0


def test_a_roadmap_solve_hands_over_the_arrays_made_once(monkeypatch: Any) -> None:
    """After `as_arrays`, the roadmap's solve does not read the problem again, and finds the
    same optimum; a row added after them makes it read the problem again."""
    from planner.candidates.periods import roadmap_candidates
    from planner.inputs.periods import periods_of
    from planner.optimise.roadmap.model import build_roadmap_model
    from planner.optimise.roadmap.solve import solve_roadmap
    from planner.pipeline import load_and_check, solve_options

    inputs, _ = load_and_check("tests/fixtures/roadmap/scenario.yaml")
    assert inputs.scenario.roadmap is not None
    periods = roadmap_candidates(inputs, periods_of(inputs.scenario.roadmap))
    options = solve_options(inputs)
    fresh = build_roadmap_model(inputs, periods)
    expected = solve_roadmap(fresh, options).result

    reads: list[int] = []

    def counted(problem: pulp.LpProblem, variables: list[pulp.LpVariable]) -> LpArrays:
        reads.append(len(variables))
        return lp_arrays(problem, variables)

    monkeypatch.setattr("planner.optimise.highs_direct.lp_arrays", counted)
    model = build_roadmap_model(inputs, periods)
    model.as_arrays()
    got = solve_roadmap(model, options).result
    assert reads == []
    assert got.status == expected.status == "optimal"
    assert got.objective == pytest.approx(expected.objective, rel=1e-9)

    changed = build_roadmap_model(inputs, periods)
    changed.as_arrays()
    changed.problem += pulp.lpSum(changed.x.values()) >= 0, "added_after"
    solve_roadmap(changed, options)
    assert len(reads) == 1

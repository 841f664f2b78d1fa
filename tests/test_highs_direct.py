"""The HiGHS hand-off and the relaxation-guided start, on problems solved by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
import pulp
import pytest

from planner.optimise.highs_direct import FastHiGHS
from planner.optimise.isolated import lp_arrays


def _assignment() -> tuple[pulp.LpProblem, dict[tuple[int, int], pulp.LpVariable]]:
    """Three jobs, three machines, one job each: min cost 1 + 2 + 3 = 6 on the diagonal.

    cost = [[1, 5, 9], [6, 2, 8], [7, 9, 3]]; the assignment polytope is integral.
    """
    cost = [[1, 5, 9], [6, 2, 8], [7, 9, 3]]
    prob = pulp.LpProblem("assignment", pulp.LpMinimize)
    x = {
        (i, j): pulp.LpVariable(f"x_{i}_{j}", cat=pulp.LpBinary) for i in range(3) for j in range(3)
    }
    prob += pulp.LpAffineExpression([(x[i, j], float(cost[i][j])) for i, j in x])
    for i in range(3):
        prob += pulp.LpAffineExpression([(x[i, j], 1.0) for j in range(3)]) == 1
        prob += pulp.LpAffineExpression([(x[j, i], 1.0) for j in range(3)]) == 1
    return prob, x


def test_an_integral_relaxation_is_a_proof() -> None:
    prob, x = _assignment()
    units = [[x[i, j] for j in range(3)] for i in range(3)]
    solver = FastHiGHS(units=units, msg=False, timeLimit=10.0, gapRel=0.0, start_min_variables=0)
    prob.solve(solver)
    assert solver.proven_by_relaxation
    assert solver.start_objective == pytest.approx(6.0)
    assert solver.relaxation_bound == pytest.approx(6.0)
    assert [round(x[i, i].varValue) for i in range(3)] == [1, 1, 1]
    assert pulp.value(prob.objective) == pytest.approx(6.0)


def _blocks() -> tuple[
    pulp.LpProblem, list[pulp.LpVariable], list[pulp.LpVariable], pulp.LpVariable
]:
    """Two items of weight 3 either inside, in blocks of capacity 4 costing 10 each (k <= 2),
    or outside at 8 each: (problem, inside, outside, k)."""
    prob = pulp.LpProblem("blocks", pulp.LpMinimize)
    inside = [pulp.LpVariable(f"in_{i}", cat=pulp.LpBinary) for i in range(2)]
    outside = [pulp.LpVariable(f"out_{i}", cat=pulp.LpBinary) for i in range(2)]
    k = pulp.LpVariable("k", 0, 2, cat=pulp.LpInteger)
    prob += pulp.LpAffineExpression([(k, 10.0), (outside[0], 8.0), (outside[1], 8.0)])
    for i in range(2):
        prob += pulp.LpAffineExpression([(inside[i], 1.0), (outside[i], 1.0)]) == 1
    prob += pulp.LpAffineExpression([(inside[0], 3.0), (inside[1], 3.0), (k, -4.0)]) <= 0
    return prob, inside, outside, k


def test_a_fractional_relaxation_goes_on_to_the_full_search() -> None:
    """Two items of weight 3 either inside, in blocks of capacity 4 costing 10 each (k <= 2),
    or outside at 8 each. LP: inside costs 10 * 3 / 4 = 7.5 < 8 per item, so k = 1.5: 15.
    Integer: k = 2 (20), k = 1 with one item outside (18), both outside (16): 16.
    The start rounds k up (20) and down (18: one item fits), keeps 18, 20 % above the bound
    of 15, so the full search runs and finds 16."""
    prob, inside, outside, k = _blocks()
    solver = FastHiGHS(
        units=[[inside[i], outside[i]] for i in range(2)],
        msg=False,
        timeLimit=10.0,
        gapRel=0.0,
        start_min_variables=0,
    )
    prob.solve(solver)
    assert solver.relaxation_bound == pytest.approx(15.0)
    assert solver.start_objective == pytest.approx(18.0)
    assert not solver.proven_by_relaxation
    assert prob.solverModel.getModelStatus().name == "kOptimal"
    assert pulp.value(prob.objective) == pytest.approx(16.0)
    assert (round(k.varValue), [round(v.varValue) for v in outside]) == (0, [1, 1])


def test_a_solve_ending_without_a_solution_reads_no_values() -> None:
    """HiGHS refuses a coefficient of 1e300 and returns no solution at all: the status says
    so, and the variables keep no value (PuLP's reader would raise IndexError)."""
    prob = pulp.LpProblem("unsolvable", pulp.LpMinimize)
    x = pulp.LpVariable("x", 0, 10, cat=pulp.LpInteger)
    y = pulp.LpVariable("y", 0, 10, cat=pulp.LpInteger)
    prob += x + y
    prob += 1e300 * x + y >= 3
    prob += x + y >= 1
    status = prob.solve(FastHiGHS(msg=False))
    assert len(prob.solverModel.getSolution().col_value) == 0
    assert (status, prob.sol_status) == (pulp.LpStatusNotSolved, pulp.LpSolutionNoSolutionFound)
    assert (x.varValue, y.varValue) == (None, None)


def _from_both_outside(outside: list[pulp.LpVariable], **kwargs: Any) -> FastHiGHS:
    """HiGHS on the blocks problem from the plan with both items outside (16), without the
    relaxation-guided start."""
    return FastHiGHS(
        msg=False,
        timeLimit=7.0,
        gapRel=0.0,
        warm_start=False,
        start={outside[0]: 1.0, outside[1]: 1.0},
        **kwargs,
    )


def _assert_optimal_at_16(
    prob: pulp.LpProblem, outside: list[pulp.LpVariable], k: pulp.LpVariable
) -> None:
    """The blocks problem's optimum read back: both items outside, no block, 16."""
    assert prob.solverModel.getModelStatus().name == "kOptimal"
    assert pulp.value(prob.objective) == pytest.approx(16.0)
    assert (round(k.varValue), [round(v.varValue) for v in outside]) == (0, [1, 1])


def test_a_given_start_solves_on_a_new_instance_after_its_relaxation() -> None:
    """The blocks problem above from a given plan (both items outside, 16) without the
    relaxation-guided start: the relaxation's bound (15) is read first, then the MIP runs on
    a new HiGHS instance (the old one's simplex data freed) with the same options, and ends
    optimal at 16 with the values read back."""
    prob, _, outside, k = _blocks()
    created: list[object] = []
    solver = _from_both_outside(outside)
    original = solver.buildSolverModel

    def build(lp: pulp.LpProblem) -> None:
        original(lp)
        created.append(lp.solverModel)

    solver.buildSolverModel = build  # type: ignore[method-assign]
    prob.solve(solver)
    assert solver.relaxation_bound == pytest.approx(15.0)
    assert created and prob.solverModel is not created[0]
    assert prob.solverModel.getOptionValue("time_limit")[1] <= 7.0
    assert prob.solverModel.getOptionValue("mip_rel_gap")[1] == 0.0
    _assert_optimal_at_16(prob, outside, k)


def test_a_released_problem_from_a_start_keeps_no_copy_of_its_model() -> None:
    """The same from a given plan with its rows released once in arrays: once the new
    instance has the model, the planner's copy of it (`handed_lp`) is freed (no dual is
    read back from a released problem), and the MIP still ends optimal at 16."""
    prob, _, outside, k = _blocks()
    arrays = lp_arrays(prob, prob.variables())
    prob._constraints.clear()
    solver = _from_both_outside(outside, arrays=arrays, rows_released=True)
    prob.solve(solver)
    assert solver.relaxation_bound == pytest.approx(15.0)
    assert solver.handed_lp() is None
    _assert_optimal_at_16(prob, outside, k)


def test_a_start_by_column_of_the_wrong_length_is_refused() -> None:
    """A first solution given by column must give every column: one short is an error, not a
    plan padded with zeros."""
    prob, _, _, _ = _blocks()
    solver = FastHiGHS(msg=False, warm_start=False, start=np.zeros(len(prob.variables()) - 1))
    with pytest.raises(ValueError, match="columns for"):
        prob.solve(solver)

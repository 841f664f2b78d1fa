"""A PuLP model's arrays as HiGHS takes them, and a HiGHS solve in a child process with a
hard deadline.

HiGHS does not heed its time limit everywhere: its presolve's inequality strengthening, in
the solve itself or in the presolve of one of its sub-MIP heuristics, ran for more than ten
minutes of a 120 s limit on roadmap models (docs/benchmarks.md, section 12), and its
rounding heuristics minutes past a 500 s limit on a 100k-workload roadmap's diagnosis. A
solve whose only use is a better first plan, or a diagnosis, runs here instead: in a fresh
process handed the model's arrays and a start, killed if it has not answered within its
limit and a grace; the caller then goes on without it (`Outcome` says how it ended). Its
stdout is silenced (HiGHS prints a banner; stdout may carry the plan) and it ignores SIGINT
(the caller's Ctrl-C ends it, by the caller's kill).
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any

import highspy
import numpy as np
import pulp

Array = np.ndarray[Any, Any]

# seconds the child may run past its own time limit before it is killed
GRACE_S = 5.0


@dataclass(frozen=True)
class LpArrays:
    """A minimisation (or maximisation) model as arrays: columns in `problem.variables()`
    order, rows in constraint order, the matrix row-wise."""

    cost: Array
    col_lower: Array
    col_upper: Array
    row_lower: Array
    row_upper: Array
    start: Array
    index: Array
    value: Array
    integer: Array  # bool per column
    offset: float
    maximise: bool

    def objective(self, values: Array) -> float:
        return float(self.cost @ values) + self.offset


def lp_arrays(problem: pulp.LpProblem, variables: list[pulp.LpVariable]) -> LpArrays:
    """`problem` as arrays, its columns in the order of `variables` (indexed as
    `index_problem` does)."""
    rows = index_problem(problem, variables)
    return arrays_of(
        variables,
        rows,
        problem.objective.items(),
        offset=float(problem.objective.constant),
        maximise=problem.sense == pulp.LpMaximize,
    )


def index_problem(
    problem: pulp.LpProblem, variables: list[pulp.LpVariable]
) -> list[pulp.LpConstraint]:
    """Set each variable's `index` to its position in `variables` and each constraint's to
    its position in the problem, as PuLP's HiGHS reads them back; the constraints in order."""
    for i, var in enumerate(variables):
        var.index = i
    rows = list(problem._constraints.values())
    for i, constraint in enumerate(rows):
        constraint.index = i
    return rows


def arrays_of(
    variables: list[pulp.LpVariable],
    rows: Iterable[pulp.LpConstraint],
    costs: Iterable[tuple[pulp.LpVariable, float]],
    *,
    offset: float = 0.0,
    maximise: bool = False,
    integer: bool = True,
) -> LpArrays:
    """The model of `rows` and the objective `costs` (terms, summed per variable) over the
    columns `variables` (every variable of `rows` and `costs` among them), in their order;
    integer columns as PuLP has them, or none when not `integer`."""
    column = {var: i for i, var in enumerate(variables)}
    inf = highspy.kHighsInf
    starts, index, value, lower, upper = [0], [], [], [], []
    for row in rows:
        for var, coef in row.items():
            if coef != 0:
                index.append(column[var])
                value.append(coef)
        starts.append(len(index))
        lb, ub = row.getLb(), row.getUb()
        lower.append(-inf if lb is None else lb)
        upper.append(inf if ub is None else ub)
    cost = np.zeros(len(variables))
    for var, coef in costs:
        cost[column[var]] += coef
    return LpArrays(
        cost=cost,
        col_lower=np.array([-inf if v.lowBound is None else v.lowBound for v in variables]),
        col_upper=np.array([inf if v.upBound is None else v.upBound for v in variables]),
        row_lower=np.array(lower, dtype=float),
        row_upper=np.array(upper, dtype=float),
        start=np.array(starts, dtype=np.int32),
        index=np.array(index, dtype=np.int32),
        value=np.array(value, dtype=float),
        integer=np.array([integer and v.cat == pulp.LpInteger for v in variables], dtype=bool),
        offset=offset,
        maximise=maximise,
    )


def highs_lp(arrays: LpArrays, mip: bool = True) -> highspy.HighsLp:
    """The HighsLp of `arrays` (integrality only when `mip`)."""
    model = highspy.HighsLp()
    model.num_col_ = len(arrays.cost)
    model.num_row_ = len(arrays.row_lower)
    model.col_cost_ = arrays.cost
    model.col_lower_ = arrays.col_lower.astype(float)
    model.col_upper_ = arrays.col_upper.astype(float)
    model.row_lower_ = arrays.row_lower
    model.row_upper_ = arrays.row_upper
    model.offset_ = arrays.offset
    if arrays.maximise:
        model.sense_ = highspy.ObjSense.kMaximize
    matrix = model.a_matrix_
    matrix.format_ = highspy.MatrixFormat.kRowwise
    matrix.num_col_ = model.num_col_
    matrix.num_row_ = model.num_row_
    matrix.start_ = arrays.start
    matrix.index_ = arrays.index
    matrix.value_ = arrays.value
    if mip:
        kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
        model.integrality_ = [kinds[int(k)] for k in arrays.integer]
    return model


def with_bounds(arrays: LpArrays, columns: Array, at: Array) -> LpArrays:
    """`arrays` with each of `columns` fixed at its value in `at`."""
    lower, upper = arrays.col_lower.copy(), arrays.col_upper.copy()
    lower[columns] = at
    upper[columns] = at
    return replace(arrays, col_lower=lower, col_upper=upper)


@dataclass(frozen=True)
class Outcome:
    """How a solve run apart ended: its best plan (objective with the offset, column values)
    if it found one; `infeasible` if HiGHS proved there is none; `started` False if no child
    could be started (in a daemonic process, or the system refused one)."""

    found: tuple[float, Array] | None = None
    infeasible: bool = False
    started: bool = True


def _child(conn: Connection, arrays: LpArrays, start: Array, options: dict[str, Any]) -> None:
    """Solve in the child process; send its Outcome, or None if it failed (a failure is the
    caller's "no plan", never a traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        conn.send(_solve(arrays, start, options))
    except Exception:  # any failure of the child means "no plan"
        conn.send(None)


def _solve(arrays: LpArrays, start: Array, options: dict[str, Any]) -> Outcome:
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    for name, value in options.items():
        highs.setOptionValue(name, value)
    highs.passModel(highs_lp(arrays))
    given = highspy.HighsSolution()
    given.col_value = [float(v) for v in start]
    given.value_valid = True
    highs.setSolution(given)  # kept by HiGHS only if feasible
    highs.run()
    if highs.getInfo().primal_solution_status != 2:  # no feasible solution
        return Outcome(infeasible=highs.getModelStatus() == highspy.HighsModelStatus.kInfeasible)
    values = np.asarray(highs.getSolution().col_value, dtype=float)
    return Outcome((arrays.objective(values), values))


def run_isolated(
    arrays: LpArrays,
    start: Array,
    time_limit_s: float,
    options: dict[str, Any],
    grace_s: float = GRACE_S,
    target: Callable[[Connection, LpArrays, Array, dict[str, Any]], None] = _child,
) -> Outcome:
    """How a HiGHS MIP solve of `arrays` from `start` within `time_limit_s` ended (see
    Outcome): its best plan, or none (none found, the child failed, or it had not answered
    by its limit and `grace_s`, then it is killed), proven infeasible, or no child started.
    `options` are HiGHS's (`child_settings`); `target` is what the child runs (a
    module-level function: the child imports it)."""
    if time_limit_s <= 0:
        return Outcome()
    if multiprocessing.current_process().daemon:
        return Outcome(started=False)  # a daemonic process (a pool's worker) has no children
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    settings = {**options, "time_limit": float(time_limit_s)}
    child = context.Process(target=target, args=(send, arrays, start, settings), daemon=True)
    try:
        child.start()
    except OSError:  # no process could be started (a limit on processes, memory)
        send.close()
        receive.close()
        return Outcome(started=False)
    send.close()
    try:
        if not receive.poll(time_limit_s + grace_s):
            return Outcome()
        answer: Outcome | None = receive.recv()
    except (EOFError, OSError):  # the child died without answering
        return Outcome()
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if answer is None:
        return Outcome()
    if answer.found is not None and not math.isfinite(answer.found[0]):
        return Outcome()
    return answer

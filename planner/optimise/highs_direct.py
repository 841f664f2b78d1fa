"""PuLP's in-process HiGHS, with a bulk hand-off, a relaxation-guided start and live progress.

- Hand-off: the whole matrix is passed at once (`passModel`, row-wise arrays) instead of one
  `addCol`/`addRow` call per variable and constraint.
- Start: the LP relaxation is solved first and rounded into a first solution (see `_start`),
  within a share of the time budget. The relaxation's optimum is a valid lower bound of the MIP:
  when the first solution is already within the gap tolerance of it, that is a proof and the
  search stops there (status optimal, bound = the relaxation's). Otherwise the first solution is
  handed to the full MIP as its incumbent, and the status and bound reported are the solver's.
- Progress: each improving solution and each MIP log line report (incumbent, bound, gap).
- Ctrl-C: while HiGHS runs, SIGINT only asks it to stop at its next check (its interrupt
  callbacks); once it has returned, the signal goes to the handler that was in place (Python
  code raising inside HiGHS's callbacks would only turn into a "solve error").
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from types import FrameType
from typing import TYPE_CHECKING, Any

import highspy
import numpy as np
import pulp

from planner.optimise.isolated import Array, LpArrays, highs_lp, index_problem, lp_arrays
from planner.optimise.memory import give_back_freed

if TYPE_CHECKING:
    from planner.optimise.improve.beside import SearchOutcome, SearchRequest
    from planner.optimise.improve.space import SearchSpace

SolverProgress = Callable[[float | None, float | None, float | None], None]
START_SHARE = 0.4  # at most this share of the time budget goes to finding a start
# Below this many placement variables HiGHS alone is about as fast, and its own path (hence the
# choice between equally good plans) stays as it is: no start is computed.
START_MIN_VARIABLES = 10_000
INTEGRAL = 1e-6


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Silence C-level writes to stdout (HiGHS prints a banner when an instance is created)."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


class DeferredInterrupt:
    """While active, SIGINT sets `requested` and the HiGHS runs subscribed to `check` stop;
    on leaving, a requested interrupt is delivered to the SIGINT handler that was in place."""

    def __init__(self) -> None:
        self.requested = False
        self._previous: Any = None
        self._installed = False

    def _on_sigint(self, _signum: int, _frame: FrameType | None) -> None:
        self.requested = True

    def check(self, event: Any) -> None:
        if self.requested:
            event.interrupt()

    def subscribe(self, highs: highspy.Highs) -> None:
        for hook in (highs.cbSimplexInterrupt, highs.cbIpmInterrupt, highs.cbMipInterrupt):
            hook.subscribe(self.check)

    def unsubscribe(self, highs: highspy.Highs) -> None:
        for hook in (highs.cbSimplexInterrupt, highs.cbIpmInterrupt, highs.cbMipInterrupt):
            hook.unsubscribe(self.check)

    def __enter__(self) -> DeferredInterrupt:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._on_sigint)
            self._installed = True
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._installed:
            return
        signal.signal(
            signal.SIGINT,
            self._previous if self._previous is not None else signal.default_int_handler,
        )
        if self.requested and exc[0] is None:
            if callable(self._previous):
                self._previous(signal.SIGINT, None)
            elif self._previous != signal.SIG_IGN:
                raise KeyboardInterrupt


def _assign(lp: pulp.LpProblem, values: np.ndarray[Any, Any]) -> None:
    """Each variable's value from `values`, by its column (`var.index`)."""
    for var in lp.variables():
        var.varValue = float(values[var.index])


def _given(start: dict[pulp.LpVariable, float] | Array | None) -> bool:
    return start is not None and len(start) > 0


def _by_column(
    start: dict[pulp.LpVariable, float] | Array | None, variables: list[pulp.LpVariable]
) -> Array:
    """A first solution as every column's value, in the order of `variables`."""
    if isinstance(start, np.ndarray):
        if len(start) != len(variables):
            raise ValueError(f"a start of {len(start)} columns for {len(variables)} variables")
        return np.asarray(start, dtype=np.float64)
    given = start or {}
    return np.array([given.get(v, 0.0) for v in variables], dtype=np.float64)


def _without_values(highs: highspy.Highs) -> tuple[int, int]:
    """PuLP's status of a solve whose values are not read: infeasible, unbounded, or no
    solution found."""
    ms = highspy.HighsModelStatus
    status = highs.getModelStatus()
    if status in (ms.kInfeasible, ms.kUnboundedOrInfeasible):
        return pulp.LpStatusInfeasible, pulp.LpSolutionInfeasible
    if status == ms.kUnbounded:
        return pulp.LpStatusUnbounded, pulp.LpSolutionUnbounded
    return pulp.LpStatusNotSolved, pulp.LpSolutionNoSolutionFound


class FastHiGHS(pulp.HiGHS):  # type: ignore[misc]
    """`pulp.HiGHS` with a bulk hand-off, a relaxation-guided start and progress callbacks.

    `units` lists, for each placement unit, its placement variables (the fixing step of the start
    treats a unit as a whole); `progress` receives (incumbent, bound, gap) as they improve;
    `search` runs the neighbourhood search beside the main solve (planner.optimise.improve).
    `start` gives a first solution that HiGHS keeps if feasible: variable -> value (others 0),
    or every column's value in `lp.variables()` order.
    `arrays`: the problem as arrays when already made (`lp_arrays`), handed over as they are;
    `rows_released`: the problem's rows were dropped once in `arrays` (its variables are their
    columns, in order), so the values are read back by column and no row's dual is.
    """

    def __init__(
        self,
        *,
        units: Sequence[Sequence[pulp.LpVariable]] = (),
        progress: SolverProgress | None = None,
        warm_start: bool = True,
        start_min_variables: int = START_MIN_VARIABLES,
        search: SearchRequest | None = None,
        start: dict[pulp.LpVariable, float] | Array | None = None,
        periods: Sequence[Sequence[pulp.LpVariable]] = (),
        arrays: LpArrays | None = None,
        rows_released: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.search = search
        self.search_outcome: SearchOutcome | None = None
        self._arrays: tuple[Any, ...] = ()
        self.given_arrays = arrays
        self.rows_released = rows_released
        if rows_released and arrays is None:
            raise ValueError("a problem whose rows were released needs its arrays")
        self.given_start = start
        self.start_min_variables = start_min_variables
        self.units = units
        self.periods = periods
        self.progress = progress
        self.warm_start = warm_start
        self.start_objective: float | None = None
        self.relaxation_bound: float | None = None
        self.proven_by_relaxation = False

    def createAndConfigureSolver(self, lp: pulp.LpProblem) -> None:
        with quiet_stdout():
            super().createAndConfigureSolver(lp)

    def buildSolverModel(self, lp: pulp.LpProblem) -> None:
        arrays = self.given_arrays
        if self.rows_released:
            assert arrays is not None and len(arrays.cost) == len(lp.variables())
            index_problem(lp, lp.variables())
        elif arrays is not None and (len(arrays.cost), len(arrays.row_lower)) == (
            len(lp.variables()),
            lp.numConstraints(),
        ):
            index_problem(lp, lp.variables())
        else:
            arrays = lp_arrays(lp, lp.variables())
        model = highs_lp(arrays, mip=self.mip)
        self._arrays = (model, arrays)
        lp.solverModel.passModel(model)

    def handed_lp(self) -> highspy.HighsLp | None:
        """The model as `buildSolverModel` handed it to HiGHS (None before, and after a MIP
        from a start on a problem whose rows were released): columns in `lp.variables()`
        order, rows in constraint order (their `index`)."""
        return self._arrays[0] if self._arrays else None

    def _subscribe(self, highs: highspy.Highs) -> None:
        report = self.progress
        if report is None:
            return

        def on_event(event: Any) -> None:
            out = event.data_out
            incumbent = out.mip_primal_bound if math.isfinite(out.mip_primal_bound) else None
            bound = out.mip_dual_bound if math.isfinite(out.mip_dual_bound) else None
            gap = out.mip_gap if incumbent is not None and math.isfinite(out.mip_gap) else None
            report(incumbent, bound, gap)

        highs.cbMipImprovingSolution.subscribe(on_event)
        highs.cbMipLogging.subscribe(on_event)

    def _relaxation(self, highs: highspy.Highs, limit_s: float) -> np.ndarray[Any, Any] | None:
        highs.setOptionValue("solve_relaxation", True)
        highs.setOptionValue("time_limit", max(limit_s, 0.001))
        highs.run()
        highs.setOptionValue("solve_relaxation", False)
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return np.asarray(highs.getSolution().col_value)

    def _relaxation_bound(self, highs: highspy.Highs, limit_s: float) -> None:
        """The LP relaxation's optimum as `relaxation_bound` (a valid bound of the MIP), when
        the relaxation is solved within `limit_s`."""
        if self._relaxation(highs, limit_s) is not None:
            self.relaxation_bound = highs.getInfo().objective_function_value

    def _fix_and_solve(
        self, highs: highspy.Highs, values: np.ndarray[Any, Any], limit_s: float
    ) -> tuple[float, highspy.HighsSolution] | None:
        """Fix every unit the relaxation left integral; solve the MIP over the rest."""
        fixed = [
            c
            for cols in self._unit_cols
            if np.all(np.abs(values[cols] - np.round(values[cols])) <= INTEGRAL)
            for c in cols
        ]
        if not fixed or limit_s <= 0:
            return None
        cols = np.array(fixed, dtype=np.int32)
        lower, upper = self._lower[cols], self._upper[cols]
        at = np.round(values[cols]).astype(np.float64)
        highs.changeColsBounds(len(cols), cols, at, at)
        highs.setOptionValue("time_limit", limit_s)
        highs.run()
        found = None
        if highs.getInfo().primal_solution_status == 2:
            found = (highs.getInfo().objective_function_value, highs.getSolution())
        highs.changeColsBounds(len(cols), cols, lower, upper)
        return found

    def _start(self, highs: highspy.Highs, budget_s: float) -> highspy.HighsSolution | None:
        """A good first solution from the LP relaxation; None if none was found in time.

        The other integer decisions (expansion blocks, activations) that the relaxation takes
        in part are rounded up, then down; each time the relaxation is solved again with them
        fixed, the units it leaves integral are fixed, and the MIP over the rest is solved.
        """
        started = time.perf_counter()

        def left() -> float:
            return budget_s - (time.perf_counter() - started)

        model = highs.getLp()
        self._lower = np.asarray(model.col_lower_, dtype=np.float64)
        self._upper = np.asarray(model.col_upper_, dtype=np.float64)
        self._unit_cols = [np.array([v.index for v in unit], dtype=np.int64) for unit in self.units]
        values = self._relaxation(highs, left())
        if values is None:
            return None
        self.relaxation_bound = highs.getInfo().objective_function_value
        others = np.asarray([int(t) for t in model.integrality_]) == 1
        for cols in self._unit_cols:
            others[cols] = False
        other = np.flatnonzero(others & (np.abs(values - np.round(values)) > INTEGRAL))
        best: tuple[float, highspy.HighsSolution] | None = None
        for rounding in (np.ceil, np.floor) if len(other) else (np.round,):
            trial: np.ndarray[Any, Any] | None = values
            if len(other):
                at = rounding(values[other]).astype(np.float64)
                highs.changeColsBounds(len(other), other.astype(np.int32), at, at)
                trial = self._relaxation(highs, left())
                highs.changeColsBounds(
                    len(other), other.astype(np.int32), self._lower[other], self._upper[other]
                )
            found = None if trial is None else self._fix_and_solve(highs, trial, left())
            if found is not None and (best is None or found[0] < best[0]):
                best = found
        if best is None and self.periods:
            best = self._relax_and_fix(highs, left())
        if best is None:
            return None
        self.start_objective = best[0]
        return best[1]

    def _relax_and_fix(
        self, highs: highspy.Highs, limit_s: float
    ) -> tuple[float, highspy.HighsSolution] | None:
        """A roadmap's start, period by period: the periods before k fixed, k's integers
        integral, the later ones relaxed; then k is fixed at what was found. None if a step
        finds nothing in its share of `limit_s`."""
        started = time.perf_counter()
        groups = [
            np.array([v.index for v in g if v.cat == pulp.LpInteger], dtype=np.int32)
            for g in self.periods
        ]
        integer = np.full(1, int(highspy.HighsVarType.kInteger), dtype=np.uint8)
        continuous = np.full(1, int(highspy.HighsVarType.kContinuous), dtype=np.uint8)

        def mark(cols: np.ndarray[Any, Any], kind: np.ndarray[Any, Any]) -> None:
            if len(cols):
                highs.changeColsIntegrality(len(cols), cols, np.repeat(kind, len(cols)))

        for cols in groups[1:]:
            mark(cols, continuous)
        fixed: list[np.ndarray[Any, Any]] = []
        found = None
        try:
            for k, cols in enumerate(groups):
                if k:
                    mark(cols, integer)
                left = limit_s - (time.perf_counter() - started)
                if left <= 0:
                    return None
                highs.setOptionValue("time_limit", max(left / (len(groups) - k), 0.001))
                highs.run()
                if highs.getInfo().primal_solution_status != 2:
                    return None
                values = np.asarray(highs.getSolution().col_value)
                at = np.round(values[cols]).astype(np.float64)
                highs.changeColsBounds(len(cols), cols, at, at)
                fixed.append(cols)
            found = (highs.getInfo().objective_function_value, highs.getSolution())
        finally:
            for cols in fixed:
                highs.changeColsBounds(len(cols), cols, self._lower[cols], self._upper[cols])
            for cols in groups[1:]:
                mark(cols, integer)
        return found

    def _report_start(self) -> None:
        found, bound = self.start_objective, self.relaxation_bound
        if self.progress is not None and found is not None and bound is not None:
            self.progress(found, bound, (found - bound) / max(abs(found), 1e-9))

    def _within_gap(self) -> bool:
        """The start is already within the gap tolerance of the relaxation's bound (a valid
        bound of the MIP): optimal within that tolerance, proven, with no further search."""
        found, bound = self.start_objective, self.relaxation_bound
        if found is None or bound is None:
            return False
        gap = self.optionsDict.get("mip_rel_gap", self.gapRel or 0.0)
        return found - bound <= float(gap) * max(abs(found), 1e-9) + 1e-9

    def findSolutionValues(self, lp: pulp.LpProblem) -> tuple[int, int]:
        """PuLP's reading of the solution, unless HiGHS ended without one (a model or solve
        error, a limit reached before any solution): then no value is read (the variables
        keep theirs) and the status says no solution was found."""
        highs = lp.solverModel
        outcome = self.search_outcome
        if outcome is not None and outcome.values is not None:  # the search's plan is better
            _assign(lp, outcome.values)
            return pulp.LpStatusNotSolved, pulp.LpSolutionIntegerFeasible
        solution = highs.getSolution()
        if self.rows_released:
            return self._values_by_column(lp, highs, solution)
        sizes = (
            len(solution.col_value),
            len(solution.col_dual),
            len(solution.row_value),
            len(solution.row_dual),
        )
        if sizes == (len(lp.variables()),) * 2 + (len(lp._constraints),) * 2:
            return super().findSolutionValues(lp)  # type: ignore[no-any-return]
        return _without_values(highs)

    def _values_by_column(
        self, lp: pulp.LpProblem, highs: highspy.Highs, solution: highspy.HighsSolution
    ) -> tuple[int, int]:
        """The values of a problem whose rows were released, read by column (its
        `findSolutionValues`: no row of its own to take a dual)."""
        ms = highspy.HighsModelStatus
        status = highs.getModelStatus()
        ended = (ms.kInfeasible, ms.kUnboundedOrInfeasible, ms.kUnbounded)
        if status in ended or highs.getInfo().primal_solution_status != 2:  # no feasible one
            return _without_values(highs)
        _assign(lp, np.asarray(solution.col_value, dtype=float))
        if status == ms.kOptimal:
            return pulp.LpStatusOptimal, pulp.LpSolutionOptimal
        return pulp.LpStatusNotSolved, pulp.LpSolutionIntegerFeasible

    def callSolver(self, lp: pulp.LpProblem) -> None:
        with DeferredInterrupt() as interrupt:
            interrupt.subscribe(lp.solverModel)
            try:
                self._run(lp, interrupt)
            finally:
                interrupt.unsubscribe(lp.solverModel)

    def _renewed(self, lp: pulp.LpProblem, interrupt: DeferredInterrupt) -> highspy.Highs:
        """A new HiGHS instance in place of `lp.solverModel`, with its options and the model
        handed to it: the old one, freed, kept the relaxation's simplex data through the MIP
        (a fifth of the MIP's peak memory on a 3k-workload roadmap)."""
        old = lp.solverModel
        options = old.getOptions()
        interrupt.unsubscribe(old)
        lp.solverModel = None
        del old
        with quiet_stdout():
            highs = highspy.Highs()  # type: ignore[no-untyped-call]
        highs.passOptions(options)
        highs.passModel(self._arrays[0])
        if self.rows_released:  # no dual is read back from it (handed_lp): HiGHS's copy only
            self._arrays = ()
        give_back_freed()
        lp.solverModel = highs
        interrupt.subscribe(highs)
        return highs

    def _run(self, lp: pulp.LpProblem, interrupt: DeferredInterrupt) -> None:
        highs = lp.solverModel
        limit = float(self.timeLimit) if self.timeLimit is not None else math.inf
        started = time.perf_counter()
        placements = sum(len(unit) for unit in self.units)
        if self.mip and _given(self.given_start) and lp.isMIP():
            if not self.warm_start:  # the bound to report if HiGHS stops before its own
                self._relaxation_bound(highs, START_SHARE * limit)
                del highs
                highs = self._renewed(lp, interrupt)
            given = highspy.HighsSolution()
            given.col_value = _by_column(self.given_start, lp.variables())
            given.value_valid = True
            highs.setSolution(given)  # kept by HiGHS only if feasible
        if self.mip and self.warm_start and placements >= self.start_min_variables and lp.isMIP():
            start = self._start(highs, START_SHARE * limit)
            if interrupt.requested:
                return
            if start is not None:
                highs.setSolution(start)
                self._report_start()
                if self._within_gap():
                    self.proven_by_relaxation = True
                    return
        self._subscribe(highs)
        left = max(limit - (time.perf_counter() - started), 0.001)
        search = self.search
        if (
            search is not None
            and self.mip
            and lp.isMIP()
            and lp.sense == pulp.LpMinimize
            and left > search.start_after_s
        ):
            self._run_with_search(highs, left, interrupt)
            return
        highs.setOptionValue("time_limit", left)
        highs.run()

    def search_space(self, places: Sequence[Sequence[str]]) -> SearchSpace:
        """The model handed to HiGHS as the neighbourhood search sees it (after
        `buildSolverModel`); `places`: the place id of each of the units' variables."""
        from planner.optimise.improve.space import SearchSpace

        model, arrays = self._arrays
        starts, index, value = arrays.start, arrays.index, arrays.value
        return SearchSpace.of_arrays(
            np.asarray(model.col_cost_),
            float(model.offset_),
            np.asarray(model.col_lower_),
            np.asarray(model.col_upper_),
            np.asarray([int(t) == 1 for t in model.integrality_], dtype=np.bool_),
            (starts, index, value),
            np.asarray(model.row_lower_),
            np.asarray(model.row_upper_),
            [
                [(var.index, place) for var, place in zip(unit, unit_places, strict=True)]
                for unit, unit_places in zip(self.units, places, strict=True)
            ],
        )

    def _run_with_search(
        self, highs: highspy.Highs, limit_s: float, interrupt: DeferredInterrupt
    ) -> None:
        """The main solve with the neighbourhood search beside it (planner.optimise.improve)."""
        from planner.optimise.improve.beside import run_beside

        request = self.search
        assert request is not None
        space = self.search_space(request.places)
        self.search_outcome = run_beside(
            highs,
            space,
            limit_s,
            start_after_s=request.start_after_s,
            close_gap_rel=request.close_gap_rel,
            seed=request.seed,
            should_stop=lambda: interrupt.requested,
            progress=self.progress,
        )

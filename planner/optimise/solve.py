"""Solve the model and say honestly what the solver proved.

PuLP reports "Optimal" for a solve stopped at its time limit; this module reads the solver's
own status instead: only a solve the solver itself closed to a gap of at most OPTIMAL_GAP_REL
is OPTIMAL; one closed at a looser gap tolerance the user asked for is GAP_LIMIT (proven within
that gap, on the objective: weighted by the in-house preference, moves amortised); a
time-limited one with an incumbent is FEASIBLE, with its objective, best bound and gap.

Objective and bound are reported without the move tie-break (see planner.optimise.model.build): the
tie-break of the plan found is subtracted from both (at most a hundredth of a cent per move).
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import time
import warnings
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Literal

import pulp

from planner.optimise.highs_direct import FastHiGHS, SolverProgress
from planner.optimise.improve import refusal
from planner.optimise.improve.beside import SearchRequest
from planner.optimise.isolated import Array
from planner.optimise.model import Model

# A solve closed to this relative gap (HiGHS's default tolerance) or less is called optimal.
OPTIMAL_GAP_REL = 1e-4
# the neighbourhood search starts once HiGHS has run this share of its limit without finishing
SEARCH_AFTER_SHARE = 0.1


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"  # proven optimal: closed to a gap of at most OPTIMAL_GAP_REL
    GAP_LIMIT = "gap_limit"  # closed at the user's looser gap tolerance: proven within it
    FEASIBLE = "feasible"  # a limit was hit; incumbent with a bound and a gap
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    NO_SOLUTION = "no_solution"  # a limit was hit before any solution was found
    ERROR = "error"


# HiGHS's settings by `SolveOptions.presolve`: its own, its light presolve (`presolve_mode`
# 2: 0 default, 1 initial sweep, 2 light, 3 full), or none (a roadmap's main solve: even the
# light one ran its inequality strengthening for minutes past the limit on a 30k-workload
# roadmap; docs/benchmarks.md, section 12)
Presolve = Literal["default", "light", "off"]
PRESOLVE: dict[Presolve, dict[str, Any]] = {
    "default": {},
    "light": {"presolve_mode": 2},
    "off": {"presolve": "off"},
}


@dataclass(frozen=True)
class SolveOptions:
    solver: str = "highs"
    time_limit_s: float = 60.0
    gap_rel: float = 0.0
    threads: int | None = None
    # run the neighbourhood search beside a HiGHS solve still open after a share of its limit
    # (off by default until measured on a quiet machine: docs/benchmarks.md section 10)
    improve: bool = False
    # HiGHS's presolve, a key of PRESOLVE (a roadmap: its full presolve took 20 s to more
    # than 5 minutes on the demo's variants, and its light one minutes on a 30k-workload
    # roadmap, past any time limit, in its inequality strengthening)
    presolve: Presolve = "default"
    # HiGHS's feasibility jump (a search for a first plan, on its own copy of the model): off
    # for a roadmap solved from its first roadmap, where it was most of HiGHS's memory at the
    # start of the solve (docs/benchmarks.md, section 12)
    feasibility_jump: bool = True


def child_settings(options: SolveOptions) -> dict[str, Any]:
    """HiGHS's settings for a solve run apart (planner.optimise.isolated): a fixed seed, the
    options' presolve and threads."""
    settings: dict[str, Any] = {"random_seed": 0, **PRESOLVE[options.presolve]}
    if options.threads is not None:
        settings["threads"] = options.threads
    return settings


@dataclass(frozen=True)
class MipStart:
    """A known plan handed to HiGHS as its first incumbent (a sweep's base plan): decision
    values by key, a decision not named at 0. HiGHS keeps it only if it is feasible for the
    model solved; CBC ignores it."""

    x: dict[tuple[str, str], float]
    k: dict[tuple[str, str], float]
    y: dict[str, float]
    # any other decision's value (a roadmap's moves, orders, arrivals), by its variable
    values: dict[pulp.LpVariable, float] = field(default_factory=dict)
    # or every decision's value by column, in the model's arrays' order (a roadmap's first
    # plan: a vector rather than a dict of millions of variables); then x, k, y, values unread
    columns: Array | None = None
    # also compute the relaxation-guided start (HiGHS keeps one first incumbent: the later)
    relaxation_start: bool = True


@dataclass(frozen=True)
class SolveResult:
    """What the solver proved, and the values of the decisions when it found a solution."""

    status: SolveStatus
    solver: str
    objective: float | None
    bound: float | None
    gap_rel: float | None
    time_s: float
    options: SolveOptions
    message: str = ""
    x: dict[tuple[str, str], float] = field(default_factory=dict)
    k: dict[tuple[str, str], float] = field(default_factory=dict)
    y: dict[str, float] = field(default_factory=dict)
    # commitments bought: (offer, term key) -> units (euros a month, or whole instances)
    c: dict[tuple[str, str], float] = field(default_factory=dict)
    # the share caps' denominator: monthly spend of the plan made without them (None: no cap)
    share_reference_eur: float | None = None

    @property
    def has_solution(self) -> bool:
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.GAP_LIMIT, SolveStatus.FEASIBLE)


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """|objective - bound| / |objective| (None without a finite bound)."""
    if objective is None or bound is None or not math.isfinite(bound):
        return None
    return abs(objective - bound) / max(abs(objective), 1e-9) if objective else abs(bound)


def _closed(gap: float | None, options: SolveOptions) -> bool:
    """A solve the solver closed is optimal if its gap is at most OPTIMAL_GAP_REL (when the
    solver gives no bound: if its gap tolerance was at most that)."""
    if gap is not None:
        return gap <= OPTIMAL_GAP_REL
    return options.gap_rel <= OPTIMAL_GAP_REL


class _QuietHiGHS(FastHiGHS):
    """PuLP's in-process HiGHS for plain re-solves (shadow prices, diagnosis): bulk hand-off,
    no banner on stdout (stdout carries the plan), no relaxation-guided start."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(warm_start=False, **kwargs)


def _search_request(
    model: Model, options: SolveOptions, places: list[tuple[str, ...]]
) -> SearchRequest | None:
    """The neighbourhood search's settings, or None where it does not run (switched off, or a
    model it is not argued sound for: planner.optimise.improve.families)."""
    if not options.improve or refusal(model) is not None:
        return None
    return SearchRequest(
        places=tuple(places),
        start_after_s=SEARCH_AFTER_SHARE * options.time_limit_s,
        close_gap_rel=max(options.gap_rel, OPTIMAL_GAP_REL),
    )


def _start_values(model: Model, start: MipStart | None) -> dict[pulp.LpVariable, float] | Array:
    if start is None:
        return {}
    if start.columns is not None:
        return start.columns
    values = dict(start.values)
    values.update({model.x[key]: v for key, v in start.x.items() if key in model.x})
    values.update({model.k[key]: v for key, v in start.k.items() if key in model.k})
    values.update({model.y[key]: v for key, v in start.y.items() if key in model.y})
    return values


def _solve_highs(
    model: Model,
    options: SolveOptions,
    progress: SolverProgress | None,
    start: MipStart | None = None,
) -> tuple[SolveStatus, float | None, float | None, str]:
    import highspy

    units: dict[str, list[pulp.LpVariable]] = {}
    places: dict[str, list[str]] = {}
    for (unit_id, place), var in model.x.items():
        units.setdefault(unit_id, []).append(var)
        places.setdefault(unit_id, []).append(place)
    solver = FastHiGHS(
        units=list(units.values()),
        search=_search_request(model, options, [tuple(p) for p in places.values()]),
        periods=model.periods,
        progress=progress,
        msg=False,
        timeLimit=options.time_limit_s,
        gapRel=options.gap_rel,
        threads=options.threads,
        random_seed=0,
        start=_start_values(model, start),
        arrays=model.arrays,
        rows_released=model.rows_released,
        warm_start=start is None or start.relaxation_start,
        mip_heuristic_run_feasibility_jump=options.feasibility_jump,
        **PRESOLVE[options.presolve],
    )
    model.problem.solve(solver)
    model.handed = solver.handed_lp()
    if solver.proven_by_relaxation:
        return (
            SolveStatus.OPTIMAL,
            solver.start_objective,
            solver.relaxation_bound,
            "Optimal within the gap tolerance of the LP relaxation bound",
        )
    highs = model.problem.solverModel
    status = highs.getModelStatus()
    info = highs.getInfo()
    ms = highspy.HighsModelStatus
    has_primal = info.primal_solution_status == 2  # kSolutionStatusFeasible
    objective = info.objective_function_value if has_primal else None
    bound = info.mip_dual_bound if model.problem.isMIP() else objective
    if (bound is None or not math.isfinite(bound)) and solver.relaxation_bound is not None:
        bound = solver.relaxation_bound  # stopped before its own bound: the LP relaxation's
    text = highs.modelStatusToString(status)
    outcome = solver.search_outcome
    if outcome is not None and outcome.objective is not None:  # better than HiGHS's incumbent
        objective = outcome.objective
        found = f"{text}; incumbent from the neighbourhood search"
        if status == ms.kOptimal or outcome.closed:
            return (
                SolveStatus.OPTIMAL,
                objective,
                bound,
                found + ", within the gap of HiGHS's bound",
            )
        if status in (ms.kTimeLimit, ms.kInterrupt):
            return SolveStatus.FEASIBLE, objective, bound, found
    if status == ms.kOptimal:
        return SolveStatus.OPTIMAL, objective, bound, text
    if status in (ms.kInfeasible, ms.kUnboundedOrInfeasible):
        return SolveStatus.INFEASIBLE, None, None, text
    if status == ms.kUnbounded:
        return SolveStatus.UNBOUNDED, None, None, text
    if status in (
        ms.kTimeLimit,
        ms.kIterationLimit,
        ms.kInterrupt,
        ms.kSolutionLimit,
        ms.kObjectiveBound,
        ms.kObjectiveTarget,
    ):
        state = SolveStatus.FEASIBLE if has_primal else SolveStatus.NO_SOLUTION
        return state, objective, bound, text
    return SolveStatus.ERROR, None, None, text


_CBC_NUMBER = r"(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)"


def cbc_bound(log: str, constant: float) -> float | None:
    """The bound CBC proved, read from its log, in the problem's terms: the MPS file PuLP
    writes leaves the objective's constant out, so every figure CBC prints lacks it.

    A search stopped on its gap or a limit states its `Lower bound:`; a search completed
    (no bound stated) proved its objective; a partial search with no solution gives its
    last `best possible`.
    """
    result = log.rpartition("Result - ")[2]
    stated = re.search(r"Lower bound:\s*" + _CBC_NUMBER, result)
    if stated:
        return float(stated[1]) + constant
    proved = re.search(r"Objective value:\s*" + _CBC_NUMBER, result)
    if result.startswith("Optimal solution found") and proved:
        return float(proved[1]) + constant
    possible = re.findall(r"best possible\s*" + _CBC_NUMBER, log)
    return float(possible[-1]) + constant if possible else None


def _solve_cbc(
    model: Model, options: SolveOptions
) -> tuple[SolveStatus, float | None, float | None, str]:
    if model.rows_released:
        raise ValueError("CBC reads the problem's rows: they were released")
    fd, log_path = tempfile.mkstemp(suffix=".log", prefix="planner-cbc-")
    os.close(fd)
    try:
        with warnings.catch_warnings():  # the CBC bundled with PuLP 3.x is the one we use
            warnings.simplefilter("ignore", DeprecationWarning)
            solver = pulp.PULP_CBC_CMD(
                msg=False,
                timeLimit=options.time_limit_s,
                gapRel=options.gap_rel,
                threads=options.threads,
                logPath=log_path,
            )
        model.problem.solve(solver)
        with open(log_path, encoding="utf-8", errors="replace") as handle:
            log = handle.read()
    finally:
        os.unlink(log_path)
    problem = model.problem
    objective = pulp.value(problem.objective) if problem.sol_status in (1, 2) else None
    bound = cbc_bound(log, problem.objective.constant if problem.objective else 0.0)
    if problem.sol_status == 1:  # without a bound in the log: the objective, if closed tight
        if bound is None and options.gap_rel <= OPTIMAL_GAP_REL:
            bound = objective
        return SolveStatus.OPTIMAL, objective, bound, "Optimal"
    if problem.sol_status == 2:
        return SolveStatus.FEASIBLE, objective, bound, "Stopped on a limit"
    if problem.status == pulp.LpStatusInfeasible:
        return SolveStatus.INFEASIBLE, None, None, "Infeasible"
    if problem.status == pulp.LpStatusUnbounded:
        return SolveStatus.UNBOUNDED, None, None, "Unbounded"
    if problem.status == pulp.LpStatusNotSolved:
        return SolveStatus.NO_SOLUTION, None, bound, "No solution found before the limit"
    return SolveStatus.ERROR, None, None, pulp.LpStatus.get(problem.status, "error")


def solve(
    model: Model,
    options: SolveOptions,
    progress: SolverProgress | None = None,
    time_limit_s: float | None = None,
    start: MipStart | None = None,
) -> SolveResult:
    """Run the chosen solver and read back an honest status and the decision values.

    With HiGHS, `progress` receives (incumbent, bound, gap) as the solve improves them.
    `time_limit_s`: this solve's share of the run's limit (default: `options.time_limit_s`);
    the result keeps `options` as given. `start`: a first incumbent for HiGHS (see MipStart).
    """
    began = time.perf_counter()
    if not model.problem.variables():
        return SolveResult(
            SolveStatus.OPTIMAL, options.solver, 0.0, 0.0, 0.0, 0.0, options, "nothing to place"
        )
    limited = options if time_limit_s is None else replace(options, time_limit_s=time_limit_s)
    if options.solver == "highs":
        status, objective, bound, message = _solve_highs(model, limited, progress, start)
    elif options.solver == "cbc":
        status, objective, bound, message = _solve_cbc(model, limited)
    else:
        raise ValueError(f"unknown solver {options.solver!r}")
    elapsed = time.perf_counter() - began
    if status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return SolveResult(status, options.solver, None, bound, None, elapsed, options, message)
    tiebreak = sum(coef * (var.varValue or 0.0) for var, coef in model.tiebreak)
    objective = None if objective is None else objective - tiebreak
    bound = None if bound is None or not math.isfinite(bound) else bound - tiebreak
    if bound is not None and objective is not None and status == SolveStatus.OPTIMAL:
        bound = min(bound, objective)
    gap = relative_gap(objective, bound)
    if status == SolveStatus.OPTIMAL and not _closed(gap, options):
        status = SolveStatus.GAP_LIMIT
        message = f"stopped at the gap tolerance of {100.0 * options.gap_rel:g} %"
    return SolveResult(
        status=status,
        solver=options.solver,
        objective=objective,
        bound=bound,
        gap_rel=gap,
        time_s=elapsed,
        options=options,
        message=message,
        x={key: round(var.varValue or 0.0) for key, var in model.x.items()},
        k={key: round(var.varValue or 0.0) for key, var in model.k.items()},
        y={key: round(var.varValue or 0.0) for key, var in model.y.items()},
        c=_commitments(model),
    )


def _commitments(model: Model) -> dict[tuple[str, str], float]:
    """The commitments bought: whole instances rounded, euros to the cent; none below that."""
    out = {}
    for key, var in model.c.items():
        value = var.varValue or 0.0
        value = float(round(value)) if var.cat == pulp.LpInteger else round(value, 2)
        if value > 0:
            out[key] = value
    return out

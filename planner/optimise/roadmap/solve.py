"""Solve the roadmap MILP with today's solve (same honest status) and read back each
period's decisions."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from planner.optimise.highs_direct import SolverProgress
from planner.optimise.isolated import Array
from planner.optimise.model import Model
from planner.optimise.roadmap.model import RoadmapModel
from planner.optimise.solve import MipStart, Presolve, SolveOptions, SolveResult, solve


@dataclass(frozen=True)
class RoadmapResult:
    """The solve's record (objective in discounted EUR over the horizon) and the decisions of
    every period: x[t,u,p], usable blocks K[t,i,b], ordered blocks o[t,i,b], y[t,p]."""

    result: SolveResult
    x: dict[tuple[int, str, str], float] = field(default_factory=dict)
    usable: dict[tuple[int, str, str], float] = field(default_factory=dict)
    ordered: dict[tuple[int, str, str], float] = field(default_factory=dict)
    y: dict[tuple[int, str], float] = field(default_factory=dict)
    share_reference_eur: dict[int, float] | None = None

    def period_x(self, t: int) -> dict[tuple[str, str], float]:
        return dict(self._x_by_period.get(t, {}))

    def period_k(self, t: int) -> dict[tuple[str, str], float]:
        return dict(self._k_by_period.get(t, {}))

    def period_y(self, t: int) -> dict[str, float]:
        return dict(self._y_by_period.get(t, {}))

    # each family indexed by period once (a plan reads every unit's period: one scan of the
    # whole roadmap per read was quadratic in the fleet)
    @functools.cached_property
    def _x_by_period(self) -> dict[int, dict[tuple[str, str], float]]:
        return _by_period(self.x)

    @functools.cached_property
    def _k_by_period(self) -> dict[int, dict[tuple[str, str], float]]:
        return _by_period(self.usable)

    @functools.cached_property
    def _y_by_period(self) -> dict[int, dict[str, float]]:
        out: dict[int, dict[str, float]] = defaultdict(dict)
        for (t, p), v in self.y.items():
            out[t][p] = v
        return out


def _by_period(
    values: dict[tuple[int, str, str], float],
) -> dict[int, dict[tuple[str, str], float]]:
    """Values keyed (t, a, b) as one dict per period t, keyed (a, b)."""
    out: dict[int, dict[tuple[str, str], float]] = defaultdict(dict)
    for (t, a, b), v in values.items():
        out[t][a, b] = v
    return out


def flat_model(m: RoadmapModel) -> Model:
    """The roadmap as today's `Model`: placements keyed ('<t>|<unit>', place), so the solver
    sees one placement unit per (unit, period)."""
    x = {(f"{t}|{u}", p): v for (t, u, p), v in m.x.items()}
    k = {(f"usable|{t}|{s}", b): v for (t, s, b), v in m.usable.items()}
    k.update({(f"ordered|{t}|{s}", b): v for (t, s, b), v in m.ordered.items()})
    y = {f"{t}|{p}": v for (t, p), v in m.y.items()}
    periods: list[list[Any]] = [[] for _ in m.periods]
    for (t, _u, _p), v in m.x.items():
        periods[t].append(v)
    for (t, _s, _b), v in m.usable.items():
        periods[t].append(v)
    for (t, _p), v in m.y.items():
        periods[t].append(v)
    for (t, _u, _p), v in m.moves.items():
        periods[t].append(v)
    return Model(
        m.problem,
        x,
        k,
        y,
        tiebreak=m.tiebreak,
        periods=periods,
        arrays=m.arrays,
        rows_released=m.rows_released,
    )


def _split(key: str) -> tuple[int, str]:
    t, _, rest = key.partition("|")
    return int(t), rest


def solve_roadmap(
    m: RoadmapModel,
    options: SolveOptions,
    progress: SolverProgress | None = None,
    time_limit_s: float | None = None,
    start: Array | None = None,
    presolve: Presolve = "off",
) -> RoadmapResult:
    """Solve and decode; the result's `result` carries the status, bound and gap. `start`:
    a first incumbent (every column's value, in `m.as_arrays()` order), then instead of the
    relaxation's, and
    HiGHS's feasibility jump (its own search for a first plan) is off.
    HiGHS runs without its presolve (`presolve`, a key of PRESOLVE): its inequality
    strengthening took from 20 s to more than 5 minutes on the demo roadmap and its variants
    with the full presolve, and more than 6 minutes past the limit on a 30k-workload
    roadmap with the light one, without heeding the time limit, for a bound no better
    (docs/benchmarks.md, section 12)."""
    first = None if start is None else MipStart({}, {}, {}, columns=start, relaxation_start=False)
    chosen = replace(options, presolve=presolve, feasibility_jump=first is None)
    result = solve(flat_model(m), chosen, progress, time_limit_s, first)
    m.problem.solverModel = None  # HiGHS's copy of the model and its search, read
    x = {(*_split(u), p): v for (u, p), v in result.x.items()}
    usable: dict[tuple[int, str, str], float] = {}
    ordered: dict[tuple[int, str, str], float] = {}
    for (key, block), v in result.k.items():
        kind, _, rest = key.partition("|")
        t, site = _split(rest)
        (usable if kind == "usable" else ordered)[t, site, block] = v
    y = {_split(p): v for p, v in result.y.items()}
    return RoadmapResult(result, x, usable, ordered, y)

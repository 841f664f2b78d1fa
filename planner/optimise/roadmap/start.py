"""A first roadmap for the solver: the end state, scheduled by the solver itself.

The last period's snapshot optimum gives each unit its target places; the roadmap restricted
to each unit's current place and its targets (every option of a unit that in some period
may not stay where it is) is a much smaller MILP, with the same wave rules, budgets, lead times and
capacities. Its plan is a plan of the whole roadmap (every option it uses is one of the
whole roadmap's, every row holds), so it is handed to HiGHS as its first incumbent: the
roadmap found is never worse than the end state scheduled in the waves that way. Where that
restriction has no plan and a site shrinks over the horizon (a room closing: some of its
units must leave, maybe for a place not among their targets), the units there keep every
option and it is solved again.

That plan's placements are the end state's, but its block plan (how many blocks each site
orders, and when) is often a good one: `with_blocks_fixed` keeps it and frees every placement
again, a MILP whose relaxation is nearly whole (the relaxation's gap is in the blocks'
integrality: docs/benchmarks.md, section 12), and hands its plan on instead.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import numpy as np
import pulp

from planner.candidates.periods import PeriodCandidates
from planner.inputs.frozen import Inputs
from planner.inputs.schema.common import RESOURCES
from planner.optimise.isolated import Array, run_isolated, with_bounds
from planner.optimise.model import build_model
from planner.optimise.roadmap.model import RoadmapModel, build_roadmap_model
from planner.optimise.roadmap.solve import solve_roadmap
from planner.optimise.solve import SolveOptions, SolveStatus, child_settings, solve

# the share of the start's time the end state's snapshot solve may take
SNAPSHOT_SHARE = 0.3


def end_state_targets(
    periods: tuple[PeriodCandidates, ...], options: SolveOptions, limit_s: float
) -> dict[str, set[str]] | None:
    """Each unit's places in the last period's snapshot optimum (None: none found in time)."""
    last = periods[-1]
    result = solve(build_model(last.inputs, last.cands), options, None, limit_s)
    if not result.has_solution:
        return None
    targets: dict[str, set[str]] = {}
    for (unit_id, place_id), value in sorted(result.x.items()):
        if value > 0.5:
            targets.setdefault(unit_id, set()).add(place_id)
    return targets


def shrinking_sites(periods: tuple[PeriodCandidates, ...]) -> frozenset[str]:
    """The internal sites whose capacity of some resource, before expansion, falls from one
    period to a later one (a room closing): not every unit there may stay."""
    out: set[str] = set()
    highest: dict[tuple[str, str], float] = {}
    for pc in periods:
        for place in pc.cands.places:
            if place.site is None:
                continue
            for resource in RESOURCES:
                usable = place.site.usable(resource)
                key = (place.id, resource)
                if usable < highest.get(key, usable):
                    out.add(place.id)
                highest[key] = max(usable, highest.get(key, usable))
    return frozenset(out)


def restricted(
    periods: tuple[PeriodCandidates, ...],
    targets: dict[str, set[str]],
    widened: frozenset[str] = frozenset(),
) -> tuple[PeriodCandidates, ...]:
    """Each unit's options cut to its current place and its targets, unless in some period
    it may not stay where it is, or its current place is one of `widened` (then it keeps
    them all)."""
    keep: dict[str, set[str] | None] = {}
    for pc in periods:
        for unit in pc.cands.units:
            if unit.id in keep and keep[unit.id] is None:
                continue
            current = pc.cands.workloads[unit.members[0]].current_site
            allowed = targets.get(unit.id, set()) | ({current} if current is not None else set())
            if (
                current is None
                or current in widened
                or all(o.place_id != current for o in unit.options)
            ):
                keep[unit.id] = None  # must leave (or be placed): every option
            else:
                keep.setdefault(unit.id, allowed)
    out = []
    for pc in periods:
        units = []
        for unit in pc.cands.units:
            kept = keep.get(unit.id)
            if kept is None:
                units.append(unit)
            else:
                options = tuple(o for o in unit.options if o.place_id in kept)
                units.append(replace(unit, options=options))
        out.append(replace(pc, cands=replace(pc.cands, units=tuple(units))))
    return tuple(out)


def _variables(m: RoadmapModel) -> dict[tuple[str, tuple[object, ...]], pulp.LpVariable]:
    """Every decision of a roadmap model by (family, key): the same key in two models of the
    same roadmap is the same decision."""
    out: dict[tuple[str, tuple[object, ...]], pulp.LpVariable] = {}
    families: dict[str, dict[Any, pulp.LpVariable]] = {
        "x": m.x,
        "usable": m.usable,
        "ordered": m.ordered,
        "y": m.y,
        "moves": m.moves,
        "arrive": m.arrive,
        "leave": m.leave,
    }
    for family, variables in families.items():
        for key, var in variables.items():
            out[family, key] = var
    return out


# the end state scheduled: each decision's value by (family, key), zeros left out
Scheduled = dict[tuple[str, tuple[object, ...]], float]


def end_state_schedule(
    inputs: Inputs,
    periods: tuple[PeriodCandidates, ...],
    options: SolveOptions,
    limit_s: float,
) -> Scheduled | None:
    """The end state scheduled (see the module's docstring), or None if no such plan was
    found within `limit_s`: a plan of the whole roadmap by the keys of its decisions, so it
    needs the whole model only once made (`start_columns`)."""
    if options.solver != "highs" or not periods:
        return None
    targets = end_state_targets(periods, options, SNAPSHOT_SHARE * limit_s)
    if targets is None:
        return None
    started = time.monotonic()
    small = build_roadmap_model(inputs, restricted(periods, targets))
    # with HiGHS's light presolve: without it, the 100k x 40 x 8 roadmap's restriction had
    # no plan within its 126 s (docs/benchmarks.md, section 12)
    limit = (1.0 - SNAPSHOT_SHARE) * limit_s
    solved = solve_roadmap(small, options, None, limit, presolve="light")
    shrinking = shrinking_sites(periods)
    if solved.result.status == SolveStatus.INFEASIBLE and shrinking:
        # the units on a site that shrinks may have to leave for a place not in their targets
        left = (1.0 - SNAPSHOT_SHARE) * limit_s - (time.monotonic() - started)
        if left > 0:
            small = build_roadmap_model(inputs, restricted(periods, targets, shrinking))
            solved = solve_roadmap(small, options, None, left, presolve="light")
    if not solved.result.has_solution:
        return None
    return {key: value for key, var in _variables(small).items() if (value := var.varValue or 0.0)}


def start_columns(model: RoadmapModel, scheduled: Scheduled) -> Array:
    """`scheduled` as `model`'s first incumbent: the values of its decisions that are
    `model`'s, by column of `model.as_arrays()`, the others 0."""
    columns = np.zeros(len(model.as_arrays().cost))
    full = _variables(model)
    for key, value in scheduled.items():
        if key in full:
            columns[full[key].index] = value
    return columns


def with_blocks_fixed(
    model: RoadmapModel, start: Array, options: SolveOptions, limit_s: float
) -> Array:
    """`start` improved with its block plan kept: the roadmap solved with every usable and
    ordered block count fixed at the start's and every other decision free, from `start`,
    by HiGHS with its full presolve (here it finds better plans than the light one, in time)
    in a child process killed past its limit (planner.optimise.isolated: that presolve does
    not always heed the limit). The start (by column of `model.as_arrays()`) is returned
    unless a cheaper plan was found."""
    if options.solver != "highs" or limit_s <= 0:
        return start
    arrays = model.as_arrays()
    blocks = np.array(
        [var.index for var in [*model.usable.values(), *model.ordered.values()]], dtype=np.int64
    )
    fixed = with_bounds(arrays, blocks, np.round(start[blocks]))
    found = run_isolated(fixed, start, limit_s, child_settings(options)).found
    if found is None or found[0] >= arrays.objective(start) - 1e-6:
        return start
    return np.asarray(found[1], dtype=np.float64)

"""A roadmap without a plan: which of its own rows (a wave's limits, a freeze, a workload's
dates, a replica group, a whole-horizon cap, a year's budget) make it so, and by how much.

Every such row gets a slack; the least total slack (each relative to its row's limit) that
makes the roadmap feasible says what each row would have to allow. If even that model has no
solution, the periods' own constraints (capacity, eligibility over time, moves at most once)
cannot be met together: `structural`. HiGHS solves it in a child process held to the time
limit (planner.optimise.isolated: at 100k workloads its rounding heuristics ran minutes past
it); a diagnosis not found in time says so (`unanswered_after_s`), never a cause."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np

from planner.candidates.periods import PeriodCandidates
from planner.inputs.frozen import Inputs
from planner.optimise.isolated import run_isolated
from planner.optimise.roadmap.model import RoadmapModel, build_roadmap_model
from planner.optimise.roadmap.solve import solve_roadmap
from planner.optimise.solve import SolveOptions, SolveStatus, child_settings


@dataclass(frozen=True)
class RowExcess:
    """One roadmap row too tight: what it is, where (a period's name or a year) and what it
    would have to allow. `kind`, `what` and `subject` as a RoadmapRow's."""

    kind: str
    what: str
    period: str | None
    year: int | None
    limit: float
    needed: float
    subject: str | None = None


@dataclass(frozen=True)
class RoadmapDiagnosis:
    """Which roadmap rows are too tight (`excesses`); `structural`: none is, the periods'
    own constraints are; `unanswered_after_s`: neither was found within that limit."""

    scenario: str
    excesses: tuple[RowExcess, ...]
    structural: bool
    unanswered_after_s: float | None = None


def diagnose_roadmap(
    inputs: Inputs,
    periods: tuple[PeriodCandidates, ...],
    options: SolveOptions,
    time_limit_s: float,
    share_reference_eur: dict[int, float] | None = None,
) -> RoadmapDiagnosis:
    """Why the roadmap has no plan (see the module's docstring), found within `time_limit_s`
    (the elastic model's build included)."""
    started = time.monotonic()
    m = build_roadmap_model(inputs, periods, share_reference_eur=share_reference_eur, elastic=True)
    left_s = time_limit_s - (time.monotonic() - started)
    slacks = _least_slacks(m, options, left_s)
    if slacks is None:
        return RoadmapDiagnosis(inputs.scenario.name, (), False, time_limit_s)
    if not slacks:
        return RoadmapDiagnosis(inputs.scenario.name, (), True)
    excesses = []
    for name, value in sorted(slacks.items()):
        if value <= 1e-6:
            continue
        rhs = m.slacks[name][1]
        row = m.rows[name]
        budget = row.kind == "budget"
        period = None if budget or row.where is None else periods[row.where].period.name
        year = row.where if budget else None
        needed = round(rhs + value, 6)
        excesses.append(RowExcess(row.kind, row.what, period, year, rhs, needed, row.subject))
    return RoadmapDiagnosis(inputs.scenario.name, tuple(excesses), False)


def _least_slacks(
    m: RoadmapModel, options: SolveOptions, limit_s: float
) -> dict[str, float] | None:
    """Each roadmap row's slack in the elastic model's solution: {} if it has none (proven),
    None if none was found within `limit_s`. HiGHS runs in a child process held to the
    limit; where none can be started (a daemonic worker), and for CBC, in this one."""
    if limit_s <= 0:
        return None
    if options.solver == "highs":
        settings = child_settings(replace(options, presolve="off"))
        if options.gap_rel:
            settings["mip_rel_gap"] = options.gap_rel
        arrays = m.as_arrays()
        outcome = run_isolated(arrays, np.zeros(len(arrays.cost)), limit_s, settings)
        if outcome.started:
            if outcome.infeasible:
                return {}
            if outcome.found is None:
                return None
            values = outcome.found[1]
            return {name: float(values[slack.index]) for name, (slack, _rhs) in m.slacks.items()}
    solved = solve_roadmap(m, options, None, limit_s)
    if solved.result.status == SolveStatus.INFEASIBLE:
        return {}
    if not solved.result.has_solution:
        return None
    return {name: slack.varValue or 0.0 for name, (slack, _rhs) in m.slacks.items()}


def forced_off(pc: PeriodCandidates) -> dict[str, list[str]]:
    """Unit id -> its workloads whose current place is not one of its options in `pc` (in
    the first period, those that must move in its wave)."""
    forced: dict[str, list[str]] = {}
    for unit in pc.cands.units:
        places = {o.place_id for o in unit.options}
        leaving = [
            wid
            for wid in unit.members
            if (current := pc.cands.workloads[wid].current_site) is not None
            and current not in places
        ]
        if leaving:
            forced[unit.id] = leaving
    return forced


def _sharing_a_place(pc: PeriodCandidates) -> dict[str, list[set[str]]]:
    """Group -> the sets of two or more of its replicas on one place today (each replica a
    single workload; a group with a larger unit is left out)."""
    units = {u.id: u for u in pc.cands.units}
    out: dict[str, list[set[str]]] = {}
    for group, members in pc.cands.anti_affinity.items():
        if any(len(units[u].members) != 1 for u in members):
            continue
        on: dict[str, set[str]] = defaultdict(set)
        for u in members:
            current = pc.cands.workloads[units[u].members[0]].current_site
            if current is not None:
                on[current].add(u)
        shared = [found for _, found in sorted(on.items()) if len(found) > 1]
        if shared:
            out[group] = shared
    return out


def forced_move_conflicts(
    inputs: Inputs, periods: tuple[PeriodCandidates, ...]
) -> RoadmapDiagnosis | None:
    """A roadmap without a plan for certain, found before any model is built. A workload
    whose current place is not an option in some period must have moved by that period's
    wave, and of the replicas of a group on one place today all but one must move in the
    first wave (two replicas never share a place). So the waves up to a period that are not
    frozen must have room for them: as many moves in all (the move limit times those
    waves), and a wave of its own for each replica of a group (two replicas never move in
    the same wave). Each rule's first period where that fails is an excess; None if none."""
    roadmap = inputs.scenario.roadmap
    if roadmap is None:
        return None
    waves = roadmap.waves
    must: set[str] = set()  # workloads that must have moved by the period
    replicas: dict[str, set[str]] = defaultdict(set)  # group -> its units that must have
    together = _sharing_a_place(periods[0]) if periods else {}
    open_waves = 0
    moves: RowExcess | None = None
    apart: dict[str, RowExcess] = {}
    for pc in periods:
        name = pc.period.name
        if name not in waves.freeze:
            open_waves += 1
        forced = forced_off(pc)
        for workloads in forced.values():
            must.update(workloads)
        for group, members in pc.cands.anti_affinity.items():
            replicas[group].update(u for u in members if u in forced)
        # of the replicas sharing a place today, all but one move, if not forced already
        apart_too = {
            group: sum(max(len(units) - 1 - len(units & replicas[group]), 0) for units in places)
            for group, places in together.items()
        }
        needed = float(len(must) + sum(apart_too.values()))
        if moves is None and needed:
            if open_waves == 0:
                moves = RowExcess("wave", "freeze", name, None, 0.0, needed)
            elif waves.max_moves is not None and needed > waves.max_moves * open_waves:
                what = "max_moves" if pc.period.index == 0 else "max_moves_by"
                limit = float(waves.max_moves * open_waves)
                moves = RowExcess("wave", what, name, None, limit, needed)
        for group in sorted(replicas.keys() | apart_too.keys()):
            needed = float(len(replicas.get(group, ())) + apart_too.get(group, 0))
            if group not in apart and 0 < open_waves < needed:
                limit = float(open_waves)
                apart[group] = RowExcess("wave", "apart", name, None, limit, needed, group)
    excesses = ([moves] if moves is not None else []) + [apart[g] for g in sorted(apart)]
    if not excesses:
        return None
    return RoadmapDiagnosis(inputs.scenario.name, tuple(excesses), False)

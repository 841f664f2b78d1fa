"""The same placement problem written the textbook way in PuLP, to compare speed with.

One binary per (workload, eligible place), no classes of identical workloads, no pruning of
dominated offers; affinity as pairwise equalities, anti-affinity as one row per group and place;
expressions with `lpSum`; PuLP's HiGHS with its default settings but the same time limit and
gap. Same eligibility, costs, capacities, expansion blocks and objective as the planner.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

import pulp

from planner.candidates.costs import Pricing, pricing
from planner.candidates.units import Candidates
from planner.inputs.frozen import Inputs
from planner.inputs.schema import RESOURCES


@dataclass(frozen=True)
class NaiveResult:
    build_s: float
    solve_s: float
    variables: int
    status: str  # "optimal" only when HiGHS closed the gap (sol_status == 1)
    objective_eur: float | None
    bound_eur: float | None
    gap_pct: float | None


def naive_solve(
    inputs: Inputs, cands: Candidates, time_limit_s: float, gap_rel: float
) -> NaiveResult:
    """Build and solve the textbook model over `cands` (built with aggregate=False)."""
    start = time.perf_counter()
    places = {p.id: p for p in cands.places}
    weight = 1.0 / (1.0 - inputs.scenario.objective.internal_preference_pct / 100.0)
    horizon = inputs.scenario.objective.horizon_months
    prob = pulp.LpProblem("naive", pulp.LpMinimize)
    x: dict[tuple[str, str], pulp.LpVariable] = {}
    cost, use = {}, {}
    for unit in cands.units:
        for wi, wid in enumerate(unit.members):
            w = cands.workloads[wid]
            for option in unit.options:
                place = places[option.place_id]
                var = pulp.LpVariable(f"x_{wid}_{option.place_id}", cat=pulp.LpBinary)
                x[wid, option.place_id] = var
                moving = w.current_site is not None and w.current_site != place.id
                coef = (1.0 if place.internal else weight) * option.member_costs_eur_month[wi]
                cost[var.name] = coef + (w.move_cost_eur / horizon if moving else 0.0)
                priced = pricing(place, w.demand.amounts(), w.egress_gib_month)
                assert isinstance(priced, Pricing)
                use[var.name] = priced.capacity_use
        lead = unit.members[0]
        for other in unit.members[1:]:
            for option in unit.options:
                prob += x[other, option.place_id] == x[lead, option.place_id]
    k = {
        (p.id, b.id): pulp.LpVariable(f"k_{p.id}_{b.id}", 0, b.max_blocks, pulp.LpInteger)
        for p in cands.places
        if p.site is not None
        for b in p.site.expansion_blocks
    }
    prob += pulp.lpSum(cost[v.name] * v for v in x.values()) + pulp.lpSum(
        b.cost_eur_month * k[p.id, b.id]
        for p in cands.places
        if p.site is not None
        for b in p.site.expansion_blocks
    )
    by_workload: dict[str, list[pulp.LpVariable]] = defaultdict(list)
    by_place: dict[str, list[pulp.LpVariable]] = defaultdict(list)
    for (wid, pid), var in x.items():
        by_workload[wid].append(var)
        by_place[pid].append(var)
    for vars_ in by_workload.values():
        prob += pulp.lpSum(vars_) == 1
    for place in cands.places:
        site = place.site
        if site is None:
            continue
        for ri, r in enumerate(RESOURCES):
            prob += pulp.lpSum(use[v.name][ri] * v for v in by_place[place.id]) <= (
                site.usable(r)
                + pulp.lpSum(b.adds.get(r) * k[site.id, b.id] for b in site.expansion_blocks)
            )
    groups: dict[str, list[str]] = defaultdict(list)
    for wid, w in cands.workloads.items():
        if w.anti_affinity_group and not w.retire:
            groups[w.anti_affinity_group].append(wid)
    for members in groups.values():
        for pid in places:
            row = [x[wid, pid] for wid in members if (wid, pid) in x]
            if len(row) > 1:
                prob += pulp.lpSum(row) <= 1
    built = time.perf_counter()
    solver = pulp.HiGHS(msg=False, timeLimit=time_limit_s, gapRel=gap_rel)
    prob.solve(solver)
    solved = time.perf_counter()
    objective = pulp.value(prob.objective) if prob.sol_status in (1, 2) else None
    info = prob.solverModel.getInfo()
    bound = info.mip_dual_bound
    gap = None if objective is None else 100.0 * abs(objective - bound) / max(abs(objective), 1e-9)
    status = {1: "optimal", 2: "feasible"}.get(prob.sol_status, "no solution")
    return NaiveResult(built - start, solved - built, len(x), status, objective, bound, gap)

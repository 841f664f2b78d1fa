"""The rule of spreadsheets and "on-prem first, overflow to cloud" schedulers, for comparison.

Workloads are taken one by one in inventory order (an affinity group as one, at its first
member). Each goes to the cheapest eligible internal site that still has room; when none has,
to the cheapest eligible external offer (an anti-affinity replica avoids places its group
already uses). A workload that may only run in-house and finds no room makes the rule build one
expansion block at the cheapest eligible site that can still be expanded. It sees the same
eligible places and the same costs as the planner (its `Candidates`, not aggregated).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from planner.candidates.units import Candidates, Option, Unit
from planner.inputs.frozen import Inputs
from planner.inputs.schema import RESOURCES


@dataclass(frozen=True)
class GreedyResult:
    """What the rule decides and costs; the objective is weighted as the planner's is."""

    monthly_cost_eur: float  # run costs + expansion blocks + fixed costs of used places
    one_off_migration_eur: float
    objective_eur: float  # as the planner's objective: preference weight, amortised moves
    blocks_built: int
    placed: int
    unplaced: int  # workloads the rule could not place at all


def _weight(inputs: Inputs) -> float:
    return 1.0 / (1.0 - inputs.scenario.objective.internal_preference_pct / 100.0)


def greedy_plan(inputs: Inputs, cands: Candidates) -> GreedyResult:
    """Place every unit of `cands` (built with aggregate=False) by the greedy rule."""
    places = {p.id: p for p in cands.places}
    free: dict[str, list[float]] = {
        p.id: [p.site.usable(r) for r in RESOURCES] for p in cands.places if p.site is not None
    }
    blocks_left = {
        p.id: [b.max_blocks for b in p.site.expansion_blocks]
        for p in cands.places
        if p.site is not None
    }
    order = {w.id: i for i, w in enumerate(inputs.workloads)}
    units = sorted(cands.units, key=lambda u: min(order[m] for m in u.members))
    group_of = {wid: w.anti_affinity_group for wid, w in cands.workloads.items()}
    used_by_group: dict[str, set[str]] = defaultdict(set)
    weight, horizon = _weight(inputs), inputs.scenario.objective.horizon_months
    run = moves = objective = blocks_cost = 0.0
    built = placed = unplaced = 0
    used_places: set[str] = set()

    def fits(option: Option) -> bool:
        room = free[option.place_id]
        return all(u <= f + 1e-9 for u, f in zip(option.use, room, strict=True))

    def expand(unit: Unit) -> Option | None:
        nonlocal built, blocks_cost
        for option in sorted(
            (o for o in unit.options if places[o.place_id].internal),
            key=lambda o: o.run_cost_eur_month,
        ):
            site = places[option.place_id].site
            assert site is not None
            for bi, block in enumerate(site.expansion_blocks):
                while blocks_left[site.id][bi] > 0 and not fits(option):
                    blocks_left[site.id][bi] -= 1
                    built += 1
                    blocks_cost += block.cost_eur_month
                    room = free[site.id]
                    for ri, r in enumerate(RESOURCES):
                        room[ri] += block.adds.get(r)
                if fits(option):
                    return option
        return None

    for unit in units:
        groups = {g for m in unit.members if (g := group_of[m])}
        taken = set().union(*(used_by_group[g] for g in groups)) if groups else set()
        options = [o for o in unit.options if o.place_id not in taken]
        internal = sorted(
            (o for o in options if places[o.place_id].internal and fits(o)),
            key=lambda o: o.run_cost_eur_month,
        )
        external = sorted(
            (o for o in options if not places[o.place_id].internal),
            key=lambda o: o.run_cost_eur_month,
        )
        choice = internal[0] if internal else external[0] if external else expand(unit)
        if choice is None:
            unplaced += len(unit.members)
            continue
        if places[choice.place_id].internal:
            room = free[choice.place_id]
            for ri in range(len(RESOURCES)):
                room[ri] -= choice.use[ri]
        for g in groups:
            used_by_group[g].add(choice.place_id)
        used_places.add(choice.place_id)
        w = 1.0 if places[choice.place_id].internal else weight
        run += choice.run_cost_eur_month
        moves += choice.move_cost_eur
        objective += w * choice.run_cost_eur_month + choice.move_cost_eur / horizon
        placed += len(unit.members)
    fixed = sum(places[p].fixed_cost_eur_month for p in used_places)
    fixed_weighted = sum(
        places[p].fixed_cost_eur_month * (1.0 if places[p].internal else weight)
        for p in used_places
    )
    return GreedyResult(
        monthly_cost_eur=run + blocks_cost + fixed,
        one_off_migration_eur=moves,
        objective_eur=objective + blocks_cost + fixed_weighted,
        blocks_built=built,
        placed=placed,
        unplaced=unplaced,
    )

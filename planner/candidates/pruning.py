"""Drop placement options that can never be needed: same optimum, far fewer variables.

An external offer with no quota and no fixed cost is *free*: nothing but the unit's own
assignment row limits how much goes there. A free option B of a unit is dominated by another
free option A when A is no worse on everything the model weighs or caps: the objective
coefficient, the real monthly run cost (monthly budget, outsourced share), the one-off move cost
(migration budget) and the number of moves (move cap). Any solution using B stays feasible and
no worse when that placement switches to A; a unit in an anti-affinity group of g units may find
g - 1 of its dominating places taken by the others, so it keeps B unless g kept options dominate
it.

Where the scenario buys commitments, an offer with a term to buy is never free: its options
feed the commitment rows (what its commitments cover), so they are neither dropped nor allowed
to dominate. Switching a placement between two free offers leaves those rows unchanged, so
the argument above holds with the 'commitment' family in the model.

That argument holds for the constraint families in SOUND_FOR only, so the caller passes the
families its model has and nothing is pruned if one is not among them: a provider-share cap, for
one, couples providers through the total spend (a dearer option elsewhere loosens every other
provider's cap), and a family added later is unsound until it is shown sound and listed here.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import replace

from planner.candidates.commitments import committed_offers
from planner.candidates.evaluate import objective_eur_month
from planner.candidates.periods import PeriodCandidates
from planner.candidates.places import Place
from planner.candidates.units import Candidates, Option, Unit
from planner.inputs.frozen import Inputs
from planner.inputs.schema import RESOURCES, Objective

# the families (planner.optimise.rows.RowKind values, 'cap:<code>' for caps) for which a free
# option no better than another on objective, run cost, move cost and moves is never needed
SOUND_FOR: frozenset[str] = frozenset(
    {
        "assignment",
        "capacity",
        "quota",
        "activation",
        "anti_affinity",
        "cap:outsourced_share",
        "cap:monthly_budget",
        "cap:migration_budget",
        "cap:max_moves",
        "commitment",
    }
)


def _free_places(cands: Candidates) -> set[str]:
    free = set()
    committed = committed_offers(cands)
    for place in cands.places:
        if place.id in committed:
            continue
        offer = place.offer
        if offer is None or place.fixed_cost_eur_month > 0:
            continue
        if all(offer.quota.get(r) is None for r in RESOURCES):
            free.add(place.id)
    return free


def _prune(
    options: tuple[Option, ...],
    free: set[str],
    keep: int,
    places: dict[str, Place],
    objective: Objective,
) -> tuple[Option, ...]:
    def key(o: Option) -> tuple[float, float, float, int]:
        weighed = objective_eur_month(
            places[o.place_id], o, objective.internal_preference_pct, objective.horizon_months
        )
        return (weighed, o.run_cost_eur_month, o.move_cost_eur, o.moves)

    candidates = sorted(
        ((key(o), o) for o in options if o.place_id in free), key=lambda pair: pair[0]
    )
    kept: list[tuple[tuple[float, float, float, int], Option]] = []
    dropped: set[str] = set()
    for k, option in candidates:
        dominators = 0
        for other, _ in kept:
            if all(a <= b for a, b in zip(other, k, strict=True)):
                dominators += 1
                if dominators >= keep:
                    break
        if dominators >= keep:
            dropped.add(option.place_id)
        else:
            kept.append((k, option))
    if not dropped:
        return options
    return tuple(o for o in options if o.place_id not in dropped)


def prune_dominated(inputs: Inputs, cands: Candidates, kinds: Collection[str]) -> Candidates:
    """The same candidates without dominated free options (see the module docstring), or the
    candidates unchanged if the model's constraint families `kinds` are not all SOUND_FOR."""
    if not set(kinds) <= SOUND_FOR:
        return cands
    free = _free_places(cands)
    if not free:
        return cands
    objective = inputs.scenario.objective
    places = {p.id: p for p in cands.places}
    keep: dict[str, int] = {}  # 1 + the other units of every anti-affinity group it is in
    for group_units in cands.anti_affinity.values():
        for uid in group_units:
            keep[uid] = keep.get(uid, 1) + len(group_units) - 1
    units: list[Unit] = []
    for unit in cands.units:
        options = _prune(unit.options, free, keep.get(unit.id, 1), places, objective)
        units.append(unit if options is unit.options else replace(unit, options=options))
    return replace(cands, units=tuple(units))


def _dominates(a: dict[int, tuple[float, ...]], b: dict[int, tuple[float, ...]]) -> bool:
    """a is an option in every period b is, and no worse there on every count."""
    return all(t in a and all(x <= y for x, y in zip(a[t], k, strict=True)) for t, k in b.items())


def prune_dominated_over_periods(
    periods: tuple[PeriodCandidates, ...], kinds: Collection[str]
) -> tuple[PeriodCandidates, ...]:
    """A roadmap's periods without the free options dominated over the whole horizon.

    Option B of a unit goes, in every period, when another option A is free and an option in
    every period B is, and no worse than B there on the objective, the real run cost, the move
    cost and the moves (ties: the smaller place id stays). A path of the unit through B
    (moving there in some wave, staying to the end, or moving on) then has a path through A
    in the same waves, no dearer and feasible: the wave rules and yearly budgets count moves,
    moved demand, one-off costs and opex, none more on A; A and B are free, so no capacity,
    quota or activation row holds either. A unit in an anti-affinity group keeps every option
    (its replicas may take a different A in each period). Nothing is pruned unless every
    family of each period's model is in SOUND_FOR."""
    if not periods or not set(kinds) <= SOUND_FOR:
        return periods
    objective = periods[0].inputs.scenario.objective
    grouped = {uid for pc in periods for units in pc.cands.anti_affinity.values() for uid in units}
    keys: dict[str, dict[str, dict[int, tuple[float, ...]]]] = {}
    for t, pc in enumerate(periods):
        free = _free_places(pc.cands)
        places = {p.id: p for p in pc.cands.places}
        for unit in pc.cands.units:
            table = keys.setdefault(unit.id, {})
            for o in unit.options:
                weighed = objective_eur_month(
                    places[o.place_id],
                    o,
                    objective.internal_preference_pct,
                    objective.horizon_months,
                )
                # a place not free in some period: never a dominator nor dominated (inf)
                k = (weighed, o.run_cost_eur_month, o.move_cost_eur, float(o.moves))
                table.setdefault(o.place_id, {})[t] = (
                    k if o.place_id in free else (float("inf"),) * 4
                )
    dropped: dict[str, set[str]] = {}
    for uid, table in keys.items():
        if uid in grouped:
            continue
        for b, kb in table.items():
            if any(math.isinf(k[0]) for k in kb.values()):
                continue
            for a, ka in table.items():
                if a == b or not _dominates(ka, kb):
                    continue
                if not _dominates(kb, ka) or a < b:
                    dropped.setdefault(uid, set()).add(b)
                    break
    if not dropped:
        return periods
    out = []
    for pc in periods:
        units = tuple(
            unit
            if unit.id not in dropped
            else replace(
                unit, options=tuple(o for o in unit.options if o.place_id not in dropped[unit.id])
            )
            for unit in pc.cands.units
        )
        out.append(replace(pc, cands=replace(pc.cands, units=units)))
    return tuple(out)

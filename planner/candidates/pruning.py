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

from collections.abc import Collection
from dataclasses import replace

from planner.candidates.commitments import committed_offers
from planner.candidates.evaluate import objective_eur_month
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

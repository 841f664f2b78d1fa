"""Why each workload went where it did: one reason per workload, as codes and numbers
(planner.plan.facts; planner/render/wording.py makes the sentences).

The reason compares the chosen place with the unit's other eligible places by their cost in
the objective (run cost, weighted by the in-house preference for external places, plus the
move cost amortised over the horizon), but its sentences give real monthly costs, and name the
preference where it is what makes a dearer place the better one. If nothing cheaper was left
unused, the choice is explained by prices (cheapest, in-house preference, move cost,
outsourced as dearer in-house); otherwise by what kept the cheaper place out of reach
(capacity, contract, anti-affinity, cap).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from planner.candidates.costs import demand_on, site_use
from planner.candidates.eligibility import Refusal
from planner.candidates.evaluate import Evaluator, Var, objective_eur_month
from planner.candidates.places import Place
from planner.candidates.units import Candidates, Option, Unit, _Pricer
from planner.inputs.frozen import Inputs
from planner.inputs.schema import Amounts, Workload
from planner.optimise.caps import CapContext, CapRef, CapState
from planner.optimise.solve import SolveResult
from planner.plan.facts import (
    AffinityGroup,
    AntiAffinity,
    CapacityFull,
    Cheapest,
    Comparison,
    ContractNotWorth,
    CurrentRefused,
    ForcedByCap,
    FullPlace,
    InHousePreference,
    KeptMoveCost,
    Occupant,
    OutsourcedCheaper,
    Pinned,
    PricedBlock,
    Reason,
    Retired,
    RoomTaken,
    Shortfall,
    SolverChoice,
)

EPS_EUR = 0.005
EPS_USE = 1e-6
SHOWN = 3  # workloads a reason names before "and N more"

Short = tuple[str, float, float]  # (resource, needed, free)


@dataclass(frozen=True)
class Priced:
    """One eligible place of a unit with the costs that decide between places (per member)."""

    option: Option
    place: Place
    real_eur_month: float  # run cost + amortised move cost, unweighted
    objective_eur_month: float  # as the objective sees it (external run cost weighted)


class PlanState:
    """What the solution uses of every place, and which caps bind."""

    def __init__(
        self,
        inputs: Inputs,
        cands: Candidates,
        result: SolveResult,
        after: dict[str, str] | None = None,
    ) -> None:
        self.inputs = inputs
        self.cands = cands
        self.after = after or {}  # workload id -> place, when the placements are known
        # (site, resource) -> workloads moved in and all placed there, largest users first
        self.occupants: dict[
            tuple[str, str], tuple[list[tuple[str, float]], list[tuple[str, float]]]
        ] = {}
        self.share_reference_eur = result.share_reference_eur  # the share caps' denominator
        self.members = {u.id: u.members for u in cands.units}
        self.places = {p.id: p for p in cands.places}
        self.evaluator = Evaluator(cands)
        self.decision = self.evaluator.decision(result.x, result.k, result.y, result.c)
        self.evaluation = self.evaluator.evaluate(self.decision)
        self._ids: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
        self._limits: dict[tuple[str, str], float] = {}
        self._placed_at: dict[str, list[str]] | None = None
        self.unit_at: dict[str, set[str]] = defaultdict(set)  # place -> unit ids placed there
        # place -> anti-affinity group -> unit ids placed there (one lookup, not a scan)
        self.group_at: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for unit in cands.units:
            for o in unit.options:
                if result.x.get((unit.id, o.place_id), 0.0) <= 0:
                    continue
                self.unit_at[o.place_id].add(unit.id)
                for wid in unit.members:
                    group = cands.workloads[wid].anti_affinity_group
                    if group:
                        self.group_at[o.place_id][group].add(unit.id)
        self.blocks: dict[tuple[str, str], float] = dict(result.k)
        self.opened = {p for p, y in result.y.items() if y > 0}
        ctx = CapContext(inputs, cands, self.evaluator, result.share_reference_eur)
        self.cap_state = CapState(ctx, self.decision)  # the caps ask the plan, not us
        self.binding_caps = self.cap_state.over(EPS_EUR)

    def placed_at(self, place_id: str) -> list[str]:
        """The workloads the plan puts at a place, in the order of `after`."""
        if self._placed_at is None:
            self._placed_at = defaultdict(list)
            for wid, place in self.after.items():
                self._placed_at[place].append(wid)
        return self._placed_at.get(place_id, [])

    def occupant_ids(self, site_id: str, resource: str) -> tuple[set[str], set[str]]:
        """The ids of `_occupants`' two lists (moved in, all placed), once per key."""
        key = (site_id, resource)
        if key not in self._ids:
            arrived, there = _occupants(self, site_id, resource)
            self._ids[key] = ({wid for wid, _ in arrived}, {wid for wid, _ in there})
        return self._ids[key]

    def caps_against(self, unit: Unit, chosen: Priced, other: Priced) -> list[CapRef]:
        """Caps that moving one member of `unit` from `chosen` to `other` would break."""
        change = {Var("x", unit.id, chosen.place.id): -1.0, Var("x", unit.id, other.place.id): 1.0}
        if other.place.id not in self.opened and other.place.fixed_cost_eur_month > 0:
            change[Var("y", other.place.id)] = 1.0
        return self.cap_state.over(-EPS_EUR, change)

    def unbuilt_blocks(self, place_id: str, resources: set[str]) -> tuple[PricedBlock, ...]:
        """Blocks adding one of `resources` that the plan could still build at a place."""
        site = self.places[place_id].site
        if site is None:
            return ()
        return tuple(
            PricedBlock(block=b.id, cost_eur_month=b.cost_eur_month)
            for b in site.expansion_blocks
            if self.blocks.get((site.id, b.id), 0.0) < b.max_blocks
            and any(b.adds.get(r) > 0 for r in resources)
        )

    def limit(self, place_id: str, r: str) -> float:
        """Capacity of a place for resource r after the plan's expansions (inf: unbounded);
        worked out once per place and resource (the plan does not change)."""
        key = (place_id, r)
        known = self._limits.get(key)
        if known is None:
            limit = self.evaluator.limit(place_id, r, self.decision)
            known = self._limits[key] = float("inf") if limit is None else limit
        return known

    def shortfall(self, place_id: str, use: Amounts) -> list[Short]:
        """(resource, needed, free) for each resource the place cannot spare for `use`."""
        out = []
        for r, amount in use.items():
            free = self.limit(place_id, r) - self.evaluation.used(place_id, r)
            if amount > free + EPS_USE:
                out.append((r, amount, max(free, 0.0)))
        return out


def priced_options(inputs: Inputs, cands: Candidates, unit: Unit) -> list[Priced]:
    """The unit's eligible places with their real and objective monthly costs (per member)."""
    objective = inputs.scenario.objective
    places = {p.id: p for p in cands.places}
    out = []
    for o in unit.options:
        place = places[o.place_id]
        move = o.move_cost_eur / objective.horizon_months
        out.append(
            Priced(
                o,
                place,
                o.run_cost_eur_month + move,
                objective_eur_month(
                    place, o, objective.internal_preference_pct, objective.horizon_months
                ),
            )
        )
    return sorted(out, key=lambda p: (p.objective_eur_month, p.place.id))


def compared(other: Priced, chosen: Priced, pct: float) -> Comparison:
    """`other`'s real monthly cost against `chosen`'s (`other` being the better one in the
    objective), with the in-house preference named where it is what makes the difference."""
    diff = other.real_eur_month - chosen.real_eur_month
    if diff < -EPS_EUR:
        return Comparison(
            place=other.place.id,
            verdict="cheaper",
            difference_eur_month=-diff,
            preference=None,
            preference_pct=pct,
        )
    in_house = other.place.internal and not chosen.place.internal
    return Comparison(
        place=other.place.id,
        verdict="dearer" if diff > EPS_EUR else "same",
        difference_eur_month=max(diff, 0.0),
        preference="in_house" if in_house else "weights_external",
        preference_pct=pct,
    )


def partners(state: PlanState, unit: Unit, place_id: str) -> tuple[str, list[str]] | None:
    """An anti-affinity group of the unit's members and the partners of that group the plan
    puts at `place_id` (None if it puts none there)."""
    workloads = state.cands.workloads
    groups = sorted({g for wid in unit.members if (g := workloads[wid].anti_affinity_group)})
    for group in groups:
        units = sorted(u for u in state.group_at[place_id].get(group, ()) if u != unit.id)
        ids = sorted(
            wid
            for u in units
            for wid in state.members[u]
            if workloads[wid].anti_affinity_group == group
        )
        if ids:
            return group, ids
    return None


def _occupants(
    state: PlanState, site_id: str, resource: str
) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """(workloads the plan moves in, all workloads it puts) at a site, each with its use of
    `resource`, the largest users first (then by id); computed once per site and resource."""
    key = (site_id, resource)
    if key not in state.occupants:
        site = state.places[site_id].site
        assert site is not None
        workloads = state.cands.workloads
        uses: dict[Amounts, float] = {}  # many workloads share a demand: priced once each
        placed = []
        for wid in state.placed_at(site_id):
            demand = demand_on(workloads[wid], site_id)
            use = uses.get(demand)
            if use is None:
                use = uses[demand] = site_use(site, demand).get(resource)
            placed.append((wid, use))
        there = sorted(placed, key=lambda item: (-item[1], item[0]))
        arrived = [item for item in there if workloads[item[0]].current_site != site_id]
        state.occupants[key] = (arrived, there)
    return state.occupants[key]


def _others(
    group: list[tuple[str, float]], ids: set[str], members: tuple[str, ...]
) -> tuple[list[tuple[str, float]], int]:
    """The first SHOWN items of `group` (whose workload ids are `ids`) that are not the
    unit's `members`, and how many are not."""
    inside = set(members)
    shown: list[tuple[str, float]] = []
    for item in group:
        if len(shown) == SHOWN:
            break
        if item[0] not in inside:
            shown.append(item)
    return shown, len(group) - sum(1 for wid in inside if wid in ids)


def room_taken(state: PlanState, unit: Unit, site_id: str, resource: str) -> RoomTaken | None:
    """Who has the room a unit leaves at its current site: the workloads the plan moves in,
    else those it keeps there, the largest users of `resource` first."""
    if state.places[site_id].site is None or not state.after:
        return None
    arrived, there = _occupants(state, site_id, resource)
    arrived_ids, there_ids = state.occupant_ids(site_id, resource)
    shown, count = _others(arrived, arrived_ids, unit.members)
    moved_in = count > 0
    if not moved_in:
        shown, count = _others(there, there_ids, unit.members)
    if not count:
        return None
    return RoomTaken(
        site=site_id,
        resource=resource,
        moved_in=moved_in,
        shown=tuple(Occupant(workload=wid, amount=amount) for wid, amount in shown),
        count=count,
    )


def _current_site(state: PlanState, unit: Unit) -> str | None:
    """The site all the unit's members run on today, if they share one."""
    sites = {state.cands.workloads[wid].current_site for wid in unit.members}
    return sites.pop() if len(sites) == 1 else None


def _by_price(inputs: Inputs, chosen: Priced, others: list[Priced], current: str | None) -> Reason:
    pct = inputs.scenario.objective.internal_preference_pct
    horizon = inputs.scenario.objective.horizon_months
    here = chosen.place.id
    if not others:
        return Cheapest(place=here, cost_eur_month=chosen.real_eur_month)
    # places that would win but for their one-off move cost
    run_cheaper = [
        p
        for p in others
        if p.option.move_cost_eur > 0
        and p.objective_eur_month - p.option.move_cost_eur / horizon
        < chosen.objective_eur_month - EPS_EUR
    ]
    if here == current and run_cheaper:
        best = min(run_cheaper, key=lambda p: p.option.run_cost_eur_month)
        return KeptMoveCost(
            place=here,
            cheaper=best.place.id,
            saving_eur_month=chosen.option.run_cost_eur_month - best.option.run_cost_eur_month,
            horizon_months=horizon,
            move_cost_eur=best.option.move_cost_eur,
        )
    real_cheaper = [
        p
        for p in others
        if not p.place.internal and p.real_eur_month < chosen.real_eur_month - EPS_EUR
    ]
    if chosen.place.internal and real_cheaper:
        best = min(real_cheaper, key=lambda p: p.real_eur_month)
        saving = chosen.real_eur_month - best.real_eur_month
        return InHousePreference(
            place=here,
            cheaper=best.place.id,
            saving_eur_month=saving,
            saving_pct=100 * saving / chosen.real_eur_month,
            preference_pct=pct,
        )
    internal = [p for p in others if p.place.internal]
    if not chosen.place.internal and internal:
        best = min(internal, key=lambda p: p.real_eur_month)
        dearer = best.real_eur_month - chosen.real_eur_month
        return OutsourcedCheaper(
            place=here,
            in_house=best.place.id,
            in_house_eur_month=best.real_eur_month,
            dearer_eur_month=dearer,
            dearer_pct=100 * dearer / best.real_eur_month,
            preference_pct=pct,
        )
    runner = others[0]
    moves = chosen.option.move_cost_eur > 0 or runner.option.move_cost_eur > 0
    return Cheapest(
        place=here,
        cost_eur_month=chosen.real_eur_month,
        runner=runner.place.id,
        runner_eur_month=runner.real_eur_month,
        moves_amortised_months=horizon if moves else None,
        no_internal_site=not chosen.place.internal,
    )


def _full_place(p: Priced, chosen: Priced, pct: float, short: list[Short]) -> FullPlace:
    return FullPlace(
        comparison=compared(p, chosen, pct),
        internal=p.place.internal,
        shortfalls=tuple(Shortfall(resource=r, needed=n, free=f) for r, n, f in short),
    )


def _blocked(
    state: PlanState, unit: Unit, chosen: Priced, better: list[Priced], proven: bool
) -> Reason:
    here = chosen.place.id
    internal = chosen.place.internal
    pct = state.inputs.scenario.objective.internal_preference_pct
    full = []
    for p in better:
        short = state.shortfall(p.place.id, p.option.use)
        if short:
            full.append((p, short))
    best = better[0]
    versus = compared(best, chosen, pct)
    if full and full[0][0] is best:
        current = _current_site(state, unit)
        evicted = next((short for p, short in full[:3] if p.place.id == current), None)
        room = None
        if current is not None and evicted is not None:
            room = room_taken(state, unit, current, evicted[0][0])
        return CapacityFull(
            place=here,
            internal=internal,
            best_is_full=True,
            full=tuple(_full_place(p, chosen, pct, short) for p, short in full[:3]),
            blocks=state.unbuilt_blocks(best.place.id, {r for r, _, _ in full[0][1]}),
            room=room,
        )
    if best.place.fixed_cost_eur_month > 0 and best.place.id not in state.opened:
        return ContractNotWorth(
            comparison=versus, contract_eur_month=best.place.fixed_cost_eur_month
        )
    partnered = partners(state, unit, best.place.id)
    if partnered is not None:
        group, ids = partnered
        return AntiAffinity(
            comparison=versus, group=group, partners=tuple(ids[:SHOWN]), partner_count=len(ids)
        )
    caps = state.caps_against(unit, chosen, best) or state.binding_caps
    if caps:
        return ForcedByCap(place=here, internal=internal, comparison=versus, caps=tuple(caps))
    if full:
        p, short = full[0]
        return CapacityFull(
            place=here,
            internal=internal,
            best_is_full=False,
            full=(_full_place(p, chosen, pct, short),),
        )
    return SolverChoice(comparison=versus, proven=proven)


def unit_reason(state: PlanState, unit: Unit, place_id: str, proven: bool) -> Reason:
    """The decisive reason for placing `unit` (one member of it, for a class) on `place_id`."""
    inputs = state.inputs
    first = state.cands.workloads[unit.members[0]]
    options = priced_options(inputs, state.cands, unit)
    chosen = next(p for p in options if p.place.id == place_id)
    if first.pin is not None:
        return Pinned(place=place_id)
    others = [p for p in options if p is not chosen]
    better = [p for p in others if p.objective_eur_month < chosen.objective_eur_month - EPS_EUR]
    reason = (
        _blocked(state, unit, chosen, better, proven)
        if better
        else _by_price(inputs, chosen, others, first.current_site)
    )
    if unit.kind == "affinity":
        assert first.affinity_group is not None
        return AffinityGroup(group=first.affinity_group, members=len(unit.members), then=reason)
    return reason


def _forced_off(pricer: _Pricer, workload: Workload, current: str, then: Reason) -> Reason:
    """The workload must leave its current place: that is the decisive reason."""
    place = next((p for p in pricer.places if p.id == current), None)
    verdict = None if place is None else pricer.refusal(workload, place)
    why = verdict.reason if isinstance(verdict, Refusal) else None
    return CurrentRefused(current=current, refusal=why, then=then)


def placement_reasons(
    inputs: Inputs,
    cands: Candidates,
    result: SolveResult,
    after: dict[str, str],
    proven: bool = True,
) -> dict[str, Reason]:
    """Workload id -> reason, for every placed workload (`after`: id -> place) and retired one."""
    state = PlanState(inputs, cands, result, after)
    cache: dict[tuple[str, str], Reason] = {}
    pricer = _Pricer(inputs, cands.places)
    out: dict[str, Reason] = {}
    for unit in cands.units:
        for wid in unit.members:
            place_id = after.get(wid)
            if place_id is None:
                continue
            key = (unit.id, place_id)
            if key not in cache:
                cache[key] = unit_reason(state, unit, place_id, proven)
            out[wid] = cache[key]
            current = cands.workloads[wid].current_site
            if (
                current is not None
                and current != place_id
                and current not in {o.place_id for o in unit.options}
            ):
                out[wid] = _forced_off(pricer, cands.workloads[wid], current, cache[key])
    for wid in cands.retired:
        out[wid] = Retired()
    return out

"""Why each workload went where it did: one reason code and one sentence per workload.

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
from planner.candidates.evaluate import Decision, Evaluator, Var, objective_eur_month
from planner.candidates.places import Place
from planner.candidates.units import Candidates, Option, Unit, _Pricer
from planner.inputs.frozen import Inputs
from planner.inputs.schema import Amounts, Workload
from planner.optimise.caps import CapContext, CapState
from planner.optimise.solve import SolveResult
from planner.plan.document import Reason

EPS_EUR = 0.005
EPS_USE = 1e-6

CODES: dict[str, str] = {
    "pinned": "pinned to this place by the catalog",
    "affinity_group": "placed together with its affinity group",
    "cheapest": "cheapest eligible place",
    "in_house_preference": "in-house, external is cheaper but within the preference threshold",
    "outsourced_cheaper": "outsourced, in-house is dearer beyond the preference threshold",
    "kept_move_cost": "kept where it is, moving costs more than it saves over the horizon",
    "capacity_full": "a cheaper place lacks capacity (internal site full or offer quota used)",
    "contract_not_worth": "a cheaper offer needs a contract whose fixed cost is not worth it",
    "anti_affinity": "a cheaper place already holds a replica of its anti-affinity group",
    "forced_by_cap": "a cheaper place is ruled out by a binding policy cap",
    "solver_choice": "a cheaper place was not taken by the solver's incumbent (not proven optimal)",
    "current_refused": "its current place may no longer take it (policy, pin, exclusion...)",
    "retired": "retired in the catalog",
}


def eur(value: float) -> str:
    return f"€{value:,.2f}"


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
        self.decision = Decision(result.x, result.k, result.y)
        self.evaluation = self.evaluator.evaluate(self.decision)
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

    def caps_against(self, unit: Unit, chosen: Priced, other: Priced) -> list[str]:
        """Caps that moving one member of `unit` from `chosen` to `other` would break."""
        change = {Var("x", unit.id, chosen.place.id): -1.0, Var("x", unit.id, other.place.id): 1.0}
        if other.place.id not in self.opened and other.place.fixed_cost_eur_month > 0:
            change[Var("y", other.place.id)] = 1.0
        return self.cap_state.over(-EPS_EUR, change)

    def unbuilt_blocks(self, place_id: str, resources: set[str]) -> str:
        """Blocks adding one of `resources` that the plan could still build at a place:
        'rack (€120.00 / month)'."""
        site = self.places[place_id].site
        if site is None:
            return ""
        return " or ".join(
            f"{b.id} ({eur(b.cost_eur_month)} / month)"
            for b in site.expansion_blocks
            if self.blocks.get((site.id, b.id), 0.0) < b.max_blocks
            and any(b.adds.get(r) > 0 for r in resources)
        )

    def limit(self, place_id: str, r: str) -> float:
        """Capacity of a place for resource r after the plan's expansions (inf: unbounded)."""
        limit = self.evaluator.limit(place_id, r, self.decision)
        return float("inf") if limit is None else limit

    def shortfall(self, place_id: str, use: Amounts) -> list[tuple[str, float, float]]:
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


def compared(other: Priced, chosen: Priced, pct: float) -> str:
    """`other`'s real monthly cost against `chosen`'s (`other` being the better one in the
    objective), with the in-house preference named where it is what makes the difference."""
    diff = other.real_eur_month - chosen.real_eur_month
    if diff < -EPS_EUR:
        return f"cheaper by {eur(-diff)} / month"
    text = f"dearer by {eur(diff)} / month" if diff > EPS_EUR else "at the same monthly cost"
    if other.place.internal and not chosen.place.internal:
        return f"{text}, within the {pct:g} % in-house preference"
    return f"{text}, cheaper once the {pct:g} % in-house preference weighs external run costs"


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


def _listed(items: list[str], shown: int = 3) -> str:
    """'a, b, c and 4 more'."""
    head = ", ".join(items[:shown])
    return head + (f" and {len(items) - shown} more" if len(items) > shown else "")


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
        there = sorted(
            (
                (wid, site_use(site, demand_on(workloads[wid], site_id)).get(resource))
                for wid, p in state.after.items()
                if p == site_id
            ),
            key=lambda item: (-item[1], item[0]),
        )
        arrived = [item for item in there if workloads[item[0]].current_site != site_id]
        state.occupants[key] = (arrived, there)
    return state.occupants[key]


def room_taken(state: PlanState, unit: Unit, site_id: str, resource: str) -> str:
    """Who has the room a unit leaves at its current site: the workloads the plan moves in,
    else those it keeps there, the largest users of `resource` first."""
    if state.places[site_id].site is None or not state.after:
        return ""
    members = set(unit.members)
    arrived, there = (
        [(wid, amount) for wid, amount in group if wid not in members]
        for group in _occupants(state, site_id, resource)
    )
    named = arrived or there
    if not named:
        return ""
    listed = _listed([f"{wid} ({amount:g} {resource})" for wid, amount in named])
    if arrived:
        return f"its room at {site_id} went to workloads moved in: {listed}"
    return f"its room at {site_id} is held by the workloads staying there: {listed}"


def _current_site(state: PlanState, unit: Unit) -> str | None:
    """The site all the unit's members run on today, if they share one."""
    sites = {state.cands.workloads[wid].current_site for wid in unit.members}
    return sites.pop() if len(sites) == 1 else None


def _by_price(inputs: Inputs, chosen: Priced, others: list[Priced], current: str | None) -> Reason:
    pct = inputs.scenario.objective.internal_preference_pct
    horizon = inputs.scenario.objective.horizon_months
    here = chosen.place.id
    if not others:
        return Reason(
            code="cheapest",
            text=f"only eligible place: {here} at {eur(chosen.real_eur_month)} / month",
        )
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
        saving = chosen.option.run_cost_eur_month - best.option.run_cost_eur_month
        return Reason(
            code="kept_move_cost",
            text=(
                f"kept on {here}: moving to {best.place.id} would save {eur(saving)} / month, "
                f"{eur(saving * horizon)} over {horizon} months, less than its one-off move cost "
                f"of {eur(best.option.move_cost_eur)}"
            ),
        )
    real_cheaper = [
        p
        for p in others
        if not p.place.internal and p.real_eur_month < chosen.real_eur_month - EPS_EUR
    ]
    if chosen.place.internal and real_cheaper:
        best = min(real_cheaper, key=lambda p: p.real_eur_month)
        saving = chosen.real_eur_month - best.real_eur_month
        return Reason(
            code="in_house_preference",
            text=(
                f"in-house on {here}: {best.place.id} would cost {eur(saving)} / month less "
                f"({100 * saving / chosen.real_eur_month:.1f} %), within the {pct:g} % in-house "
                "preference threshold"
            ),
        )
    internal = [p for p in others if p.place.internal]
    if not chosen.place.internal and internal:
        best = min(internal, key=lambda p: p.real_eur_month)
        dearer = best.real_eur_month - chosen.real_eur_month
        return Reason(
            code="outsourced_cheaper",
            text=(
                f"outsourced to {here}: the cheapest eligible in-house site, {best.place.id}, "
                f"costs {eur(best.real_eur_month)} / month, dearer by {eur(dearer)} "
                f"({100 * dearer / best.real_eur_month:.1f} %), beyond the {pct:g} % in-house "
                "preference threshold"
            ),
        )
    runner = others[0]
    text = (
        f"cheapest eligible place: {here} at {eur(chosen.real_eur_month)} / month "
        f"(next: {runner.place.id} at {eur(runner.real_eur_month)})"
    )
    if chosen.option.move_cost_eur > 0 or runner.option.move_cost_eur > 0:
        text += f", one-off moves amortised over {horizon} months included"
    if not chosen.place.internal:
        text += "; no internal site may take it"
    return Reason(code="cheapest", text=text)


def _blocked(
    state: PlanState, unit: Unit, chosen: Priced, better: list[Priced], proven: bool
) -> Reason:
    here = chosen.place.id
    pct = state.inputs.scenario.objective.internal_preference_pct
    outsourced = "outsourced to" if not chosen.place.internal else "placed on"
    full = []
    for p in better:
        short = state.shortfall(p.place.id, p.option.use)
        if short:
            full.append((p, short))
    best = better[0]
    versus = compared(best, chosen, pct)
    if full and full[0][0] is best:
        what = "; ".join(
            f"{p.place.id} ({compared(p, chosen, pct)}) lacks "
            + ", ".join(f"{r} (needs {n:g}, {f:g} free)" for r, n, f in short)
            for p, short in full[:3]
        )
        kind = (
            "eligible internal sites are full"
            if all(p.place.internal for p, _ in full)
            else "cheaper places are full"
        )
        blocks = state.unbuilt_blocks(best.place.id, {r for r, _, _ in full[0][1]})
        if blocks:
            what += f"; one more {blocks} at {best.place.id} would cost more than it saves"
        current = _current_site(state, unit)
        evicted = next((short for p, short in full[:3] if p.place.id == current), None)
        if current is not None and evicted is not None:
            taken = room_taken(state, unit, current, evicted[0][0])
            what += f"; {taken}" if taken else ""
        return Reason(code="capacity_full", text=f"{outsourced} {here} because {kind}: {what}")
    if best.place.fixed_cost_eur_month > 0 and best.place.id not in state.opened:
        return Reason(
            code="contract_not_worth",
            text=(
                f"{best.place.id} ({versus}) needs a contract of "
                f"{eur(best.place.fixed_cost_eur_month)} / month that the plan does not take"
            ),
        )
    partnered = partners(state, unit, best.place.id)
    if partnered is not None:
        group, ids = partnered
        return Reason(
            code="anti_affinity",
            text=(
                f"{best.place.id} ({versus}) already holds its anti-affinity partner"
                f"{'s' if len(ids) > 1 else ''} {_listed(ids)} (group '{group}')"
            ),
        )
    caps = state.caps_against(unit, chosen, best) or state.binding_caps
    if caps:
        return Reason(
            code="forced_by_cap",
            text=(
                f"{outsourced} {here}: {best.place.id} ({versus}) would break the "
                f"cap{'s' if len(caps) > 1 else ''} " + ", ".join(caps)
            ),
        )
    if full:
        p, short = full[0]
        return Reason(
            code="capacity_full",
            text=(
                f"{outsourced} {here}: {p.place.id} ({compared(p, chosen, pct)}) lacks "
                + ", ".join(f"{r} (needs {n:g}, {f:g} free)" for r, n, f in short)
            ),
        )
    status = "the optimum" if proven else "the solver's incumbent (not proven optimal)"
    return Reason(
        code="solver_choice",
        text=(
            f"{best.place.id} ({versus}) is not taken: {status} trades it for the placement of "
            "other workloads"
        ),
    )


def unit_reason(state: PlanState, unit: Unit, place_id: str, proven: bool) -> Reason:
    """The decisive reason for placing `unit` (one member of it, for a class) on `place_id`."""
    inputs = state.inputs
    first = state.cands.workloads[unit.members[0]]
    options = priced_options(inputs, state.cands, unit)
    chosen = next(p for p in options if p.place.id == place_id)
    if first.pin is not None:
        return Reason(code="pinned", text=f"pinned to {place_id} by its catalog entry")
    others = [p for p in options if p is not chosen]
    better = [p for p in others if p.objective_eur_month < chosen.objective_eur_month - EPS_EUR]
    reason = (
        _blocked(state, unit, chosen, better, proven)
        if better
        else _by_price(inputs, chosen, others, first.current_site)
    )
    if unit.kind == "affinity":
        group = first.affinity_group
        return Reason(
            code="affinity_group",
            text=(
                f"placed with its affinity group '{group}' ({len(unit.members)} workloads, "
                f"decided together): {reason.text}"
            ),
        )
    return reason


def _forced_off(pricer: _Pricer, workload: Workload, current: str, then: Reason) -> Reason:
    """The workload must leave its current place: that is the decisive reason."""
    place = next((p for p in pricer.places if p.id == current), None)
    verdict = None if place is None else pricer.refusal(workload, place)
    why = (
        verdict.reason if isinstance(verdict, Refusal) else ("its affinity group may not run there")
    )
    return Reason(
        code="current_refused", text=f"may no longer run on {current} ({why}); {then.text}"
    )


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
        out[wid] = Reason(code="retired", text="retired in the catalog: no longer placed")
    return out

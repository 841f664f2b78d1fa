"""Eligibility + costs -> placement units and their sparse candidate places.

A unit is what the model places: one workload; an affinity group (placed as one, demand and
cost summed); or a class of identical workloads (same demand, data class, needs, current site,
no group, no per-site override) placed with one integer variable per place and split back
deterministically afterwards. Only eligible (unit, place) pairs are kept.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from planner.candidates.costs import Pricing, demand_on, pricing
from planner.candidates.eligibility import Refusal, policy_refusal, refused, workload_refusal
from planner.candidates.evaluate import max_capacity
from planner.candidates.places import Place, build_places
from planner.candidates.sizing import SizedDemand
from planner.errors import InputError, InputIssue
from planner.inputs.frozen import Inputs
from planner.inputs.schema import Amounts, Workload


@dataclass(frozen=True)
class Option:
    """One eligible place for a unit; amounts are per unit of the placement variable."""

    place_id: str
    run_cost_eur_month: float
    move_cost_eur: float
    moves: int
    use: Amounts
    basis: str
    member_costs_eur_month: tuple[float, ...]  # per member (one value for a class: each)
    member_basis: tuple[str, ...]
    # per member: the run cost a commitment may cover, and the flavour it runs on (none: not
    # a flavour)
    member_compute_eur_month: tuple[float, ...]
    member_flavour: tuple[str | None, ...]


@dataclass(frozen=True)
class Unit:
    """What the model places: a workload, an affinity group, or a class of identical ones."""

    id: str
    kind: str  # "workload" | "affinity" | "class"
    members: tuple[str, ...]
    count: int
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Candidates:
    """Sparse eligible pairs and what the later stages need about each workload."""

    places: tuple[Place, ...]
    units: tuple[Unit, ...]
    anti_affinity: dict[str, tuple[str, ...]]  # group -> unit ids
    retired: tuple[str, ...]
    current_pricing: dict[str, Pricing]  # workload id -> pricing on its current place
    workloads: dict[str, Workload]
    # the offers' commitment terms may be bought (the scenario's objective.buy_commitments)
    buy_commitments: bool = False
    # the sizing stage's output (None: planned as provisioned), and the pricing on its current
    # place of each workload at its sized demand (empty when nothing is sized): today's
    # placements with the sized demand, for the plan's split of the saving
    sizing: SizedDemand | None = None
    sized_current_pricing: dict[str, Pricing] = field(default_factory=dict)


class _Pricer:
    """Caches policy verdicts per (data class, place) and prices per (demand, egress, place)."""

    def __init__(self, inputs: Inputs, places: tuple[Place, ...]) -> None:
        self.inputs = inputs
        self.places = places
        self._policy: dict[tuple[str, str], Refusal | None] = {}
        self._price: dict[tuple[Amounts, float, str], Pricing | Refusal] = {}
        # the verdict of a workload without per-site overrides, once per (demand, egress,
        # place): its price, or the refusal of that price or of its size
        self._sized: dict[tuple[Amounts, float, str], Pricing | Refusal] = {}
        self._demand: dict[int, Amounts] = {}  # id(workload.demand) -> its amounts
        self._max = {p.id: max_capacity(p) for p in places}

    def policy(self, data_class: str, place: Place) -> Refusal | None:
        key = (data_class, place.id)
        if key not in self._policy:
            day = self.inputs.scenario.reference_date
            refusal = policy_refusal(self.inputs.policy, data_class, place, day)
            end = self.inputs.period_end
            if refusal is None and end is not None and end != day:
                refusal = policy_refusal(self.inputs.policy, data_class, place, end)
            self._policy[key] = refusal
        return self._policy[key]

    def price(self, workload: Workload, place: Place) -> Pricing | Refusal:
        override = workload.site_overrides.get(place.id)
        demand = demand_on(workload, place.id)
        key = (demand, workload.egress_gib_month, place.id)
        if key not in self._price:
            self._price[key] = pricing(place, demand, workload.egress_gib_month)
        result = self._price[key]
        if override is not None and override.cost_eur_month is not None:
            # a negotiated price or an invoice replaces the catalog price, even where the
            # catalog has none for this size
            use = result.capacity_use if isinstance(result, Pricing) else demand
            return Pricing(override.cost_eur_month, "per-site override", use)
        return result

    def refusal(self, workload: Workload, place: Place) -> Refusal | Pricing:
        """Why `place` may not take `workload`, or its pricing there."""
        refusal = workload_refusal(workload, place) or self.policy(workload.data_class, place)
        if refusal is not None:
            return refusal
        if workload.site_overrides:
            return self._sized_verdict(workload, place)
        demand = self._demand.get(id(workload.demand))
        if demand is None:
            demand = self._demand[id(workload.demand)] = workload.demand.amounts()
        key = (demand, workload.egress_gib_month, place.id)
        verdict = self._sized.get(key)
        if verdict is None:
            verdict = self._sized[key] = self._sized_verdict(workload, place)
        return verdict

    def _sized_verdict(self, workload: Workload, place: Place) -> Refusal | Pricing:
        """The pricing of `workload` at `place`, or why its price or its size is refused."""
        priced = self.price(workload, place)
        if isinstance(priced, Refusal):
            return priced
        limit = self._max[place.id]
        if limit is not None:
            for (r, use), cap in zip(priced.capacity_use.items(), limit, strict=True):
                if use > cap + 1e-9:
                    return refused(
                        "too_large", "too_large", use=f"{use:g}", resource=r, cap=f"{cap:g}"
                    )
        return priced


def _option(members: list[Workload], place: Place, prices: list[Pricing]) -> Option:
    if len(prices) == 1:  # one workload or a class's representative: its own use and cost
        return _single_option(members[0], place, prices[0])
    use = Amounts.of(lambda r: sum(p.capacity_use.get(r) for p in prices))
    moving = [w for w in members if w.current_site is not None and w.current_site != place.id]
    basis = prices[0].basis if len(prices) == 1 else "sum of members"
    return Option(
        place_id=place.id,
        run_cost_eur_month=sum(p.run_cost_eur_month for p in prices),
        move_cost_eur=sum(w.move_cost_eur for w in moving),
        moves=len(moving),
        use=use,
        basis=basis,
        member_costs_eur_month=tuple(p.run_cost_eur_month for p in prices),
        member_basis=tuple(p.basis for p in prices),
        member_compute_eur_month=tuple(p.compute_eur_month for p in prices),
        member_flavour=tuple(p.flavour for p in prices),
    )


def _single_option(w: Workload, place: Place, price: Pricing) -> Option:
    """`_option` of one workload (the sums of one term, without summing)."""
    moves = w.current_site is not None and w.current_site != place.id
    return Option(
        place_id=place.id,
        run_cost_eur_month=0 + price.run_cost_eur_month,
        move_cost_eur=0 + w.move_cost_eur if moves else 0,
        moves=1 if moves else 0,
        use=tuple.__new__(Amounts, [0 + float(u) for u in price.capacity_use]),
        basis=price.basis,
        member_costs_eur_month=(price.run_cost_eur_month,),
        member_basis=(price.basis,),
        member_compute_eur_month=(price.compute_eur_month,),
        member_flavour=(price.flavour,),
    )


def _class_key(w: Workload, by_owner: bool) -> tuple[object, ...] | None:
    """What makes workloads identical for the model (their owner too with owner budgets)."""
    if w.affinity_group or w.anti_affinity_group or w.site_overrides:
        return None
    key = (
        w.data_class,
        w.needs_24_7,
        w.demand.amounts(),
        w.current_site,
        w.pin,
        w.exclude,
        w.egress_gib_month,
        w.move_cost_eur,
        # dated attributes: members of a class are identical in every period of a roadmap
        w.starts_on,
        w.retires_on,
        w.growth_pct_year,
        w.not_before,
        w.not_after,
        w.contract,
    )
    return (*key, w.owner) if by_owner else key


def refusals_for(inputs: Inputs, workload: Workload) -> dict[str, Refusal | Pricing]:
    """Per place: why it refuses the workload, or its pricing (for explanations)."""
    places = build_places(inputs)
    pricer = _Pricer(inputs, places)
    return {place.id: pricer.refusal(workload, place) for place in places}


def build_candidates(
    inputs: Inputs,
    aggregate: bool = True,
    unplaceable: list[Unit] | None = None,
    sizing: SizedDemand | None = None,
) -> Candidates:
    """Group workloads into units and keep only their eligible places.

    A unit no place may take is an input error, unless `unplaceable` is given: it is then
    appended there (with no options) and left out, for the infeasibility diagnosis.
    `sizing`: the sizing stage's output, whose `inputs` are `inputs`; the current pricing is
    then that of the workloads as provisioned (what they cost today).
    """
    places = build_places(inputs)
    by_id = {p.id: p for p in places}
    pricer = _Pricer(inputs, places)
    live = [w for w in inputs.workloads if not w.retire]
    groups: dict[str, list[Workload]] = defaultdict(list)
    classes: dict[tuple[object, ...], list[Workload]] = defaultdict(list)
    singles: list[list[Workload]] = []
    for w in live:
        key = _class_key(w, bool(inputs.scenario.caps.owner_budgets_eur)) if aggregate else None
        if w.affinity_group:
            groups[w.affinity_group].append(w)
        elif key is not None:
            classes[key].append(w)
        else:
            singles.append([w])
    batches: list[tuple[str, str, list[Workload]]] = []
    for name in sorted(groups):
        batches.append((f"group:{name}", "affinity", groups[name]))
    for members in classes.values():
        kind = "class" if len(members) > 1 else "workload"
        members.sort(key=lambda w: w.id)
        unit_id = f"class:{members[0].id}" if kind == "class" else members[0].id
        batches.append((unit_id, kind, members))
    for members in singles:
        batches.append((members[0].id, "workload", members))
    batches.sort(key=lambda b: b[0])

    units: list[Unit] = []
    issues: list[InputIssue] = []
    for unit_id, kind, members in batches:
        options: list[Option] = []
        refusals: dict[str, str] = {}
        representative = members[:1] if kind == "class" else members
        for place in places:
            prices: list[Pricing] = []
            for w in representative:
                verdict = pricer.refusal(w, place)
                if isinstance(verdict, Refusal):
                    refusals[place.id] = (
                        f"{w.id}: {verdict.reason}" if kind == "affinity" else (verdict.reason)
                    )
                    break
                prices.append(verdict)
            else:
                options.append(_option(representative, place, prices))
        if not options and unplaceable is not None:
            unplaceable.append(
                Unit(
                    unit_id,
                    kind,
                    tuple(w.id for w in members),
                    len(members) if kind == "class" else 1,
                    (),
                )
            )
            continue
        if not options:
            first = members[0]
            pos = inputs.where(f"workload:{first.id}")
            detail = "; ".join(f"{pid}: {why}" for pid, why in refusals.items())
            what = (
                f"affinity group '{first.affinity_group}'"
                if kind == "affinity"
                else (f"workload '{first.id}'")
            )
            issues.append(
                InputIssue(
                    f"no site or offer may take {what}",
                    pos.file,
                    pos.line,
                    field="data_class",
                    hint=detail,
                )
            )
            continue
        units.append(
            Unit(
                unit_id,
                kind,
                tuple(w.id for w in members),
                len(members) if kind == "class" else 1,
                tuple(options),
            )
        )
    if issues:
        raise InputError(issues)

    workloads = {w.id: w for w in inputs.workloads}
    anti: dict[str, list[str]] = defaultdict(list)
    for unit in units:
        for wid in unit.members:
            group = workloads[wid].anti_affinity_group
            if group and unit.id not in anti[group]:
                anti[group].append(unit.id)

    current = _current_pricing(inputs, sizing, pricer, by_id)
    sized_current: dict[str, Pricing] = {}
    if sizing is not None and sizing.in_play:
        sized_current = _current_pricing(inputs, None, pricer, by_id)
    return Candidates(
        places=places,
        units=tuple(units),
        anti_affinity={g: tuple(u) for g, u in sorted(anti.items()) if len(u) > 1},
        retired=tuple(sorted(w.id for w in inputs.workloads if w.retire)),
        current_pricing=current,
        workloads=workloads,
        buy_commitments=inputs.scenario.objective.buy_commitments,
        sizing=sizing if sizing is not None and sizing.in_play else None,
        sized_current_pricing=sized_current,
    )


def _current_pricing(
    inputs: Inputs, sizing: SizedDemand | None, pricer: _Pricer, by_id: dict[str, Place]
) -> dict[str, Pricing]:
    """Each placed workload's pricing on its current place: as provisioned when `sizing` is
    given, else at the demand of `inputs`; a workload its current place cannot price is an
    input error."""
    issues: list[InputIssue] = []
    current: dict[str, Pricing] = {}
    for w in (sizing.provisioned if sizing is not None else inputs).workloads:
        if w.current_site is not None and w.current_site in by_id:
            priced = pricer.price(w, by_id[w.current_site])
            if isinstance(priced, Pricing):
                current[w.id] = priced
            else:
                pos = inputs.where(f"workload:{w.id}")
                issues.append(
                    InputIssue(
                        f"cannot price the workload on its current site '{w.current_site}': "
                        f"{priced.reason}",
                        pos.file,
                        pos.line,
                        field="current_site",
                    )
                )
    if issues:
        raise InputError(issues)
    return current


def split_unit(
    unit: Unit, x: dict[tuple[str, str], float], current: str | None
) -> list[tuple[str, Option]]:
    """(workload id, option) for each member: a class is split in a fixed order, members
    sorted by id filling the current place first, then places in catalog order."""
    chosen = [(o, int(x.get((unit.id, o.place_id), 0))) for o in unit.options]
    chosen = [(o, n) for o, n in chosen if n > 0]
    if unit.kind != "class":
        option = chosen[0][0]
        return [(wid, option) for wid in unit.members]
    chosen.sort(key=lambda pair: pair[0].place_id != current)
    out: list[tuple[str, Option]] = []
    members = iter(unit.members)
    for option, n in chosen:
        out.extend((next(members), option) for _ in range(n))
    return out

"""SolveResult -> Plan: decisions per workload, compared with the current state."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from planner import __version__
from planner.candidates.commitments import OfferBill
from planner.candidates.costs import demand_on, site_use
from planner.candidates.evaluate import (
    Evaluator,
    bucket_of,
    place_limit,
    today_run_costs_eur_month,
)
from planner.candidates.places import Place
from planner.candidates.sizing import SIZED
from planner.candidates.units import Candidates, split_unit
from planner.inputs.frozen import Inputs
from planner.inputs.schema import RESOURCES, Amounts, ExpansionBlock
from planner.optimise.budget import Cut
from planner.optimise.solve import SolveResult, SolveStatus
from planner.plan.budget_lines import budget_years
from planner.plan.context import report_context
from planner.plan.document import (
    Action,
    Change,
    ClassShare,
    CommitmentBuy,
    CommitmentsRecord,
    ContractChange,
    ContractState,
    CutRecord,
    ExpansionChange,
    ExpansionState,
    PlacementChange,
    PlacementState,
    Plan,
    ResourceChange,
    SavingsSplit,
    ScenarioRecord,
    SiteUse,
    SizingSummary,
    SolverRecord,
    Totals,
    relative_to_scenario,
)
from planner.plan.facts import Reason
from planner.plan.reasons import placement_reasons

CENT = 0.005  # changes smaller than half a cent are rounding, never shown as changes


def _eur(value: float) -> float:
    return round(value + 0.0, 2) + 0.0


_States = dict[tuple[str, float, str], PlacementState]


def _placement(
    place: Place, cost: float, basis: str, made: _States | None = None
) -> PlacementState:
    """The state of a workload at a place; `made`: the states made so far, shared by the
    workloads with the same one (they are frozen), each made once."""
    key = (place.id, cost, basis)
    if made is not None and key in made:
        return made[key]
    state = PlacementState(
        site=place.id,
        kind=place.kind,
        provider=place.provider_id,
        cost_eur_month=_eur(cost),
        basis=basis,
    )
    if made is not None:
        made[key] = state
    return state


def _actions(
    before: PlacementState | ContractState | None, after: PlacementState | ContractState | None
) -> tuple[Action, ...]:
    if before is None and after is None:
        return ("no-op",)
    if before is None:
        return ("create",)
    if after is None:
        return ("delete",)
    if before.site != after.site:
        return ("delete", "create")
    if abs(before.cost_eur_month - after.cost_eur_month) >= CENT:
        return ("update",)
    return ("no-op",)


def _before_placements(
    inputs: Inputs, cands: Candidates, places: dict[str, Place], baseline: Plan | None
) -> dict[str, PlacementState]:
    if baseline is not None:
        return {
            rc.name: rc.change.after
            for rc in baseline.resource_changes
            if rc.type == "planner_placement" and rc.change.after is not None
        }
    before: dict[str, PlacementState] = {}
    made: _States = {}
    for w in inputs.workloads:
        if w.current_site is not None:
            priced = cands.current_pricing[w.id]
            before[w.id] = _placement(
                places[w.current_site], priced.run_cost_eur_month, priced.basis, made
            )
    return before


def _placement_change(
    wid: str,
    actions: tuple[Action, ...],
    before: PlacementState | None,
    after: PlacementState | None,
    reason: Reason | None,
) -> PlacementChange:
    """One workload's change, made without validating again what is valid by construction
    (validated states and reasons, the actions of `_actions`, the address from the name):
    at fleet size validation was most of the extraction. The objects are those validation
    made: a `Change[PlacementState]`, the same fields set."""
    return PlacementChange.model_construct(
        address=f"planner_placement.{wid}",
        name=wid,
        change=Change[PlacementState].model_construct(actions=actions, before=before, after=after),
        reason=reason,
    )


def extract_plan(
    inputs: Inputs,
    cands: Candidates,
    result: SolveResult,
    baseline: Plan | None = None,
    baseline_name: str | None = None,
    timings: bool = False,
) -> Plan:
    """Turn the solver's decisions into a plan compared with the current state.

    Solve time is recorded only with `timings` (plans are byte-identical otherwise).
    """
    assert result.has_solution
    places = {p.id: p for p in cands.places}
    workloads = cands.workloads
    after: dict[str, PlacementState] = {}
    made: _States = {}
    for unit in cands.units:
        current = workloads[unit.members[0]].current_site
        for index, (wid, option) in enumerate(split_unit(unit, result.x, current)):
            i = 0 if unit.kind == "class" else index
            after[wid] = _placement(
                places[option.place_id],
                option.member_costs_eur_month[i],
                option.member_basis[i],
                made,
            )
    before = _before_placements(inputs, cands, places, baseline)

    reasons = placement_reasons(
        inputs,
        cands,
        result,
        {w: a.site for w, a in after.items()},
        result.status == SolveStatus.OPTIMAL,
    )
    changes: list[ResourceChange] = []
    for wid in sorted(set(before) | set(after)):
        b, a = before.get(wid), after.get(wid)
        changes.append(_placement_change(wid, _actions(b, a), b, a, reasons.get(wid)))
    changes.extend(_expansions(cands, result, baseline))
    changes.extend(_contracts(cands, result, before, after, baseline))
    bills: tuple[OfferBill, ...] = ()
    if result.c:  # what the commitments bought cost and cover, by the one evaluator
        evaluator = Evaluator(cands)
        bills = evaluator.evaluate(evaluator.decision(result.x, c=result.c)).commitments
    totals = _totals(inputs, cands, places, before, after, changes, bills)
    totals = totals.model_copy(
        update={
            "share_cap_reference_eur_month": None
            if result.share_reference_eur is None
            else _eur(result.share_reference_eur),
            "budget_years": budget_years(
                inputs.scenario.reference_date.isoformat(),
                inputs.scenario.objective.horizon_months,
                totals.monthly_cost_before_eur,
                totals.monthly_cost_after_eur,
                totals.one_off_migration_eur,
                [rc for rc in changes if isinstance(rc, ExpansionChange)],
            ),
        }
    )
    sizing = _sizing_summary(cands)
    commitments = (
        _commitments(inputs, bills, totals.monthly_cost_after_eur)
        if cands.buy_commitments
        else None
    )
    return Plan(
        planner_version=__version__,
        scenario=_scenario_record(inputs, baseline_name),
        resource_changes=tuple(changes),
        totals=totals,
        solver=solver_record(result, timings),
        context=report_context(inputs, places, before, after),
        commitments=commitments,
        sizing=sizing,
        savings=None
        if sizing is None and commitments is None
        else savings_split(cands, totals, commitments),
    )


def _commitments(
    inputs: Inputs, bills: tuple[OfferBill, ...], after_eur_month: float
) -> CommitmentsRecord:
    """The commitments bought, their cost, saving and lock-in (see CommitmentsRecord)."""
    horizon = inputs.scenario.objective.horizon_months
    buys = []
    for b in bills:
        for bought in b.bought:
            term, cost = bought.term, bought.cost_eur_month
            buys.append(
                CommitmentBuy(
                    offer=term.offer_id,
                    provider=term.provider_id,
                    term_months=term.term_months,
                    unit="spend" if term.flavour is None else "instances",
                    flavour=term.flavour,
                    amount=_eur(bought.amount),
                    discount_pct=round(term.discount_pct, 2),
                    cost_eur_month=_eur(cost),
                    early_exit="owed" if term.early_exit == "owed" else "fee",
                    exit_fee_pct=None
                    if term.early_exit == "owed"
                    else round(100.0 * term.owed_share, 2),
                    committed_beyond_12_months_eur=_eur(cost * term.months_beyond(12)),
                    committed_beyond_36_months_eur=_eur(cost * term.months_beyond(36)),
                    owed_beyond_horizon_eur=_eur(bought.amount * term.tail_eur(horizon)),
                    source=term.source,
                    source_date=term.source_date,
                )
            )
    committed = sum(b.committed_eur_month for b in bills)
    covered = sum(b.covered_eur_month for b in bills)
    return CommitmentsRecord(
        buys=tuple(buys),
        committed_eur_month=_eur(committed),
        covered_eur_month=_eur(covered),
        saving_eur_month=_eur(covered - committed),
        on_demand_eur_month=_eur(after_eur_month + covered - committed),
        committed_beyond_12_months_eur=_eur(sum(x.committed_beyond_12_months_eur for x in buys)),
        committed_beyond_36_months_eur=_eur(sum(x.committed_beyond_36_months_eur for x in buys)),
        owed_beyond_horizon_eur=_eur(sum(x.owed_beyond_horizon_eur for x in buys)),
        horizon_months=horizon,
    )


def _sizing_summary(cands: Candidates) -> SizingSummary | None:
    """The plan's record of the sizing stage (None when no rule sizes anything)."""
    if cands.sizing is None or cands.sizing.records is None:
        return None
    records = cands.sizing.records
    outcomes: dict[str, int] = defaultdict(int)
    for record in records:
        outcomes[record.outcome] += 1
    changed = [r for r in records if r.changed]
    return SizingSummary(
        workloads=records,
        outcomes=dict(sorted(outcomes.items())),
        provisioned={r: round(sum(x.resource(r).provisioned for x in changed), 3) for r in SIZED},
        sized={r: round(sum(x.resource(r).sized for x in changed), 3) for r in SIZED},
    )


def _cents(value: float) -> int:
    return round(value * 100)


def savings_split(
    cands: Candidates, totals: Totals, commitments: CommitmentsRecord | None
) -> SavingsSplit:
    """The saving against today split as `SavingsSplit` says, in whole cents so the parts
    sum to the total exactly. Right-sizing is counted per workload placed today, from the
    one evaluator's run costs on its current place as provisioned and at its sized demand
    (both rounded to the cent, as the plan states costs); what is left of the saving before
    commitments is placement, against the plan at on-demand prices; commitments are what the
    plan saves against those prices (zero where it buys none)."""
    today = today_run_costs_eur_month(cands, sized=False)
    today_sized = today_run_costs_eur_month(cands, sized=True)
    right_sizing = sum(_cents(today[w]) - _cents(today_sized[w]) for w in today)
    before = _cents(totals.monthly_cost_before_eur)
    after = _cents(totals.monthly_cost_after_eur)
    after_on_demand = after + (0 if commitments is None else _cents(commitments.saving_eur_month))
    placement = (before - right_sizing) - after_on_demand
    return SavingsSplit(
        right_sizing_eur_month=right_sizing / 100,
        placement_eur_month=placement / 100,
        commitments_eur_month=(after_on_demand - after) / 100,
        total_eur_month=(before - after) / 100,
    )


def _blocks(cands: Candidates) -> dict[tuple[str, str], ExpansionBlock]:
    out = {}
    for place in cands.places:
        if place.site is not None:
            for block in place.site.expansion_blocks:
                out[place.id, block.id] = block
    return out


def block_state(
    site_id: str, block_id: str, n: int, block: ExpansionBlock
) -> ExpansionState | None:
    """`n` blocks of one type at one site, with one block's prices (None: none)."""
    if n <= 0:
        return None
    return ExpansionState(
        site=site_id,
        block=block_id,
        count=n,
        cost_eur_month=_eur(n * block.cost_eur_month),
        adds={r: v * n for r, v in block.adds.items() if v},
        capex_eur=block.capex_eur,
        amortisation_months=block.amortisation_months,
        opex_eur_month=block.opex_eur_month,
    )


def _expansions(
    cands: Candidates, result: SolveResult, baseline: Plan | None
) -> list[ExpansionChange]:
    built_before: dict[str, int] = {}
    if baseline is not None:
        for rc in baseline.resource_changes:
            if rc.type == "planner_expansion" and rc.change.after is not None:
                built_before[rc.name] = rc.change.after.count
    out = []
    for (site_id, block_id), block in _blocks(cands).items():
        name = f"{site_id}.{block_id}"
        n_after = int(result.k.get((site_id, block_id), 0))
        n_before = built_before.get(name, 0)
        if n_after == 0 and n_before == 0:
            continue
        b = block_state(site_id, block_id, n_before, block)
        a = block_state(site_id, block_id, n_after, block)
        actions: tuple[Action, ...] = ("no-op",)
        if b is None and a is not None:
            actions = ("create",)
        elif a is None and b is not None:
            actions = ("delete",)
        elif n_before != n_after:
            actions = ("update",)
        out.append(
            ExpansionChange(
                address=f"planner_expansion.{name}",
                name=name,
                change=Change(actions=actions, before=b, after=a),
            )
        )
    return out


def _contracts(
    cands: Candidates,
    result: SolveResult,
    before: dict[str, PlacementState],
    after: dict[str, PlacementState],
    baseline: Plan | None,
) -> list[ContractChange]:
    used_before = {p.site for p in before.values()}
    used_after = {p.site for p in after.values()}
    out = []
    for place in cands.places:
        if place.fixed_cost_eur_month <= 0:
            continue
        state = ContractState(
            site=place.id,
            kind=place.kind,
            provider=place.provider_id,
            cost_eur_month=_eur(place.fixed_cost_eur_month),
        )
        b = state if place.id in used_before else None
        a = state if place.id in used_after or result.y.get(place.id, 0) > 0 else None
        if a is None and b is None:
            continue
        out.append(
            ContractChange(
                address=f"planner_contract.{place.id}",
                name=place.id,
                change=Change(actions=_actions(b, a), before=b, after=a),
            )
        )
    return out


def _totals(
    inputs: Inputs,
    cands: Candidates,
    places: dict[str, Place],
    before: dict[str, PlacementState],
    after: dict[str, PlacementState],
    changes: list[ResourceChange],
    bills: tuple[OfferBill, ...] = (),
) -> Totals:
    cost: dict[str, dict[str, float]] = {"before": defaultdict(float), "after": defaultdict(float)}
    for side, states in (("before", before), ("after", after)):
        for state in states.values():
            place = places.get(state.site)
            bucket = bucket_of(place) if place else "unknown"
            cost[side][bucket] += state.cost_eur_month
    for b in bills:  # commitments: paid whether used or not, less the on-demand spend covered
        cost["after"][b.bucket] += b.committed_eur_month - b.covered_eur_month
    expansion = 0.0
    for rc in changes:
        if rc.type == "planner_placement":
            continue
        for side, held in (("before", rc.change.before), ("after", rc.change.after)):
            if held is not None:
                bucket = (
                    "internal" if rc.type == "planner_expansion" else bucket_of(places[held.site])
                )
                cost[side][bucket] += held.cost_eur_month
                if side == "after" and rc.type == "planner_expansion":
                    expansion += held.cost_eur_month
    total_before = sum(cost["before"].values())
    total_after = sum(cost["after"].values())
    moved = [
        rc
        for rc in changes
        if rc.type == "planner_placement" and rc.change.actions == ("delete", "create")
    ]
    one_off = sum(
        cands.workloads[rc.name].move_cost_eur for rc in moved if rc.name in cands.workloads
    )
    count: dict[str, int] = defaultdict(int)
    for rc in changes:
        for action in rc.change.actions:
            count[action] += 1
    outsourced = total_after - cost["after"].get("internal", 0.0)
    return Totals(
        monthly_cost_before_eur=_eur(total_before),
        monthly_cost_after_eur=_eur(total_after),
        monthly_difference_eur=_eur(total_after - total_before),
        monthly_difference_pct=(
            round(100.0 * (total_after - total_before) / total_before, 2)
            if total_before > 0
            else None
        ),
        one_off_migration_eur=_eur(one_off),
        to_add=count["create"],
        to_change=count["update"],
        to_destroy=count["delete"],
        moves=len(moved),
        cost_by_bucket_before_eur={k: _eur(v) for k, v in sorted(cost["before"].items())},
        cost_by_bucket_after_eur={k: _eur(v) for k, v in sorted(cost["after"].items())},
        expansion_cost_eur_month=_eur(expansion),
        outsourced_share_pct=round(100.0 * outsourced / total_after, 2) if total_after else 0.0,
        by_data_class=_class_shares(cands, places, after),
        sites=_site_use(cands, places, before, after, changes),
        owner_spend_eur_month=_owner_spend(inputs, cands, after),
    )


def _owner_spend(
    inputs: Inputs, cands: Candidates, after: dict[str, PlacementState]
) -> dict[str, float]:
    """Monthly run cost after the plan of each owner with a budget, as its cap counts it."""
    budgets = inputs.scenario.caps.owner_budgets_eur
    spend = dict.fromkeys(sorted(budgets), 0.0)
    for wid, state in after.items():
        owner = cands.workloads[wid].owner if wid in cands.workloads else None
        if owner in spend:
            spend[owner] += state.cost_eur_month
    return {owner: _eur(value) for owner, value in spend.items()}


def _class_shares(
    cands: Candidates, places: dict[str, Place], after: dict[str, PlacementState]
) -> dict[str, ClassShare]:
    acc: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0.0])
    for wid, state in after.items():
        row = acc[cands.workloads[wid].data_class]
        internal = places[state.site].internal
        row[0 if internal else 1] += 1
        row[2 if internal else 3] += state.cost_eur_month
    out = {}
    for name in sorted(acc):
        n_in, n_out, c_in, c_out = acc[name]
        total = c_in + c_out
        out[name] = ClassShare(
            workloads=int(n_in + n_out),
            in_house=int(n_in),
            outsourced=int(n_out),
            cost_in_house_eur_month=_eur(c_in),
            cost_outsourced_eur_month=_eur(c_out),
            share_in_house_pct=round(100.0 * c_in / total, 2) if total else 100.0,
        )
    return out


def _site_use(
    cands: Candidates,
    places: dict[str, Place],
    before: dict[str, PlacementState],
    after: dict[str, PlacementState],
    changes: list[ResourceChange],
) -> tuple[SiteUse, ...]:
    use: dict[str, dict[str, dict[str, float]]] = {
        "before": defaultdict(lambda: defaultdict(float)),
        "after": defaultdict(lambda: defaultdict(float)),
    }
    # a workload's use of each of its unit's places (a class's members share their unit's)
    use_at: dict[str, dict[str, Amounts]] = {}
    for unit in cands.units:
        if unit.kind == "workload" or unit.kind == "class":
            by_place = {option.place_id: option.use for option in unit.options}
            for wid in unit.members:
                use_at[wid] = by_place
    for side, states in (("before", before), ("after", after)):
        for wid, state in states.items():
            own = use_at.get(wid)
            amounts = None if own is None else own.get(state.site)
            if amounts is None:  # in an affinity group, or no longer eligible: recompute
                amounts = _member_use(cands, wid, places[state.site])
            for r, amount in amounts.items():
                use[side][state.site][r] += amount
    out = []
    for place in cands.places:
        site = place.site
        if site is None:
            continue
        built: dict[str, dict[str, float]] = {"before": {}, "after": {}}
        for rc in changes:
            if rc.type == "planner_expansion":
                for side, held in (("before", rc.change.before), ("after", rc.change.after)):
                    if held is not None and held.site == site.id:
                        built[side][held.block] = held.count
        out.append(
            SiteUse(
                site=site.id,
                capacity={r: site.capacity.get(r) for r in RESOURCES},
                usable_before={r: round(_usable(place, r, built["before"]), 3) for r in RESOURCES},
                usable_after={r: round(_usable(place, r, built["after"]), 3) for r in RESOURCES},
                used_before={r: round(use["before"][site.id][r], 3) for r in RESOURCES},
                used_after={r: round(use["after"][site.id][r], 3) for r in RESOURCES},
            )
        )
    return tuple(out)


def _usable(place: Place, resource: str, built: dict[str, float]) -> float:
    limit = place_limit(place, resource, built)
    assert limit is not None  # an internal site always has a limit
    return limit


def _member_use(cands: Candidates, wid: str, place: Place) -> Amounts:
    demand = demand_on(cands.workloads[wid], place.id)
    return demand if place.site is None else site_use(place.site, demand)


def _cut_short(cut: Cut) -> CutRecord:
    return CutRecord(kind=cut.kind.value, skipped=cut.skipped, planned=cut.planned)


def solver_record(
    result: SolveResult, timings: bool = False, cuts: Sequence[Cut] = ()
) -> SolverRecord:
    """The plan's solver record; `cuts`: what the run's time limit cut short."""
    return SolverRecord(
        name=result.solver,
        status=result.status.value,
        proven_optimal=result.status == SolveStatus.OPTIMAL,
        objective_eur=None if result.objective is None else _eur(result.objective),
        bound_eur=None if result.bound is None else _eur(result.bound),
        gap_pct=None if result.gap_rel is None else round(100.0 * result.gap_rel, 4),
        gap_tolerance_pct=round(100.0 * result.options.gap_rel, 4),
        time_s=round(result.time_s, 3) if timings else None,
        time_limit_s=result.options.time_limit_s,
        message=result.message,
        cut_short=tuple(_cut_short(cut) for cut in cuts),
    )


def _scenario_record(inputs: Inputs, baseline_name: str | None) -> ScenarioRecord:
    s = inputs.scenario
    return ScenarioRecord(
        name=s.name,
        description=s.description,
        file=relative_to_scenario(inputs.scenario_file, inputs.scenario_file),
        reference_date=s.reference_date.isoformat(),
        internal_preference_pct=s.objective.internal_preference_pct,
        horizon_months=s.objective.horizon_months,
        caps=s.caps.model_dump(),
        catalog_digests=dict(
            sorted(
                (relative_to_scenario(path, inputs.scenario_file), digest)
                for path, digest in inputs.catalog_digests.items()
            )
        ),
        overrides_applied=inputs.overrides_applied,
        baseline=baseline_name,
        buy_commitments=s.objective.buy_commitments,
    )

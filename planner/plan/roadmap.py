"""A solved roadmap -> its record in the plan: each period's wave of changes (placements in
today's `resource_changes` shape, blocks ordered), each year's opex, capex and one-off spend
against its budgets, and why each move happens then (`roadmap_facts.Timing`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from pydantic import BaseModel, ConfigDict

from planner.candidates.costs import Pricing
from planner.candidates.evaluate import Decision, Evaluator
from planner.candidates.periods import PeriodCandidates
from planner.candidates.places import Place
from planner.candidates.units import Candidates, Option, split_unit
from planner.inputs.frozen import Inputs
from planner.inputs.schema import RESOURCES, ExpansionBlock, Workload
from planner.optimise.roadmap.model import RoadmapModel, fee_due
from planner.optimise.roadmap.solve import RoadmapResult
from planner.optimise.solve import SolveResult
from planner.plan.document import (
    Action,
    Change,
    ExpansionChange,
    ExpansionState,
    PlacementChange,
    PlacementState,
)
from planner.plan.extract import block_state
from planner.plan.roadmap_facts import Timing

EUR_SLACK = 0.5  # a budget within half a euro of its limit is spent


def _eur(value: float) -> float:
    return round(value + 0.0, 2) + 0.0


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WaveTotals(_Frozen):
    to_add: int
    to_change: int
    to_destroy: int
    moves: int
    one_off_eur: float  # move costs and exit fees of the wave
    monthly_cost_eur: float  # the period's monthly spend (blocks amortised)
    opex_eur: float  # the period's run costs, contracts and blocks' opex over its months
    capex_eur: float  # purchase price of the blocks ordered in it


class PeriodSiteUse(_Frozen):
    """One internal site in one period: what it holds and can hold (its usable blocks
    included), per resource."""

    site: str
    used: dict[str, float]
    usable: dict[str, float]


class WaveRecord(_Frozen):
    """One period: its wave of changes (at its first day) and its figures."""

    name: str
    start: str
    end: str
    months: int
    frozen: bool
    resource_changes: tuple[PlacementChange | ExpansionChange, ...]
    totals: WaveTotals
    why: dict[str, Timing] = {}  # workload id -> why its change happens in this wave
    # workload id -> what its move in this wave costs once (move cost and exit fee), where it
    # moves: the parts of `totals.one_off_eur`
    one_off_eur: dict[str, float] = {}
    site_use: tuple[PeriodSiteUse, ...] = ()


class YearRecord(_Frozen):
    """One budget year: what the roadmap spends, and the budget where one is set."""

    year: int
    opex_eur: float
    capex_eur: float
    migration_eur: float
    opex_budget_eur: float | None = None
    capex_budget_eur: float | None = None
    migration_budget_eur: float | None = None


class RoadmapRecord(_Frozen):
    """The roadmap part of a plan (the plan's own keys are its end state)."""

    discount_rate_pct: float
    horizon_start: str
    horizon_end: str
    waves: tuple[WaveRecord, ...]
    years: tuple[YearRecord, ...]
    objective_note: str = "discounted cost over the horizon, one-off costs amortised"


@dataclass(frozen=True)
class Spot:
    """Where one workload is in one period and what it costs there."""

    place: str
    cost_eur_month: float
    basis: str


def member_spots(m: RoadmapModel, rr: RoadmapResult) -> list[dict[str, Spot]]:
    """Per period: workload id -> its spot. A class is split at its last period as today's
    plan splits it; earlier, the members that have not left their current place yet are the
    last of each place's members by id (a class moves each member at most once)."""
    out: list[dict[str, Spot]] = [{} for _ in m.periods]
    for track in m.tracks.values():
        last = track.periods[-1]
        unit = m.units[last][track.id]
        final = split_unit(unit, rr.period_x(last), track.current)
        for t in track.periods:
            u = m.units[t][track.id]
            options = {o.place_id: o for o in u.options}
            if track.kind != "class":
                chosen = next(o for o in u.options if rr.x.get((t, track.id, o.place_id), 0) > 0.5)
                for i, mb in enumerate(track.members):
                    out[t][mb.id] = Spot(
                        chosen.place_id, chosen.member_costs_eur_month[i], chosen.member_basis[i]
                    )
                continue
            by_place: dict[str, list[str]] = defaultdict(list)
            for wid, o in final:
                by_place[o.place_id].append(wid)
            for place_id, wids in by_place.items():
                if place_id == track.current:
                    stay = wids
                else:
                    n = round(rr.x.get((t, track.id, place_id), 0))
                    stay = wids[:n]
                    if track.current is not None:
                        for wid in wids[n:]:
                            _spot(out[t], wid, options[track.current])
                for wid in stay:
                    _spot(out[t], wid, options[place_id])
    return out


def _spot(spots: dict[str, Spot], wid: str, option: Option) -> None:
    spots[wid] = Spot(option.place_id, option.member_costs_eur_month[0], option.member_basis[0])


def _state(places: dict[str, Place], spot: Spot) -> PlacementState:
    place = places[spot.place]
    return PlacementState(
        site=place.id,
        kind=place.kind,
        provider=place.provider_id,
        cost_eur_month=_eur(spot.cost_eur_month),
        basis=spot.basis,
    )


def today_spots(pc: PeriodCandidates, inputs: Inputs) -> dict[str, Spot]:
    """Today's placements, priced as the first period sees them."""
    out = {}
    for w in inputs.workloads:
        priced = pc.cands.current_pricing.get(w.id)
        if w.current_site is not None and priced is not None:
            out[w.id] = Spot(w.current_site, priced.run_cost_eur_month, priced.basis)
    return out


def _actions(before: Spot | None, after: Spot | None) -> tuple[Action, ...]:
    if before is None:
        return ("create",)
    if after is None:
        return ("delete",)
    return ("delete", "create")


def all_places(m: RoadmapModel) -> dict[str, Place]:
    """Every place of any period (the latest period's version)."""
    out: dict[str, Place] = {}
    for pc in m.periods:
        out.update({p.id: p for p in pc.cands.places})
    return out


def _period_cost(m: RoadmapModel, rr: RoadmapResult, t: int) -> tuple[float, float]:
    """(monthly spend with blocks amortised, monthly opex) of period t."""
    ev = Evaluator(m.periods[t].cands)
    evaluation = ev.evaluate(Decision(rr.period_x(t), rr.period_k(t), rr.period_y(t)))
    spend = evaluation.total_eur_month
    capex_part = sum(
        n * ev.block(s, b).capex_eur / ev.block(s, b).amortisation_months
        for (s, b), n in rr.period_k(t).items()
    )
    return spend, spend - capex_part


def _site_use(m: RoadmapModel, rr: RoadmapResult, t: int) -> tuple[PeriodSiteUse, ...]:
    ev = Evaluator(m.periods[t].cands)
    decision = Decision(rr.period_x(t), rr.period_k(t), rr.period_y(t))
    evaluation = ev.evaluate(decision)
    out = []
    for place in sorted(m.periods[t].cands.places, key=lambda p: p.id):
        if place.site is None:
            continue
        usable = {r: ev.limit(place.id, r, decision) or 0.0 for r in RESOURCES}
        out.append(
            PeriodSiteUse(
                site=place.id,
                used={r: round(evaluation.used(place.id, r), 3) for r in RESOURCES},
                usable={r: round(v, 3) for r, v in usable.items()},
            )
        )
    return tuple(out)


def _capex(m: RoadmapModel, rr: RoadmapResult, t: int) -> float:
    ev = Evaluator(m.periods[t].cands)
    return sum(
        n * ev.block(s, b).capex_eur for (tt, s, b), n in rr.ordered.items() if tt == t and n > 0
    )


def build_roadmap_record(
    inputs: Inputs, m: RoadmapModel, rr: RoadmapResult
) -> tuple[RoadmapRecord, list[dict[str, Spot]]]:
    """The roadmap's record and each period's spots."""
    from planner.plan.roadmap_why import why_then

    roadmap = inputs.scenario.roadmap
    assert roadmap is not None
    spots = member_spots(m, rr)
    places = all_places(m)
    before = today_spots(m.periods[0], inputs)
    members = {mb.id: (track, mb) for track in m.tracks.values() for mb in track.members}
    frozen = set(roadmap.waves.freeze)
    waves: list[WaveRecord] = []
    befores: list[dict[str, Spot]] = []
    one_off_by_t: list[float] = []
    opex_by_t: list[float] = []
    capex_by_t: list[float] = []
    for t, pc in enumerate(m.periods):
        after = spots[t]
        workloads = pc.cands.workloads
        changes: list[PlacementChange | ExpansionChange] = []
        one_off = 0.0
        one_off_of: dict[str, float] = {}
        moves = 0
        for wid in sorted(set(before) | set(after)):
            b, a = before.get(wid), after.get(wid)
            if b is not None and a is not None and b.place == a.place:
                continue
            if b is not None and a is not None:
                moves += 1
                cost = workloads[wid].move_cost_eur
                track_mb = members.get(wid)
                if track_mb is not None:
                    mb = track_mb[1]
                    if b.place == mb.current and fee_due(mb.contract_ends_on, pc.period.start):
                        cost += mb.exit_fee_eur
                one_off += cost
                one_off_of[wid] = _eur(cost)
            changes.append(
                PlacementChange(
                    address=f"planner_placement.{wid}",
                    name=wid,
                    change=Change(
                        actions=_actions(b, a),
                        before=None if b is None else _state(places, b),
                        after=None if a is None else _state(places, a),
                    ),
                )
            )
        changes.extend(_orders(m, rr, t))
        spend, opex = _period_cost(m, rr, t)
        capex = _capex(m, rr, t)
        count: dict[str, int] = defaultdict(int)
        for rc in changes:
            for action in rc.change.actions:
                count[action] += 1
        waves.append(
            WaveRecord(
                name=pc.period.name,
                start=pc.period.start.isoformat(),
                end=pc.period.end.isoformat(),
                months=pc.period.months,
                frozen=pc.period.name in frozen,
                resource_changes=tuple(changes),
                totals=WaveTotals(
                    to_add=count["create"],
                    to_change=count["update"],
                    to_destroy=count["delete"],
                    moves=moves,
                    one_off_eur=_eur(one_off),
                    monthly_cost_eur=_eur(spend),
                    opex_eur=_eur(opex * pc.period.months),
                    capex_eur=_eur(capex),
                ),
                site_use=_site_use(m, rr, t),
                one_off_eur=one_off_of,
            )
        )
        befores.append(before)
        one_off_by_t.append(one_off)
        opex_by_t.append(opex)
        capex_by_t.append(capex)
        before = after
    years = _years(inputs, m, one_off_by_t, opex_by_t, capex_by_t)
    waves = [
        w.model_copy(update={"why": why_then(inputs, m, rr, t, befores[t], spots[t], years, waves)})
        for t, w in enumerate(waves)
    ]
    record = RoadmapRecord(
        discount_rate_pct=roadmap.discount_rate_pct,
        horizon_start=m.periods[0].period.start.isoformat(),
        horizon_end=m.periods[-1].period.end.isoformat(),
        waves=tuple(waves),
        years=years,
    )
    return record, spots


def _block_state(
    site: str, block_id: str, block: ExpansionBlock, count: float
) -> ExpansionState | None:
    """`count` blocks of one type at one site (None: none)."""
    return block_state(site, block_id, int(count), block)


def _orders(m: RoadmapModel, rr: RoadmapResult, t: int) -> list[ExpansionChange]:
    """Blocks ordered in period t, with how many of them were ordered before."""
    out = []
    ev = Evaluator(m.periods[t].cands)
    for (tt, site, block_id), n in sorted(rr.ordered.items()):
        if tt != t or n <= 0:
            continue
        block = ev.block(site, block_id)
        earlier = sum(
            v for (tau, s, b), v in rr.ordered.items() if s == site and b == block_id and tau < t
        )

        b = _block_state(site, block_id, block, earlier)
        a = _block_state(site, block_id, block, earlier + n)
        name = f"{site}.{block_id}"
        out.append(
            ExpansionChange(
                address=f"planner_expansion.{name}",
                name=name,
                change=Change(actions=("update",) if b else ("create",), before=b, after=a),
            )
        )
    return out


def _years(
    inputs: Inputs,
    m: RoadmapModel,
    one_off: list[float],
    opex: list[float],
    capex: list[float],
) -> tuple[YearRecord, ...]:
    roadmap = inputs.scenario.roadmap
    assert roadmap is not None
    first, last = m.periods[0].period.start.year, m.periods[-1].period.end.year
    out = []
    for year in range(first, last + 1):
        budget = roadmap.budget_of(year)
        out.append(
            YearRecord(
                year=year,
                opex_eur=_eur(
                    sum(opex[t] * pc.period.months_in_year(year) for t, pc in enumerate(m.periods))
                ),
                capex_eur=_eur(
                    sum(capex[t] for t, pc in enumerate(m.periods) if pc.period.start.year == year)
                ),
                migration_eur=_eur(
                    sum(
                        one_off[t] for t, pc in enumerate(m.periods) if pc.period.start.year == year
                    )
                ),
                opex_budget_eur=None if budget is None else budget.opex_eur,
                capex_budget_eur=None if budget is None else budget.capex_eur,
                migration_budget_eur=None if budget is None else budget.migration_eur,
            )
        )
    return tuple(out)


def end_state_inputs(
    inputs: Inputs, m: RoadmapModel, rr: RoadmapResult
) -> tuple[Inputs, Candidates, SolveResult]:
    """Today's plan-extraction inputs for the end state: the last period's candidates, with
    every place and today's pricing of any period (so a workload on a room that closed, or one
    that retired, still has its 'before'), and the last period's decisions."""
    last = m.periods[-1]
    places = list(last.cands.places)
    known = {p.id for p in places}
    for pc in m.periods:
        for p in pc.cands.places:
            if p.id not in known:
                places.append(p)
                known.add(p.id)
    workloads: dict[str, Workload] = {}
    for pc in reversed(m.periods):
        workloads.update({k: v for k, v in pc.cands.workloads.items() if k not in workloads})
    first_seen: dict[str, Pricing] = {}
    for pc in m.periods:
        for k, v in pc.cands.current_pricing.items():
            first_seen.setdefault(k, v)
    cands = replace(
        last.cands,
        places=tuple(places),
        current_pricing=first_seen,
        workloads={**workloads, **last.cands.workloads},
    )
    ended = tuple(
        w.model_copy(update={"retire": True})
        for w in inputs.workloads
        if w.id not in last.cands.workloads and w.id in first_seen
    )
    end_inputs = replace(
        last.inputs,
        workloads=(*last.inputs.workloads, *ended),
        scenario=inputs.scenario,
        period_end=None,
    )
    cands = replace(cands, retired=tuple(sorted({*cands.retired, *(w.id for w in ended)})))
    t = len(m.periods) - 1
    result = replace(
        rr.result,
        x=rr.period_x(t),
        k=rr.period_k(t),
        y=rr.period_y(t),
        share_reference_eur=None,
    )
    return end_inputs, cands, result

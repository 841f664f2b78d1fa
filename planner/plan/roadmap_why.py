"""Why each change of a wave happens in that wave: the first fact that decides its timing,
checked in this order — arrives / retires; its place may no longer take it (a site closing,
a contract ending without renewal, a lapsing qualification or a rule taking effect); its
contract has just ended (no exit fee any more); it goes where a block has just become usable;
an earlier year's budget was spent to its limit; an earlier wave was full; else the timing is
simply the cheapest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.candidates.eligibility import Refusal
from planner.candidates.units import refusals_for
from planner.inputs.frozen import Inputs
from planner.inputs.schema import ExpansionBlock
from planner.optimise.roadmap.model import RoadmapModel, fee_due
from planner.optimise.roadmap.solve import RoadmapResult
from planner.plan.roadmap_facts import Timing

if TYPE_CHECKING:
    from planner.plan.roadmap import Spot, WaveRecord, YearRecord

SLACK_EUR = 0.5


def _spent_years(
    years: tuple[YearRecord, ...], before: int, one_off_eur: float
) -> tuple[str, int] | None:
    """The first budget of a year before `before` that could not also have paid this move:
    its one-off budget less what the year spent is below `one_off_eur`, or its opex budget
    is spent to its limit. (budget, year), or None."""
    for y in years:
        if y.year >= before:
            break
        room = None if y.migration_budget_eur is None else y.migration_budget_eur - y.migration_eur
        if one_off_eur > 0 and room is not None and room < one_off_eur - SLACK_EUR:
            return "migration", y.year
        if y.opex_budget_eur is not None and y.opex_eur >= y.opex_budget_eur - SLACK_EUR:
            return "opex", y.year
    return None


def _full_wave(inputs: Inputs, waves: list[WaveRecord], t: int) -> float | None:
    roadmap = inputs.scenario.roadmap
    limit = None if roadmap is None else roadmap.waves.max_moves
    if limit is None:
        return None
    if any(w.totals.moves >= limit for w in waves[:t] if not w.frozen):
        return float(limit)
    return None


def _new_block(m: RoadmapModel, rr: RoadmapResult, t: int, place: str) -> Timing | None:
    if t == 0:
        return None
    for (tt, site, block_id), n in sorted(rr.usable.items()):
        if tt != t or site != place or n <= rr.usable.get((t - 1, site, block_id), 0.0) + 0.5:
            continue
        orders = [
            tau
            for (tau, s, b), v in rr.ordered.items()
            if s == site and b == block_id and v > 0 and tau <= t
        ]
        block = next(b for b in _site_blocks(m, t, site) if b.id == block_id)
        ordered = m.periods[max(orders)].period.name if orders else None
        return Timing(
            code="waited_for_block",
            period=m.periods[t].period.name,
            place=site,
            block=block_id,
            ordered_in=ordered,
            lead_months=block.lead_time_months,
        )
    return None


def _site_blocks(m: RoadmapModel, t: int, site: str) -> tuple[ExpansionBlock, ...]:
    place = next(p for p in m.periods[t].cands.places if p.id == site)
    assert place.site is not None
    return place.site.expansion_blocks


def _moved(
    inputs: Inputs,
    m: RoadmapModel,
    rr: RoadmapResult,
    t: int,
    wid: str,
    b: Spot,
    a: Spot,
    years: tuple[YearRecord, ...],
    waves: list[WaveRecord],
) -> Timing:
    pc = m.periods[t]
    name = pc.period.name
    w = next(x for x in inputs.workloads if x.id == wid)
    track = next(tr for tr in m.tracks.values() if wid in {mb.id for mb in tr.members})
    options = {o.place_id for o in m.units[t][track.id].options}
    if b.place not in options:
        site = next((s for s in inputs.sites if s.id == b.place), None)
        if site is not None and site.closes_on is not None and site.closes_on <= pc.period.end:
            return Timing(code="closes", period=name, place=b.place, day=site.closes_on.isoformat())
        c = w.contract
        if (
            c is not None
            and not c.renew
            and b.place == w.current_site
            and c.ends_on < pc.period.end
        ):
            return Timing(
                code="contract_ended", period=name, place=b.place, day=c.ends_on.isoformat()
            )
        seen = next((x for x in pc.inputs.workloads if x.id == wid), w)
        verdict = refusals_for(pc.inputs, seen).get(b.place)
        detail = verdict.reason if isinstance(verdict, Refusal) else None
        return Timing(
            code="lapses", period=name, place=b.place, day=pc.period.end.isoformat(), detail=detail
        )
    c = w.contract
    if (
        c is not None
        and t > 0
        and b.place == w.current_site
        and fee_due(c.ends_on.isoformat(), m.periods[t - 1].period.start)
        and not fee_due(c.ends_on.isoformat(), pc.period.start)
    ):
        return Timing(code="contract_ended", period=name, place=b.place, day=c.ends_on.isoformat())
    block = _new_block(m, rr, t, a.place)
    if block is not None:
        return block
    if t > 0:
        spent = _spent_years(years, pc.period.start.year, w.move_cost_eur)
        if spent is not None:
            return Timing(code="held_back_budget", period=name, budget=spent[0], year=spent[1])
        full = _full_wave(inputs, waves, t)
        if full is not None:
            return Timing(code="held_back_wave", period=name, limit=full)
    return Timing(code="best_then", period=name, place=a.place)


def why_then(
    inputs: Inputs,
    m: RoadmapModel,
    rr: RoadmapResult,
    t: int,
    before: dict[str, Spot],
    after: dict[str, Spot],
    years: tuple[YearRecord, ...],
    waves: list[WaveRecord],
) -> dict[str, Timing]:
    """Workload id -> why its change happens in wave t."""
    name = m.periods[t].period.name
    out: dict[str, Timing] = {}
    for wid in sorted(set(before) | set(after)):
        b, a = before.get(wid), after.get(wid)
        if b is None and a is not None:
            out[wid] = Timing(code="arrives", period=name)
        elif a is None and b is not None:
            out[wid] = Timing(code="retires", period=name)
        elif a is not None and b is not None and a.place != b.place:
            out[wid] = _moved(inputs, m, rr, t, wid, b, a, years, waves)
    return out

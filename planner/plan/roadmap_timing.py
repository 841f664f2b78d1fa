"""The runner-up timing of a roadmap move: what moving the workload one wave earlier, one
wave later, or to its next-best place in the same wave would cost, and what stops it.

Each alternative is an estimate, not a new solve: the workload's own path is changed and
every other decision of the roadmap (the other workloads' placements, the blocks ordered)
is held at the plan's values. Its cost is re-evaluated as the roadmap's objective weighs
the workload (run cost weighted by the in-house preference and discounted, over each
period's months; one-off move costs and exit fees amortised from their wave, as in
planner/optimise/roadmap/model.py, without the move tie-break), and as spend over the
roadmap's periods (run costs over their months plus the one-off costs, undiscounted).
What stops it is checked against the plan held: the period frozen, the wave's move and
moved-demand limits, the workload's not-before / not-after dates, a replica of its
anti-affinity group moving in the same wave, the place's eligibility on that period's date
(a qualification not yet in force or lapsed, a contract ended, a rule in effect), the
place's free room (and, for a site, a block still on its lead time), and each year's
opex and one-off budgets. Offer quotas beyond the room, share caps and the whole horizon's
caps are not checked. Typed facts only: planner/render/wording.py words them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from planner.candidates.costs import Pricing
from planner.candidates.eligibility import Refusal
from planner.candidates.evaluate import Decision, Evaluation, Evaluator, place_weight
from planner.candidates.places import Place, build_places
from planner.candidates.units import refusals_for
from planner.inputs.frozen import Inputs
from planner.inputs.periods import discount_factor
from planner.inputs.schema import RESOURCES, Amounts, Workload
from planner.optimise.roadmap.model import RoadmapModel, amortisation, fee_due
from planner.optimise.roadmap.solve import RoadmapResult
from planner.optimise.roadmap.tracks import Track
from planner.optimise.solve import SolveStatus
from planner.plan.roadmap import RoadmapRecord, Spot, member_spots, today_spots

SLACK = 1e-6  # room and limits: within this of a limit is within it
EUR_SLACK = 0.5  # budgets: within half a euro of a limit is within it
# an alternative within this of the plan's cost is a tie (the move tie-break of
# planner/optimise/roadmap/model.py, 1e-4 EUR a month per move over the horizon, and rounding)
TIE_EUR = 0.02


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Blocker(_Fact):
    """Why an alternative timing is not possible with the rest of the roadmap held.

    codes: 'frozen' (`period` is a freeze); 'wave_full' (its wave already moves `limit`
    workloads); 'wave_moved_full' (its wave already moves `used` of `resource`, the limit
    `limit`, this move adds `needed`); 'dates' (the workload may not move in `period`: its
    not-before / not-after `day`); 'anti_affinity' (`other`, a replica of its group `group`, moves
    in that wave, or is on `place` then); 'not_eligible' (`place` may not take it in `period`:
    `detail`, the refusal `refusal`); 'closes' (`place`, a site, closes on `day`);
    'contract_ended' (its contract on `place` ended on `day`, not renewed); 'no_room' (`place`
    lacks `resource` in `period`: `needed` against `free`); 'lead_time' (as no_room, but
    `block`, ordered in `ordered_in` with a lead of `lead_months` months, is usable only from
    `usable_from`); 'budget' (`year`'s `budget` — 'opex' or 'migration' — would be `needed`
    against `limit`); 'horizon' (no period before the first or after the last)."""

    code: Literal[
        "frozen",
        "wave_full",
        "wave_moved_full",
        "dates",
        "anti_affinity",
        "not_eligible",
        "closes",
        "contract_ended",
        "no_room",
        "lead_time",
        "budget",
        "horizon",
    ]
    period: str | None = None
    place: str | None = None
    resource: str | None = None
    needed: float | None = None
    free: float | None = None
    used: float | None = None
    limit: float | None = None
    refusal: str | None = None
    detail: str | None = None
    day: str | None = None
    other: str | None = None
    group: str | None = None
    block: str | None = None
    ordered_in: str | None = None
    lead_months: int | None = None
    usable_from: str | None = None
    budget: str | None = None
    year: int | None = None


class AltTiming(_Fact):
    """One alternative to the plan's move: `kind` 'earlier' / 'later' (the move one wave
    before or after, to the same place) or 'elsewhere' (the same wave, another place: the
    cheapest, and the cheapest possible one when a rule stops that).
    The deltas are the alternative's cost less the plan's (positive: dearer), estimated with
    every other decision held. `verdict`: 'blocked' (by `blockers`), 'dearer', 'tie' (as
    cheap, to the cent), 'cheaper_unchecked' (cheaper and no rule checked here stops it, in a
    plan proven optimal: a rule the estimate does not check does) or 'cheaper_not_proven'
    (the same in a plan not proven optimal: the solve may simply have missed it)."""

    kind: Literal["earlier", "later", "elsewhere"]
    period: str | None  # the wave the alternative moves in (None: beyond the horizon)
    place: str | None  # where it would go
    objective_delta_eur: float | None = None
    spend_delta_eur: float | None = None
    blockers: tuple[Blocker, ...] = ()
    verdict: Literal["blocked", "dearer", "tie", "cheaper_unchecked", "cheaper_not_proven"] = (
        "blocked"
    )


class MoveTiming(_Fact):
    """A move of the plan and its alternatives (the runner-up timing)."""

    period: str
    place_before: str
    place_after: str
    unit: str  # the placement unit that moves (an affinity group moves whole)
    moved_with: tuple[str, ...] = ()  # the other members of an affinity group
    objective_eur: float  # the unit's own cost on its plan path, as the objective weighs it
    spend_eur: float  # the same as spend over the roadmap's periods
    alternatives: tuple[AltTiming, ...]


def _r2(value: float) -> float:
    return round(value + 0.0, 2) + 0.0


@dataclass(frozen=True)
class _Ctx:
    inputs: Inputs
    m: RoadmapModel
    rr: RoadmapResult
    record: RoadmapRecord
    track: Track
    members: tuple[str, ...]  # the workloads that move together (one, or a whole group)
    pct: float
    rate: float
    amortised: tuple[float, ...]
    # per period: the other replicas of its anti-affinity group -> their place in the plan
    replicas: tuple[dict[str, str], ...]
    group: str | None
    proven: bool  # the solve proved the plan optimal


class _Cache:
    """Per period: places, verdicts per member, the plan's evaluation and decision."""

    def __init__(self, m: RoadmapModel, rr: RoadmapResult) -> None:
        self.m, self.rr = m, rr
        self.verdict = cache(self._verdict)
        self.places = cache(self._places)
        self.state = cache(self._state)

    def _places(self, t: int) -> dict[str, Place]:
        return {p.id: p for p in build_places(self.m.periods[t].inputs)}

    def _verdict(self, t: int, wid: str) -> dict[str, Refusal | Pricing]:
        pc = self.m.periods[t]
        seen = next(w for w in pc.inputs.workloads if w.id == wid)
        return refusals_for(pc.inputs, seen)

    def _state(self, t: int) -> tuple[Evaluator, Decision, Evaluation]:
        ev = Evaluator(self.m.periods[t].cands)
        d = Decision(self.rr.period_x(t), self.rr.period_k(t), self.rr.period_y(t))
        return ev, d, ev.evaluate(d)


def _path_of(
    m: RoadmapModel, spots: list[dict[str, Spot]], inputs: Inputs, wid: str
) -> tuple[str | None, dict[int, str]]:
    """(today's place, period index -> the workload's place) in the plan."""
    today = today_spots(m.periods[0], inputs).get(wid)
    return (None if today is None else today.place), {
        t: s[wid].place for t, s in enumerate(spots) if wid in s
    }


def _moves_at(today: str | None, path: dict[int, str]) -> list[int]:
    """The periods the workload moves in (from a place to another)."""
    out = []
    prev = today
    first = min(path) if path else 0
    for t in sorted(path):
        if prev is not None and path[t] != prev and (t > first or first == 0):
            out.append(t)
        prev = path[t]
    return out


def _cost(
    ctx: _Ctx, c: _Cache, today: str | None, path: dict[int, str]
) -> tuple[float, float] | None:
    """(objective, spend) of the members on `path`; None: a place of it may not take one."""
    objective = spend = 0.0
    prev = today
    first = min(path)
    for t in sorted(path):
        pc = ctx.m.periods[t]
        place_id = path[t]
        months = pc.period.months
        d = discount_factor(pc.period, ctx.rate)
        weight = place_weight(c.places(t)[place_id], ctx.pct)
        for wid in ctx.members:
            verdict = c.verdict(t, wid).get(place_id)
            if not isinstance(verdict, Pricing):
                return None
            objective += d * months * weight * verdict.run_cost_eur_month
            spend += months * verdict.run_cost_eur_month
        if prev is not None and prev != place_id and (t > first or first == 0):
            one_off = _one_off(ctx, t, prev)
            objective += ctx.amortised[t] * one_off
            spend += one_off
        prev = place_id
    return objective, spend


def _one_off(ctx: _Ctx, t: int, left: str) -> float:
    """Move costs and exit fees of the members leaving `left` in period t's wave."""
    pc = ctx.m.periods[t]
    total = 0.0
    for mb in ctx.track.members:
        if mb.id not in ctx.members:
            continue
        total += pc.cands.workloads[mb.id].move_cost_eur
        if mb.current == left and fee_due(mb.contract_ends_on, pc.period.start):
            total += mb.exit_fee_eur
    return total


def _demand(ctx: _Ctx, t: int) -> Amounts:
    total = Amounts.zero()
    for wid in ctx.members:
        total = total.plus(ctx.m.periods[t].cands.workloads[wid].demand.amounts())
    return total


def _wave_blockers(ctx: _Ctx, t: int, workload: Workload) -> list[Blocker]:
    """What stops the members moving in period t's wave (the plan's other moves held)."""
    roadmap = ctx.inputs.scenario.roadmap
    assert roadmap is not None
    pc = ctx.m.periods[t]
    name = pc.period.name
    wave = ctx.record.waves[t]
    out: list[Blocker] = []
    if name in roadmap.waves.freeze:
        out.append(Blocker(code="frozen", period=name))
        return out
    limit = roadmap.waves.max_moves
    if limit is not None and wave.totals.moves + len(ctx.members) > limit + SLACK:
        out.append(Blocker(code="wave_full", period=name, limit=float(limit)))
    moved = _moved_demand(ctx, t)
    need = _demand(ctx, t)
    for r in RESOURCES:
        cap = roadmap.waves.max_moved.get(r)
        if cap is not None and moved.get(r) + need.get(r) > cap + SLACK:
            out.append(
                Blocker(
                    code="wave_moved_full",
                    period=name,
                    resource=r,
                    used=_r2(moved.get(r)),
                    needed=_r2(need.get(r)),
                    limit=cap,
                )
            )
    if workload.not_before is not None and pc.period.start < workload.not_before:
        out.append(Blocker(code="dates", period=name, day=workload.not_before.isoformat()))
    if workload.not_after is not None and pc.period.start > workload.not_after:
        out.append(Blocker(code="dates", period=name, day=workload.not_after.isoformat()))
    group = workload.anti_affinity_group
    if group is not None:
        replicas = {
            w.id
            for w in ctx.inputs.workloads
            if w.anti_affinity_group == group and w.id not in ctx.members
        }
        for rc in wave.resource_changes:
            if rc.name in replicas and rc.change.before is not None and rc.change.after:
                out.append(Blocker(code="anti_affinity", period=name, other=rc.name, group=group))
                break
    return out


def _moved_demand(ctx: _Ctx, t: int) -> Amounts:
    """Demand the plan's wave t moves (workloads from a place to another)."""
    total = Amounts.zero()
    workloads = ctx.m.periods[t].cands.workloads
    for rc in ctx.record.waves[t].resource_changes:
        if rc.type != "planner_placement" or rc.change.before is None or not rc.change.after:
            continue
        if rc.name in workloads:
            total = total.plus(workloads[rc.name].demand.amounts())
    return total


def _place_blockers(ctx: _Ctx, c: _Cache, t: int, place_id: str) -> list[Blocker]:
    """What stops `place_id` taking the members in period t, the plan's loads held."""
    name = ctx.m.periods[t].period.name
    use = Amounts.zero()
    for wid in ctx.members:
        verdict = c.verdict(t, wid).get(place_id)
        if not isinstance(verdict, Pricing):
            ended = _ended(ctx, t, wid, place_id)
            if ended is not None:
                return [ended]
            code = None if verdict is None else verdict.code
            detail = None if verdict is None else verdict.reason
            return [
                Blocker(
                    code="not_eligible", period=name, place=place_id, refusal=code, detail=detail
                )
            ]
        use = use.plus(verdict.capacity_use)
    ev, decision, evaluation = c.state(t)
    if place_id not in ev.places:
        return []
    for r in RESOURCES:
        need = use.get(r)
        if need <= 0:
            continue
        limit = ev.limit(place_id, r, decision)
        if limit is None:
            continue
        free = limit - evaluation.used(place_id, r)
        if need <= free + SLACK:
            continue
        late = _late_block(ctx, t, place_id)
        if late is not None:
            return [late.model_copy(update={"resource": r, "needed": _r2(need), "free": _r2(free)})]
        return [
            Blocker(
                code="no_room",
                period=name,
                place=place_id,
                resource=r,
                needed=_r2(need),
                free=_r2(max(free, 0.0)),
            )
        ]
    return []


def _replica_on(ctx: _Ctx, t: int, place_id: str) -> list[Blocker]:
    """A replica of its anti-affinity group is on `place_id` in period t in the plan."""
    for other, where in sorted(ctx.replicas[t].items()):
        if where == place_id:
            return [
                Blocker(
                    code="anti_affinity",
                    period=ctx.m.periods[t].period.name,
                    place=place_id,
                    other=other,
                    group=ctx.group,
                )
            ]
    return []


def _ended(ctx: _Ctx, t: int, wid: str, place_id: str) -> Blocker | None:
    """`place_id` refuses the workload in period t because its site closes or its contract
    there ended without renewal (as planner/plan/roadmap_why.py reads them)."""
    period = ctx.m.periods[t].period
    site = next((s for s in ctx.inputs.sites if s.id == place_id), None)
    if site is not None and site.closes_on is not None and site.closes_on <= period.end:
        return Blocker(
            code="closes", period=period.name, place=place_id, day=site.closes_on.isoformat()
        )
    w = next(x for x in ctx.inputs.workloads if x.id == wid)
    c = w.contract
    if c is not None and not c.renew and place_id == w.current_site and c.ends_on < period.end:
        return Blocker(
            code="contract_ended", period=period.name, place=place_id, day=c.ends_on.isoformat()
        )
    return None


def _late_block(ctx: _Ctx, t: int, site: str) -> Blocker | None:
    """A block of the plan at `site` usable only after period t (still on its lead time)."""
    rr = ctx.rr
    for (tt, s, block_id), n in sorted(rr.usable.items()):
        if s != site or tt <= t or n <= rr.usable.get((t, s, block_id), 0.0) + 0.5:
            continue
        orders = [
            tau
            for (tau, ss, b), v in rr.ordered.items()
            if ss == site and b == block_id and v > 0.5 and tau <= tt
        ]
        ev = Evaluator(ctx.m.periods[tt].cands)
        return Blocker(
            code="lead_time",
            period=ctx.m.periods[t].period.name,
            place=site,
            block=block_id,
            ordered_in=ctx.m.periods[max(orders)].period.name if orders else None,
            lead_months=ev.block(site, block_id).lead_time_months,
            usable_from=ctx.m.periods[tt].period.name,
        )
    return None


def _budget_blockers(
    ctx: _Ctx,
    c: _Cache,
    today: str | None,
    plan: dict[int, str],
    alt: dict[int, str],
) -> list[Blocker]:
    """Each year's opex and one-off budgets with the alternative path instead of the plan's."""
    roadmap = ctx.inputs.scenario.roadmap
    assert roadmap is not None
    opex: dict[int, float] = defaultdict(float)
    one_off: dict[int, float] = defaultdict(float)
    for sign, path in ((-1.0, plan), (1.0, alt)):
        prev = today
        first = min(path)
        for t in sorted(path):
            period = ctx.m.periods[t].period
            run = 0.0
            for wid in ctx.members:
                verdict = c.verdict(t, wid).get(path[t])
                run += verdict.run_cost_eur_month if isinstance(verdict, Pricing) else 0.0
            for year in range(period.start.year, period.end.year + 1):
                opex[year] += sign * run * period.months_in_year(year)
            if prev is not None and prev != path[t] and (t > first or first == 0):
                one_off[period.start.year] += sign * _one_off(ctx, t, prev)
            prev = path[t]
    out = []
    for y in ctx.record.years:
        if y.opex_budget_eur is not None and opex[y.year] > 0:
            total = y.opex_eur + opex[y.year]
            if total > y.opex_budget_eur + EUR_SLACK:
                out.append(
                    Blocker(
                        code="budget",
                        budget="opex",
                        year=y.year,
                        needed=_r2(total),
                        limit=y.opex_budget_eur,
                    )
                )
        if y.migration_budget_eur is not None and one_off[y.year] > 0:
            total = y.migration_eur + one_off[y.year]
            if total > y.migration_budget_eur + EUR_SLACK:
                out.append(
                    Blocker(
                        code="budget",
                        budget="migration",
                        year=y.year,
                        needed=_r2(total),
                        limit=y.migration_budget_eur,
                    )
                )
    return out


def _alternative(
    ctx: _Ctx,
    c: _Cache,
    workload: Workload,
    today: str | None,
    plan: dict[int, str],
    base: tuple[float, float],
    kind: Literal["earlier", "later", "elsewhere"],
    wave: int,
    alt: dict[int, str],
) -> AltTiming:
    """The alternative path `alt` (moving in period `wave`) against the plan's."""
    blockers: list[Blocker] = []
    if kind != "elsewhere":  # the same wave moves it elsewhere: its wave rules held
        blockers += _wave_blockers(ctx, wave, workload)
    for t in sorted(alt):
        if alt[t] != plan.get(t):
            blockers += _place_blockers(ctx, c, t, alt[t])
            blockers += _replica_on(ctx, t, alt[t])
    if not any(b.code in ("not_eligible", "closes", "contract_ended") for b in blockers):
        blockers += _budget_blockers(ctx, c, today, plan, alt)
    cost = _cost(ctx, c, today, alt)
    name = ctx.m.periods[wave].period.name
    delta = None if cost is None else _r2(cost[0] - base[0])
    return AltTiming(
        kind=kind,
        period=name,
        place=alt[wave],
        objective_delta_eur=delta,
        spend_delta_eur=None if cost is None else _r2(cost[1] - base[1]),
        blockers=tuple(_unique(blockers)),
        verdict=_verdict(ctx, bool(blockers), delta),
    )


def _verdict(
    ctx: _Ctx, blocked: bool, delta: float | None
) -> Literal["blocked", "dearer", "tie", "cheaper_unchecked", "cheaper_not_proven"]:
    if blocked or delta is None:
        return "blocked"
    if abs(delta) < TIE_EUR:
        return "tie"
    if delta > 0:
        return "dearer"
    return "cheaper_unchecked" if ctx.proven else "cheaper_not_proven"


def _unique(blockers: list[Blocker]) -> list[Blocker]:
    """Each reason once: the first period it bites in."""
    out: list[Blocker] = []
    seen = set()
    for b in blockers:
        key = (b.code, b.place, b.resource, b.budget, b.year)
        if key not in seen:
            seen.add(key)
            out.append(b)
    return out


def _elsewhere(
    ctx: _Ctx,
    c: _Cache,
    workload: Workload,
    today: str | None,
    plan: dict[int, str],
    base: tuple[float, float],
    t: int,
) -> list[AltTiming]:
    """The move of period t to another place instead (kept there while the plan keeps it on
    its new place): the cheapest such place, and when a rule stops that one, the cheapest
    place no rule checked here stops (if any)."""
    before, after = (today if t == min(plan) else plan[t - 1]), plan[t]
    stay = [s for s in sorted(plan) if s >= t and plan[s] == after]
    span: list[int] = []
    for s in stay:
        if span and s != span[-1] + 1:
            break
        span.append(s)
    verdicts = c.verdict(t, ctx.members[0])
    options = []
    for place_id in sorted(verdicts):
        if place_id in (before, after) or not isinstance(verdicts[place_id], Pricing):
            continue
        alt = dict(plan)
        alt.update({s: place_id for s in span})
        found = _alternative(ctx, c, workload, today, plan, base, "elsewhere", t, alt)
        if found.objective_delta_eur is None:
            continue
        options.append(found)
    if not options:
        return []
    options.sort(key=lambda a: (a.objective_delta_eur or 0.0, a.place or ""))
    possible = next((a for a in options if not a.blockers), None)
    best = options[0]
    return [best] if possible is None or possible is best else [best, possible]


def move_timings(
    inputs: Inputs, m: RoadmapModel, rr: RoadmapResult, record: RoadmapRecord, workload_id: str
) -> tuple[MoveTiming, ...]:
    """The runner-up timing of each move of `workload_id` in the solved roadmap."""
    roadmap = inputs.scenario.roadmap
    assert roadmap is not None
    track = next(tr for tr in m.tracks.values() if workload_id in {mb.id for mb in tr.members})
    members = tuple(mb.id for mb in track.members) if track.kind == "affinity" else (workload_id,)
    ctx = _Ctx(
        inputs,
        m,
        rr,
        record,
        track,
        members,
        inputs.scenario.objective.internal_preference_pct,
        roadmap.discount_rate_pct,
        tuple(amortisation(m, inputs.scenario.objective.horizon_months, roadmap.discount_rate_pct)),
        (),
        None,
        rr.result.status == SolveStatus.OPTIMAL,
    )
    c = _Cache(m, rr)
    workload = next(w for w in inputs.workloads if w.id == workload_id)
    spots = member_spots(m, rr)
    group = workload.anti_affinity_group
    others = {
        w.id for w in inputs.workloads if group is not None and w.anti_affinity_group == group
    } - set(members)
    ctx = replace(
        ctx,
        replicas=tuple({o: s[o].place for o in others if o in s} for s in spots),
        group=group,
    )
    today, plan = _path_of(m, spots, inputs, workload_id)
    if not plan:
        return ()
    base = _cost(ctx, c, today, plan)
    if base is None:
        return ()
    out = []
    first, last = min(plan), max(plan)
    for t in _moves_at(today, plan):
        before = today if t == first else plan[t - 1]
        assert before is not None
        after = plan[t]
        alternatives: list[AltTiming] = []
        if t - 1 >= first and (first == 0 or t - 1 > first):
            alt = dict(plan)
            alt[t - 1] = after
            alternatives.append(
                _alternative(ctx, c, workload, today, plan, base, "earlier", t - 1, alt)
            )
        else:
            alternatives.append(
                AltTiming(
                    kind="earlier", period=None, place=after, blockers=(Blocker(code="horizon"),)
                )
            )
        if t + 1 <= last:
            alt = dict(plan)
            alt[t] = before
            alternatives.append(
                _alternative(ctx, c, workload, today, plan, base, "later", t + 1, alt)
            )
        else:
            alternatives.append(
                AltTiming(
                    kind="later", period=None, place=after, blockers=(Blocker(code="horizon"),)
                )
            )
        alternatives += _elsewhere(ctx, c, workload, today, plan, base, t)
        out.append(
            MoveTiming(
                period=m.periods[t].period.name,
                place_before=before,
                place_after=after,
                unit=track.id,
                moved_with=tuple(x for x in members if x != workload_id),
                objective_eur=_r2(base[0]),
                spend_eur=_r2(base[1]),
                alternatives=tuple(alternatives),
            )
        )
    return tuple(out)

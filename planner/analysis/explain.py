"""`planner explain`: one workload's places, costs, refusals, decision and runner-up.

Costs are per workload and per month: run cost (without egress), egress, the one-off move cost
amortised over the horizon, their total, and the same as the objective weighs it (external run
costs divided by 1 - in-house preference). The decision and the runner-up are those of the
placement unit the model decided on (the whole group for an affinity group).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from planner.candidates.costs import Pricing
from planner.candidates.eligibility import Refusal
from planner.candidates.evaluate import place_weight
from planner.candidates.places import Place, build_places
from planner.candidates.sizing import WorkloadSizing, size_demand
from planner.candidates.units import Unit, refusals_for
from planner.errors import InfeasibleError, InputError, InputIssue
from planner.inputs.frozen import Inputs
from planner.optimise.caps import CapRef
from planner.optimise.diagnosis import Diagnosis, Unplaced
from planner.optimise.diagnosis import Shortfall as DiagnosedShortfall
from planner.pipeline import Run, load_and_check, run_plan
from planner.plan.document import Plan
from planner.plan.facts import Comparison, Reason, Retired, Shortfall
from planner.plan.reasons import PlanState, Priced, compared, partners, priced_options
from planner.plan.roadmap_document import RoadmapPlan
from planner.plan.roadmap_facts import Timing
from planner.plan.roadmap_timing import MoveTiming, move_timings


@dataclass(frozen=True)
class PlaceCost:
    """An eligible place and what the workload would cost there per month."""

    place: str
    kind: str
    provider: str | None
    basis: str
    run_eur_month: float
    egress_eur_month: float
    move_eur_month: float
    total_eur_month: float
    objective_eur_month: float
    note: str | None = None


@dataclass(frozen=True)
class PlaceRefusal:
    """A place that may not take the workload, and the rule that refuses it."""

    place: str
    kind: str
    code: str
    reason: str


@dataclass(frozen=True)
class Explanation:
    workload: str
    data_class: str
    needs_24_7: bool
    current_site: str | None
    unit: str  # the placement unit: the workload, 'group:<name>' or 'class:<first member>'
    eligible: tuple[PlaceCost, ...]
    refused: tuple[PlaceRefusal, ...]
    placed_on: str | None
    reason_code: str | None
    reason: Reason | None
    runner_up: str | None
    to_win: ToWin | None
    group: str | None  # the affinity group the runner-up's amounts are for
    note: InfeasibleNote | None
    # how a performance sizing rule sized it (None: planned as provisioned, no rule reads it)
    sizing: WorkloadSizing | None = None
    path: tuple[PathStep, ...] = ()  # a roadmap's: the workload's changes, wave by wave
    # a roadmap's: each move's runner-up timing (earlier, later, elsewhere), an estimate
    timings: tuple[MoveTiming, ...] = ()


@dataclass(frozen=True)
class PathStep:
    """One change of a workload in one wave of a roadmap: from and to (None: it arrives or
    retires) and why then."""

    period: str
    place_before: str | None
    place_after: str | None
    timing: Timing | None


def _r2(value: float) -> float:
    return round(value + 0.0, 2) + 0.0


def _egress(place: Place, gib_month: float) -> float:
    price = (
        place.site.egress_eur_gib
        if place.site is not None
        else (place.offer.egress_eur_gib if place.offer is not None else 0.0)
    )
    return gib_month * price


def _costs(
    inputs: Inputs,
    wid: str,
    verdicts: dict[str, Refusal | Pricing],
    places: dict[str, Place],
    group_refused: dict[str, str],
) -> tuple[list[PlaceCost], list[PlaceRefusal]]:
    workload = next(w for w in inputs.workloads if w.id == wid)
    horizon = inputs.scenario.objective.horizon_months
    pct = inputs.scenario.objective.internal_preference_pct
    eligible, refused = [], []
    for place_id, verdict in verdicts.items():
        place = places[place_id]
        if isinstance(verdict, Refusal):
            refused.append(PlaceRefusal(place_id, place.kind, verdict.code, verdict.reason))
            continue
        egress = _egress(place, workload.egress_gib_month)
        if verdict.basis == "per-site override":
            egress = 0.0
        moving = workload.current_site is not None and workload.current_site != place_id
        move = workload.move_cost_eur / horizon if moving else 0.0
        run = verdict.run_cost_eur_month
        w = place_weight(place, pct)
        eligible.append(
            PlaceCost(
                place_id,
                place.kind,
                place.provider_id,
                verdict.basis,
                _r2(run - egress),
                _r2(egress),
                _r2(move),
                _r2(run + move),
                _r2(w * run + move),
                group_refused.get(place_id),
            )
        )
    eligible.sort(key=lambda c: (c.objective_eur_month, c.place))
    return eligible, refused


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PriceGap(_Fact):
    """The runner-up is dearer in the objective: by how much either cost must move."""

    code: Literal["price_gap"] = "price_gap"
    runner: str
    runner_drop_eur_month: float
    runner_run_eur_month: float
    chosen: str
    chosen_rise_eur_month: float


class NeedsRoom(_Fact):
    code: Literal["needs_room"] = "needs_room"
    comparison: Comparison
    shortfalls: tuple[Shortfall, ...]


class NeedsContract(_Fact):
    code: Literal["needs_contract"] = "needs_contract"
    runner: str
    contract_eur_month: float


class HoldsPartners(_Fact):
    code: Literal["holds_partners"] = "holds_partners"
    comparison: Comparison
    group: str
    partners: tuple[str, ...]


class NeedsCaps(_Fact):
    code: Literal["needs_caps"] = "needs_caps"
    comparison: Comparison
    caps: tuple[CapRef, ...]


class UsedElsewhere(_Fact):
    code: Literal["used_elsewhere"] = "used_elsewhere"
    comparison: Comparison


class PinnedHere(_Fact):
    code: Literal["pinned"] = "pinned"
    pin: str


ToWin = Annotated[
    PriceGap | NeedsRoom | NeedsContract | HoldsPartners | NeedsCaps | UsedElsewhere | PinnedHere,
    Field(discriminator="code"),
]


def _to_win(run: Run, unit: Unit, chosen: Priced, runner: Priced) -> ToWin:
    """What would have to change for `runner` to be chosen instead of `chosen`."""
    pct = run.inputs.scenario.objective.internal_preference_pct
    gap = runner.objective_eur_month - chosen.objective_eur_month
    if gap > 0:
        return PriceGap(
            runner=runner.place.id,
            runner_drop_eur_month=gap / place_weight(runner.place, pct),
            runner_run_eur_month=runner.option.run_cost_eur_month,
            chosen=chosen.place.id,
            chosen_rise_eur_month=gap / place_weight(chosen.place, pct),
        )
    state = PlanState(run.inputs, run.candidates, run.result)
    versus = compared(runner, chosen, pct)
    short = state.shortfall(runner.place.id, runner.option.use)
    if short:
        return NeedsRoom(
            comparison=versus,
            shortfalls=tuple(Shortfall(resource=r, needed=n, free=f) for r, n, f in short),
        )
    if runner.place.fixed_cost_eur_month > 0 and runner.place.id not in state.opened:
        return NeedsContract(
            runner=runner.place.id, contract_eur_month=runner.place.fixed_cost_eur_month
        )
    partnered = partners(state, unit, runner.place.id)
    if partnered is not None:
        group, ids = partnered
        return HoldsPartners(comparison=versus, group=group, partners=tuple(ids))
    caps = state.caps_against(unit, chosen, runner) or state.binding_caps
    if caps:
        return NeedsCaps(comparison=versus, caps=tuple(caps))
    return UsedElsewhere(comparison=versus)


def explain(scenario_path: str, workload_id: str, root: str | None = None) -> Explanation:
    """Explain one workload's placement in a scenario (solving it, or diagnosing it)."""
    inputs, _ = load_and_check(scenario_path, root)
    check_known(inputs, scenario_path, workload_id)
    run: Run | None = None
    note: InfeasibleNote | None = None
    try:
        run = run_plan(scenario_path, root=root)
    except InfeasibleError as exc:
        note = _infeasible_note(exc, workload_id)
    return explain_in(inputs, run, workload_id, note)


@dataclass(frozen=True)
class InfeasibleNote:
    """No plan exists: the diagnosis's causes and what it says about this workload (or the
    error's message, when there is no diagnosis)."""

    causes: tuple[str, ...]
    unplaced: tuple[Unplaced, ...]
    shortfalls: tuple[DiagnosedShortfall, ...]
    message: str | None = None


def _infeasible_note(exc: InfeasibleError, workload_id: str) -> InfeasibleNote:
    """What the scenario's diagnosis says about this workload."""
    diagnosis = exc.diagnosis
    if not isinstance(diagnosis, Diagnosis):
        return InfeasibleNote((), (), (), message=str(exc))
    return InfeasibleNote(
        tuple(diagnosis.causes),
        tuple(u for u in diagnosis.unplaced if workload_id in u.workloads),
        tuple(s for s in diagnosis.shortfalls if workload_id in s.workloads),
    )


def check_known(inputs: Inputs, scenario_path: str, workload_id: str) -> None:
    """An input error naming the closest workload id when `workload_id` is unknown."""
    known = [w.id for w in inputs.workloads]
    if workload_id not in known:
        close = difflib.get_close_matches(workload_id, known, n=1)
        raise InputError(
            [
                InputIssue(
                    f"unknown workload '{workload_id}'",
                    scenario_path,
                    field="workload",
                    hint=f"did you mean '{close[0]}'?"
                    if close
                    else (
                        "known: "
                        + ", ".join(sorted(known)[:10])
                        + (f" and {len(known) - 10} more" if len(known) > 10 else "")
                    ),
                )
            ]
        )


def explain_in(
    inputs: Inputs, run: Run | None, workload_id: str, note: InfeasibleNote | None = None
) -> Explanation:
    """Explain one workload given the scenario's run (None: no plan exists); its costs are
    those of its sized demand, the demand the plan places (planner/candidates/sizing.py)."""
    sized = size_demand(inputs)
    inputs = sized.inputs
    record = next((r for r in sized.records or () if r.workload == workload_id), None)
    workload = next(w for w in inputs.workloads if w.id == workload_id)
    places = {p.id: p for p in build_places(inputs)}
    verdicts = refusals_for(inputs, workload)
    unit_id = workload_id
    group_refused: dict[str, str] = {}
    placed_on = reason_code = runner_up = group = None
    reason: Reason | None = None
    to_win: ToWin | None = None
    if workload.retire:
        run, reason_code, reason = None, "retired", Retired()
    if run is not None:
        unit = next(u for u in run.candidates.units if workload_id in u.members)
        unit_id = unit.id
        unit_places = {o.place_id for o in unit.options}
        # a place the unit lacks is refused for another member only in an affinity group (a
        # roadmap's last-period units also lack the places pruned as never cheaper)
        for place_id, verdict in verdicts.items():
            if unit.kind != "affinity":
                break
            if not isinstance(verdict, Refusal) and place_id not in unit_places:
                group_refused[place_id] = "refused for another member of its affinity group"
        rc = next(
            rc
            for rc in run.plan.resource_changes
            if rc.type == "planner_placement" and rc.name == workload_id
        )
        assert rc.change.after is not None
        placed_on = rc.change.after.site
        if rc.reason is not None:
            reason_code, reason = rc.reason.code, rc.reason
        options = priced_options(run.inputs, run.candidates, unit)
        chosen = next(p for p in options if p.place.id == placed_on)
        others = [p for p in options if p is not chosen]
        if others and workload.pin is None:
            runner_up = others[0].place.id
            to_win = _to_win(run, unit, chosen, others[0])
            if unit.kind == "affinity":
                group = unit.id.split(":", 1)[1]
        elif workload.pin is not None:
            to_win = PinnedHere(pin=workload.pin)
    eligible, refused = _costs(inputs, workload_id, verdicts, places, group_refused)
    path = _path(run.plan, workload_id) if run is not None else ()
    timings: tuple[MoveTiming, ...] = ()
    if run is not None and run.roadmap is not None and isinstance(run.plan, RoadmapPlan):
        m, rr = run.roadmap
        timings = move_timings(run.inputs, m, rr, run.plan.roadmap, workload_id)
    return Explanation(
        workload=workload_id,
        data_class=workload.data_class,
        needs_24_7=workload.needs_24_7,
        current_site=workload.current_site,
        unit=unit_id,
        eligible=tuple(eligible),
        refused=tuple(refused),
        placed_on=placed_on,
        reason_code=reason_code,
        reason=reason,
        runner_up=runner_up,
        to_win=to_win,
        group=group,
        note=note,
        sizing=record,
        path=path,
        timings=timings,
    )


def _path(plan: Plan, workload_id: str) -> tuple[PathStep, ...]:
    """A roadmap's changes of the workload, wave by wave (none for a snapshot plan)."""
    if not isinstance(plan, RoadmapPlan):
        return ()
    steps = []
    for wave in plan.roadmap.waves:
        for rc in wave.resource_changes:
            if rc.type != "planner_placement" or rc.name != workload_id:
                continue
            before, after = rc.change.before, rc.change.after
            steps.append(
                PathStep(
                    wave.name,
                    None if before is None else before.site,
                    None if after is None else after.site,
                    wave.why.get(workload_id),
                )
            )
    return tuple(steps)

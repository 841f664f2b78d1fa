"""The stages in order: load -> check -> size -> candidates -> build -> solve -> extract."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from planner.candidates.commitments import committed_offers
from planner.candidates.evaluate import Evaluator
from planner.candidates.periods import PeriodCandidates, roadmap_candidates
from planner.candidates.pruning import prune_dominated, prune_dominated_over_periods
from planner.candidates.sizing import size_demand
from planner.candidates.units import Candidates, Unit, build_candidates
from planner.checks.registry import Where, run_rules
from planner.errors import InfeasibleError, InputError, InputIssue, SolverError
from planner.inputs import load_inputs
from planner.inputs.frozen import Inputs
from planner.inputs.periods import periods_of
from planner.optimise.budget import CutKind, TimeBudget
from planner.optimise.caps import model_kinds
from planner.optimise.diagnosis import diagnose
from planner.optimise.model import Model, build_model
from planner.optimise.model.constraints import has_share_caps, spend_eur_month
from planner.optimise.roadmap.bound import period_bound
from planner.optimise.roadmap.diagnosis import diagnose_roadmap, forced_move_conflicts
from planner.optimise.roadmap.model import RoadmapModel, build_roadmap_model, period_spend_eur_month
from planner.optimise.roadmap.solve import RoadmapResult, flat_model, solve_roadmap
from planner.optimise.roadmap.start import end_state_schedule, start_columns, with_blocks_fixed
from planner.optimise.solve import (
    MipStart,
    SolveOptions,
    SolveResult,
    SolveStatus,
    relative_gap,
    solve,
)
from planner.plan.document import Plan, ShadowPrice, load_plan
from planner.plan.extract import extract_plan, solver_record
from planner.plan.roadmap import build_roadmap_record, end_state_inputs
from planner.plan.roadmap_document import RoadmapPlan
from planner.plan.shadow_prices import shadow_prices

Progress = Callable[[str], None]
StageDone = Callable[[str], None]  # called with a stage's name as each stage ends


@dataclass(frozen=True)
class StartPlan:
    """A plan to start the solver from: where each workload is and the blocks built
    (`(site, block) -> count`); what `for_units` makes of it for the units of a model."""

    placements: dict[str, str]
    blocks: dict[tuple[str, str], int]

    def for_units(self, cands: Candidates) -> MipStart:
        """x of each unit: how many of its workloads the plan puts on each place; y: the
        places with a fixed cost that the plan uses."""
        x: dict[tuple[str, str], float] = {}
        for unit in cands.units:
            places = [self.placements.get(m) for m in unit.members]
            if unit.kind == "affinity":
                places = places[:1]
            for place in set(places):
                if place is not None:
                    x[unit.id, place] = float(places.count(place))
        used = {place for _unit, place in x}
        y = {p.id: 1.0 for p in cands.places if p.fixed_cost_eur_month > 0 and p.id in used}
        k = {key: float(n) for key, n in self.blocks.items()}
        return MipStart(x, k, y)


@dataclass
class Run:
    """Everything one planning run produced, stage by stage, with each stage's seconds."""

    inputs: Inputs
    candidates: Candidates
    model: Model
    result: SolveResult
    plan: Plan
    warnings: list[InputIssue]
    seconds: dict[str, float] = field(default_factory=dict)
    # a roadmap's own model and decisions, period by period (None: a snapshot plan)
    roadmap: tuple[RoadmapModel, RoadmapResult] | None = None


def solve_options(
    inputs: Inputs,
    solver: str | None = None,
    time_limit_s: float | None = None,
    gap_rel: float | None = None,
) -> SolveOptions:
    """Command-line options win over the scenario's solver section."""
    s = inputs.scenario.solver
    return SolveOptions(
        solver=solver or s.name,
        time_limit_s=time_limit_s if time_limit_s is not None else s.time_limit_s,
        gap_rel=gap_rel if gap_rel is not None else s.gap_rel,
        threads=s.threads,
        improve=s.incumbent_search,
    )


def apply_baseline(inputs: Inputs, baseline: Plan, path: str) -> Inputs:
    """A previous plan acts as the state: its placements become the current sites."""
    known = {s.id for s in inputs.sites} | {o.id for o in inputs.offers}
    placed = {
        rc.name: rc.change.after.site
        for rc in baseline.resource_changes
        if rc.type == "planner_placement" and rc.change.after is not None
    }
    issues = [
        InputIssue(
            f"baseline places '{wid}' on '{site}', which the catalogs no longer define",
            path,
            field=f"placement.{wid}",
        )
        for wid, site in sorted(placed.items())
        if site not in known
    ]
    if issues:
        raise InputError(issues)
    workloads = tuple(
        w.model_copy(update={"current_site": placed.get(w.id)}) for w in inputs.workloads
    )
    return replace(inputs, workloads=workloads)


def _infeasible(
    inputs: Inputs,
    cands: Candidates,
    unplaceable: list[Unit],
    budget: TimeBudget,
    share_reference_eur: float | None = None,
) -> InfeasibleError:
    """The error for a scenario without a plan, carrying the elastic model's diagnosis."""
    diagnosis = diagnose(inputs, cands, unplaceable, budget, share_reference_eur)
    return InfeasibleError(
        f"scenario '{diagnosis.scenario}' has no feasible plan",
        diagnosis,
        inputs,
        expected=inputs.scenario.expect == "infeasible",
    )


def _solved(
    inputs: Inputs,
    cands: Candidates,
    model: Model,
    options: SolveOptions,
    progress: Progress | None,
    reference: float | None,
    budget: TimeBudget,
    time_limit_s: float,
    what: str = "",
    start: MipStart | None = None,
) -> SolveResult:
    """Solve `model` within `time_limit_s`, showing progress; raises InfeasibleError or
    SolverError without a plan (the diagnosis gets what is left of `budget`)."""
    say = progress or (lambda _stage: None)
    solving = f"solving{what} with {options.solver} (time limit {options.time_limit_s:g} s)"
    say(solving)

    def report(incumbent: float | None, _bound: float | None, gap: float | None) -> None:
        if incumbent is not None:
            gap_text = "" if gap is None else f", gap {100.0 * gap:.2f} %"
            say(f"{solving}: best plan so far €{incumbent:,.2f} / month{gap_text}")

    result = solve(model, options, report if progress is not None else None, time_limit_s, start)
    if result.status == SolveStatus.INFEASIBLE:
        say("diagnosing why no plan exists")
        raise _infeasible(inputs, cands, [], budget, reference)
    if not result.has_solution:
        share = (
            ""
            if result.status != SolveStatus.NO_SOLUTION
            else (
                f"; this solve{what} had {time_limit_s:.3g} s of the run's time limit of "
                f"{options.time_limit_s:g} s, shared by all its solves (raise it with --time-limit)"
            )
        )
        raise SolverError(
            f"the {options.solver} solver stopped without a plan "
            f"({result.status.value}: {result.message}){share}"
        )
    return result


def load_and_check(scenario_path: str, root: str | None = None) -> tuple[Inputs, list[InputIssue]]:
    inputs = load_inputs(scenario_path, root)
    issues = run_rules(inputs, Where.PLAN)
    if any(i.severity == "error" for i in issues):
        raise InputError(issues)
    return inputs, issues


def run_plan(
    scenario_path: str,
    *,
    solver: str | None = None,
    time_limit_s: float | None = None,
    gap_rel: float | None = None,
    baseline_path: str | None = None,
    timings: bool = False,
    progress: Progress | None = None,
    root: str | None = None,
    stage_done: StageDone | None = None,
) -> Run:
    """Plan one scenario end to end; raises InputError, InfeasibleError or SolverError.

    `root`: the folder the scenario's catalogs must be in (default: its repository).
    `stage_done`: told each stage's name ("load", "candidates", ...) as it ends (a benchmark
    reads each stage's peak memory there)."""
    say = progress or (lambda _stage: None)
    t = time.perf_counter()
    say("loading and checking the catalogs")
    inputs, warnings = load_and_check(scenario_path, root)
    baseline = None
    if baseline_path is not None:
        baseline = load_plan(baseline_path)
        inputs = apply_baseline(inputs, baseline, baseline_path)
    load_s = time.perf_counter() - t
    if stage_done is not None:
        stage_done("load")
    if inputs.scenario.roadmap is not None:
        if baseline_path is not None:
            raise InputError([InputIssue("--baseline does not apply to a roadmap scenario")])
        options = solve_options(inputs, solver, time_limit_s, gap_rel)
        return run_roadmap(inputs, warnings, options, {"load": load_s}, timings, progress)
    run = plan_inputs(
        inputs,
        warnings,
        solver=solver,
        time_limit_s=time_limit_s,
        gap_rel=gap_rel,
        baseline=baseline,
        baseline_path=baseline_path,
        timings=timings,
        progress=progress,
        stage_done=stage_done,
    )
    run.seconds = {"load": load_s, **run.seconds}
    return run


def plan_inputs(
    inputs: Inputs,
    warnings: list[InputIssue],
    *,
    solver: str | None = None,
    time_limit_s: float | None = None,
    gap_rel: float | None = None,
    baseline: Plan | None = None,
    baseline_path: str | None = None,
    timings: bool = False,
    progress: Progress | None = None,
    with_shadow_prices: bool = True,
    start: StartPlan | None = None,
    stage_done: StageDone | None = None,
) -> Run:
    """Plan inputs already loaded and checked (see `run_plan`); a sweep plans each variant's
    inputs in memory this way, without the shadow prices (`with_shadow_prices=False`) and
    with its base plan as the solver's first incumbent (`start`)."""
    seconds: dict[str, float] = {}
    say = progress or (lambda _stage: None)

    def timed(stage: str, start: float) -> None:
        seconds[stage] = time.perf_counter() - start
        if stage_done is not None:
            stage_done(stage)

    t = time.perf_counter()
    sized = size_demand(inputs)  # inputs -> sized demand: what the model places
    if sized.in_play:
        say("sizing workloads on their observed use")
    inputs = sized.inputs
    say("computing eligible placements and costs")
    unplaceable: list[Unit] = []
    cands = build_candidates(inputs, unplaceable=unplaceable, sizing=sized)
    timed("candidates", t)
    options = solve_options(inputs, solver, time_limit_s, gap_rel)
    if unplaceable:
        say("diagnosing why no plan exists")
        raise _infeasible(inputs, cands, unplaceable, TimeBudget(options.time_limit_s))
    t = time.perf_counter()
    say("building the model")
    pruned = prune_dominated(
        inputs, cands, model_kinds(inputs.scenario.caps, bool(committed_offers(cands)))
    )
    model = build_model(inputs, pruned)
    mip_start = None if start is None else start.for_units(pruned)
    timed("build", t)
    t = time.perf_counter()
    budget = TimeBudget(options.time_limit_s)  # the limit bounds every solve from here on
    reference = None
    if has_share_caps(inputs):  # first without them: their denominator is this plan's spend
        first = _solved(
            inputs,
            cands,
            model,
            options,
            progress,
            None,
            budget,
            budget.reference_solve_s(),
            " without the share caps",
            mip_start,
        )
        if first.status == SolveStatus.FEASIBLE:
            budget.cut(CutKind.REFERENCE_SOLVE)
        decision = Evaluator(pruned).decision(first.x, first.k, first.y, first.c)
        reference = spend_eur_month(pruned, decision)
        model = build_model(inputs, pruned, share_reference_eur=reference)
    result = _solved(
        inputs,
        cands,
        model,
        options,
        progress,
        reference,
        budget,
        budget.main_solve_s(),
        start=mip_start,
    )
    result = replace(result, share_reference_eur=reference)
    timed("solve", t)
    t = time.perf_counter()
    plan = extract_plan(inputs, cands, result, baseline, baseline_path, timings)
    timed("extract", t)
    t = time.perf_counter()
    prices: tuple[ShadowPrice, ...] = ()
    if with_shadow_prices:
        say("computing shadow prices")
        prices = shadow_prices(inputs, pruned, result, budget, model)
    plan = plan.model_copy(
        update={"shadow_prices": prices, "solver": solver_record(result, timings, budget.cuts)}
    )
    timed("shadow", t)
    return Run(inputs, cands, model, result, plan, warnings + _unexpected_plan(inputs), seconds)


def _unexpected_plan(inputs: Inputs) -> list[InputIssue]:
    """A warning when a scenario that declares itself infeasible has a plan after all."""
    if inputs.scenario.expect != "infeasible":
        return []
    pos = inputs.where("scenario.expect")
    return [
        InputIssue(
            "the scenario declares 'expect: infeasible' but has a feasible plan",
            pos.file,
            pos.line,
            pos.column,
            field="expect",
            severity="warning",
            hint="remove 'expect: infeasible' if the scenario is meant to be feasible now",
            code="expected-infeasible",
        )
    ]


# the share of a roadmap's time limit its first plan (the end state scheduled) may take
ROADMAP_START_SHARE = 0.3
# the share its re-placement with the first plan's blocks kept may take (the main solve's
# bound moves little after its first 30 s on the demo: docs/benchmarks.md, section 12)
BLOCKS_FIXED_SHARE = 0.35


def _left(budget: TimeBudget, options: SolveOptions) -> float:
    """What the diagnosis of a roadmap may take: the run's time left, at least a tenth of it."""
    return max(budget.remaining_s(), 0.1 * options.time_limit_s)


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


# a roadmap stopped with a gap above this is bounded by each period's own LP too (HiGHS's
# bound before its root LP is solved is the trivial one: a 462 % gap at 100k x 40 x 8)
PERIOD_BOUND_GAP_REL = 0.01


def _weakly_bounded(result: SolveResult) -> bool:
    """A roadmap stopped at a limit with no bound of its own, or a gap above
    PERIOD_BOUND_GAP_REL."""
    if result.status != SolveStatus.FEASIBLE:
        return False
    return not _finite(result.bound) or (result.gap_rel or 0.0) > PERIOD_BOUND_GAP_REL


def _with_period_bound(
    inputs: Inputs, model: RoadmapModel, solved: RoadmapResult, limit_s: float
) -> RoadmapResult:
    """A roadmap stopped with a weak bound or none, bounded by each period's own LP
    (planner/optimise/roadmap/bound.py) where that is higher, if those LPs are solved within
    `limit_s`."""
    bound = period_bound(model, inputs, limit_s)
    result = solved.result
    if bound is None or result.objective is None:
        return solved
    if _finite(result.bound) and result.bound is not None and result.bound >= bound:
        return solved
    gap = relative_gap(result.objective, bound)
    message = f"{result.message}; best bound from each period's own LP relaxation"
    checked = replace(result, bound=bound, gap_rel=gap, message=message)
    return replace(solved, result=checked)


def run_roadmap(
    inputs: Inputs,
    warnings: list[InputIssue],
    options: SolveOptions,
    seconds: dict[str, float],
    timings: bool = False,
    progress: Progress | None = None,
) -> Run:
    """Plan a roadmap scenario over its periods (planner/optimise/roadmap/): the plan's own
    keys are the end state (the last period against today), its `roadmap` the waves."""
    roadmap = inputs.scenario.roadmap
    assert roadmap is not None
    if inputs.scenario.objective.buy_commitments:  # the checks refuse it at its line first
        raise InputError([InputIssue("a roadmap scenario cannot buy commitments yet")])
    if inputs.scenario.sizing.in_play():
        pos = inputs.where("scenario.sizing")
        raise InputError(
            [
                InputIssue(
                    "a roadmap plans workloads as provisioned: its sizing policy must be "
                    "as_provisioned",
                    pos.file,
                    pos.line,
                    field="sizing",
                    hint="plan the end state without a roadmap to see right-sizing",
                )
            ]
        )
    say = progress or (lambda _stage: None)
    t = time.perf_counter()
    say("computing each period's eligible placements and costs")
    lost: list[tuple[PeriodCandidates, list[Unit]]] = []
    periods = roadmap_candidates(inputs, periods_of(roadmap), lost)
    seconds["candidates"] = time.perf_counter() - t
    if lost:  # the first period some workload has nowhere to go, diagnosed as today's plans
        pc, units = lost[0]
        say(f"diagnosing why {pc.period.name} has no plan")
        error = _infeasible(pc.inputs, pc.cands, units, TimeBudget(options.time_limit_s))
        raise InfeasibleError(
            f"roadmap '{inputs.scenario.name}' has no feasible plan: in period "
            f"{pc.period.name}, {len(units)} placement unit{'s' if len(units) != 1 else ''} "
            "may go nowhere",
            error.diagnosis,
            expected=error.expected,
        )
    conflicts = forced_move_conflicts(inputs, periods)
    if conflicts is not None:  # the waves cannot hold what must leave by then
        raise InfeasibleError(
            f"roadmap '{inputs.scenario.name}' has no feasible plan",
            conflicts,
            expected=inputs.scenario.expect == "infeasible",
        )
    periods = prune_dominated_over_periods(periods, model_kinds(inputs.scenario.caps))
    budget = TimeBudget(options.time_limit_s)  # the solves' seconds, the build left out
    scheduled = None
    if not has_share_caps(inputs):  # the end state scheduled: the main solve's first incumbent
        # before the whole model is built, so their memory is not needed at once (the
        # whole model reuses the restricted one's: docs/benchmarks.md, section 12)
        say("scheduling the end state for a first roadmap")
        limit = ROADMAP_START_SHARE * options.time_limit_s
        scheduled = end_state_schedule(inputs, periods, options, limit)
    t = time.perf_counter()
    say(f"building the roadmap model ({len(periods)} periods)")
    model = build_roadmap_model(inputs, periods)
    seconds["build"] = time.perf_counter() - t
    budget.leave_out(seconds["build"])
    reference: dict[int, float] | None = None
    if has_share_caps(inputs):  # first without them: each period's spend is its denominator
        say(f"solving without the share caps with {options.solver}")
        first = solve_roadmap(model, options, None, budget.reference_solve_s())
        if first.result.status == SolveStatus.INFEASIBLE:
            diagnosis = diagnose_roadmap(
                inputs, periods, options, max(budget.remaining_s(), 0.1 * options.time_limit_s)
            )
            raise InfeasibleError(
                f"roadmap '{inputs.scenario.name}' has no feasible plan",
                diagnosis,
                expected=inputs.scenario.expect == "infeasible",
            )
        if not first.result.has_solution:
            raise SolverError(f"the {options.solver} solver stopped without a roadmap")
        if first.result.status == SolveStatus.FEASIBLE:
            budget.cut(CutKind.REFERENCE_SOLVE)
        reference = period_spend_eur_month(model, first)
        model = build_roadmap_model(inputs, periods, share_reference_eur=reference)
    if options.solver == "highs":  # every later solve reads the arrays (CBC the rows)
        model.release_rows()
    start = None
    if scheduled is not None:
        say("re-placing every workload with the first roadmap's blocks")
        limit = min(BLOCKS_FIXED_SHARE * options.time_limit_s, budget.remaining_s())
        columns = start_columns(model, scheduled)
        scheduled = None  # its values keyed by decision: not needed by the main solve
        start = with_blocks_fixed(model, columns, options, limit)
    say(f"solving the roadmap with {options.solver} (time limit {options.time_limit_s:g} s)")
    solved = solve_roadmap(model, options, None, budget.main_solve_s(), start)
    if solved.result.status == SolveStatus.INFEASIBLE:
        say("diagnosing why the roadmap has no plan")
        diagnosis = diagnose_roadmap(
            inputs,
            periods,
            options,
            max(budget.remaining_s(), 0.1 * options.time_limit_s),
            reference,
        )
        raise InfeasibleError(
            f"roadmap '{inputs.scenario.name}' has no feasible plan",
            diagnosis,
            expected=inputs.scenario.expect == "infeasible",
        )
    if not solved.result.has_solution:
        none_first = ""
        if reference is None and start is None:
            none_first = (
                "; no first roadmap either (the end state scheduled in the waves, within "
                f"{ROADMAP_START_SHARE * options.time_limit_s:g} s): a longer --time-limit "
                "may give one"
            )
        raise SolverError(
            f"the {options.solver} solver stopped without a roadmap "
            f"({solved.result.status.value}: {solved.result.message}){none_first}"
        )
    if _weakly_bounded(solved.result):
        say("bounding the roadmap by each period's own relaxation")
        solved = _with_period_bound(inputs, model, solved, _left(budget, options))
    seconds["solve"] = budget.elapsed_s()
    t = time.perf_counter()
    record, _spots = build_roadmap_record(inputs, model, solved)
    end_inputs, end_cands, end_result = end_state_inputs(inputs, model, solved)
    plan = extract_plan(end_inputs, end_cands, end_result, None, None, timings)
    # a roadmap's budget years are its own (record.years), not a snapshot's
    plan = plan.model_copy(update={"totals": plan.totals.model_copy(update={"budget_years": ()})})
    plan = RoadmapPlan(
        **{k: getattr(plan, k) for k in type(plan).model_fields},
        roadmap=record,
    ).model_copy(update={"solver": solver_record(solved.result, timings, budget.cuts)})
    seconds["extract"] = time.perf_counter() - t
    pruned = periods[-1].cands
    return Run(
        inputs, pruned, flat_model(model), end_result, plan, warnings, seconds, (model, solved)
    )

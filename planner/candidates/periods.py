"""Dated inputs as of one roadmap period: the estate, prices and rules in force then.

A period sees the workloads that run during it (`starts_on` on or before its last day,
`retires_on` after its first), their demand grown to its first day (compounded from the
horizon's start), the sites open for all of it (`closes_on` after its last day) with the least
capacity they have during it, each offer's prices in force on its first day, and each data
class's rule in force on its first day together with any rule taking effect during it (both
must hold). A qualification must be in force on its first and last days (`Inputs.period_end`).
A workload whose contract ends during or before the period without renewal may not stay on
its current place then.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from dataclasses import replace as dataclass_replace
from datetime import date

from planner.candidates.units import Candidates, Unit, build_candidates
from planner.errors import InputError, InputIssue
from planner.inputs.frozen import Inputs
from planner.inputs.periods import Period
from planner.inputs.schema import (
    RESOURCES,
    DataClassRule,
    Offer,
    PartialResources,
    Policy,
    Resources,
    Site,
    Workload,
)


def runs_in(w: Workload, period: Period) -> bool:
    """The workload runs during (part of) the period."""
    started = w.starts_on is None or w.starts_on <= period.end
    running = w.retires_on is None or w.retires_on > period.start
    return started and running and not w.retire


def growth_factor(w: Workload, inputs: Inputs, period: Period) -> float:
    """How much the workload's demand has grown by the period's first day."""
    roadmap = inputs.scenario.roadmap
    by_class = roadmap.growth_pct_year if roadmap is not None else {}
    pct = w.growth_pct_year if w.growth_pct_year is not None else by_class.get(w.data_class, 0.0)
    if pct == 0.0 or period.months_from_start == 0:
        return 1.0
    return float((1.0 + pct / 100.0) ** (period.months_from_start / 12.0))


def _scaled(resources: Resources, factor: float) -> Resources:
    return resources.model_copy(update={r: resources.get(r) * factor for r in RESOURCES})


def workload_in(w: Workload, inputs: Inputs, period: Period) -> Workload:
    """The workload as the period sees it: grown demand, a lapsed contract's place excluded."""
    update: dict[str, object] = {}
    factor = growth_factor(w, inputs, period)
    if factor != 1.0:
        update["demand"] = _scaled(w.demand, factor)
        overrides = {}
        for place_id, o in w.site_overrides.items():
            if o.demand is not None:
                grown = {r: v * factor for r in RESOURCES if (v := o.demand.get(r)) is not None}
                o = o.model_copy(update={"demand": PartialResources.model_validate(grown)})
            overrides[place_id] = o
        update["site_overrides"] = overrides
    c = w.contract
    if c is not None and not c.renew and c.ends_on < period.end and w.current_site is not None:
        update["exclude"] = tuple(sorted({*w.exclude, w.current_site}))
    return w.model_copy(update=update) if update else w


def site_in(site: Site, period: Period) -> Site | None:
    """The site during the period (None: closed for part of it), with the least capacity of
    each resource it has during it."""
    if site.closes_on is not None and site.closes_on <= period.end:
        return None
    if not site.capacity_changes:
        return site
    capacity = {r: site.capacity.get(r) for r in RESOURCES}
    for change in site.capacity_changes:  # in force at the start
        if change.effective_from <= period.start:
            for r in RESOURCES:
                v = change.capacity.get(r)
                if v is not None:
                    capacity[r] = v
    for change in site.capacity_changes:  # taking effect during the period
        if period.start < change.effective_from <= period.end:
            for r in RESOURCES:
                v = change.capacity.get(r)
                if v is not None:
                    capacity[r] = min(capacity[r], v)
    return site.model_copy(update={"capacity": Resources.model_validate(capacity)})


def offer_in(offer: Offer, day: date) -> Offer:
    """The offer with the price changes in force on `day` applied in their order."""
    changes = [c for c in offer.price_changes if c.effective_from <= day]
    if not changes:
        return offer
    units = {r: offer.unit_prices_eur_month.get(r) for r in RESOURCES}
    flavours = list(offer.flavours)
    fixed = offer.fixed_cost_eur_month
    for change in changes:
        if change.pct is not None:
            f = 1.0 + change.pct / 100.0
            units = {r: None if v is None else v * f for r, v in units.items()}
            flavours = [
                fl.model_copy(update={"price_eur_month": fl.price_eur_month * f}) for fl in flavours
            ]
            fixed *= f
        elif change.unit_prices_eur_month is not None:
            for r in RESOURCES:
                v = change.unit_prices_eur_month.get(r)
                if v is not None:
                    units[r] = v
    return offer.model_copy(
        update={
            "unit_prices_eur_month": PartialResources.model_validate(units),
            "flavours": tuple(flavours),
            "fixed_cost_eur_month": fixed,
        }
    )


def dated_class(name: str, day: date) -> str:
    """The name a data class's rule taking effect on `day` goes by within a period."""
    return f"{name} (from {day.isoformat()})"


def policy_in(policy: Policy, period: Period) -> Policy:
    """Each data class's rule in force at the period's start; a rule taking effect during the
    period is added as an included class, so both must hold."""
    if not any(rule.changes for rule in policy.data_classes.values()):
        return policy
    classes: dict[str, DataClassRule] = {}
    for name, rule in policy.data_classes.items():
        current = rule
        for change in rule.changes:
            if change.effective_from <= period.start:
                current = rule.model_copy(
                    update={
                        "placeable": change.placeable,
                        "any_of": change.any_of,
                        "includes": change.includes,
                    }
                )
        later = [c for c in rule.changes if period.start < c.effective_from <= period.end]
        extra = []
        for change in later:
            extra_name = dated_class(name, change.effective_from)
            classes[extra_name] = DataClassRule(
                placeable=change.placeable, any_of=change.any_of, includes=change.includes
            )
            extra.append(extra_name)
        classes[name] = current.model_copy(
            update={"includes": (*current.includes, *extra), "changes": ()}
        )
    return policy.model_copy(update={"data_classes": classes})


def inputs_in(inputs: Inputs, period: Period) -> Inputs:
    """The scenario's inputs as one period sees them (see the module's docstring)."""
    sites = tuple(s for site in inputs.sites if (s := site_in(site, period)) is not None)
    providers = tuple(
        p.model_copy(update={"offers": tuple(offer_in(o, period.start) for o in p.offers)})
        if any(o.price_changes for o in p.offers)
        else p
        for p in inputs.providers
    )
    workloads = tuple(
        workload_in(w, inputs, period) for w in inputs.workloads if runs_in(w, period)
    )
    scenario = inputs.scenario.model_copy(update={"reference_date": period.start})
    return replace(
        inputs,
        scenario=scenario,
        sites=sites,
        providers=providers,
        workloads=workloads,
        policy=policy_in(inputs.policy, period),
        period_end=period.end,
    )


@dataclass(frozen=True)
class PeriodCandidates:
    """One period of a roadmap: the inputs it sees and their candidates."""

    period: Period
    inputs: Inputs
    cands: Candidates


def roadmap_candidates(
    inputs: Inputs,
    periods: tuple[Period, ...],
    unplaceable: list[tuple[PeriodCandidates, list[Unit]]] | None = None,
) -> tuple[PeriodCandidates, ...]:
    """The candidates of every period; a period no place can serve for some workload is an
    input error naming the period (every period's issues at once), unless `unplaceable` is
    given: each such period is then appended there with its units no place may take."""
    out: list[PeriodCandidates] = []
    issues: list[InputIssue] = []
    for period in periods:
        seen = inputs_in(inputs, period)
        lost: list[Unit] = []
        try:
            pc = PeriodCandidates(
                period,
                seen,
                build_candidates(seen, unplaceable=None if unplaceable is None else lost),
            )
        except InputError as exc:
            issues.extend(
                dataclass_replace(i, message=f"in period {period.name}: {i.message}")
                for i in exc.issues
            )
            continue
        out.append(pc)
        if lost and unplaceable is not None:
            unplaceable.append((pc, lost))
    if issues:
        raise InputError(issues)
    return tuple(out)

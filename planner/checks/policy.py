"""Policy checks run by `planner validate` and `planner diff`: coverage, freshness, capacity.

Each check is a small function `(inputs, limits) -> issues`. Dates are compared with the
scenario's reference date, so a check gives the same answer on any day it is run.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from planner.candidates.costs import demand_on, site_use
from planner.candidates.eligibility import policy_refusal, workload_refusal
from planner.candidates.evaluate import max_capacity
from planner.candidates.places import Place, build_places
from planner.errors import InputIssue
from planner.inputs.frozen import Inputs
from planner.inputs.schema import Amounts, Qualification


@dataclass(frozen=True)
class Limits:
    """How far ahead and how far back the freshness checks look, in days."""

    qualification_warning_days: int = 90
    price_max_age_days: int = 365


def _issue(
    inputs: Inputs,
    key: str,
    field: str | None,
    message: str,
    code: str,
    hint: str | None = None,
    severity: str = "warning",
) -> InputIssue:
    pos = inputs.sources.get(f"{key}.{field}") if field else None
    if pos is None:
        pos = inputs.where(key)
    return InputIssue(
        message,
        pos.file,
        pos.line,
        pos.column,
        field=field,
        hint=hint,
        severity=severity,
        code=code,
    )


def _place_key(place: Place) -> str:
    return f"site:{place.id}" if place.internal else f"offer:{place.id}"


def _live_classes(inputs: Inputs) -> dict[str, list[str]]:
    """Data class -> ids of the workloads that need a place (not retired, placeable class)."""
    classes: dict[str, list[str]] = defaultdict(list)
    for w in inputs.workloads:
        rule = inputs.policy.data_classes.get(w.data_class)
        if not w.retire and rule is not None and rule.placeable:
            classes[w.data_class].append(w.id)
    return classes


def check_class_coverage(inputs: Inputs, limits: Limits) -> list[InputIssue]:
    """Every data class that workloads use has at least one eligible site or offer."""
    places = build_places(inputs)
    day = inputs.scenario.reference_date
    issues = []
    for name, members in sorted(_live_classes(inputs).items()):
        refusals = [policy_refusal(inputs.policy, name, p, day) for p in places]
        if places and all(r is not None for r in refusals):
            first = next(r for r in refusals if r is not None)
            issues.append(
                _issue(
                    inputs,
                    f"data_class:{name}",
                    None,
                    f"no site or offer is eligible for data class '{name}' "
                    f"({len(members)} workload{'s' if len(members) != 1 else ''})",
                    "class-not-covered",
                    f"for example {places[0].id}: {first.reason}",
                    severity="error",
                )
            )
        elif not places:
            issues.append(
                _issue(
                    inputs,
                    f"data_class:{name}",
                    None,
                    f"no site or offer at all for data class '{name}'",
                    "class-not-covered",
                    severity="error",
                )
            )
    return issues


def _qualification_issue(
    inputs: Inputs, key: str, index: int, q: Qualification, limits: Limits
) -> InputIssue | None:
    if q.valid_until is None or q.status != "qualified":
        return None
    days_left = (q.valid_until - inputs.scenario.reference_date).days
    field = f"qualifications[{index}].valid_until"
    owner = key.split(":", 1)[1]
    if days_left < 0:
        return _issue(
            inputs,
            key,
            field,
            f"{q.name} qualification of '{owner}' expired on "
            f"{q.valid_until} ({-days_left} days before the reference date)",
            "qualification-expired",
            "record the renewal, or its new status",
        )
    if days_left <= limits.qualification_warning_days:
        return _issue(
            inputs,
            key,
            field,
            f"{q.name} qualification of '{owner}' expires on {q.valid_until}, in {days_left} days",
            "qualification-expiring",
            "plan the renewal: workloads that need it would have to move",
        )
    return None


def check_qualification_dates(inputs: Inputs, limits: Limits) -> list[InputIssue]:
    """Qualifications expired, or expiring within `qualification_warning_days`."""
    issues = []
    for place in build_places(inputs):
        for index, q in enumerate(place.qualifications):
            issue = _qualification_issue(inputs, _place_key(place), index, q, limits)
            if issue is not None:
                issues.append(issue)
    return issues


def check_price_age(inputs: Inputs, limits: Limits) -> list[InputIssue]:
    """Offer prices older than `price_max_age_days` at the reference date."""
    issues = []
    for offer in inputs.offers:
        age_days = (inputs.scenario.reference_date - offer.price_date).days
        if age_days > limits.price_max_age_days:
            issues.append(
                _issue(
                    inputs,
                    f"offer:{offer.id}",
                    "price_date",
                    f"prices of '{offer.id}' date from {offer.price_date}, {age_days} days before "
                    f"the reference date (limit {limits.price_max_age_days})",
                    "price-stale",
                    f"refresh them from {offer.price_source}",
                )
            )
    return issues


def _capacity_in_demand_units(place: Place) -> Amounts:
    """What a place can take of each resource, in the units workloads ask for."""
    cap = max_capacity(place)
    if cap is None:
        return Amounts.of(lambda r: math.inf)
    site = place.site
    if site is None:
        return cap
    return Amounts.of(lambda r: cap.get(r) * site.overcommit_ratio(r))


def check_class_capacity(inputs: Inputs, limits: Limits) -> list[InputIssue]:
    """Total capacity eligible for a data class (fully expanded) below its total demand."""
    places = build_places(inputs)
    day = inputs.scenario.reference_date
    workloads = {w.id: w for w in inputs.workloads}
    issues = []
    for name, members in sorted(_live_classes(inputs).items()):
        eligible = [p for p in places if policy_refusal(inputs.policy, name, p, day) is None]
        if not eligible:
            continue  # reported by check_class_coverage
        capacity = Amounts.zero()
        for place in eligible:
            capacity = capacity.plus(_capacity_in_demand_units(place))
        for r, held in capacity.items():
            demand = sum(workloads[wid].demand.get(r) for wid in members)
            if demand > held + 1e-9:
                issues.append(
                    _issue(
                        inputs,
                        f"data_class:{name}",
                        None,
                        f"data class '{name}' needs {demand:g} {r} but its eligible places hold "
                        f"at most {held:g}, even with every expansion block built",
                        "capacity-short",
                        "add capacity or qualify another site or offer",
                    )
                )
    return issues


def check_current_load(inputs: Inputs, limits: Limits) -> list[InputIssue]:
    """Workloads said to run on an internal site today use more than its whole capacity."""
    used: dict[str, Amounts] = {}
    for w in inputs.workloads:
        if w.current_site is None:
            continue
        demand = demand_on(w, w.current_site)
        used[w.current_site] = used.get(w.current_site, Amounts.zero()).plus(demand)
    issues = []
    for site in inputs.sites:
        today = used.get(site.id, Amounts.zero())
        for r, load in site_use(site, today).items():
            if load > site.capacity.get(r) + 1e-9:
                issues.append(
                    _issue(
                        inputs,
                        f"site:{site.id}",
                        "capacity",
                        f"the workloads currently on '{site.id}' use {load:,.6g} {r}, more "
                        f"than its capacity of {site.capacity.get(r):,.6g}",
                        "current-over-capacity",
                        "check the inventory's current_site values or the site's capacity",
                    )
                )
    return issues


def check_pins(inputs: Inputs, limits: Limits) -> list[InputIssue]:
    """A workload pinned to a place that may not take it."""
    places = {p.id: p for p in build_places(inputs)}
    day = inputs.scenario.reference_date
    issues = []
    for w in inputs.workloads:
        place = places.get(w.pin) if w.pin is not None else None
        if place is None or w.retire or w.data_class not in inputs.policy.data_classes:
            continue
        refusal = workload_refusal(w, place) or policy_refusal(
            inputs.policy, w.data_class, place, day
        )
        if refusal is not None:
            issues.append(
                _issue(
                    inputs,
                    f"workload:{w.id}",
                    "pin",
                    f"workload '{w.id}' is pinned to '{w.pin}', which may not take "
                    f"it: {refusal.reason}",
                    "pin-ineligible",
                    "pin it to an eligible place or remove the pin",
                    severity="error",
                )
            )
    return issues


POLICY_CHECKS: tuple[Callable[[Inputs, Limits], list[InputIssue]], ...] = (
    check_class_coverage,
    check_qualification_dates,
    check_price_age,
    check_class_capacity,
    check_current_load,
    check_pins,
)

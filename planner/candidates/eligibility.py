"""Policy rules (data) -> may this workload go to this place, and if not, why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planner.candidates.places import Place
from planner.inputs.schema import Clause, Policy, Workload


@dataclass(frozen=True)
class Refusal:
    """Why a place may not take a workload: a stable code and a sentence."""

    code: str
    reason: str


def clause_failures(clause: Clause, place: Place, day: date) -> list[str]:
    """What a place lacks to satisfy one policy clause (empty: it satisfies it)."""
    failures: list[str] = []
    if clause.internal is True and not place.internal:
        failures.append("not an internal State cloud")
    if clause.internal is False and place.internal:
        failures.append("is an internal State cloud")
    for name in clause.qualifications:
        q = place.qualification(name)
        if q is None:
            failures.append(f"no {name} qualification")
        elif q.status != "qualified":
            failures.append(f"{name} status is {q.status}")
        elif not q.holds_on(day):
            failures.append(f"{name} expired on {q.valid_until}")
    for name, needed in clause.activities.items():
        q = place.qualification(name)
        if q is None:
            if name not in clause.qualifications:
                failures.append(f"no {name} qualification")
            continue
        if not q.holds_on(day) and name not in clause.qualifications:
            failures.append(f"{name} not in force ({q.status}, valid until {q.valid_until})")
        missing = [a for a in needed if a not in q.activities]
        if missing:
            failures.append(
                f"{name} lacks activit{'y' if len(missing) == 1 else 'ies'} "
                + ", ".join(map(str, missing))
            )
    if clause.location_zone_in and place.location.zone not in clause.location_zone_in:
        failures.append(
            f"located in {place.location.country} ({place.location.zone}), "
            f"needs {'/'.join(clause.location_zone_in)}"
        )
    if clause.jurisdiction_zone_in and place.jurisdiction_zone not in clause.jurisdiction_zone_in:
        failures.append(
            f"under {place.jurisdiction_country} ({place.jurisdiction_zone}) "
            f"jurisdiction, needs {'/'.join(clause.jurisdiction_zone_in)}"
        )
    if clause.no_extra_eu_law_exposure and place.extra_eu_law_exposure:
        failures.append("exposed to extra-EU law")
    return failures


def policy_refusal(policy: Policy, data_class: str, place: Place, day: date) -> Refusal | None:
    """Refusal by the data-class rules (and the rules they include), or None if allowed."""
    seen: set[str] = set()
    pending = [data_class]
    while pending:
        name = pending.pop(0)
        if name in seen:
            continue
        seen.add(name)
        rule = policy.data_classes[name]
        if not rule.placeable:
            return Refusal("not_placeable", f"data class '{name}' may not be placed in any cloud")
        if rule.any_of:
            options = [clause_failures(clause, place, day) for clause in rule.any_of]
            if all(options):
                why = " | ".join("; ".join(failures) for failures in options)
                return Refusal("policy", f"data class '{name}': {why}")
        pending.extend(rule.includes)
    return None


def workload_refusal(workload: Workload, place: Place) -> Refusal | None:
    """Refusal by the workload's own constraints (pin, exclusion, 24/7), or None."""
    if workload.pin is not None and workload.pin != place.id:
        return Refusal("pinned_elsewhere", f"workload is pinned to '{workload.pin}'")
    if place.id in workload.exclude:
        return Refusal("excluded", "excluded by the workload's catalog entry")
    if workload.needs_24_7 and not place.operation_24_7:
        return Refusal("no_24_7", "workload needs 24/7 operation; this place is not operated 24/7")
    return None

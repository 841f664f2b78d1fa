"""Policy rules (data) -> may this workload go to this place, and if not, why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planner.candidates.places import Place
from planner.inputs.schema import Clause, Policy, Workload
from planner.messages import N_

# The sentences of a refusal, English with named fields. A plan keeps the sentence; the render
# words it again in its language by these tables (planner.render.wording.refusal_text).
REFUSALS: dict[str, str] = {
    "not_placeable": N_("data class '{data_class}' may not be placed in any cloud"),
    "policy": N_("data class '{data_class}': {why}"),
    "pinned_elsewhere": N_("workload is pinned to '{place}'"),
    "excluded": N_("excluded by the workload's catalog entry"),
    "no_24_7": N_("workload needs 24/7 operation; this place is not operated 24/7"),
    "too_large": N_(
        "needs {use} {resource}; this place can hold at most {cap} even fully expanded"
    ),
    "no_flavour": N_("no flavour fits {size} and {unpriced}"),
    "no_price": N_("no price for {size}: no flavours and {unpriced}"),
    "no_storage_price": N_("no storage price (unit_prices_eur_month.storage_gib)"),
}
# what a place lacks to satisfy one clause of a data-class rule (a policy refusal's `why`:
# a rule's clauses joined by " | ", each clause's failures by "; ")
FAILURES: dict[str, str] = {
    "not_internal": N_("not an internal State cloud"),
    "internal": N_("is an internal State cloud"),
    "no_qualification": N_("no {name} qualification"),
    "status": N_("{name} status is {status}"),
    "expired": N_("{name} expired on {day}"),
    "not_in_force": N_("{name} not in force ({status}, valid until {day})"),
    "lacks_activity": N_("{name} lacks activity {activities}"),
    "lacks_activities": N_("{name} lacks activities {activities}"),
    "location": N_("located in {country} ({zone}), needs {zones}"),
    "jurisdiction": N_("under {country} ({zone}) jurisdiction, needs {zones}"),
    "extra_eu": N_("exposed to extra-EU law"),
}
UNPRICED = N_("no unit price for {resources}")  # the `unpriced` field of a price refusal
CLAUSES_JOIN, FAILURES_JOIN = " | ", "; "


@dataclass(frozen=True)
class Refusal:
    """Why a place may not take a workload: a stable code and a sentence."""

    code: str
    reason: str


def refused(code: str, sentence: str | None = None, **fields: object) -> Refusal:
    """A refusal with its code and the sentence `REFUSALS[sentence]` (by default the code's),
    its fields filled."""
    return Refusal(code, REFUSALS[sentence or code].format(**fields))


def _failure(key: str, **fields: object) -> str:
    return FAILURES[key].format(**fields)


def clause_failures(clause: Clause, place: Place, day: date) -> list[str]:
    """What a place lacks to satisfy one policy clause (empty: it satisfies it)."""
    failures: list[str] = []
    if clause.internal is True and not place.internal:
        failures.append(_failure("not_internal"))
    if clause.internal is False and place.internal:
        failures.append(_failure("internal"))
    for name in clause.qualifications:
        q = place.qualification(name)
        if q is None:
            failures.append(_failure("no_qualification", name=name))
        elif q.status != "qualified":
            failures.append(_failure("status", name=name, status=q.status))
        elif not q.holds_on(day):
            failures.append(_failure("expired", name=name, day=q.valid_until))
    for name, needed in clause.activities.items():
        q = place.qualification(name)
        if q is None:
            if name not in clause.qualifications:
                failures.append(_failure("no_qualification", name=name))
            continue
        if not q.holds_on(day) and name not in clause.qualifications:
            failures.append(_failure("not_in_force", name=name, status=q.status, day=q.valid_until))
        missing = [a for a in needed if a not in q.activities]
        if missing:
            key = "lacks_activity" if len(missing) == 1 else "lacks_activities"
            failures.append(_failure(key, name=name, activities=", ".join(map(str, missing))))
    if clause.location_zone_in and place.location.zone not in clause.location_zone_in:
        failures.append(
            _failure(
                "location",
                country=place.location.country,
                zone=place.location.zone,
                zones="/".join(clause.location_zone_in),
            )
        )
    if clause.jurisdiction_zone_in and place.jurisdiction_zone not in clause.jurisdiction_zone_in:
        failures.append(
            _failure(
                "jurisdiction",
                country=place.jurisdiction_country,
                zone=place.jurisdiction_zone,
                zones="/".join(clause.jurisdiction_zone_in),
            )
        )
    if clause.no_extra_eu_law_exposure and place.extra_eu_law_exposure:
        failures.append(_failure("extra_eu"))
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
            return refused("not_placeable", data_class=name)
        if rule.any_of:
            options = [clause_failures(clause, place, day) for clause in rule.any_of]
            if all(options):
                why = CLAUSES_JOIN.join(FAILURES_JOIN.join(failures) for failures in options)
                return refused("policy", data_class=name, why=why)
        pending.extend(rule.includes)
    return None


def workload_refusal(workload: Workload, place: Place) -> Refusal | None:
    """Refusal by the workload's own constraints (pin, exclusion, 24/7), or None."""
    if workload.pin is not None and workload.pin != place.id:
        return refused("pinned_elsewhere", place=workload.pin)
    if place.id in workload.exclude:
        return refused("excluded")
    if workload.needs_24_7 and not place.operation_24_7:
        return refused("no_24_7")
    return None

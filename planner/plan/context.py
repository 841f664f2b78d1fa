"""What reports show beyond the changes: data classes, places, and the sovereignty basis.

For each (data class, place) used after the plan, the basis is the first policy clause the
place satisfies, for the class and every class it includes, in words. A qualification expires
within the horizon when its `valid_until` falls on or before reference date + horizon months.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date

from planner.candidates.eligibility import (
    Refusal,
    clause_failures,
    policy_refusal,
    workload_refusal,
)
from planner.candidates.places import Place
from planner.inputs.frozen import Inputs
from planner.inputs.schema import Clause, Policy
from planner.plan.document import (
    ClassPlacement,
    PlacementState,
    PlaceRecord,
    QualificationRecord,
    ReportContext,
)


def add_months(day: date, months: int) -> date:
    """`day` plus whole months, clamped to the last day of the target month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _expires(valid_until: date | None, horizon_end: date) -> bool:
    return valid_until is not None and valid_until <= horizon_end


def _place_record(place: Place, horizon_end: date) -> PlaceRecord:
    offer, site = place.offer, place.site
    loc = place.location
    return PlaceRecord(
        id=place.id,
        name=(offer.name if offer else site.name if site else None),
        kind=place.kind,
        provider=place.provider_id,
        location=f"{loc.country}{', ' + loc.region if loc.region else ''} ({loc.zone})",
        jurisdiction=f"{place.jurisdiction_country} ({place.jurisdiction_zone})",
        extra_eu_law_exposure=place.extra_eu_law_exposure,
        qualifications=tuple(
            QualificationRecord(
                name=q.name,
                status=q.status,
                valid_until=q.valid_until.isoformat() if q.valid_until else None,
                reference=q.reference,
                expires_in_horizon=_expires(q.valid_until, horizon_end),
            )
            for q in place.qualifications
        ),
        price_source=offer.price_source if offer else (site.cost_source if site else None),
        price_date=offer.price_date.isoformat() if offer else None,
    )


def _clause_words(clause: Clause, place: Place, horizon_end: date) -> tuple[list[str], list[str]]:
    """The clause in words as this place meets it, and its qualifications expiring in horizon."""
    words: list[str] = []
    expiring: list[str] = []
    if clause.internal is True:
        words.append("internal State cloud")
    elif clause.internal is False:
        words.append("external offer")
    for name in dict.fromkeys((*clause.qualifications, *clause.activities)):
        q = place.qualification(name)
        if q is None:
            continue
        text = name + (f" {q.reference}" if q.reference else "")
        if name in clause.activities:
            text += " (activities " + ", ".join(map(str, clause.activities[name])) + ")"
        if q.valid_until is not None:
            text += f", valid until {q.valid_until.isoformat()}"
            if _expires(q.valid_until, horizon_end):
                expiring.append(f"{name} ({q.valid_until.isoformat()})")
        words.append(text)
    if clause.location_zone_in:
        words.append(f"located in {place.location.country} ({place.location.zone})")
    if clause.jurisdiction_zone_in:
        words.append(f"{place.jurisdiction_country} jurisdiction ({place.jurisdiction_zone})")
    if clause.no_extra_eu_law_exposure:
        words.append("no extra-EU law exposure")
    return words, expiring


def class_basis(
    policy: Policy, data_class: str, place: Place, day: date, horizon_end: date
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Why the policy lets `data_class` run on `place`: lines of words, expiring qualifications."""
    lines: list[str] = []
    expiring: list[str] = []
    seen: set[str] = set()
    pending = [data_class]
    while pending:
        name = pending.pop(0)
        if name in seen or name not in policy.data_classes:
            continue
        seen.add(name)
        rule = policy.data_classes[name]
        prefix = "" if name == data_class else f"{name}: "
        met = [c for c in rule.any_of if not clause_failures(c, place, day)]
        if not rule.any_of:
            if name == data_class and not rule.includes:
                lines.append("no placement requirement")
        elif met:
            words, soon = _clause_words(met[0], place, horizon_end)
            lines.append(prefix + ("; ".join(words) or "allowed"))
            expiring.extend(soon)
        else:  # placed by a baseline or pin the policy no longer allows: say so
            lines.append(prefix + "NOT allowed by the current policy")
        pending.extend(rule.includes)
    return tuple(lines), tuple(dict.fromkeys(expiring))


def _refused_before(
    inputs: Inputs, places: dict[str, Place], before: dict[str, PlacementState]
) -> dict[str, str]:
    """Workloads whose place before the plan the policy or their own constraints now refuse."""
    out = {}
    by_policy: dict[tuple[str, str], Refusal | None] = {}  # the policy's verdict, once each
    for w in inputs.workloads:
        state = before.get(w.id)
        place = places.get(state.site) if state else None
        if place is None or w.retire:
            continue
        refusal = workload_refusal(w, place)
        if refusal is None:
            key = (w.data_class, place.id)
            if key not in by_policy:
                by_policy[key] = policy_refusal(
                    inputs.policy, w.data_class, place, inputs.scenario.reference_date
                )
            refusal = by_policy[key]
        if refusal is not None:
            out[w.id] = refusal.reason
    return out


def report_context(
    inputs: Inputs,
    places: dict[str, Place],
    before: dict[str, PlacementState],
    after: dict[str, PlacementState],
) -> ReportContext:
    """The report context of a plan going from placements `before` to `after`."""
    day = inputs.scenario.reference_date
    horizon_end = add_months(day, inputs.scenario.objective.horizon_months)
    data_class_of = {w.id: w.data_class for w in inputs.workloads}
    groups: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0])
    for wid, state in after.items():
        row = groups[data_class_of[wid], state.site]
        row[0] += 1
        row[1] += state.cost_eur_month
    order = {pid: i for i, pid in enumerate(places)}
    rows = []
    for (data_class, site), (count, cost) in sorted(
        groups.items(), key=lambda item: (item[0][0], order.get(item[0][1], 0))
    ):
        basis, expiring = class_basis(inputs.policy, data_class, places[site], day, horizon_end)
        rows.append(
            ClassPlacement(
                data_class=data_class,
                site=site,
                workloads=int(count),
                cost_eur_month=round(cost, 2) + 0.0,
                basis=basis,
                expiring=expiring,
            )
        )
    return ReportContext(
        horizon_end=horizon_end.isoformat(),
        data_class_of=dict(sorted(data_class_of.items())),
        class_descriptions={
            name: rule.description
            for name, rule in sorted(inputs.policy.data_classes.items())
            if rule.description
        },
        places=tuple(_place_record(p, horizon_end) for p in places.values()),
        sovereignty=tuple(rows),
        refused_before=_refused_before(inputs, places, before),
        owner_of={w.id: w.owner for w in sorted(inputs.workloads, key=lambda w: w.id) if w.owner},
        move_cost_of=_move_costs(inputs, before, after),
    )


def _move_costs(
    inputs: Inputs, before: dict[str, PlacementState], after: dict[str, PlacementState]
) -> dict[str, float]:
    """The one-off cost of each workload the plan moves, where it has one (their sum is the
    totals' one-off migration cost)."""
    return {
        w.id: w.move_cost_eur
        for w in sorted(inputs.workloads, key=lambda w: w.id)
        if w.move_cost_eur > 0
        and w.id in before
        and w.id in after
        and before[w.id].site != after[w.id].site
    }

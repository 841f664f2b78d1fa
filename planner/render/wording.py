"""The sentences of a plan, in English: reasons, cap names, cap violations, shadow prices.

The core gives codes and numbers (planner.plan.facts, planner.optimise.caps); every format
words them here, so the sentences are the same in the text plan, the reports and the JSON, and
a translation is a second module of the same functions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from planner.analysis.explain import (
    HoldsPartners,
    NeedsCaps,
    NeedsContract,
    NeedsRoom,
    PinnedHere,
    PriceGap,
    ToWin,
    UsedElsewhere,
)
from planner.optimise.caps import CapRef, CapViolation
from planner.optimise.diagnosis import Diagnosis, Unplaced
from planner.optimise.diagnosis import Shortfall as DiagnosedShortfall
from planner.optimise.roadmap.diagnosis import RoadmapDiagnosis, RowExcess
from planner.plan.document import CutRecord, ShadowPrice
from planner.plan.facts import (
    AffinityGroup,
    AntiAffinity,
    CapacityFull,
    Cheapest,
    Comparison,
    ContractNotWorth,
    CurrentRefused,
    ForcedByCap,
    FullPlace,
    InHousePreference,
    KeptMoveCost,
    OutsourcedCheaper,
    Pinned,
    Reason,
    Retired,
    RoomTaken,
    SolverChoice,
    Stated,
)
from planner.plan.roadmap_facts import Timing

# One line per reason code, for a legend.
REASON_SUMMARIES: dict[str, str] = {
    "pinned": "pinned to this place by the catalog",
    "affinity_group": "placed together with its affinity group",
    "cheapest": "cheapest eligible place",
    "in_house_preference": "in-house, external is cheaper but within the preference threshold",
    "outsourced_cheaper": "outsourced, in-house is dearer beyond the preference threshold",
    "kept_move_cost": "kept where it is, moving costs more than it saves over the horizon",
    "capacity_full": "a cheaper place lacks capacity (internal site full or offer quota used)",
    "contract_not_worth": "a cheaper offer needs a contract whose fixed cost is not worth it",
    "anti_affinity": "a cheaper place already holds a replica of its anti-affinity group",
    "forced_by_cap": "a cheaper place is ruled out by a binding policy cap",
    "solver_choice": "a cheaper place was not taken by the solver's incumbent (not proven optimal)",
    "current_refused": "its current place may no longer take it (policy, pin, exclusion...)",
    "retired": "retired in the catalog",
}


def eur(value: float) -> str:
    """'€1,234.56'."""
    return f"€{value:,.2f}"


def money(value: float) -> str:
    """Euros to the cent, or to a hundredth of a cent below one euro (shadow prices)."""
    return f"€{value:,.2f}" if abs(value) >= 1 or abs(value) < 5e-5 else f"€{value:.4f}"


def listed(items: Sequence[str], count: int | None = None) -> str:
    """'a, b, c and 4 more': `items` are the ones shown, `count` how many there are in all."""
    more = (len(items) if count is None else count) - len(items)
    return ", ".join(items) + (f" and {more} more" if more > 0 else "")


def comparison(c: Comparison) -> str:
    if c.verdict == "cheaper":
        return f"cheaper by {eur(c.difference_eur_month)} / month"
    text = (
        f"dearer by {eur(c.difference_eur_month)} / month"
        if c.verdict == "dearer"
        else "at the same monthly cost"
    )
    if c.preference == "in_house":
        return f"{text}, within the {c.preference_pct:g} % in-house preference"
    return (
        f"{text}, cheaper once the {c.preference_pct:g} % in-house preference weighs "
        "external run costs"
    )


def _versus(c: Comparison) -> str:
    return f"{c.place} ({comparison(c)})"


def _lacks(full: FullPlace) -> str:
    return f"{_versus(full.comparison)} lacks " + ", ".join(
        f"{s.resource} (needs {s.needed:g}, {s.free:g} free)" for s in full.shortfalls
    )


def _room(room: RoomTaken) -> str:
    names = listed([f"{o.workload} ({o.amount:g} {room.resource})" for o in room.shown], room.count)
    if room.moved_in:
        return f"its room at {room.site} went to workloads moved in: {names}"
    return f"its room at {room.site} is held by the workloads staying there: {names}"


def _verb(internal: bool) -> str:
    return "placed on" if internal else "outsourced to"


def _capacity_full(r: CapacityFull) -> str:
    if not r.best_is_full:
        return f"{_verb(r.internal)} {r.place}: {_lacks(r.full[0])}"
    what = "; ".join(_lacks(f) for f in r.full)
    kind = (
        "eligible internal sites are full"
        if all(f.internal for f in r.full)
        else "cheaper places are full"
    )
    if r.blocks:
        blocks = " or ".join(f"{b.block} ({eur(b.cost_eur_month)} / month)" for b in r.blocks)
        what += f"; one more {blocks} at {r.full[0].comparison.place} would cost more than it saves"
    if r.room is not None:
        what += f"; {_room(r.room)}"
    return f"{_verb(r.internal)} {r.place} because {kind}: {what}"


def _cheapest(r: Cheapest) -> str:
    if r.runner is None or r.runner_eur_month is None:
        return f"only eligible place: {r.place} at {eur(r.cost_eur_month)} / month"
    text = (
        f"cheapest eligible place: {r.place} at {eur(r.cost_eur_month)} / month "
        f"(next: {r.runner} at {eur(r.runner_eur_month)})"
    )
    if r.moves_amortised_months is not None:
        text += f", one-off moves amortised over {r.moves_amortised_months} months included"
    if r.no_internal_site:
        text += "; no internal site may take it"
    return text


def reason_text(r: Reason) -> str:
    """The sentence of a placement's reason."""
    match r:
        case Pinned():
            return f"pinned to {r.place} by its catalog entry"
        case Cheapest():
            return _cheapest(r)
        case KeptMoveCost():
            return (
                f"kept on {r.place}: moving to {r.cheaper} would save "
                f"{eur(r.saving_eur_month)} / month, "
                f"{eur(r.saving_eur_month * r.horizon_months)} over {r.horizon_months} months, "
                f"less than its one-off move cost of {eur(r.move_cost_eur)}"
            )
        case InHousePreference():
            return (
                f"in-house on {r.place}: {r.cheaper} would cost {eur(r.saving_eur_month)} / "
                f"month less ({r.saving_pct:.1f} %), within the {r.preference_pct:g} % "
                "in-house preference threshold"
            )
        case OutsourcedCheaper():
            return (
                f"outsourced to {r.place}: the cheapest eligible in-house site, {r.in_house}, "
                f"costs {eur(r.in_house_eur_month)} / month, dearer by "
                f"{eur(r.dearer_eur_month)} ({r.dearer_pct:.1f} %), beyond the "
                f"{r.preference_pct:g} % in-house preference threshold"
            )
        case CapacityFull():
            return _capacity_full(r)
        case ContractNotWorth():
            return (
                f"{_versus(r.comparison)} needs a contract of {eur(r.contract_eur_month)} / "
                "month that the plan does not take"
            )
        case AntiAffinity():
            return (
                f"{_versus(r.comparison)} already holds its anti-affinity partner"
                f"{'s' if r.partner_count > 1 else ''} {listed(r.partners, r.partner_count)} "
                f"(group '{r.group}')"
            )
        case ForcedByCap():
            return (
                f"{_verb(r.internal)} {r.place}: {_versus(r.comparison)} would break the "
                f"cap{'s' if len(r.caps) > 1 else ''} " + ", ".join(map(cap_label, r.caps))
            )
        case SolverChoice():
            status = "the optimum" if r.proven else "the solver's incumbent (not proven optimal)"
            return (
                f"{_versus(r.comparison)} is not taken: {status} trades it for the placement "
                "of other workloads"
            )
        case AffinityGroup():
            return (
                f"placed with its affinity group '{r.group}' ({r.members} workloads, decided "
                f"together): {reason_text(r.then)}"
            )
        case CurrentRefused():
            why = r.refusal if r.refusal is not None else "its affinity group may not run there"
            return f"may no longer run on {r.current} ({why}); {reason_text(r.then)}"
        case Retired():
            return "retired in the catalog: no longer placed"
        case Stated():
            return r.text


def cap_label(ref: CapRef) -> str:
    """A cap as a reason names it: 'monthly budget €5,000.00'."""
    match ref.cap:
        case "outsourced_share":
            return f"outsourced share ≤ {ref.limit:g} % of {eur(ref.reference_eur_month or 0.0)}"
        case "provider_share":
            return (
                f"share of provider '{ref.subject}' ≤ {ref.limit:g} % of "
                f"{eur(ref.reference_eur_month or 0.0)}"
            )
        case "monthly_budget":
            return f"monthly budget {eur(ref.limit)}"
        case "migration_budget":
            return f"migration budget {eur(ref.limit)}"
        case "max_moves":
            return f"at most {ref.limit:.0f} moves"
        case "owner_budget":
            return f"monthly budget of owner '{ref.subject}' {eur(ref.limit)}"


def cap_raised(ref: CapRef) -> str:
    """What one more unit of a cap is, as a shadow price says it: 'the monthly budget by €1'."""
    match ref.cap:
        case "outsourced_share":
            return "the outsourced share cap by 1 percentage point"
        case "provider_share":
            return f"the share cap of provider '{ref.subject}' by 1 percentage point"
        case "monthly_budget":
            return "the monthly budget by €1"
        case "migration_budget":
            return "the one-off migration budget by €1"
        case "max_moves":
            return "the maximum number of moves by 1"
        case "owner_budget":
            return f"the budget of owner '{ref.subject}' by €1"


def _share_basis(reference_eur_month: float) -> str:
    return f"€{reference_eur_month:,.2f} / month, the spend of the plan without the share caps"


def violation_text(v: CapViolation) -> str:
    """How far a cap is too tight, as the diagnosis says it."""
    ref, limit = v.ref, v.limit
    excess = v.needed - limit
    match ref.cap:
        case "outsourced_share" | "provider_share":
            share = v.share_pct or 0.0
            spent = v.spent_eur_month or 0.0
            basis = _share_basis(ref.reference_eur_month or 0.0)
            if ref.cap == "outsourced_share":
                return (
                    f"the outsourced share cap of {limit:g} % is too tight by "
                    f"{share - limit:.2f} percentage points: within capacity, at least "
                    f"€{spent:,.2f} / month goes out, {share:.2f} % of {basis}"
                )
            return (
                f"the share cap of {limit:g} % per provider is too tight for provider "
                f"'{ref.subject}' by {share - limit:.2f} percentage points (at least "
                f"€{spent:,.2f} / month, {share:.2f} % of {basis})"
            )
        case "monthly_budget":
            return (
                f"the monthly budget of €{limit:,.2f} is too small by €{excess:,.2f}: "
                f"the cheapest placement within capacity costs €{v.needed:,.2f}"
            )
        case "migration_budget":
            return f"the one-off migration budget of €{limit:,.2f} is too small by €{excess:,.2f}"
        case "max_moves":
            return f"at least {v.needed:.0f} moves are needed; the cap allows {limit:.0f}"
        case "owner_budget":
            return (
                f"the monthly budget of owner '{ref.subject}' ({eur(limit)}) is too small by "
                f"{eur(excess)}: within capacity, its workloads cost at least "
                f"{eur(v.needed)} / month"
            )


def _worth(value: float, gain: float | None) -> str:
    """'is worth €x / month', or, where the dual and the re-solve disagree, both."""
    if gain is None or abs(gain - value) <= 1e-6 * max(1.0, abs(value)):
        return f"is worth {money(value)} / month"
    return (
        f"saves {money(gain)} / month (its shadow price, {money(value)} / month, holds "
        "for less than one unit: another limit binds too or the solution changes)"
    )


def shadow_text(s: ShadowPrice) -> str:
    """What relaxing one binding constraint by one unit is worth."""
    if s.text is not None:
        return s.text
    if s.kind == "expansion":
        gain = s.gain_eur_month or 0.0
        return (
            f"one more {s.block} at {s.place} would save {money(gain)} / month with divisible "
            f"placements (it costs {money(s.block_cost_eur_month or 0.0)} / month)"
        )
    if s.kind == "cap":
        assert s.cap is not None
        return f"raising {cap_raised(s.cap)} {_worth(s.value_eur_month, s.gain_eur_month)}"
    where = "at" if s.kind == "capacity" else "of quota on"
    return f"1 {s.resource} more {where} {s.place} {_worth(s.value_eur_month, s.gain_eur_month)}"


def to_win_text(t: ToWin, group: str | None = None) -> str:
    """What would make `planner explain`'s runner-up win."""
    match t:
        case PriceGap():
            text = (
                f"{t.runner} would win if its run cost dropped by more than "
                f"{eur(t.runner_drop_eur_month)} / month (from {eur(t.runner_run_eur_month)}), "
                f"or if the cost of {t.chosen} rose by more than "
                f"{eur(t.chosen_rise_eur_month)} / month"
            )
        case NeedsRoom():
            needs = ", ".join(
                f"{s.needed - s.free:g} more {s.resource} free ({s.free:g} free, needs "
                f"{s.needed:g})"
                for s in t.shortfalls
            )
            text = f"{_versus(t.comparison)} would win with {needs} at {t.comparison.place}"
        case NeedsContract():
            text = (
                f"{t.runner} would win if its contract ({eur(t.contract_eur_month)} / month) "
                "were taken for other workloads too, or its fixed cost dropped"
            )
        case HoldsPartners():
            text = (
                f"{_versus(t.comparison)} holds its anti-affinity partner"
                f"{'s' if len(t.partners) > 1 else ''} {', '.join(t.partners)}: the replicas "
                f"of group '{t.group}' run apart"
            )
        case NeedsCaps():
            text = (
                f"{_versus(t.comparison)} would win if the cap{'s' if len(t.caps) > 1 else ''} "
                + ", ".join(map(cap_label, t.caps))
                + " were relaxed"
            )
        case UsedElsewhere():
            text = f"{_versus(t.comparison)} is used by the optimum for other workloads"
        case PinnedHere():
            return f"pinned to {t.pin}: only removing the pin lets another place win"
    return text + (f" (amounts for the whole group {group!r})" if group else "")


DIAGNOSIS_SHOWN = 5  # workload ids a diagnosis line lists before "and N more"
_RULE = re.compile(r"^((?:\S+: )?data class '[^']+'): (.*)$")


def _ids(ids: Sequence[str]) -> str:
    return listed(ids[:DIAGNOSIS_SHOWN], len(ids))


def _by_reason(refusals: dict[str, str]) -> str:
    """Places grouped under each refusal, refusals grouped under the data-class rule:
    "data class 'health': no hds qualification (pi, nubo), hds expired on ... (msociaux)"."""
    places: dict[str, list[str]] = defaultdict(list)
    for place_id, why in refusals.items():
        places[why].append(place_id)
    rules: dict[str, list[str]] = defaultdict(list)
    for why, ids in places.items():
        match = _RULE.match(why)
        rule, rest = (match.group(1), match.group(2)) if match else ("", why)
        rules[rule].append(f"{rest} ({', '.join(ids)})")
    return "; ".join(
        (f"{rule}: " if rule else "") + ", ".join(parts) for rule, parts in rules.items()
    )


def unplaced_text(u: Unplaced) -> str:
    """Workloads no placement can take, and why."""
    if u.cause == "anti_affinity":
        n = len(u.places)
        return (
            f"anti-affinity group '{u.group}' has {u.group_size} members to keep apart but only "
            f"{n} eligible place{'s' if n != 1 else ''} ({', '.join(u.places)}): "
            f"{_ids(u.workloads)} cannot be placed"
        )
    if u.cause == "conflict":
        return f"{_ids(u.workloads)} cannot be placed with the others"
    if u.group is not None:
        return (
            f"affinity group '{u.group}' ({_ids(u.workloads)}) cannot be placed, no place may "
            f"take all its members: {_by_reason(u.refusals)}"
        )
    need = " with 24/7 need" if u.needs_24_7 else ""
    count = f"{len(u.workloads)} workloads" if len(u.workloads) > 1 else "workload"
    return (
        f"no eligible place for data class '{u.data_class}'{need}: {count} "
        f"{_ids(u.workloads)} cannot be placed; {_by_reason(u.refusals)}"
    )


_LIMIT_BASIS = {
    "quota": "quota",
    "expanded": "usable with every expansion block built",
    "as_is": "usable",
}


def shortfall_text(s: DiagnosedShortfall) -> str:
    """Capacity or quota missing at one place for one resource."""
    return (
        f"{'/'.join(s.data_classes)} workloads need {s.missing:,.6g} more {s.resource} at "
        f"{s.place} ({_LIMIT_BASIS[s.limit_basis]}: {s.limit:,.6g}; it would hold "
        f"{_ids(s.workloads)}; their eligible in-house places"
        f"{'' if s.kind == 'capacity' else ' and this offer'}: {', '.join(s.eligible)})"
    )


def _total(group: list[DiagnosedShortfall]) -> str:
    """One resource missing at several places. Where it goes is the elastic model's choice
    among equivalent ones; the total is what is minimal."""
    classes = sorted({c for s in group for c in s.data_classes})
    places = ", ".join(f"{s.place} {s.missing:,.6g}" for s in group)
    what = "capacity" if group[0].kind == "capacity" else "quota"
    return (
        f"{'/'.join(classes)} workloads need {sum(s.missing for s in group):,.6g} more "
        f"{group[0].resource} ({what}) in total on the places eligible for them; for "
        f"example: {places}"
    )


def diagnosis_text(d: Diagnosis) -> str:
    """What would make an infeasible scenario feasible, one cause a line."""
    lines = [
        f"scenario '{d.scenario}' has no feasible plan. What would make it feasible"
        + ("" if d.proven else " (elastic model not solved to optimality)")
        + ":"
    ]
    lines += [f"  - {unplaced_text(u)}" for u in d.unplaced]
    for key in sorted({(s.kind, s.resource) for s in d.shortfalls}):
        group = [s for s in d.shortfalls if (s.kind, s.resource) == key]
        if len(group) > 1:
            lines.append(f"  - {_total(group)}")
        indent = "    " if len(group) > 1 else "  "
        lines += [f"{indent}- {shortfall_text(s)}" for s in group]
    lines += [f"  - {violation_text(c)}" for c in d.caps]
    if not d.has_cause and not d.proven:
        lines.append(
            "  - no cause found: the elastic model ended without a solution "
            "(a longer --time-limit may find one)"
        )
    elif not d.has_cause:
        lines.append(
            "  - no single missing capacity or cap explains it: the groups and "
            "caps conflict with each other"
        )
    return "\n".join(lines)


def cut_text(cut: CutRecord) -> str:
    """What the run's time limit cut short, as the solver line says it."""
    if cut.kind == "reference_solve":
        return (
            "share-cap reference solve: stopped at its time limit, not proven optimal "
            "(the share caps are shares of the spend of the plan it found)"
        )
    if cut.kind == "shadow_prices":
        return "shadow prices: skipped (time limit)"
    return f"shadow prices: {cut.skipped} of {cut.planned} re-solves skipped (time limit)"


def timing_text(t: Timing) -> str:
    """Why a roadmap change happens in its wave."""
    match t.code:
        case "contract_ended":
            return f"moved in {t.period}: its contract on {t.place} ends {t.day}"
        case "lapses":
            detail = f" ({t.detail})" if t.detail else ""
            return f"moved by {t.period}: {t.place} may no longer take it then{detail}"
        case "closes":
            return f"moved before {t.day}, when {t.place} closes"
        case "waited_for_block":
            ordered = f" ordered in {t.ordered_in}" if t.ordered_in else ""
            lead = f" (lead {t.lead_months} months)" if t.lead_months else ""
            return f"waited for the {t.place} {t.block}{ordered}{lead}"
        case "held_back_budget":
            return f"held back by the {t.year} {t.budget} budget"
        case "held_back_wave":
            return f"held back by earlier waves full at {t.limit:g} moves"
        case "arrives":
            return f"arrives in {t.period}"
        case "retires":
            return f"retires in {t.period}"
    return f"moved in {t.period}: the cheapest timing"


_ROW_NAMES = {
    "max_moves": "the wave's move limit",
    "freeze": "the freeze",
    "dates": "a workload's not-before / not-after dates",
    "per_workload": "the moves allowed per workload",
    "opex": "opex budget",
    "capex": "capex budget",
    "migration": "one-off budget",
    "migration_budget": "the whole horizon's migration budget",
}


def excess_text(e: RowExcess) -> str:
    """One roadmap row too tight for any plan, and what it would have to allow."""
    if e.kind == "budget":
        return (
            f"{e.year}: the {_ROW_NAMES.get(e.what, e.what)} of {eur(e.limit)} is too small; "
            f"the roadmap needs at least {eur(e.needed)}"
        )
    if e.what.startswith("max_moved:"):
        name = f"the wave's limit on {e.what.split(':', 1)[1]} moved"
    elif e.what.startswith("apart:"):
        name = f"replicas of '{e.what.split(':', 1)[1]}' moving in different waves"
    else:
        name = _ROW_NAMES.get(e.what, e.what)
    where = f"{e.period}: " if e.period else "over the horizon: "
    return f"{where}{name} allows {e.limit:g}; the roadmap needs {e.needed:g}"


def roadmap_diagnosis_text(d: RoadmapDiagnosis) -> str:
    """Why a roadmap has no plan."""
    head = f"roadmap '{d.scenario}' has no feasible plan"
    if d.structural or not d.excesses:
        return (
            f"{head}: even without its wave limits and budgets the periods' own constraints "
            "(capacity, eligibility on each period's dates, each workload moving at most once) "
            "cannot all be met"
        )
    return head + ":\n" + "\n".join(f"  {excess_text(e)}" for e in d.excesses)

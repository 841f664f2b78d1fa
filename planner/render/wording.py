"""The sentences of a plan: reasons, cap names, cap violations, shadow prices.

The core gives codes and numbers (planner.plan.facts, planner.optimise.caps); every format
words them here, so the sentences are the same in the text plan, the reports and the JSON.
Each sentence is an English message with named placeholders, translated through the render's
language (planner.render.i18n: `_`, `ngettext`, and its number and money formats); a
translation is a catalog, not a second copy of this logic.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

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
from planner.analysis.roadmap_diff import WaveChange, WaveDiff, WaveEvent
from planner.candidates.eligibility import (
    CLAUSES_JOIN,
    FAILURES,
    FAILURES_JOIN,
    REFUSALS,
    UNPRICED,
)
from planner.candidates.sizing import ResourceSizing, WorkloadSizing
from planner.messages import N_
from planner.optimise.caps import CapRef, CapViolation
from planner.optimise.diagnosis import Diagnosis, Unplaced
from planner.optimise.diagnosis import Shortfall as DiagnosedShortfall
from planner.optimise.roadmap.diagnosis import RoadmapDiagnosis, RowExcess
from planner.plan.document import (
    CommitmentBuy,
    CommitmentsRecord,
    CutRecord,
    SavingsSplit,
    ShadowPrice,
    SizingSummary,
)
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
from planner.plan.roadmap import WaveRecord
from planner.plan.roadmap_facts import Timing
from planner.plan.roadmap_timing import AltTiming, Blocker, MoveTiming
from planner.render.i18n import _, current, euros, is_english, long_date, ngettext, num


@functools.cache
def _sentence_pattern(template: str) -> re.Pattern[str]:
    """A regular expression reading a sentence made from `template` back into its fields."""
    fields = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(template))
    return re.compile(f"^{fields}$")


def _reworded(sentence: str, templates: Sequence[str]) -> str:
    """`sentence`, made from one of `templates`, in the render's language (as it is if none
    made it): its fields kept, a policy refusal's failures and a price's missing ones
    reworded too."""
    for template in templates:
        match = _sentence_pattern(template).match(sentence)
        if match is None:
            continue
        fields = dict(match.groupdict())
        if "why" in fields:
            fields["why"] = _why_text(fields["why"])
        if "unpriced" in fields:
            fields["unpriced"] = _reworded(fields["unpriced"], (UNPRICED,))
        return _(template, **fields)
    return sentence


FAILURE_TEMPLATES = tuple(FAILURES.values())
REFUSAL_TEMPLATES = tuple(REFUSALS.values())


def _why_text(why: str) -> str:
    """What a place lacks for each clause of a data-class rule, in the render's language."""
    return CLAUSES_JOIN.join(
        FAILURES_JOIN.join(_reworded(f, FAILURE_TEMPLATES) for f in clause.split(FAILURES_JOIN))
        for clause in why.split(CLAUSES_JOIN)
    )


def _member_and_rest(sentence: str) -> tuple[str, str]:
    """The affinity group's member a refusal names in front ("w-1: ..."; "" if none), and the
    refusal itself (no refusal's own sentence starts with one word and a colon)."""
    member, sep, rest = sentence.partition(": ")
    return (member, rest) if sep and " " not in member else ("", sentence)


def refusal_text(sentence: str) -> str:
    """A refusal's sentence as a plan keeps it (English, planner.candidates.eligibility), in the
    render's language; an affinity group's member it names stays in front."""
    if is_english():
        return sentence
    member, rest = _member_and_rest(sentence)
    text = _reworded(rest, REFUSAL_TEMPLATES)
    return f"{member}: {text}" if member else text


class Translated(Mapping[str, str]):
    """A table of English messages read in the render's language."""

    def __init__(self, source: dict[str, str]) -> None:
        self._source = source

    def __getitem__(self, key: str) -> str:
        return _(self._source[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)


# One line per reason code, for a legend.
REASON_SUMMARIES = Translated(
    {
        "pinned": N_("pinned to this place by the catalog"),
        "affinity_group": N_("placed together with its affinity group"),
        "cheapest": N_("cheapest eligible place"),
        "in_house_preference": N_(
            "in-house, external is cheaper but within the preference threshold"
        ),
        "outsourced_cheaper": N_("outsourced, in-house is dearer beyond the preference threshold"),
        "kept_move_cost": N_("kept where it is, moving costs more than it saves over the horizon"),
        "capacity_full": N_(
            "a cheaper place lacks capacity (internal site full or offer quota used)"
        ),
        "contract_not_worth": N_(
            "a cheaper offer needs a contract whose fixed cost is not worth it"
        ),
        "anti_affinity": N_("a cheaper place already holds a replica of its anti-affinity group"),
        "forced_by_cap": N_("a cheaper place is ruled out by a binding policy cap"),
        "solver_choice": N_(
            "a cheaper place was not taken by the solver's incumbent (not proven optimal)"
        ),
        "current_refused": N_(
            "its current place may no longer take it (policy, pin, exclusion...)"
        ),
        "retired": N_("retired in the catalog"),
    }
)

# A reason's code in a reviewer's words (an unknown code is shown as it is, underscores spaced)
REASON_WORDS = Translated(
    {
        "cheapest": N_("cheapest eligible place"),
        "kept_move_cost": N_("kept: a move would not pay back"),
        "in_house_preference": N_("in-house preference"),
        "outsourced_cheaper": N_("outsourced: cheaper beyond the preference"),
        "capacity_full": N_("in-house sites full"),
        "contract_not_worth": N_("contract not worth holding"),
        "anti_affinity": N_("kept apart (anti-affinity)"),
        "forced_by_cap": N_("forced by a policy cap"),
        "solver_choice": N_("solver's choice among equals"),
        "pinned": N_("pinned by its catalog entry"),
        "affinity_group": N_("placed with its affinity group"),
        "current_refused": N_("can no longer stay where it ran"),
        "retired": N_("retired in the catalog"),
        "new": N_("new workload"),
        "cost": N_("cost change"),
        "expansion": N_("expansion"),
        "contract": N_("contract"),
    }
)


def eur(value: float) -> str:
    """'€1,234.56' ('1 234,56 €' in French)."""
    return f"€{value:,.2f}" if is_english() else euros(value)


def money(value: float) -> str:
    """Euros to the cent, or to a hundredth of a cent below one euro (shadow prices)."""
    cents = abs(value) >= 1 or abs(value) < 5e-5
    if is_english():
        return f"€{value:,.2f}" if cents else f"€{value:.4f}"
    return euros(value, 2 if cents else 4)


def listed(items: Sequence[str], count: int | None = None) -> str:
    """'a, b, c and 4 more': `items` are the ones shown, `count` how many there are in all."""
    more = (len(items) if count is None else count) - len(items)
    shown = ", ".join(items)
    return _("{items} and {more} more", items=shown, more=more) if more > 0 else shown


def _month(value: float) -> str:
    """'€1,234.56 / month'."""
    return _("{amount} / month", amount=eur(value))


def comparison(c: Comparison) -> str:
    if c.verdict == "cheaper":
        return _("cheaper by {amount} / month", amount=eur(c.difference_eur_month))
    text = (
        _("dearer by {amount} / month", amount=eur(c.difference_eur_month))
        if c.verdict == "dearer"
        else _("at the same monthly cost")
    )
    if c.preference == "in_house":
        return _(
            "{text}, within the {pct} % in-house preference", text=text, pct=num(c.preference_pct)
        )
    return _(
        "{text}, cheaper once the {pct} % in-house preference weighs external run costs",
        text=text,
        pct=num(c.preference_pct),
    )


def _versus(c: Comparison) -> str:
    return f"{c.place} ({comparison(c)})"


def _lacks(full: FullPlace) -> str:
    needs = ", ".join(
        _(
            "{resource} (needs {needed}, {free} free)",
            resource=s.resource,
            needed=num(s.needed),
            free=num(s.free),
        )
        for s in full.shortfalls
    )
    return _("{place} lacks {needs}", place=_versus(full.comparison), needs=needs)


def _room(room: RoomTaken) -> str:
    names = listed(
        [f"{o.workload} ({num(o.amount)} {room.resource})" for o in room.shown], room.count
    )
    if room.moved_in:
        return _(
            "its room at {site} went to workloads moved in: {names}", site=room.site, names=names
        )
    return _(
        "its room at {site} is held by the workloads staying there: {names}",
        site=room.site,
        names=names,
    )


def _placed(internal: bool, place: str) -> str:
    return (
        _("placed on {place}", place=place) if internal else _("outsourced to {place}", place=place)
    )


def _capacity_full(r: CapacityFull) -> str:
    if not r.best_is_full:
        return f"{_placed(r.internal, r.place)}: {_lacks(r.full[0])}"
    what = "; ".join(_lacks(f) for f in r.full)
    kind = (
        _("eligible internal sites are full")
        if all(f.internal for f in r.full)
        else _("cheaper places are full")
    )
    if r.blocks:
        blocks = _(" or ").join(f"{b.block} ({_month(b.cost_eur_month)})" for b in r.blocks)
        what += "; " + _(
            "one more {blocks} at {place} would cost more than it saves",
            blocks=blocks,
            place=r.full[0].comparison.place,
        )
    if r.room is not None:
        what += f"; {_room(r.room)}"
    return _(
        "{placed} because {kind}: {what}", placed=_placed(r.internal, r.place), kind=kind, what=what
    )


def _cheapest(r: Cheapest) -> str:
    if r.runner is None or r.runner_eur_month is None:
        return _(
            "only eligible place: {place} at {cost}", place=r.place, cost=_month(r.cost_eur_month)
        )
    text = _(
        "cheapest eligible place: {place} at {cost} (next: {runner} at {runner_cost})",
        place=r.place,
        cost=_month(r.cost_eur_month),
        runner=r.runner,
        runner_cost=eur(r.runner_eur_month),
    )
    if r.moves_amortised_months is not None:
        text += _(
            ", one-off moves amortised over {months} months included",
            months=r.moves_amortised_months,
        )
    if r.no_internal_site:
        text += _("; no internal site may take it")
    return text


# Sentences already made, by (reason object, language): a plan shares one reason object among
# the workloads of a unit at a place (tens of thousands at fleet size) and a render words each
# several times (text blocks, summary, report rows). The reason is kept with its sentence, so
# its id is not reused while it is here.
_MADE: dict[tuple[int, str], tuple[Reason, str]] = {}
_MADE_MAX = 200_000


def reason_text(r: Reason) -> str:
    """The sentence of a placement's reason (made once per reason object and language)."""
    key = (id(r), current().code)
    made = _MADE.get(key)
    if made is not None and made[0] is r:
        return made[1]
    text = _reason_text(r)
    if len(_MADE) >= _MADE_MAX:
        _MADE.clear()
    _MADE[key] = (r, text)
    return text


def _reason_text(r: Reason) -> str:
    match r:
        case Pinned():
            return _("pinned to {place} by its catalog entry", place=r.place)
        case Cheapest():
            return _cheapest(r)
        case KeptMoveCost():
            return _(
                "kept on {place}: moving to {cheaper} would save {saving}, {total} over "
                "{months} months, less than its one-off move cost of {move}",
                place=r.place,
                cheaper=r.cheaper,
                saving=_month(r.saving_eur_month),
                total=eur(r.saving_eur_month * r.horizon_months),
                months=r.horizon_months,
                move=eur(r.move_cost_eur),
            )
        case InHousePreference():
            return _(
                "in-house on {place}: {cheaper} would cost {saving} / month less ({saving_pct} "
                "%), within the {pct} % in-house preference threshold",
                place=r.place,
                cheaper=r.cheaper,
                saving=eur(r.saving_eur_month),
                saving_pct=num(r.saving_pct, ".1f"),
                pct=num(r.preference_pct),
            )
        case OutsourcedCheaper():
            return _(
                "outsourced to {place}: the cheapest eligible in-house site, {in_house}, costs "
                "{cost}, dearer by {dearer} ({dearer_pct} %), beyond the {pct} % in-house "
                "preference threshold",
                place=r.place,
                in_house=r.in_house,
                cost=_month(r.in_house_eur_month),
                dearer=eur(r.dearer_eur_month),
                dearer_pct=num(r.dearer_pct, ".1f"),
                pct=num(r.preference_pct),
            )
        case CapacityFull():
            return _capacity_full(r)
        case ContractNotWorth():
            return _(
                "{versus} needs a contract of {cost} that the plan does not take",
                versus=_versus(r.comparison),
                cost=_month(r.contract_eur_month),
            )
        case AntiAffinity():
            return ngettext(
                "{versus} already holds its anti-affinity partner {partners} (group '{group}')",
                "{versus} already holds its anti-affinity partners {partners} (group '{group}')",
                r.partner_count,
                versus=_versus(r.comparison),
                partners=listed(r.partners, r.partner_count),
                group=r.group,
            )
        case ForcedByCap():
            return ngettext(
                "{placed}: {versus} would break the cap {caps}",
                "{placed}: {versus} would break the caps {caps}",
                len(r.caps),
                placed=_placed(r.internal, r.place),
                versus=_versus(r.comparison),
                caps=", ".join(map(cap_label, r.caps)),
            )
        case SolverChoice():
            status = (
                _("the optimum") if r.proven else _("the solver's incumbent (not proven optimal)")
            )
            return _(
                "{versus} is not taken: {status} trades it for the placement of other workloads",
                versus=_versus(r.comparison),
                status=status,
            )
        case AffinityGroup():
            return _(
                "placed with its affinity group '{group}' ({members} workloads, decided "
                "together): {then}",
                group=r.group,
                members=r.members,
                then=reason_text(r.then),
            )
        case CurrentRefused():
            why = (
                refusal_text(r.refusal)
                if r.refusal is not None
                else _("its affinity group may not run there")
            )
            return _(
                "may no longer run on {current} ({why}); {then}",
                current=r.current,
                why=why,
                then=reason_text(r.then),
            )
        case Retired():
            return _("retired in the catalog: no longer placed")
        case Stated():
            return r.text


def cap_label(ref: CapRef) -> str:
    """A cap as a reason names it: 'monthly budget €5,000.00'."""
    match ref.cap:
        case "outsourced_share":
            return _(
                "outsourced share ≤ {limit} % of {reference}",
                limit=num(ref.limit),
                reference=eur(ref.reference_eur_month or 0.0),
            )
        case "provider_share":
            return _(
                "share of provider '{provider}' ≤ {limit} % of {reference}",
                provider=ref.subject,
                limit=num(ref.limit),
                reference=eur(ref.reference_eur_month or 0.0),
            )
        case "monthly_budget":
            return _("monthly budget {limit}", limit=eur(ref.limit))
        case "migration_budget":
            return _("migration budget {limit}", limit=eur(ref.limit))
        case "max_moves":
            return _("at most {limit} moves", limit=num(ref.limit, ".0f"))
        case "owner_budget":
            return _(
                "monthly budget of owner '{owner}' {limit}", owner=ref.subject, limit=eur(ref.limit)
            )


def cap_raised(ref: CapRef) -> str:
    """What one more unit of a cap is, as a shadow price says it: 'the monthly budget by €1'."""
    match ref.cap:
        case "outsourced_share":
            return _("the outsourced share cap by 1 percentage point")
        case "provider_share":
            return _(
                "the share cap of provider '{provider}' by 1 percentage point",
                provider=ref.subject,
            )
        case "monthly_budget":
            return _("the monthly budget by €1")
        case "migration_budget":
            return _("the one-off migration budget by €1")
        case "max_moves":
            return _("the maximum number of moves by 1")
        case "owner_budget":
            return _("the budget of owner '{owner}' by €1", owner=ref.subject)


def _share_basis(reference_eur_month: float) -> str:
    return _(
        "{reference} / month, the spend of the plan without the share caps",
        reference=eur(reference_eur_month),
    )


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
                return _(
                    "the outsourced share cap of {limit} % is too tight by {points} percentage "
                    "points: within capacity, at least {spent} / month goes out, {share} % of "
                    "{basis}",
                    limit=num(limit),
                    points=num(share - limit, ".2f"),
                    spent=eur(spent),
                    share=num(share, ".2f"),
                    basis=basis,
                )
            return _(
                "the share cap of {limit} % per provider is too tight for provider '{provider}' "
                "by {points} percentage points (at least {spent} / month, {share} % of {basis})",
                limit=num(limit),
                provider=ref.subject,
                points=num(share - limit, ".2f"),
                spent=eur(spent),
                share=num(share, ".2f"),
                basis=basis,
            )
        case "monthly_budget":
            return _(
                "the monthly budget of {limit} is too small by {excess}: the cheapest placement "
                "within capacity costs {needed}",
                limit=eur(limit),
                excess=eur(excess),
                needed=eur(v.needed),
            )
        case "migration_budget":
            return _(
                "the one-off migration budget of {limit} is too small by {excess}",
                limit=eur(limit),
                excess=eur(excess),
            )
        case "max_moves":
            return _(
                "at least {needed} moves are needed; the cap allows {limit}",
                needed=num(v.needed, ".0f"),
                limit=num(limit, ".0f"),
            )
        case "owner_budget":
            return _(
                "the monthly budget of owner '{owner}' ({limit}) is too small by {excess}: "
                "within capacity, its workloads cost at least {needed} / month",
                owner=ref.subject,
                limit=eur(limit),
                excess=eur(excess),
                needed=eur(v.needed),
            )


def _worth(value: float, gain: float | None) -> str:
    """'is worth €x / month', or, where the dual and the re-solve disagree, both."""
    if gain is None or abs(gain - value) <= 1e-6 * max(1.0, abs(value)):
        return _("is worth {value} / month", value=money(value))
    return _(
        "saves {gain} / month (its shadow price, {value} / month, holds for less than one "
        "unit: another limit binds too or the solution changes)",
        gain=money(gain),
        value=money(value),
    )


def shadow_text(s: ShadowPrice) -> str:
    """What relaxing one binding constraint by one unit is worth. A saved plan's sentence is
    kept, except for capacity and quota rows, whose JSON keeps every number the sentence needs:
    those are worded again (in the render's language)."""
    if s.text is not None and (s.kind not in ("capacity", "quota") or s.resource is None):
        return s.text
    if s.kind == "expansion":
        return _(
            "one more {block} at {place} would save {gain} / month with divisible placements "
            "(it costs {cost} / month)",
            block=s.block,
            place=s.place,
            gain=money(s.gain_eur_month or 0.0),
            cost=money(s.block_cost_eur_month or 0.0),
        )
    if s.kind == "cap":
        assert s.cap is not None
        return _(
            "raising {cap} {worth}",
            cap=cap_raised(s.cap),
            worth=_worth(s.value_eur_month, s.gain_eur_month),
        )
    values = {
        "resource": s.resource,
        "place": s.place,
        "worth": _worth(s.value_eur_month, s.gain_eur_month),
    }
    if s.kind == "capacity":
        return _("1 {resource} more at {place} {worth}", **values)
    return _("1 {resource} more of quota on {place} {worth}", **values)


def to_win_text(t: ToWin, group: str | None = None) -> str:
    """What would make `planner explain`'s runner-up win."""
    match t:
        case PriceGap():
            text = _(
                "{runner} would win if its run cost dropped by more than {drop} (from {run}), "
                "or if the cost of {chosen} rose by more than {rise}",
                runner=t.runner,
                drop=_month(t.runner_drop_eur_month),
                run=eur(t.runner_run_eur_month),
                chosen=t.chosen,
                rise=_month(t.chosen_rise_eur_month),
            )
        case NeedsRoom():
            needs = ", ".join(
                _(
                    "{more} more {resource} free ({free} free, needs {needed})",
                    more=num(s.needed - s.free),
                    resource=s.resource,
                    free=num(s.free),
                    needed=num(s.needed),
                )
                for s in t.shortfalls
            )
            text = _(
                "{versus} would win with {needs} at {place}",
                versus=_versus(t.comparison),
                needs=needs,
                place=t.comparison.place,
            )
        case NeedsContract():
            text = _(
                "{runner} would win if its contract ({cost}) were taken for other workloads too, "
                "or its fixed cost dropped",
                runner=t.runner,
                cost=_month(t.contract_eur_month),
            )
        case HoldsPartners():
            text = ngettext(
                "{versus} holds its anti-affinity partner {partners}: the replicas of group "
                "'{group}' run apart",
                "{versus} holds its anti-affinity partners {partners}: the replicas of group "
                "'{group}' run apart",
                len(t.partners),
                versus=_versus(t.comparison),
                partners=", ".join(t.partners),
                group=t.group,
            )
        case NeedsCaps():
            text = ngettext(
                "{versus} would win if the cap {caps} were relaxed",
                "{versus} would win if the caps {caps} were relaxed",
                len(t.caps),
                versus=_versus(t.comparison),
                caps=", ".join(map(cap_label, t.caps)),
            )
        case UsedElsewhere():
            text = _(
                "{versus} is used by the optimum for other workloads", versus=_versus(t.comparison)
            )
        case PinnedHere():
            return _("pinned to {pin}: only removing the pin lets another place win", pin=t.pin)
    if group:
        text += _(" (amounts for the whole group {group})", group=repr(group))
    return text


DIAGNOSIS_SHOWN = 5  # workload ids a diagnosis line lists before "and N more"


def _ids(ids: Sequence[str]) -> str:
    return listed(ids[:DIAGNOSIS_SHOWN], len(ids))


def _by_reason(refusals: dict[str, str]) -> str:
    """Places grouped under each refusal, refusals grouped under the data-class rule:
    "data class 'health': no hds qualification (pi, nubo), hds expired on ... (msociaux)"."""
    places: dict[str, list[str]] = defaultdict(list)
    for place_id, why in refusals.items():
        places[why].append(place_id)
    rules: dict[tuple[str, str], list[str]] = defaultdict(list)  # (member, data class) -> parts
    policy = _sentence_pattern(REFUSALS["policy"])
    for why, ids in places.items():
        member, rest = _member_and_rest(why)
        match = policy.match(rest)
        if match:
            key, part = (member, match["data_class"]), _why_text(match["why"])
        else:
            key, part = ("", ""), refusal_text(why)
        rules[key].append(f"{part} ({', '.join(ids)})")
    out = []
    for (member, data_class), parts in rules.items():
        text = ", ".join(parts)
        if data_class:
            text = _(REFUSALS["policy"], data_class=data_class, why=text)
        out.append(f"{member}: {text}" if member else text)
    return "; ".join(out)


def unplaced_text(u: Unplaced) -> str:
    """Workloads no placement can take, and why."""
    if u.cause == "anti_affinity":
        return ngettext(
            "anti-affinity group '{group}' has {size} members to keep apart but only {n} "
            "eligible place ({places}): {ids} cannot be placed",
            "anti-affinity group '{group}' has {size} members to keep apart but only {n} "
            "eligible places ({places}): {ids} cannot be placed",
            len(u.places),
            group=u.group,
            size=u.group_size,
            places=", ".join(u.places),
            ids=_ids(u.workloads),
        )
    if u.cause == "conflict":
        return _("{ids} cannot be placed with the others", ids=_ids(u.workloads))
    if u.group is not None:
        return _(
            "affinity group '{group}' ({ids}) cannot be placed, no place may take all its "
            "members: {why}",
            group=u.group,
            ids=_ids(u.workloads),
            why=_by_reason(u.refusals),
        )
    values = {
        "data_class": u.data_class,
        "ids": _ids(u.workloads),
        "why": _by_reason(u.refusals),
        "count": len(u.workloads),
    }
    if u.needs_24_7:
        return ngettext(
            "no eligible place for data class '{data_class}' with 24/7 need: workload {ids} "
            "cannot be placed; {why}",
            "no eligible place for data class '{data_class}' with 24/7 need: {count} workloads "
            "{ids} cannot be placed; {why}",
            len(u.workloads),
            **values,
        )
    return ngettext(
        "no eligible place for data class '{data_class}': workload {ids} cannot be placed; {why}",
        "no eligible place for data class '{data_class}': {count} workloads {ids} cannot be "
        "placed; {why}",
        len(u.workloads),
        **values,
    )


_LIMIT_BASIS = Translated(
    {
        "quota": N_("quota"),
        "expanded": N_("usable with every expansion block built"),
        "as_is": N_("usable"),
    }
)


def _amount(value: float) -> str:
    return num(value, ",.6g")


def shortfall_text(s: DiagnosedShortfall) -> str:
    """Capacity or quota missing at one place for one resource."""
    values = {
        "classes": "/".join(s.data_classes),
        "missing": _amount(s.missing),
        "resource": s.resource,
        "place": s.place,
        "basis": _LIMIT_BASIS[s.limit_basis],
        "limit": _amount(s.limit),
        "ids": _ids(s.workloads),
        "eligible": ", ".join(s.eligible),
    }
    if s.kind == "capacity":
        return _(
            "{classes} workloads need {missing} more {resource} at {place} ({basis}: {limit}; "
            "it would hold {ids}; their eligible in-house places: {eligible})",
            **values,
        )
    return _(
        "{classes} workloads need {missing} more {resource} at {place} ({basis}: {limit}; it "
        "would hold {ids}; their eligible in-house places and this offer: {eligible})",
        **values,
    )


def _total(group: list[DiagnosedShortfall]) -> str:
    """One resource missing at several places. Where it goes is the elastic model's choice
    among equivalent ones; the total is what is minimal."""
    classes = sorted({c for s in group for c in s.data_classes})
    values = {
        "classes": "/".join(classes),
        "missing": _amount(sum(s.missing for s in group)),
        "resource": group[0].resource,
        "places": ", ".join(f"{s.place} {_amount(s.missing)}" for s in group),
    }
    if group[0].kind == "capacity":
        return _(
            "{classes} workloads need {missing} more {resource} (capacity) in total on the "
            "places eligible for them; for example: {places}",
            **values,
        )
    return _(
        "{classes} workloads need {missing} more {resource} (quota) in total on the places "
        "eligible for them; for example: {places}",
        **values,
    )


def diagnosis_text(d: Diagnosis) -> str:
    """What would make an infeasible scenario feasible, one cause a line."""
    head = (
        _(
            "scenario '{scenario}' has no feasible plan. What would make it feasible:",
            scenario=d.scenario,
        )
        if d.proven
        else _(
            "scenario '{scenario}' has no feasible plan. What would make it feasible (elastic "
            "model not solved to optimality):",
            scenario=d.scenario,
        )
    )
    lines = [head]
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
            "  - "
            + _(
                "no cause found: the elastic model ended without a solution (a longer "
                "--time-limit may find one)"
            )
        )
    elif not d.has_cause:
        lines.append(
            "  - "
            + _(
                "no single missing capacity or cap explains it: the groups and caps conflict "
                "with each other"
            )
        )
    return "\n".join(lines)


def cut_text(cut: CutRecord) -> str:
    """What the run's time limit cut short, as the solver line says it."""
    if cut.kind == "reference_solve":
        return _(
            "share-cap reference solve: stopped at its time limit, not proven optimal (the "
            "share caps are shares of the spend of the plan it found)"
        )
    if cut.kind == "shadow_prices":
        return _("shadow prices: skipped (time limit)")
    return _(
        "shadow prices: {skipped} of {planned} re-solves skipped (time limit)",
        skipped=cut.skipped,
        planned=cut.planned,
    )


def _exit(b: CommitmentBuy) -> str:
    if b.early_exit == "owed":
        return _("leaving early, the rest of the term is owed")
    return _("leaving early costs {pct} % of the rest of the term", pct=num(b.exit_fee_pct or 0.0))


def commitment_text(b: CommitmentBuy) -> str:
    """One commitment to buy: what, for how long, at what discount and monthly cost."""
    if b.unit == "spend":
        text = _(
            "{offer}: a {months}-month savings plan covering {amount} of on-demand compute a "
            "month at {discount} % off, {cost} / month used or not",
            offer=b.offer,
            months=b.term_months,
            amount=eur(b.amount),
            discount=num(b.discount_pct),
            cost=eur(b.cost_eur_month),
        )
    else:
        text = ngettext(
            "{offer}: {count} {flavour} instance reserved for {months} months at {discount} % "
            "off, {cost} / month used or not",
            "{offer}: {count} {flavour} instances reserved for {months} months at {discount} % "
            "off, {cost} / month used or not",
            round(b.amount),
            offer=b.offer,
            count=num(b.amount, ".0f"),
            flavour=b.flavour or "",
            months=b.term_months,
            discount=num(b.discount_pct),
            cost=eur(b.cost_eur_month),
        )
    return _("{text}; {exit}", text=text, exit=_exit(b))


def commitments_text(c: CommitmentsRecord) -> str:
    """What the commitments bought cost against the same placements on demand."""
    if not c.buys:
        return _("none bought: no commitment the offers sell pays for this plan's load")
    return _(
        "{committed} / month buys what costs {covered} / month on demand: {saving} / month "
        "saved (the plan would cost {on_demand} / month on demand)",
        committed=eur(c.committed_eur_month),
        covered=eur(c.covered_eur_month),
        saving=eur(c.saving_eur_month),
        on_demand=eur(c.on_demand_eur_month),
    )


def lockin_text(c: CommitmentsRecord) -> str:
    """The spend the commitments lock in beyond 12 and 36 months from the plan's start."""
    text = _(
        "{beyond_12} committed beyond 12 months from the plan's start, {beyond_36} beyond 36 "
        "months",
        beyond_12=eur(c.committed_beyond_12_months_eur),
        beyond_36=eur(c.committed_beyond_36_months_eur),
    )
    if c.owed_beyond_horizon_eur > 0:
        text = _(
            "{text}; {owed} owed beyond the {months}-month horizon if the plan ends there",
            text=text,
            owed=eur(c.owed_beyond_horizon_eur),
            months=c.horizon_months,
        )
    return text


def timing_text(t: Timing) -> str:
    """Why a roadmap change happens in its wave."""
    match t.code:
        case "contract_ended":
            return _(
                "moved in {period}: its contract on {place} ends {day}",
                period=t.period,
                place=t.place,
                day=long_date(t.day) if t.day else "",
            )
        case "lapses":
            if t.detail:
                return _(
                    "moved by {period}: {place} may no longer take it then ({detail})",
                    period=t.period,
                    place=t.place,
                    detail=refusal_text(t.detail),
                )
            return _(
                "moved by {period}: {place} may no longer take it then",
                period=t.period,
                place=t.place,
            )
        case "closes":
            return _(
                "moved before {day}, when {place} closes",
                day=long_date(t.day) if t.day else "",
                place=t.place,
            )
        case "waited_for_block":
            ordered = _(" ordered in {period}", period=t.ordered_in) if t.ordered_in else ""
            lead = _(" (lead {n} months)", n=t.lead_months) if t.lead_months else ""
            return _(
                "waited for the {place} {block}{ordered}{lead}",
                place=t.place,
                block=t.block,
                ordered=ordered,
                lead=lead,
            )
        case "held_back_budget":
            return _("held back by the {year} {budget} budget", year=t.year, budget=t.budget)
        case "held_back_wave":
            return _("held back by earlier waves full at {limit} moves", limit=num(t.limit or 0.0))
        case "arrives":
            return _("arrives in {period}", period=t.period)
        case "retires":
            return _("retires in {period}", period=t.period)
    return _("moved in {period}: the cheapest timing", period=t.period)


def _signed(value: float) -> str:
    """'+€12.50' / '-€12.50' ('+12,50 €' in French)."""
    value = round(value, 2) + 0.0
    if not is_english():
        return euros(value, signed=True)
    sign = "-" if value < 0 else ("+" if value > 0 else "")
    return f"{sign}€{abs(value):,.2f}"


TIMING_ESTIMATE = N_(
    "each alternative re-evaluated with every other decision of the roadmap held, not "
    "re-optimised; 'objective' is the roadmap's objective (discounted, one-off costs "
    "amortised), 'spend' the run and one-off costs over the roadmap's periods"
)


def timing_estimate_text() -> str:
    """What the runner-up timings' figures are (an estimate, not a new solve)."""
    return _(TIMING_ESTIMATE)


def move_timing_text(mt: MoveTiming) -> str:
    """The head of one move's runner-up timing."""
    head = _(
        "moved in {period}: {before} -> {after} (objective {objective}, spend {spend})",
        period=mt.period,
        before=mt.place_before,
        after=mt.place_after,
        objective=eur(mt.objective_eur),
        spend=eur(mt.spend_eur),
    )
    if mt.moved_with:
        head += _("; it moves with its affinity group: {others}", others=", ".join(mt.moved_with))
    return head


def alt_timing_text(a: AltTiming) -> str:
    """One alternative timing: where and when, what it would cost, and what stops it."""
    match a.kind:
        case "earlier":
            what = (
                _("one wave earlier: before the first period")
                if a.period is None
                else _("one wave earlier ({period}, to {place})", period=a.period, place=a.place)
            )
        case "later":
            what = (
                _("one wave later: after the last period")
                if a.period is None
                else _("one wave later ({period}, to {place})", period=a.period, place=a.place)
            )
        case _:
            what = _(
                "same wave, another place ({period}, to {place})", period=a.period, place=a.place
            )
    if a.period is None:
        return what
    parts = []
    if a.objective_delta_eur is not None and a.spend_delta_eur is not None:
        parts.append(
            _(
                "{objective} in the objective, {spend} in spend",
                objective=_signed(a.objective_delta_eur),
                spend=_signed(a.spend_delta_eur),
            )
        )
    match a.verdict:
        case "blocked":
            parts.append(
                _("not possible: {why}", why=_semicolons([blocker_text(b) for b in a.blockers]))
            )
        case "tie":
            parts.append(_("possible, and as cheap: a tie the solver settled"))
        case "cheaper_unchecked":
            parts.append(
                _(
                    "cheaper with the rest held, and no rule checked here stops it: a rule this "
                    "estimate does not check (offer quotas, share caps, the whole horizon's caps) "
                    "or the rest of the roadmap decides"
                )
            )
        case "cheaper_not_proven":
            parts.append(
                _(
                    "cheaper with the rest held, and no rule checked here stops it: the solve "
                    "stopped before proving its roadmap optimal and may have missed it, or a rule "
                    "this estimate does not check decides"
                )
            )
        case _:
            parts.append(_("possible, but dearer"))
    return _("{what}: {details}", what=what, details=_semicolons(parts))


def _semicolons(items: Sequence[str]) -> str:
    """'a; b; c' ('a ; b ; c' in French)."""
    out = items[0]
    for item in items[1:]:
        out = _("{first}; {second}", first=out, second=item)
    return out


def blocker_text(b: Blocker) -> str:
    """Why an alternative timing is not possible with the rest of the roadmap held."""
    match b.code:
        case "frozen":
            return _("{period} is frozen", period=b.period)
        case "wave_full":
            return _(
                "the {period} wave already moves {limit} workloads, its limit",
                period=b.period,
                limit=num(b.limit or 0.0),
            )
        case "wave_moved_full":
            return _(
                "the {period} wave already moves {used} {resource} of its {limit} (this adds "
                "{needed})",
                period=b.period,
                used=num(b.used or 0.0),
                resource=b.resource,
                limit=num(b.limit or 0.0),
                needed=num(b.needed or 0.0),
            )
        case "dates":
            return _(
                "its not-before / not-after date {day} rules out a move in {period}",
                day=long_date(b.day) if b.day else "",
                period=b.period,
            )
        case "anti_affinity" if b.place is not None:
            return _(
                "{other}, a replica of its anti-affinity group '{group}', is on {place} in "
                "{period}",
                other=b.other,
                group=b.group,
                place=b.place,
                period=b.period,
            )
        case "anti_affinity":
            return _(
                "{other}, a replica of its anti-affinity group '{group}', moves in {period}",
                other=b.other,
                group=b.group,
                period=b.period,
            )
        case "closes":
            return _(
                "{place} closes on {day}", place=b.place, day=long_date(b.day) if b.day else ""
            )
        case "contract_ended":
            return _(
                "its contract on {place} ended on {day}, not renewed",
                place=b.place,
                day=long_date(b.day) if b.day else "",
            )
        case "not_eligible":
            if b.detail:
                return _(
                    "{place} may not take it in {period} ({detail})",
                    place=b.place,
                    period=b.period,
                    detail=refusal_text(b.detail),
                )
            return _("{place} may not take it in {period}", place=b.place, period=b.period)
        case "no_room":
            return _(
                "{place} has no room in {period} ({resource}: needs {needed}, {free} free)",
                place=b.place,
                period=b.period,
                resource=b.resource,
                needed=num(b.needed or 0.0),
                free=num(b.free or 0.0),
            )
        case "lead_time":
            ordered = _(" ordered in {period}", period=b.ordered_in) if b.ordered_in else ""
            return _(
                "{place} has no room in {period} ({resource}: needs {needed}, {free} free): "
                "its {block}{ordered} (lead {n} months) is usable only from {usable}",
                place=b.place,
                period=b.period,
                resource=b.resource,
                needed=num(b.needed or 0.0),
                free=num(b.free or 0.0),
                block=b.block,
                ordered=ordered,
                n=b.lead_months or 0,
                usable=b.usable_from,
            )
        case "budget":
            return _(
                "the {year} {name} of {limit} would be exceeded ({needed})",
                year=b.year,
                name=_ROW_NAMES.get(b.budget or "", b.budget or ""),
                limit=eur(b.limit or 0.0),
                needed=eur(b.needed or 0.0),
            )
    return _("no period there in the roadmap")


_ROW_NAMES = Translated(
    {
        "max_moves": N_("the wave's move limit"),
        "freeze": N_("the freeze"),
        "dates": N_("a workload's not-before / not-after dates"),
        "per_workload": N_("the moves allowed per workload"),
        "opex": N_("opex budget"),
        "capex": N_("capex budget"),
        "migration": N_("one-off budget"),
        "migration_budget": N_("the whole horizon's migration budget"),
    }
)


def excess_text(e: RowExcess) -> str:
    """One roadmap row too tight for any plan, and what it would have to allow."""
    if e.kind == "budget":
        return _(
            "{year}: the {name} of {limit} is too small; the roadmap needs at least {needed}",
            year=e.year,
            name=_ROW_NAMES.get(e.what, e.what),
            limit=eur(e.limit),
            needed=eur(e.needed),
        )
    if e.what == "max_moves_by":
        return _(
            "{period}: {needed} workloads must have left their place by this wave (it may "
            "not keep them), but the waves up to it allow {limit} moves",
            period=e.period,
            needed=num(e.needed, ",.0f"),
            limit=num(e.limit, ",.0f"),
        )
    if e.what == "max_moved":
        name = _("the wave's limit on {what} moved", what=e.subject)
    elif e.what == "apart":
        name = _("replicas of '{group}' moving in different waves", group=e.subject)
    else:
        name = _ROW_NAMES.get(e.what, e.what)
    values = {"name": name, "limit": num(e.limit), "needed": num(e.needed)}
    if e.period:
        return _(
            "{period}: {name} allows {limit}; the roadmap needs {needed}", period=e.period, **values
        )
    return _("over the horizon: {name} allows {limit}; the roadmap needs {needed}", **values)


def roadmap_diagnosis_text(d: RoadmapDiagnosis) -> str:
    """Why a roadmap has no plan."""
    if d.unanswered_after_s is not None:
        return _(
            "roadmap '{scenario}' has no feasible plan; what makes it so (its wave limits, "
            "budgets or the periods' own constraints) was not found within the diagnosis's "
            "{seconds} s: a longer --time-limit gives it more",
            scenario=d.scenario,
            seconds=num(d.unanswered_after_s, ",.3g"),
        )
    if d.structural or not d.excesses:
        return _(
            "roadmap '{scenario}' has no feasible plan: even without its wave limits and "
            "budgets the periods' own constraints (capacity, eligibility on each period's "
            "dates, each workload moving at most once) cannot all be met",
            scenario=d.scenario,
        )
    head = _("roadmap '{scenario}' has no feasible plan:", scenario=d.scenario)
    return head + "\n" + "\n".join(f"  {excess_text(e)}" for e in d.excesses)


# -- right-sizing (planner/candidates/sizing.py) -------------------------------------------

_SIZE_UNIT = {"vcpu": "vCPU", "ram_gib": "GiB", "storage_gib": "GiB"}
_SIZE_NAME = {"vcpu": N_("vCPU"), "ram_gib": N_("RAM"), "storage_gib": N_("storage")}
_KEPT = {
    "no_history": N_("kept as provisioned: no observed use"),
    "kept_pinned": N_("kept as provisioned: pinned, and the sizing policy keeps pinned sizes"),
    "kept_24_7": N_("kept as provisioned: needs 24/7, and the sizing policy keeps 24/7 sizes"),
}
_OUTCOME_COUNTS = {
    "unchanged": N_("{n} measured at their provisioned size"),
    "short_history": N_("{n} with too short a history"),
    "no_history": N_("{n} without observed use"),
    "kept_pinned": N_("{n} pinned"),
    "kept_24_7": N_("{n} needing 24/7"),
}


def _size(resource: str, value: float) -> str:
    """'3 vCPU', '10.5 GiB' (1,024 GiB)."""
    return f"{num(value, ',.6g')} {_SIZE_UNIT[resource]}"


def demand_text(record: WorkloadSizing, sized: bool) -> str:
    """'8 vCPU, 32 GiB RAM, 100 GiB storage' as provisioned (or as sized)."""
    amounts = {
        r: record.resource(r).sized if sized else record.resource(r).provisioned
        for r in ("vcpu", "ram_gib", "storage_gib")
    }
    return _(
        "{vcpu}, {ram} RAM, {storage} storage",
        vcpu=_size("vcpu", amounts["vcpu"]),
        ram=_size("ram_gib", amounts["ram_gib"]),
        storage=_size("storage_gib", amounts["storage_gib"]),
    )


def _signed_eur(value: float) -> str:
    """'-€25.00' ('-25,00 €' in French)."""
    if not is_english():
        return euros(value)
    value = round(value, 2) + 0.0
    return f"{'-' if value < 0 else ''}€{abs(value):,.2f}"


def _driver(resource: str, r: ResourceSizing, record: WorkloadSizing) -> str | None:
    """What set one resource's size, or None when it was not sized (as provisioned)."""
    what = _(_SIZE_NAME[resource])
    rule = {
        "percentile": record.percentile or "",
        "comfort": num(record.comfort_factor or 1.0, "g"),
    }
    observed = _size(resource, r.observed) if r.observed is not None else ""
    match r.driver:
        case "percentile":
            return _(
                "{what}: {observed} at {percentile} × {comfort}, rounded up to {sized}",
                what=what,
                observed=observed,
                sized=_size(resource, r.sized),
                **rule,
            )
        case "floor":
            return _(
                "{what}: {observed} at {percentile} × {comfort}, raised to the floor of {sized}",
                what=what,
                observed=observed,
                sized=_size(resource, r.sized),
                **rule,
            )
        case "in_use":
            return _(
                "{what}: {observed} in use × {comfort}, rounded up to {sized}",
                what=what,
                observed=observed,
                sized=_size(resource, r.sized),
                comfort=rule["comfort"],
            )
        case "provisioned":
            return _(
                "{what}: {observed} at {percentile} × {comfort} reaches the provisioned size",
                what=what,
                observed=observed,
                **rule,
            )
        case "no_data":
            if resource == "storage_gib":
                return None
            return _(
                "{what}: not observed at {percentile}", what=what, percentile=rule["percentile"]
            )
    return None


def sizing_how_text(record: WorkloadSizing) -> str:
    """What set a workload's planned size, or why it kept its provisioned size."""
    if record.outcome in _KEPT:
        return _(_KEPT[record.outcome])
    if record.outcome == "short_history":
        return _(
            "kept as provisioned: {window} days of observed use, fewer than the {needed} the "
            "sizing policy needs",
            window=num(record.window_days or 0, ",d"),
            needed=num(record.min_window_days or 0, ",d"),
        )
    drivers = [
        d
        for r in ("vcpu", "ram_gib", "storage_gib")
        if (d := _driver(r, record.resource(r), record)) is not None
    ]
    window = (
        _("over {days} days", days=num(record.window_days, ",d"))
        if record.window_days is not None
        else _("storage in use")
    )
    if record.outcome == "unchanged":
        return _(
            "kept as provisioned, {window}: {drivers}", window=window, drivers="; ".join(drivers)
        )
    return _("{window}: {drivers}", window=window, drivers="; ".join(drivers))


def sizing_text(record: WorkloadSizing) -> str:
    """Provisioned -> planned size and what set it (or why it kept its size)."""
    if not record.changed:
        return sizing_how_text(record)
    return _(
        "{before} -> {after}, {how}",
        before=demand_text(record, sized=False),
        after=demand_text(record, sized=True),
        how=sizing_how_text(record),
    )


def sizing_summary_text(summary: SizingSummary) -> str:
    """'3 workloads sized: 9 vCPU, 41 GiB RAM and 0 GiB storage less than provisioned; 1 with
    too short a history'."""
    n = summary.sized_count
    text = ngettext(
        "{n} workload sized: {vcpu}, {ram} RAM and {storage} storage less than provisioned",
        "{n} workloads sized: {vcpu}, {ram} RAM and {storage} storage less than provisioned",
        n,
        vcpu=_size("vcpu", summary.saved("vcpu")),
        ram=_size("ram_gib", summary.saved("ram_gib")),
        storage=_size("storage_gib", summary.saved("storage_gib")),
    )
    others = [
        _(message, n=num(summary.outcomes[outcome], ",d"))
        for outcome, message in _OUTCOME_COUNTS.items()
        if summary.outcomes.get(outcome)
    ]
    return text + ("; " + "; ".join(others) if others else "")


def savings_text(split: SavingsSplit) -> str:
    """'€72.00 / month = right-sizing €97.00 + placement -€25.00 + commitments €0.00'."""
    return _(
        "{total} / month = right-sizing {sizing} + placement {placement} + commitments "
        "{commitments}",
        total=_signed_eur(split.total_eur_month),
        sizing=_signed_eur(split.right_sizing_eur_month),
        placement=_signed_eur(split.placement_eur_month),
        commitments=_signed_eur(split.commitments_eur_month),
    )


# `planner diff` of two roadmaps, wave by wave (planner/analysis/roadmap_diff.py)


def wave_event_text(e: WaveEvent, in_path: bool = False) -> str:
    """One change of one wave: 'moves from pub to alpha'; in a workload's path, with its
    period: 'moved in 2027-Q3 to alpha'."""
    if e.action == "move":
        if in_path:
            return _("moved in {period} to {site}", period=e.period, site=e.site_after)
        return _("moves from {before} to {after}", before=e.site_before, after=e.site_after)
    if e.action == "create" and e.count_after is None:
        if in_path:
            return _("arrives in {period} on {site}", period=e.period, site=e.site_after)
        return _("arrives on {site}", site=e.site_after)
    if e.action == "delete":
        if in_path:
            return _("retires in {period} from {site}", period=e.period, site=e.site_before)
        return _("retires from {site}", site=e.site_before)
    total = e.count_after or 0
    ordered = total - (e.count_before or 0)
    return ngettext(
        "{n} block ordered ({total} in all)",
        "{n} blocks ordered ({total} in all)",
        ordered,
        total=num(total, ",d"),
    )


def path_text(events: Sequence[WaveEvent]) -> str:
    """A workload's changes over the periods: 'moved in 2027-Q3 to pi'; 'no move'."""
    if not events:
        return _("no move")
    return "; ".join(wave_event_text(e, in_path=True) for e in events)


def wave_change_text(c: WaveChange) -> str:
    """'moves from pub to alpha' (only on one side), or 'old -> new'."""
    if c.old is not None and c.new is not None:
        return f"{wave_event_text(c.old)} -> {wave_event_text(c.new)}"
    event = c.new or c.old
    assert event is not None
    return wave_event_text(event)


def wave_diff_head(w: WaveDiff, tolerance: float) -> str:
    """'# wave 2027-Q1: 2 changes', '# wave 2028-Q2: only in the new roadmap'."""
    if w.on == "old":
        return _("# wave {period}: only in the old roadmap", period=w.period)
    if w.on == "new":
        return _("# wave {period}: only in the new roadmap", period=w.period)
    if not w.has_changes(tolerance):
        return _("# wave {period}: no change", period=w.period)
    n = len(w.changes)
    if n == 0:
        return _("# wave {period}: the same changes, other figures", period=w.period)
    return ngettext(
        "# wave {period}: {n} change differs",
        "# wave {period}: {n} changes differ",
        n,
        period=w.period,
    )


WAVE_FIGURES = Translated(
    {
        "moves": N_("Moves"),
        "monthly_cost_eur": N_("Monthly cost"),
        "one_off_eur": N_("One-off"),
        "opex_eur": N_("Opex"),
        "capex_eur": N_("Capex"),
    }
)
WAVE_FIGURE_LINES = Translated(  # the text diff's labels
    {
        "moves": N_("Moves:"),
        "monthly_cost_eur": N_("Monthly cost:"),
        "one_off_eur": N_("One-off:"),
        "opex_eur": N_("Opex:"),
        "capex_eur": N_("Capex:"),
    }
)
YEAR_FIGURES = Translated({"opex": N_("opex"), "capex": N_("capex"), "migration": N_("one-off")})


def frozen_text(frozen: tuple[bool | None, bool | None]) -> str:
    """'frozen -> not frozen'."""
    words = [_("frozen") if f else _("not frozen") for f in frozen]
    return " -> ".join(words)


def roadmap_sides_text(roadmaps: str) -> str:
    """Why a diff has no wave-by-wave part."""
    if roadmaps == "old":
        return _(
            "only the old plan is a roadmap: its end state is compared with the new plan; "
            "no wave-by-wave comparison"
        )
    return _(
        "only the new plan is a roadmap: its end state is compared with the old plan; "
        "no wave-by-wave comparison"
    )


def wave_row_text(w: WaveRecord) -> str:
    """A wave in one line (the CSV's `wave` row): 'from 1 January 2027 to 31 March 2027: 2
    moves; opex €504.00, capex €0.00'."""
    text = ngettext(
        "from {start} to {end}: {n} move; opex {opex}, capex {capex}",
        "from {start} to {end}: {n} moves; opex {opex}, capex {capex}",
        w.totals.moves,
        start=long_date(w.start),
        end=long_date(w.end),
        opex=eur(w.totals.opex_eur),
        capex=eur(w.totals.capex_eur),
    )
    return text + (" " + _("(frozen)") if w.frozen else "")

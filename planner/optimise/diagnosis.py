"""Why a scenario has no plan, and the smallest changes that would give it one.

Workloads that no place may take are found before any solve, with every place's refusal.
For the rest, the normal model is made elastic: each assignment row gets a slack u (workloads
left unplaced), each capacity and quota row a slack s (capacity missing), each policy cap a
slack c (amount by which the cap is too tight). The slacks are minimised in turn, each phase
keeping the previous optimum: (1) unplaced workloads; (2) missing capacity, each resource in
units of an average workload's demand of it; (3) cap violations, each relative to its limit.
So capacity is only called missing when no placement avoids it, and a cap is only called too
tight when no placement within capacity meets it. Each phase stops at a small gap (GAP_REL,
GAP_ABS): amounts are minimal to that tolerance. The phases share what is left of the run's
time budget (see planner.optimise.budget); one with no time left is not solved.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pulp

from planner.candidates.eligibility import Refusal
from planner.candidates.evaluate import Evaluator, place_limit
from planner.candidates.units import Candidates, Option, Unit, refusals_for, split_unit
from planner.inputs.frozen import Inputs
from planner.inputs.schema import RESOURCES
from planner.optimise.budget import TimeBudget
from planner.optimise.caps import CapContext, CapViolation, cap_of
from planner.optimise.model import Model, build_model
from planner.optimise.model.terms import Term, add_le, constraint, expr
from planner.optimise.rows import RowKey, RowKind
from planner.optimise.solve import _QuietHiGHS

EPS = 1e-3  # slack below this (resource units, EUR, moves) is solver tolerance, not a cause
GAP_REL = 1e-4  # each phase is solved to this relative gap, or to GAP_ABS in its own units:
GAP_ABS = 1e-3  # a thousandth of an average workload's demand, or of the cap's limit


@dataclass(frozen=True)
class Unplaced:
    """Workloads that cannot be placed at all, and why: no eligible place for their data
    class (`data_class`, `needs_24_7`) or for their affinity `group`; or an anti-affinity
    `group` of `group_size` members with too few eligible `places`; or a conflict."""

    cause: str  # "no_eligible_place" | "anti_affinity" | "conflict"
    workloads: tuple[str, ...]
    refusals: dict[str, str] = field(default_factory=dict)  # place -> why it refuses
    data_class: str | None = None
    needs_24_7: bool = False
    group: str | None = None
    group_size: int | None = None
    places: tuple[str, ...] = ()


@dataclass(frozen=True)
class Shortfall:
    """Capacity missing at one internal site (or quota at one offer) for one resource."""

    place: str
    kind: str  # "capacity" | "quota"
    resource: str
    missing: float
    limit: float  # usable with every expansion block built, or the quota
    data_classes: tuple[str, ...]
    workloads: tuple[str, ...]  # the workloads it would hold
    limit_basis: str  # 'quota' | 'expanded' (every block built) | 'as_is'
    eligible: tuple[str, ...]  # those workloads' eligible in-house places (and this offer)


@dataclass(frozen=True)
class Diagnosis:
    """What is missing for the scenario to have a plan."""

    scenario: str
    unplaced: tuple[Unplaced, ...]
    shortfalls: tuple[Shortfall, ...]
    caps: tuple[CapViolation, ...]
    proven: bool  # every elastic phase was solved to proven optimality

    @property
    def causes(self) -> list[str]:
        out = [u.cause for u in self.unplaced] + [f"{s.kind}_short" for s in self.shortfalls]
        return sorted(set(out + [f"cap:{c.cap}" for c in self.caps]))

    @property
    def has_cause(self) -> bool:
        return bool(self.unplaced or self.shortfalls or self.caps)


def _refusals(inputs: Inputs, unit: Unit) -> dict[str, str]:
    """Each place's refusal of a unit (for a group: the first member it refuses, named)."""
    workloads = {w.id: w for w in inputs.workloads}
    members = [workloads[wid] for wid in unit.members]
    refusals: dict[str, str] = {}
    verdicts = {
        w.id: refusals_for(inputs, w) for w in (members[:1] if unit.kind == "class" else members)
    }
    for place_id in verdicts[members[0].id]:
        for wid, by_place in verdicts.items():
            verdict = by_place[place_id]
            if isinstance(verdict, Refusal):
                refusals[place_id] = (
                    f"{wid}: " if unit.kind == "affinity" else ""
                ) + verdict.reason
                break
    return refusals


def _no_place(inputs: Inputs, units: list[Unit]) -> list[Unplaced]:
    """Units no place may take, those refused alike merged into one line."""
    workloads = {w.id: w for w in inputs.workloads}
    merged: dict[tuple[object, ...], tuple[list[str], dict[str, str]]] = {}
    out = []
    for unit in units:
        refusals = _refusals(inputs, unit)
        first = workloads[unit.members[0]]
        if unit.kind == "affinity":
            out.append(
                Unplaced("no_eligible_place", unit.members, refusals, group=first.affinity_group)
            )
            continue
        key = (first.data_class, first.needs_24_7, tuple(sorted(refusals.items())))
        merged.setdefault(key, ([], refusals))[0].extend(unit.members)
    for (data_class, needs_24_7, _), (ids, refusals) in merged.items():
        ids.sort()
        out.append(
            Unplaced(
                "no_eligible_place",
                tuple(ids),
                refusals,
                data_class=str(data_class),
                needs_24_7=bool(needs_24_7),
            )
        )
    return sorted(out, key=lambda u: u.workloads)


class _Elastic:
    """The model with slack on assignment, capacity, quota and cap rows."""

    def __init__(
        self, inputs: Inputs, cands: Candidates, share_reference_eur: float | None = None
    ) -> None:
        self.inputs = inputs
        self.cands = cands
        self.share_reference_eur = share_reference_eur
        self.model: Model = build_model(
            inputs, cands, share_reference_eur=share_reference_eur, tiebreak=False
        )
        problem = self.model.problem
        self.u: dict[str, pulp.LpVariable] = {}
        for ui, unit in enumerate(cands.units):
            var = problem.add_variable(f"unplaced_{ui}", 0, unit.count, cat=pulp.LpInteger)
            constraint(problem, f"assign_{ui}").addInPlace(expr([(var, 1.0)]))
            self.u[unit.id] = var
        self.slack: dict[RowKey, pulp.LpVariable] = {}
        for n, (key, name) in enumerate(self.model.sorted_rows()):
            var = problem.add_variable(f"slack_{n}", 0)
            constraint(problem, name).addInPlace(expr([(var, -1.0)]))
            self.slack[key] = var
        self.ctx = CapContext(inputs, cands, Evaluator(cands), share_reference_eur)
        self.proven = True
        self.phases = 0

    def minimise(self, terms: list[Term], time_limit_s: float) -> float | None:
        """Solve with `terms` as objective, then keep its optimum as a constraint; with no time
        left, not solved (0.0); None if the solve ended without a solution. Either way the
        diagnosis is then not proven, its values those of the phase before."""
        problem = self.model.problem
        problem.setObjective(expr(terms))
        if not terms:
            return 0.0
        if time_limit_s <= 0.0:
            self.proven = False
            return 0.0
        problem.solve(
            _QuietHiGHS(msg=False, timeLimit=time_limit_s, gapRel=GAP_REL, gapAbs=GAP_ABS)
        )
        import highspy

        status = problem.solverModel.getModelStatus()
        self.proven = self.proven and status == highspy.HighsModelStatus.kOptimal
        if problem.solverModel.getInfo().primal_solution_status != 2:  # no feasible solution
            self.proven = False
            return None
        value = float(sum(coef * (var.varValue or 0.0) for var, coef in terms))
        self.phases += 1
        add_le(problem, f"phase_{self.phases}", terms, value + 1e-6 * max(1.0, abs(value)))
        return value

    def scales(self) -> dict[RowKey, float]:
        """Per slack: weight making its units comparable (a workload's demand, a cap's limit)."""
        n = max(1, len(self.cands.workloads))
        mean = {
            r: max(1e-3, sum(w.demand.get(r) for w in self.cands.workloads.values()) / n)
            for r in RESOURCES
        }
        spend = sum(
            min(o.run_cost_eur_month for o in u.options) * u.count for u in self.cands.units
        )
        weights = {}
        for key in self.slack:
            if key.kind == RowKind.CAP:
                weights[key] = cap_of(key).slack_scale(key, self.ctx, spend)
            else:
                assert key.resource is not None
                weights[key] = 1.0 / mean[key.resource]
        return weights


def _split(el: _Elastic, unit: Unit) -> list[tuple[str, Option]]:
    """(workload, option) for the placed members of a unit in the elastic solution."""
    values = {
        (unit.id, o.place_id): round(el.model.x[unit.id, o.place_id].varValue or 0.0)
        for o in unit.options
    }
    if not any(values.values()):
        return []
    return split_unit(unit, values, el.cands.workloads[unit.members[0]].current_site)


def _site_limit(cands: Candidates, place_id: str, resource: str) -> float:
    """A site's capacity with every block built, or an offer's quota (the evaluator's)."""
    place = next(p for p in cands.places if p.id == place_id)
    return place_limit(place, resource) or 0.0


def _shortfalls(el: _Elastic) -> list[Shortfall]:
    cands = el.cands
    out = []
    for key, var in el.slack.items():
        missing = var.varValue or 0.0
        if key.kind not in (RowKind.CAPACITY, RowKind.QUOTA) or missing <= EPS:
            continue
        place_id, resource, kind = key.place, key.resource, str(key.kind)
        assert place_id is not None and resource is not None
        held = sorted(
            wid
            for unit in cands.units
            for wid, option in _split(el, unit)
            if option.place_id == place_id
        )
        classes = tuple(sorted({cands.workloads[w].data_class for w in held}))
        capped = {p.id for p in cands.places if p.internal or p.id == place_id}
        eligible = sorted(
            {
                o.place_id
                for unit in cands.units
                if set(unit.members) & set(held)
                for o in unit.options
                if o.place_id in capped
            }
        )
        limit = _site_limit(cands, place_id, resource)
        place = next(p for p in cands.places if p.id == place_id)
        basis = (
            "quota"
            if kind == "quota"
            else "expanded"
            if place.site is not None and place.site.expansion_blocks
            else "as_is"
        )
        out.append(
            Shortfall(
                place_id,
                kind,
                resource,
                round(missing, 6),
                round(limit, 6),
                classes,
                tuple(held),
                basis,
                tuple(eligible),
            )
        )
    return out


def _caps(el: _Elastic) -> list[CapViolation]:
    """The caps the elastic model had to exceed, each described by its cap."""
    model = el.model
    decision = Evaluator(el.cands).decision(
        {key: v.varValue or 0.0 for key, v in model.x.items()},
        {key: v.varValue or 0.0 for key, v in model.k.items()},
        {key: v.varValue or 0.0 for key, v in model.y.items()},
        {key: v.varValue or 0.0 for key, v in model.c.items()},
    )
    evaluation = Evaluator(el.cands).evaluate(decision)
    return [
        cap_of(key).violation(key, var.varValue or 0.0, el.ctx, evaluation)
        for key, var in el.slack.items()
        if key.kind == RowKind.CAP and (var.varValue or 0.0) > EPS
    ]


def _anti_affinity(el: _Elastic) -> list[Unplaced]:
    cands = el.cands
    groups = {uid: g for g, uids in cands.anti_affinity.items() for uid in uids}
    by_group: dict[str, list[str]] = defaultdict(list)
    other: list[str] = []
    for unit in cands.units:
        n = round(el.u[unit.id].varValue or 0.0)
        if n <= 0:
            continue
        members = list(unit.members[-n:])
        (by_group[groups[unit.id]] if unit.id in groups else other).extend(members)
    units = {u.id: u for u in cands.units}
    out = []
    for group, left in sorted(by_group.items()):
        uids = cands.anti_affinity[group]
        places = sorted({o.place_id for uid in uids for o in units[uid].options})
        out.append(
            Unplaced(
                "anti_affinity",
                tuple(sorted(left)),
                group=group,
                group_size=len(uids),
                places=tuple(places),
            )
        )
    if other:
        out.append(Unplaced("conflict", tuple(sorted(other))))
    return out


def diagnose(
    inputs: Inputs,
    cands: Candidates,
    unplaceable: list[Unit],
    budget: TimeBudget,
    share_reference_eur: float | None = None,
) -> Diagnosis:
    """Name what is missing for a scenario without a feasible plan.

    The share caps take part only with `share_reference_eur`, their denominator (the spend of
    the plan made without them); a scenario that has no plan even without them is diagnosed
    without them.
    """
    unplaced = _no_place(inputs, unplaceable)
    shortfalls: list[Shortfall] = []
    caps: list[CapViolation] = []
    proven = True
    if cands.units:
        el = _Elastic(inputs, cands, share_reference_eur)
        weights = el.scales()
        phases = [
            [(el.u[u.id], 1.0) for u in cands.units],
            [(v, weights[k]) for k, v in el.slack.items() if k.kind != RowKind.CAP],
            [(v, weights[k]) for k, v in el.slack.items() if k.kind == RowKind.CAP],
        ]
        phases = [terms for terms in phases if terms]
        for n, terms in enumerate(phases):
            if el.minimise(terms, budget.share_s(len(phases) - n)) is None:
                break  # what the phases before found is reported, unproven
        unplaced += _anti_affinity(el)
        shortfalls = _shortfalls(el)
        caps = _caps(el)
        proven = el.proven
    return Diagnosis(inputs.scenario.name, tuple(unplaced), tuple(shortfalls), tuple(caps), proven)

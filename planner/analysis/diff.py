"""Compare two plans: what moved, what was added or retired, what it costs, per class and provider.

Both plans are read as end states (the `after` of each resource); when both are roadmaps,
their waves and years are compared too (planner/analysis/roadmap_diff.py). Anything that did
not change, or changed by no more than the tolerance (rounding), gives no line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from planner.analysis.roadmap_diff import RoadmapSides, compare_sides
from planner.plan.document import ExpansionState, Plan, ResourceState

DEFAULT_TOLERANCE_EUR = 0.01


@dataclass(frozen=True)
class Delta:
    """One amount before and after."""

    before: float
    after: float

    @property
    def difference(self) -> float:
        return round(self.after - self.before, 2) + 0.0

    @property
    def pct(self) -> float | None:
        """Relative change in %, None when there was nothing before."""
        if self.before == 0:
            return None
        return round(100.0 * (self.after - self.before) / self.before, 2) + 0.0

    def changed(self, tolerance: float) -> bool:
        return abs(self.after - self.before) > tolerance + 1e-9

    def as_dict(self) -> dict[str, Any]:
        return {
            "before": self.before,
            "after": self.after,
            "difference": self.difference,
            "difference_pct": self.pct,
        }


@dataclass(frozen=True)
class ResourceDiff:
    """One resource whose end state differs between the plans."""

    kind: str  # placement | expansion | contract
    name: str
    action: str  # added | retired | moved | repriced | resized
    before: ResourceState | None
    after: ResourceState | None
    cost: Delta  # monthly, EUR

    @property
    def address(self) -> str:
        return f"{self.kind}.{self.name}"

    @property
    def symbol(self) -> str:
        return {"added": "+", "retired": "-", "moved": "-/+"}.get(self.action, "~")


@dataclass(frozen=True)
class ClassDiff:
    """Where one data class runs, and what it costs, in each plan."""

    name: str
    cost: Delta
    in_house: tuple[int, int]
    outsourced: tuple[int, int]


@dataclass(frozen=True)
class PlanDiff:
    """Everything that differs between an old and a new plan, beyond the tolerance."""

    old_label: str
    new_label: str
    tolerance_eur: float
    resources: tuple[ResourceDiff, ...]
    monthly: Delta
    one_off: Delta
    outsourced_share_pct: Delta
    by_data_class: tuple[ClassDiff, ...]
    by_provider: dict[str, Delta]
    solver_notes: tuple[str, ...] = field(default=())
    exchanges: tuple[tuple[str, ...], ...] = ()  # interchangeable workloads that swapped places
    roadmap: RoadmapSides = field(default_factory=lambda: RoadmapSides(roadmaps="neither"))

    @property
    def monthly_changed(self) -> bool:
        return self.monthly.changed(self.tolerance_eur)

    @property
    def one_off_changed(self) -> bool:
        return self.one_off.changed(self.tolerance_eur)

    @property
    def share_changed(self) -> bool:
        return self.outsourced_share_pct.changed(0.005)

    @property
    def has_changes(self) -> bool:
        return bool(
            self.resources
            or self.monthly_changed
            or self.one_off_changed
            or self.share_changed
            or self.by_data_class
            or self.by_provider
        )

    @property
    def roadmap_changed(self) -> bool:
        """Two roadmaps whose waves or years differ (even with the same end state)."""
        return self.roadmap.diff is not None and self.roadmap.diff.has_changes

    @property
    def anything_changed(self) -> bool:
        """The end state, or the roadmaps' timing or figures (--detailed-exitcode)."""
        return self.has_changes or self.roadmap_changed

    def count(self, action: str) -> int:
        return sum(1 for r in self.resources if r.action == action)


def _end_states(plan: Plan, kind: str) -> dict[str, ResourceState]:
    rtype = f"planner_{kind}"
    return {
        rc.name: rc.change.after
        for rc in plan.resource_changes
        if rc.type == rtype and rc.change.after is not None
    }


def _cost(state: ResourceState | None) -> float:
    return state.cost_eur_month if state is not None else 0.0


def _count(state: ResourceState) -> int | None:
    return state.count if isinstance(state, ExpansionState) else None


def _resource_diffs(old: Plan, new: Plan, tolerance: float) -> list[ResourceDiff]:
    out: list[ResourceDiff] = []
    for kind in ("placement", "expansion", "contract"):
        before, after = _end_states(old, kind), _end_states(new, kind)
        for name in sorted(set(before) | set(after)):
            b, a = before.get(name), after.get(name)
            cost = Delta(_cost(b), _cost(a))
            if b is None:
                action = "added"
            elif a is None:
                action = "retired"
            elif b.site != a.site:
                action = "moved"
            elif _count(b) != _count(a):
                action = "resized"
            elif cost.changed(tolerance):
                action = "repriced"
            else:
                continue
            out.append(ResourceDiff(kind, name, action, b, a, cost))
    return out


def _spot(state: ResourceState | None) -> tuple[str, float]:
    """A place and a cost, to the cent: what an exchange must preserve."""
    return (state.site, round(_cost(state), 2)) if state else ("", 0.0)


def _exchanges(moves: list[ResourceDiff]) -> tuple[list[ResourceDiff], list[tuple[str, ...]]]:
    """Split off cycles of two or three moves that only exchange equal places and costs.

    Replicas of one workload are interchangeable: a solver may put replica a where b was and
    b where a was without anything changing in cost or capacity. Such cycles are no change.
    """
    by_origin: dict[tuple[str, float], list[ResourceDiff]] = defaultdict(list)
    for move in moves:
        by_origin[_spot(move.before)].append(move)
    used: set[str] = set()
    cycles: list[tuple[str, ...]] = []

    def free(spot: tuple[str, float]) -> list[ResourceDiff]:
        return [m for m in by_origin.get(spot, []) if m.name not in used]

    for a in moves:
        if a.name in used:
            continue
        home = _spot(a.before)
        cycle = next(
            ([a, b] for b in free(_spot(a.after)) if b is not a and _spot(b.after) == home), None
        )
        if cycle is None:
            cycle = next(
                (
                    [a, b, c]
                    for b in free(_spot(a.after))
                    if b is not a
                    for c in free(_spot(b.after))
                    if c is not a and c is not b and _spot(c.after) == home
                ),
                None,
            )
        if cycle is not None:
            used.update(m.name for m in cycle)
            cycles.append(tuple(sorted(m.name for m in cycle)))
    return [m for m in moves if m.name not in used], sorted(cycles)


def _class_diffs(old: Plan, new: Plan, tolerance: float) -> list[ClassDiff]:
    out = []
    b_all, a_all = old.totals.by_data_class, new.totals.by_data_class
    for name in sorted(set(b_all) | set(a_all)):
        b, a = b_all.get(name), a_all.get(name)
        cost = Delta(
            b.cost_in_house_eur_month + b.cost_outsourced_eur_month if b else 0.0,
            a.cost_in_house_eur_month + a.cost_outsourced_eur_month if a else 0.0,
        )
        in_house = (b.in_house if b else 0, a.in_house if a else 0)
        outsourced = (b.outsourced if b else 0, a.outsourced if a else 0)
        if cost.changed(tolerance) or in_house[0] != in_house[1] or outsourced[0] != outsourced[1]:
            out.append(ClassDiff(name, cost, in_house, outsourced))
    return out


def _solver_notes(old: Plan, new: Plan) -> list[str]:
    notes = []
    for side, plan in (("old", old), ("new", new)):
        s = plan.solver
        if not s.proven_optimal:
            gap = "n/a" if s.gap_pct is None else f"{s.gap_pct:.2f} %"
            notes.append(
                f"the {side} plan is not proven optimal ({s.status}, gap {gap}): "
                "part of the difference may be the solver's, not the catalogs'"
            )
    return notes


def diff_plans(
    old: Plan,
    new: Plan,
    old_label: str = "old",
    new_label: str = "new",
    tolerance_eur: float = DEFAULT_TOLERANCE_EUR,
) -> PlanDiff:
    """What differs between two plans' end states, ignoring changes within the tolerance."""
    ot, nt = old.totals, new.totals
    buckets = sorted(set(ot.cost_by_bucket_after_eur) | set(nt.cost_by_bucket_after_eur))
    by_provider = {
        b: Delta(ot.cost_by_bucket_after_eur.get(b, 0.0), nt.cost_by_bucket_after_eur.get(b, 0.0))
        for b in buckets
    }
    resources = _resource_diffs(old, new, tolerance_eur)
    moves = [r for r in resources if r.kind == "placement" and r.action == "moved"]
    kept, exchanges = _exchanges(moves)
    resources = [
        r
        for r in resources
        if r.action != "moved" or r.kind != "placement" or any(r is k for k in kept)
    ]
    return PlanDiff(
        old_label=old_label,
        new_label=new_label,
        tolerance_eur=tolerance_eur,
        resources=tuple(resources),
        monthly=Delta(ot.monthly_cost_after_eur, nt.monthly_cost_after_eur),
        one_off=Delta(ot.one_off_migration_eur, nt.one_off_migration_eur),
        outsourced_share_pct=Delta(ot.outsourced_share_pct, nt.outsourced_share_pct),
        by_data_class=tuple(_class_diffs(old, new, tolerance_eur)),
        by_provider={b: d for b, d in by_provider.items() if d.changed(tolerance_eur)},
        solver_notes=tuple(_solver_notes(old, new)),
        exchanges=tuple(exchanges),
        roadmap=compare_sides(old, new, tolerance_eur),
    )


def _plain(state: ResourceState | None) -> dict[str, Any] | None:
    return None if state is None else state.model_dump(mode="json")


def diff_dict(diff: PlanDiff) -> dict[str, Any]:
    """The diff as plain data (the JSON output)."""
    body: dict[str, Any] = {
        "old": diff.old_label,
        "new": diff.new_label,
        "tolerance_eur": diff.tolerance_eur,
        "has_changes": diff.anything_changed,
        "monthly_cost_eur": diff.monthly.as_dict(),
        "one_off_migration_eur": diff.one_off.as_dict(),
        "outsourced_share_pct": diff.outsourced_share_pct.as_dict(),
        "summary": {a: diff.count(a) for a in ("moved", "added", "retired", "repriced", "resized")},
        "resources": [
            {
                "address": r.address,
                "kind": r.kind,
                "name": r.name,
                "action": r.action,
                "before": _plain(r.before),
                "after": _plain(r.after),
                "cost_eur_month": r.cost.as_dict(),
            }
            for r in diff.resources
        ],
        "by_data_class": {
            c.name: {
                "cost_eur_month": c.cost.as_dict(),
                "in_house": list(c.in_house),
                "outsourced": list(c.outsourced),
            }
            for c in diff.by_data_class
        },
        "by_provider": {b: d.as_dict() for b, d in diff.by_provider.items()},
        "solver_notes": list(diff.solver_notes),
        "exchanges_not_shown": [list(names) for names in diff.exchanges],
    }
    if diff.roadmap.roadmaps != "neither":  # a snapshot's diff reads as it always has
        body["end_state_has_changes"] = diff.has_changes
        body["roadmap"] = diff.roadmap.model_dump(mode="json")
    return body

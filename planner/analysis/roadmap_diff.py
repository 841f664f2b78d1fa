"""Compare two roadmaps wave by wave: which changes happen in a different wave or go to a
different place, and what each wave and each budget year costs on either side.

Periods are matched by name; a period on one side only is said so. Within one period, a
resource change is keyed by its address: a change only in the old roadmap's wave is
`removed`, only in the new one's `added`, in both but to or from another place (or another
block count) `changed`. Unlike the end-state diff, workloads of equal places and costs that
exchange their timing are shown: which workload moves when is what a wave plan is for.
Typed facts only (codes and numbers); planner/render/wording.py words them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field

from planner.plan.document import ExpansionChange, ExpansionState, PlacementChange
from planner.plan.roadmap import RoadmapRecord, WaveRecord, YearRecord
from planner.plan.roadmap_document import RoadmapPlan

Side = Literal["both", "old", "new"]


def _round(value: float) -> float:
    return round(value, 2) + 0.0


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Amount(_Frozen):
    """One amount in the old and the new roadmap (None: that side has no such period or
    year, or sets no such budget)."""

    before: float | None
    after: float | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def difference(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return _round(self.after - self.before)

    def changed(self, tolerance: float) -> bool:
        if self.before is None or self.after is None:
            return (self.before is None) != (self.after is None)
        return abs(self.after - self.before) > tolerance + 1e-9


class WaveEvent(_Frozen):
    """One resource change of one wave: a workload that moves, arrives or retires, or
    expansion blocks ordered (`count_before` blocks of that type ordered earlier)."""

    period: str
    action: Literal["move", "create", "delete", "update"]
    site_before: str | None
    site_after: str | None
    count_before: int | None = None
    count_after: int | None = None
    cost_before_eur_month: float | None
    cost_after_eur_month: float | None

    def same_change(self, other: WaveEvent) -> bool:
        """The same places and block counts (costs are compared in the wave's figures)."""
        return (
            self.action,
            self.site_before,
            self.site_after,
            self.count_before,
            self.count_after,
        ) == (
            other.action,
            other.site_before,
            other.site_after,
            other.count_before,
            other.count_after,
        )


class WaveChange(_Frozen):
    """One resource whose change in one wave differs between the roadmaps."""

    address: str
    kind: Literal["placement", "expansion"]
    name: str
    change: Literal["added", "removed", "changed"]
    old: WaveEvent | None
    new: WaveEvent | None

    @property
    def symbol(self) -> str:
        return {"added": "+", "removed": "-"}.get(self.change, "~")


class WaveDiff(_Frozen):
    """One period present on either side: its differing changes and its figures."""

    period: str
    on: Side
    start: str
    changes: tuple[WaveChange, ...]
    moves: Amount
    monthly_cost_eur: Amount
    one_off_eur: Amount
    opex_eur: Amount
    capex_eur: Amount
    frozen: tuple[bool | None, bool | None]

    def figures(self) -> tuple[tuple[str, Amount], ...]:
        return (
            ("moves", self.moves),
            ("monthly_cost_eur", self.monthly_cost_eur),
            ("one_off_eur", self.one_off_eur),
            ("opex_eur", self.opex_eur),
            ("capex_eur", self.capex_eur),
        )

    def changed_figures(self, tolerance: float) -> tuple[tuple[str, Amount], ...]:
        """The figures that differ: euros beyond the tolerance, the move count at all."""
        return tuple(
            (k, a) for k, a in self.figures() if a.changed(0.0 if k == "moves" else tolerance)
        )

    def has_changes(self, tolerance: float) -> bool:
        return (
            self.on != "both"
            or bool(self.changes)
            or bool(self.changed_figures(tolerance))
            or self.frozen[0] != self.frozen[1]
        )


class YearDiff(_Frozen):
    """One budget year on either side: what each roadmap spends and the budgets set."""

    year: int
    on: Side
    opex_eur: Amount
    capex_eur: Amount
    migration_eur: Amount
    opex_budget_eur: Amount
    capex_budget_eur: Amount
    migration_budget_eur: Amount

    def figures(self) -> tuple[tuple[str, Amount, Amount], ...]:
        """(what, spent, budget) for opex, capex and one-off."""
        return (
            ("opex", self.opex_eur, self.opex_budget_eur),
            ("capex", self.capex_eur, self.capex_budget_eur),
            ("migration", self.migration_eur, self.migration_budget_eur),
        )

    def has_changes(self, tolerance: float) -> bool:
        return self.on != "both" or any(
            spent.changed(tolerance) or budget.changed(tolerance)
            for _, spent, budget in self.figures()
        )


class PathChange(_Frozen):
    """A workload whose changes over the periods differ: its path in each roadmap (empty:
    it neither moves, arrives nor retires there)."""

    name: str
    old: tuple[WaveEvent, ...]
    new: tuple[WaveEvent, ...]


class RoadmapDiff(_Frozen):
    """Two roadmaps compared wave by wave (the end state is the plan diff's)."""

    tolerance_eur: float
    waves: tuple[WaveDiff, ...]
    years: tuple[YearDiff, ...]
    paths: tuple[PathChange, ...]
    discount_rate_pct: Amount

    @computed_field  # type: ignore[prop-decorator]
    @property
    def has_changes(self) -> bool:
        t = self.tolerance_eur
        return (
            any(w.has_changes(t) for w in self.waves)
            or any(y.has_changes(t) for y in self.years)
            or self.discount_rate_pct.changed(0.0)
        )


class RoadmapSides(_Frozen):
    """Which sides of a diff are roadmaps, and their wave-by-wave comparison when both are."""

    roadmaps: Literal["both", "old", "new", "neither"]
    diff: RoadmapDiff | None = None


def _event(period: str, rc: PlacementChange | ExpansionChange) -> WaveEvent:
    b, a = rc.change.before, rc.change.after
    actions = rc.change.actions
    action: Literal["move", "create", "delete", "update"] = (
        "move"
        if actions == ("delete", "create")
        else "create"
        if actions == ("create",)
        else "delete"
        if actions == ("delete",)
        else "update"
    )
    return WaveEvent(
        period=period,
        action=action,
        site_before=None if b is None else b.site,
        site_after=None if a is None else a.site,
        count_before=b.count if isinstance(b, ExpansionState) else None,
        count_after=a.count if isinstance(a, ExpansionState) else None,
        cost_before_eur_month=None if b is None else b.cost_eur_month,
        cost_after_eur_month=None if a is None else a.cost_eur_month,
    )


Kind = Literal["placement", "expansion"]


def _events(wave: WaveRecord | None) -> dict[str, tuple[Kind, str, WaveEvent]]:
    """address -> (kind, name, event) of one wave."""
    if wave is None:
        return {}
    return {
        rc.address: (
            "placement" if isinstance(rc, PlacementChange) else "expansion",
            rc.name,
            _event(wave.name, rc),
        )
        for rc in wave.resource_changes
    }


def _wave_changes(old: WaveRecord | None, new: WaveRecord | None) -> list[WaveChange]:
    before, after = _events(old), _events(new)
    out: list[WaveChange] = []
    for address in sorted(set(before) | set(after)):
        b, a = before.get(address), after.get(address)
        kind, name, _ = a if a is not None else b  # type: ignore[misc]
        if b is not None and a is not None:
            if b[2].same_change(a[2]):
                continue
            change: Literal["added", "removed", "changed"] = "changed"
        else:
            change = "added" if b is None else "removed"
        out.append(
            WaveChange(
                address=address,
                kind=kind,
                name=name,
                change=change,
                old=None if b is None else b[2],
                new=None if a is None else a[2],
            )
        )
    return out


def _amount(
    old: WaveRecord | YearRecord | None, new: WaveRecord | YearRecord | None, field: str
) -> Amount:
    def get(record: WaveRecord | YearRecord | None) -> float | None:
        if record is None:
            return None
        source = record.totals if isinstance(record, WaveRecord) else record
        value = getattr(source, field)
        return None if value is None else float(value)

    return Amount(before=get(old), after=get(new))


def _side(old: object | None, new: object | None) -> Side:
    return "both" if old is not None and new is not None else ("old" if new is None else "new")


def _waves(old: RoadmapRecord, new: RoadmapRecord) -> list[WaveDiff]:
    by_old = {w.name: w for w in old.waves}
    by_new = {w.name: w for w in new.waves}
    names = sorted(
        set(by_old) | set(by_new),
        key=lambda n: ((by_new.get(n) or by_old[n]).start, n),
    )
    out = []
    for name in names:
        o, n = by_old.get(name), by_new.get(name)
        changes = _wave_changes(o, n)
        out.append(
            WaveDiff(
                period=name,
                on=_side(o, n),
                start=(n or o).start,  # type: ignore[union-attr]
                changes=tuple(changes),
                moves=_amount(o, n, "moves"),
                monthly_cost_eur=_amount(o, n, "monthly_cost_eur"),
                one_off_eur=_amount(o, n, "one_off_eur"),
                opex_eur=_amount(o, n, "opex_eur"),
                capex_eur=_amount(o, n, "capex_eur"),
                frozen=(None if o is None else o.frozen, None if n is None else n.frozen),
            )
        )
    return out


def _years(old: RoadmapRecord, new: RoadmapRecord) -> list[YearDiff]:
    by_old = {y.year: y for y in old.years}
    by_new = {y.year: y for y in new.years}
    out = []
    for year in sorted(set(by_old) | set(by_new)):
        o, n = by_old.get(year), by_new.get(year)
        out.append(
            YearDiff(
                year=year,
                on=_side(o, n),
                opex_eur=_amount(o, n, "opex_eur"),
                capex_eur=_amount(o, n, "capex_eur"),
                migration_eur=_amount(o, n, "migration_eur"),
                opex_budget_eur=_amount(o, n, "opex_budget_eur"),
                capex_budget_eur=_amount(o, n, "capex_budget_eur"),
                migration_budget_eur=_amount(o, n, "migration_budget_eur"),
            )
        )
    return out


def _paths(record: RoadmapRecord) -> dict[str, tuple[WaveEvent, ...]]:
    """Workload id -> its changes over the periods, in order."""
    out: dict[str, list[WaveEvent]] = {}
    for w in record.waves:
        for rc in w.resource_changes:
            if isinstance(rc, PlacementChange):
                out.setdefault(rc.name, []).append(_event(w.name, rc))
    return {k: tuple(v) for k, v in out.items()}


def diff_roadmaps(
    old: RoadmapRecord, new: RoadmapRecord, tolerance_eur: float = 0.01
) -> RoadmapDiff:
    """What differs between two roadmaps, wave by wave and year by year."""
    waves = _waves(old, new)
    moved = sorted({c.name for w in waves for c in w.changes if c.kind == "placement"})
    before, after = _paths(old), _paths(new)
    paths = [PathChange(name=n, old=before.get(n, ()), new=after.get(n, ())) for n in moved]
    return RoadmapDiff(
        tolerance_eur=tolerance_eur,
        waves=tuple(waves),
        years=tuple(_years(old, new)),
        paths=tuple(p for p in paths if p.old != p.new),
        discount_rate_pct=Amount(before=old.discount_rate_pct, after=new.discount_rate_pct),
    )


def compare_sides(old: object, new: object, tolerance_eur: float = 0.01) -> RoadmapSides:
    """Which of two plans are roadmaps, and, when both are, their wave-by-wave diff."""
    o, n = isinstance(old, RoadmapPlan), isinstance(new, RoadmapPlan)
    if o and n:
        assert isinstance(old, RoadmapPlan) and isinstance(new, RoadmapPlan)
        return RoadmapSides(
            roadmaps="both", diff=diff_roadmaps(old.roadmap, new.roadmap, tolerance_eur)
        )
    return RoadmapSides(roadmaps="old" if o else "new" if n else "neither")

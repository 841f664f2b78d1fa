"""The plan as typed tables: what a spreadsheet export writes, one table per sheet.

Each table has translated column labels (the render's language) and cells that keep their
type: a count is an int, an amount of euros a float with the kind `eur`, a percentage the
plan's own figure (12.5 for 12.5 %) with the kind `pct`, a date a `datetime.date`. The
writer (`planner/render/xlsx_format.py`) gives each kind its number format; nothing here is
formatted as text, so the figures a spreadsheet reads back are the plan JSON's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from planner.plan.document import ExpansionChange, Plan
from planner.render.i18n import _
from planner.render.report import (
    budget_view,
    owner_lines,
    provider_shifts,
    resource_keys,
    rows,
)
from planner.render.wording import shadow_text

Kind = Literal["text", "int", "number", "eur", "pct", "date", "bool"]
Cell = str | int | float | bool | dt.date | None


@dataclass(frozen=True)
class Column:
    label: str
    kind: Kind
    width: int = 14  # characters, a hint for the writer


@dataclass(frozen=True)
class Table:
    """One sheet: `key` is stable in every language, `title` is the sheet's translated name.
    `row_kinds`, when given, overrides the columns' kinds row by row (the summary's value
    column holds money, counts and percentages)."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    row_kinds: tuple[tuple[Kind, ...], ...] | None = None

    def kind(self, row: int, column: int) -> Kind:
        if self.row_kinds is not None:
            return self.row_kinds[row][column]
        return self.columns[column].kind


def _summary(plan: Plan) -> Table:
    t, s, sc = plan.totals, plan.solver, plan.scenario
    lines: list[tuple[str, Cell, Kind]] = [
        (_("Scenario"), sc.name, "text"),
        (_("Reference date"), dt.date.fromisoformat(sc.reference_date), "date"),
        (_("Horizon (months)"), sc.horizon_months, "int"),
        (_("Monthly cost before"), t.monthly_cost_before_eur, "eur"),
        (_("Monthly cost after"), t.monthly_cost_after_eur, "eur"),
        (_("Monthly difference"), t.monthly_difference_eur, "eur"),
        (_("Monthly difference (%)"), t.monthly_difference_pct, "pct"),
        (_("One-off moves"), t.one_off_migration_eur, "eur"),
        (_("Moves"), t.moves, "int"),
        (_("To add"), t.to_add, "int"),
        (_("To change"), t.to_change, "int"),
        (_("To destroy"), t.to_destroy, "int"),
        (_("Expansion per month"), t.expansion_cost_eur_month, "eur"),
        (_("Outsourced share of monthly spend"), t.outsourced_share_pct, "pct"),
    ]
    if t.share_cap_reference_eur_month is not None:
        lines.append((_("Share caps' reference spend"), t.share_cap_reference_eur_month, "eur"))
    lines += [
        (_("Solver"), s.name, "text"),
        (_("Solver status"), s.status, "text"),
        (_("Proven optimal"), s.proven_optimal, "bool"),
        (_("Gap (%)"), s.gap_pct, "pct"),
        (_("Gap tolerance (%)"), s.gap_tolerance_pct, "pct"),
        (_("Objective"), s.objective_eur, "eur"),
        (_("Best bound"), s.bound_eur, "eur"),
    ]
    return Table(
        "summary",
        _("Summary"),
        (Column(_("Figure"), "text", 36), Column(_("Value"), "number", 18)),
        tuple((label, value) for label, value, _kind in lines),
        tuple(("text", kind) for _label, _value, kind in lines),
    )


def _resources(plan: Plan) -> Table:
    columns = (
        Column(_("Kind"), "text", 11),
        Column(_("Name"), "text", 30),
        Column(_("Data class"), "text", 18),
        Column(_("Owner"), "text", 14),
        Column(_("Site before"), "text", 18),
        Column(_("Site after"), "text", 18),
        Column(_("Provider before"), "text", 14),
        Column(_("Provider after"), "text", 14),
        Column(_("Action"), "text", 9),
        Column(_("Cost before per month"), "eur"),
        Column(_("Cost after per month"), "eur"),
        Column(_("Difference per month"), "eur"),
        Column(_("One-off move"), "eur"),
        Column(_("Basis"), "text", 18),
        Column(_("Reason code"), "text", 18),
        Column(_("Reason"), "text", 60),
    )
    cells = tuple(
        (
            r.kind,
            r.name,
            r.data_class,
            r.owner,
            r.site_before,
            r.site_after,
            r.provider_before,
            r.provider_after,
            r.action,
            r.cost_before_eur_month,
            r.cost_after_eur_month,
            r.delta_eur_month,
            r.one_off_eur,
            r.basis,
            r.code,
            r.reason,
        )
        for r in rows(plan)
    )
    return Table("resources", _("Resources"), columns, cells)


def _expansions(plan: Plan) -> Table:
    changes = [rc for rc in plan.resource_changes if isinstance(rc, ExpansionChange)]
    added: set[str] = set()
    for rc in changes:
        for state in (rc.change.before, rc.change.after):
            if state is not None:
                added.update(state.adds)
    resources = resource_keys(dict.fromkeys(added, 0.0))
    columns = (
        Column(_("Site"), "text", 18),
        Column(_("Block"), "text", 26),
        Column(_("Action"), "text", 9),
        Column(_("Blocks before"), "int"),
        Column(_("Blocks after"), "int"),
        Column(_("Cost before per month"), "eur"),
        Column(_("Cost after per month"), "eur"),
        Column(_("Purchase price of one block"), "eur"),
        Column(_("Amortisation months"), "int"),
        Column(_("Running cost of one block per month"), "eur"),
        Column(_("Purchase of the blocks ordered"), "eur"),
        *(Column(_("Adds {resource}", resource=r), "number") for r in resources),
    )
    out = []
    for rc in changes:
        before, after = rc.change.before, rc.change.after
        state = after or before
        assert state is not None
        out.append(
            (
                state.site,
                state.block,
                "-".join(rc.change.actions),
                before.count if before else 0,
                after.count if after else 0,
                before.cost_eur_month if before else None,
                after.cost_eur_month if after else None,
                _stated(state.capex_eur),
                state.amortisation_months,
                state.opex_eur_month,
                _stated(
                    None
                    if state.capex_eur is None
                    else round(
                        max((after.count if after else 0) - (before.count if before else 0), 0)
                        * state.capex_eur,
                        2,
                    )
                ),
                *(state.adds.get(r) for r in resources),
            )
        )
    return Table("expansions", _("Expansions"), columns, tuple(out))


def _stated(value: float | None) -> Cell:
    """A purchase price, or the words saying it is not stated (never a silent zero)."""
    return _("purchase price not stated") if value is None else value


def _budget(plan: Plan) -> Table | None:
    """The budget lines per calendar year of the horizon, then their total."""
    view = budget_view(plan)
    if view is None:
        return None
    columns = (
        Column(_("Year"), "number", 8),
        Column(_("Months"), "int", 8),
        Column(_("Running costs before"), "eur", 18),
        Column(_("Running costs after"), "eur", 18),
        Column(_("Investment (purchase)"), "eur", 18),
        Column(_("Amortisation"), "eur", 18),
        Column(_("One-off moves"), "eur", 18),
    )
    cells = tuple(
        (
            y.year if y.year else _("Total"),
            y.months,
            y.opex_before_eur,
            y.opex_eur,
            _stated(y.capex_eur),
            _("not stated") if y.amortisation_eur is None else y.amortisation_eur,
            y.migration_eur,
        )
        for y in (*view.years, view.total)
    )
    return Table("budget", _("Budget lines"), columns, cells)


def _providers(plan: Plan) -> Table:
    columns = (
        Column(_("Provider"), "text", 18),
        Column(_("Spend before per month"), "eur"),
        Column(_("Spend after per month"), "eur"),
        Column(_("Difference per month"), "eur"),
        Column(_("Workloads before"), "int"),
        Column(_("Workloads after"), "int"),
        Column(_("Leaving"), "int"),
        Column(_("Arriving"), "int"),
    )
    cells = tuple(
        (
            p.provider,
            p.before_eur_month,
            p.after_eur_month,
            p.delta_eur_month,
            p.workloads_before,
            p.workloads_after,
            p.leaving,
            p.arriving,
        )
        for p in provider_shifts(plan, rows(plan))
    )
    return Table("providers", _("Spend by provider"), columns, cells)


def _owners(plan: Plan) -> Table | None:
    """Spend and moves per owner (for chargeback); None when no workload names its owner."""
    lines = owner_lines(plan)
    if not lines:
        return None
    columns = (
        Column(_("Owner"), "text", 18),
        Column(_("Workloads"), "int"),
        Column(_("Spend before per month"), "eur"),
        Column(_("Spend after per month"), "eur"),
        Column(_("Difference per month"), "eur"),
        Column(_("Moves"), "int"),
        Column(_("One-off moves"), "eur"),
        Column(_("Monthly budget"), "eur"),
    )
    cells = tuple(
        (
            o.owner or _("no owner given"),
            o.workloads,
            o.before_eur_month,
            o.after_eur_month,
            o.delta_eur_month,
            o.moves,
            o.one_off_eur,
            o.budget_eur_month,
        )
        for o in lines
    )
    return Table("owners", _("Spend by owner"), columns, cells)


def _data_classes(plan: Plan) -> Table:
    columns = (
        Column(_("Data class"), "text", 22),
        Column(_("Workloads"), "int"),
        Column(_("In-house"), "int"),
        Column(_("Outsourced"), "int"),
        Column(_("Cost in-house per month"), "eur"),
        Column(_("Cost outsourced per month"), "eur"),
        Column(_("Share of its spend in-house (%)"), "pct"),
    )
    cells = tuple(
        (
            name,
            c.workloads,
            c.in_house,
            c.outsourced,
            c.cost_in_house_eur_month,
            c.cost_outsourced_eur_month,
            c.share_in_house_pct,
        )
        for name, c in plan.totals.by_data_class.items()
    )
    return Table("data_classes", _("By data class"), columns, cells)


def _sites(plan: Plan) -> Table:
    columns = (
        Column(_("Site"), "text", 18),
        Column(_("Resource"), "text", 12),
        Column(_("Capacity"), "number"),
        Column(_("Usable before"), "number"),
        Column(_("Usable after"), "number"),
        Column(_("Used before"), "number"),
        Column(_("Used after"), "number"),
    )
    cells = tuple(
        (
            use.site,
            r,
            use.capacity.get(r),
            use.usable_before.get(r),
            use.usable_after.get(r),
            use.used_before.get(r),
            use.used_after.get(r),
        )
        for use in plan.totals.sites
        for r in resource_keys(use.capacity)
    )
    return Table("sites", _("Internal sites"), columns, cells)


def _shadow_prices(plan: Plan) -> Table:
    columns = (
        Column(_("Constraint"), "text", 30),
        Column(_("Kind"), "text", 10),
        Column(_("Place"), "text", 18),
        Column(_("Resource"), "text", 12),
        Column(_("Unit"), "text", 16),
        Column(_("Value of one unit per month"), "eur"),
        Column(_("Saved by one more unit per month"), "eur"),
        Column(_("Block cost per month"), "eur"),
        Column(_("Meaning"), "text", 80),
    )
    cells = tuple(
        (
            sp.constraint,
            sp.kind,
            sp.place,
            sp.resource,
            sp.unit,
            sp.value_eur_month,
            sp.gain_eur_month,
            sp.block_cost_eur_month,
            shadow_text(sp),
        )
        for sp in plan.shadow_prices
    )
    return Table("shadow_prices", _("Shadow prices"), columns, cells)


def plan_tables(plan: Plan) -> list[Table]:
    """Every table of a plan, in sheet order (the owners' only where workloads have owners)."""
    tables: Sequence[Table | None] = (
        _summary(plan),
        _budget(plan),
        _resources(plan),
        _expansions(plan),
        _providers(plan),
        _owners(plan),
        _data_classes(plan),
        _sites(plan),
        _shadow_prices(plan),
    )
    return [t for t in tables if t is not None]

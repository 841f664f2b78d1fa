"""A snapshot plan's State budget lines: per calendar year of the horizon, running costs
(opex) apart from investment (capex: the purchase price of the expansion blocks the plan
orders, and their amortisation), and one-off migration costs.

The horizon is counted in whole months from the reference date's month: a 36-month horizon
from 2026-11-29 is November 2026 to October 2029, so its budget years hold 2, 12, 12 and 10
months. A snapshot plan makes every change at its reference date, so:

- running costs (`opex`) are the plan's monthly cost less its blocks' amortisation, times the
  year's months (before: the current placement's, less the amortisation of blocks held
  before, from a baseline plan);
- the purchase price of the blocks the plan adds (after less before, per block type) falls in
  the first year, and each block after the plan is amortised from the reference date's month
  over its `amortisation_months` (so amortisation stops within the horizon when its period is
  shorter);
- one-off moves fall in the first year.

A block whose purchase price is not stated (a plan saved before blocks carried it) cannot be
split: its whole monthly cost is counted as running cost, and the year's capex and
amortisation are None (the reports say "purchase price not stated"), never zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from planner.plan.document import BudgetYear, ExpansionChange, ExpansionState, Plan


def _month_years(start: dt.date, months: int) -> list[int]:
    """The calendar year of each month of the horizon, from `start`'s month."""
    index = start.year * 12 + start.month - 1
    return [(index + m) // 12 for m in range(months)]


def _amortised(state: ExpansionState | None) -> float | None:
    """The blocks' monthly amortisation (0 for none; None: a purchase price not stated)."""
    if state is None:
        return 0.0
    if state.capex_eur is None or not state.amortisation_months:
        return None
    return state.count * state.capex_eur / state.amortisation_months


def budget_years(
    reference_date: str,
    horizon_months: int,
    monthly_before_eur: float,
    monthly_after_eur: float,
    one_off_eur: float,
    expansions: Sequence[ExpansionChange],
) -> tuple[BudgetYear, ...]:
    """The budget lines of a snapshot plan (see the module's doc)."""
    years = _month_years(dt.date.fromisoformat(reference_date), horizon_months)
    stated = True
    amortised_before = 0.0
    purchase = 0.0
    # per block type after the plan: (monthly amortisation, amortisation months)
    amortising: list[tuple[float, int]] = []
    for rc in expansions:
        before, after = rc.change.before, rc.change.after
        a_before, a_after = _amortised(before), _amortised(after)
        if a_before is None or a_after is None:
            stated = False
            continue
        amortised_before += a_before
        if after is not None:
            assert after.capex_eur is not None and after.amortisation_months is not None
            amortising.append((a_after, after.amortisation_months))
            added = after.count - (before.count if before else 0)
            purchase += max(added, 0) * after.capex_eur
    amortised_after = sum(a for a, _ in amortising)
    out = []
    for year in sorted(set(years)):
        months = [m for m, y in enumerate(years) if y == year]
        amortisation = sum(a * sum(1 for m in months if m < n) for a, n in amortising)
        first = months[0] == 0
        out.append(
            BudgetYear(
                year=year,
                months=len(months),
                opex_before_eur=round((monthly_before_eur - amortised_before) * len(months), 2),
                opex_eur=round((monthly_after_eur - amortised_after) * len(months), 2),
                capex_eur=(round(purchase, 2) if first else 0.0) if stated else None,
                amortisation_eur=round(amortisation, 2) if stated else None,
                migration_eur=round(one_off_eur, 2) if first else 0.0,
            )
        )
    return tuple(out)


def plan_budget_years(plan: Plan) -> tuple[BudgetYear, ...]:
    """A plan's budget lines: as it stores them, else counted from what it holds (a plan
    saved before they were stored); none for a roadmap, whose years are its own."""
    from planner.plan.roadmap_document import RoadmapPlan

    if isinstance(plan, RoadmapPlan):
        return ()
    if plan.totals.budget_years:
        return plan.totals.budget_years
    t = plan.totals
    return budget_years(
        plan.scenario.reference_date,
        plan.scenario.horizon_months,
        t.monthly_cost_before_eur,
        t.monthly_cost_after_eur,
        t.one_off_migration_eur,
        [rc for rc in plan.resource_changes if isinstance(rc, ExpansionChange)],
    )

"""Shadow prices as the plan records them: the optimiser's values, named and described."""

from __future__ import annotations

from planner.candidates.units import Candidates
from planner.inputs.frozen import Inputs
from planner.optimise.budget import TimeBudget
from planner.optimise.shadow import RowValue, shadow_values
from planner.optimise.solve import SolveResult
from planner.plan.document import ShadowPrice


def _money(value: float) -> str:
    return f"€{value:,.2f}" if abs(value) >= 1 or abs(value) < 5e-5 else f"€{value:.4f}"


def _worth(value: float, gain: float | None) -> str:
    """'is worth €x / month', or, where the dual and the re-solve disagree, both."""
    if gain is None or abs(gain - value) <= 1e-6 * max(1.0, abs(value)):
        return f"is worth {_money(value)} / month"
    return (f"saves {_money(gain)} / month (its shadow price, {_money(value)} / month, holds "
            "for less than one unit: another limit binds too or the solution changes)")


def _describe(row: RowValue) -> ShadowPrice | None:
    meaning, value, gain = row.meaning, row.value_eur_month, row.gain_eur_month
    parts = meaning.split(":")
    if parts[0] in ("capacity", "quota"):
        place, resource = parts[1], parts[2]
        where = "at" if parts[0] == "capacity" else "of quota on"
        return ShadowPrice(
            constraint=meaning, kind="capacity" if parts[0] == "capacity" else "quota",
            place=place, resource=resource, unit=resource, value_eur_month=_r6(value),
            gain_eur_month=_r6(gain), text=f"1 {resource} more {where} {place} "
                                           f"{_worth(value, gain)}")
    name = parts[1]
    if name in ("outsourced_share", "provider_share"):
        per_point = value  # the optimiser gives it per percentage point
        what = ("the outsourced share cap" if name == "outsourced_share"
                else f"the share cap of provider '{parts[2]}'")
        return ShadowPrice(
            constraint=meaning, kind="cap", place=None, resource=None, unit="percentage point",
            value_eur_month=_r6(per_point), gain_eur_month=_r6(gain),
            text=f"raising {what} by 1 percentage point {_worth(per_point, gain)}")
    units = {"monthly_budget": ("EUR", "the monthly budget by €1"),
             "migration_budget": ("EUR", "the one-off migration budget by €1"),
             "max_moves": ("move", "the maximum number of moves by 1")}
    if name not in units:
        return None
    unit, what = units[name]
    return ShadowPrice(constraint=meaning, kind="cap", place=None, resource=None, unit=unit,
                       value_eur_month=_r6(value), gain_eur_month=_r6(gain),
                       text=f"raising {what} {_worth(value, gain)}")


def _r6(value: float | None) -> float | None:
    return None if value is None else round(value, 6) + 0.0


def shadow_prices(inputs: Inputs, cands: Candidates, result: SolveResult, budget: TimeBudget
                  ) -> tuple[ShadowPrice, ...]:
    """The plan's shadow prices: binding rows, then expansion blocks (see optimise.shadow),
    within what is left of the run's `budget`."""
    values = shadow_values(inputs, cands, result, budget)
    rows = [price for row in values.rows if (price := _describe(row)) is not None]
    blocks = [ShadowPrice(
        constraint=f"expansion:{b.site_id}:{b.block_id}", kind="expansion", place=b.site_id,
        resource=None, unit="block", value_eur_month=_r6(b.gain_eur_month) or 0.0,
        gain_eur_month=_r6(b.gain_eur_month),
        text=f"one more {b.block_id} at {b.site_id} would save {_money(b.gain_eur_month)} / "
             f"month with divisible placements (it costs {_money(b.cost_eur_month)} / month)")
        for b in values.blocks]
    return tuple(rows + blocks)

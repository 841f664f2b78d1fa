"""Shadow prices as the plan records them: the optimiser's values, named and described."""

from __future__ import annotations

from planner.candidates.evaluate import Evaluator
from planner.candidates.units import Candidates
from planner.inputs.frozen import Inputs
from planner.optimise.budget import TimeBudget
from planner.optimise.caps import CapContext, cap_of
from planner.optimise.rows import RowKind
from planner.optimise.shadow import RowValue, shadow_values
from planner.optimise.solve import SolveResult
from planner.plan.document import ShadowPrice


def _money(value: float) -> str:
    return f"€{value:,.2f}" if abs(value) >= 1 or abs(value) < 5e-5 else f"€{value:.4f}"


def _worth(value: float, gain: float | None) -> str:
    """'is worth €x / month', or, where the dual and the re-solve disagree, both."""
    if gain is None or abs(gain - value) <= 1e-6 * max(1.0, abs(value)):
        return f"is worth {_money(value)} / month"
    return (
        f"saves {_money(gain)} / month (its shadow price, {_money(value)} / month, holds "
        "for less than one unit: another limit binds too or the solution changes)"
    )


def _describe(row: RowValue, ctx: CapContext) -> ShadowPrice:
    key, value, gain = row.key, row.value_eur_month, row.gain_eur_month
    if key.kind in (RowKind.CAPACITY, RowKind.QUOTA):
        assert key.place is not None and key.resource is not None
        where = "at" if key.kind == RowKind.CAPACITY else "of quota on"
        return ShadowPrice(
            constraint=key.id,
            kind="capacity" if key.kind == RowKind.CAPACITY else "quota",
            place=key.place,
            resource=key.resource,
            unit=key.resource,
            value_eur_month=_r6(value),
            gain_eur_month=_r6(gain),
            text=f"1 {key.resource} more {where} {key.place} {_worth(value, gain)}",
        )
    unit = cap_of(key).shadow_unit(key, ctx)
    return ShadowPrice(
        constraint=key.id,
        kind="cap",
        place=None,
        resource=None,
        unit=unit.unit,
        value_eur_month=_r6(value),
        gain_eur_month=_r6(gain),
        text=f"raising {unit.raising} {_worth(value, gain)}",
    )


def _r6(value: float | None) -> float | None:
    return None if value is None else round(value, 6) + 0.0


def shadow_prices(
    inputs: Inputs, cands: Candidates, result: SolveResult, budget: TimeBudget
) -> tuple[ShadowPrice, ...]:
    """The plan's shadow prices: binding rows, then expansion blocks (see optimise.shadow),
    within what is left of the run's `budget`."""
    values = shadow_values(inputs, cands, result, budget)
    ctx = CapContext(inputs, cands, Evaluator(cands), result.share_reference_eur)
    rows = [_describe(row, ctx) for row in values.rows]
    blocks = [
        ShadowPrice(
            constraint=f"expansion:{b.site_id}:{b.block_id}",
            kind="expansion",
            place=b.site_id,
            resource=None,
            unit="block",
            value_eur_month=_r6(b.gain_eur_month) or 0.0,
            gain_eur_month=_r6(b.gain_eur_month),
            text=f"one more {b.block_id} at {b.site_id} would save {_money(b.gain_eur_month)} / "
            f"month with divisible placements (it costs {_money(b.cost_eur_month)} / month)",
        )
        for b in values.blocks
    ]
    return tuple(rows + blocks)

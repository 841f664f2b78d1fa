"""Shadow prices as the plan records them: the optimiser's values with the place, resource,
cap or block each is of (planner/render/wording.py words them)."""

from __future__ import annotations

from planner.candidates.evaluate import Evaluator
from planner.candidates.units import Candidates
from planner.inputs.frozen import Inputs
from planner.optimise.budget import TimeBudget
from planner.optimise.caps import CapContext, cap_of
from planner.optimise.model import Model
from planner.optimise.rows import RowKind
from planner.optimise.shadow import RowValue, shadow_values
from planner.optimise.solve import SolveResult
from planner.plan.document import ShadowPrice


def _describe(row: RowValue, ctx: CapContext) -> ShadowPrice:
    key, value, gain = row.key, row.value_eur_month, row.gain_eur_month
    if key.kind in (RowKind.CAPACITY, RowKind.QUOTA):
        assert key.place is not None and key.resource is not None
        return ShadowPrice(
            constraint=key.id,
            kind="capacity" if key.kind == RowKind.CAPACITY else "quota",
            place=key.place,
            resource=key.resource,
            unit=key.resource,
            value_eur_month=_r6(value),
            gain_eur_month=_r6(gain),
        )
    cap = cap_of(key)
    unit = cap.shadow_unit(key, ctx)
    return ShadowPrice(
        constraint=key.id,
        kind="cap",
        place=None,
        resource=None,
        unit=unit.unit,
        value_eur_month=_r6(value),
        gain_eur_month=_r6(gain),
        cap=cap.ref(key, ctx),
    )


def _r6(value: float | None) -> float | None:
    return None if value is None else round(value, 6) + 0.0


def shadow_prices(
    inputs: Inputs,
    cands: Candidates,
    result: SolveResult,
    budget: TimeBudget,
    solved: Model | None = None,
) -> tuple[ShadowPrice, ...]:
    """The plan's shadow prices: binding rows, then expansion blocks (see optimise.shadow),
    within what is left of the run's `budget` (`solved`: the model `result` came from)."""
    values = shadow_values(inputs, cands, result, budget, solved)
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
            block=b.block_id,
            block_cost_eur_month=b.cost_eur_month,
        )
        for b in values.blocks
    ]
    return tuple(rows + blocks)

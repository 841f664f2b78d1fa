"""The policy caps, one object each, and what the rest of the planner asks them.

The model adds each active cap's rows (in this registry's order); reasons check a finished plan
against them (`CapState`); shadow prices take the unit of a cap row from its cap; the elastic
model of the diagnosis takes its slack scale and violation text from it. A new cap is one
module here and its line in CAPS (and its field in the scenario's `caps` schema).
"""

from __future__ import annotations

from planner.candidates.evaluate import Decision, Var
from planner.inputs.schema import Caps
from planner.optimise.caps.base import (
    Cap,
    CapCode,
    CapContext,
    CapRef,
    CapRow,
    CapViolation,
    ShadowUnit,
)
from planner.optimise.caps.budgets import MaxMoves, MigrationBudget, MonthlyBudget
from planner.optimise.caps.owner_budget import OwnerBudget
from planner.optimise.caps.shares import OutsourcedShare, ProviderShare
from planner.optimise.rows import STRUCTURAL, RowKey, RowKind

CAPS: tuple[Cap, ...] = (
    OutsourcedShare(),
    ProviderShare(),
    MonthlyBudget(),
    MigrationBudget(),
    MaxMoves(),
    OwnerBudget(),
)

__all__ = [
    "CAPS",
    "Cap",
    "CapCode",
    "CapContext",
    "CapRef",
    "CapRow",
    "CapState",
    "CapViolation",
    "ShadowUnit",
    "cap_of",
    "cap_rows",
    "model_kinds",
]


def cap_of(key: RowKey) -> Cap:
    """The cap a cap row belongs to."""
    return next(c for c in CAPS if c.code == key.cap)


def model_kinds(caps: Caps, commitments: bool = False) -> frozenset[str]:
    """The constraint families of the model for a scenario's caps: the structural ones,
    'cap:<code>' for each cap it sets and 'commitment' where it may buy commitments."""
    return frozenset(
        [str(k) for k in STRUCTURAL]
        + ([str(RowKind.COMMITMENT)] if commitments else [])
        + [f"cap:{c.code}" for c in CAPS if c.active(caps)]
    )


def cap_rows(ctx: CapContext) -> list[tuple[Cap, CapRow]]:
    """Every row of the active caps, in the order the model adds them."""
    return [(cap, row) for cap in CAPS if cap.active(ctx.caps) for row in cap.rows(ctx)]


class CapState:
    """A finished plan against the cap rows: which bind, and which a change would break."""

    def __init__(self, ctx: CapContext, decision: Decision) -> None:
        self.ctx = ctx
        self.rows = cap_rows(ctx)
        self.coefficients: list[dict[Var, float]] = []
        self.values: list[float] = []
        for _, row in self.rows:
            coefficients: dict[Var, float] = {}
            for var, coef in row.terms:
                coefficients[var] = coefficients.get(var, 0.0) + coef
            self.coefficients.append(coefficients)
            self.values.append(sum(coef * decision.value(var) for var, coef in row.terms))

    def over(self, slack: float, change: dict[Var, float] | None = None) -> list[CapRef]:
        """The caps whose rows exceed their limit less `slack` (> 0: binding; < 0:
        broken), after adding `change` (decision -> increment) to the plan."""
        out = []
        for (cap, row), coefficients, value in zip(
            self.rows, self.coefficients, self.values, strict=True
        ):
            if change:
                value += sum(coefficients.get(var, 0.0) * d for var, d in change.items())
            if cap.binds(value, row.rhs, slack):
                out.append(cap.ref(row.key, self.ctx))
        return out

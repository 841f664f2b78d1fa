"""What every policy cap is: one object that builds its rows from the evaluator's
coefficients, names itself, checks a finished plan, scales its slack in the elastic model,
describes its violation and defines the unit of its shadow price."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from planner.candidates.evaluate import Evaluation, Evaluator, Var
from planner.candidates.units import Candidates
from planner.inputs.frozen import Inputs
from planner.inputs.schema import Caps
from planner.optimise.rows import RowKey


def eur(value: float) -> str:
    return f"€{value:,.2f}"


@dataclass(frozen=True)
class CapContext:
    """What a cap's rows are built from."""

    inputs: Inputs
    cands: Candidates
    evaluator: Evaluator
    share_reference_eur: float | None  # the share caps' denominator (None: not yet known)

    @property
    def caps(self) -> Caps:
        return self.inputs.scenario.caps


@dataclass(frozen=True)
class CapRow:
    """One row a cap adds: sum of coef * decision <= rhs, named `name` in the model."""

    key: RowKey
    name: str
    terms: list[tuple[Var, float]]
    rhs: float


@dataclass(frozen=True)
class CapViolation:
    """A policy cap too tight for any placement within capacity."""

    cap: str
    limit: float
    needed: float
    unit: str
    text: str


@dataclass(frozen=True)
class ShadowUnit:
    """What 'one more unit' of a cap row is: its size in the row's own terms, its name and
    the phrase of the sentence ('the monthly budget by €1')."""

    step: float
    unit: str
    raising: str


class Cap(ABC):
    """One policy cap of the scenario's `caps` section."""

    code: str  # 'monthly_budget', also the row keys' `cap`

    @abstractmethod
    def active(self, caps: Caps) -> bool:
        """Whether the scenario sets this cap."""

    @abstractmethod
    def rows(self, ctx: CapContext) -> list[CapRow]:
        """The cap's rows, built from the evaluator's coefficients."""

    @abstractmethod
    def label(self, key: RowKey, ctx: CapContext) -> str:
        """The cap as a reason names it: 'monthly budget €5,000.00'."""

    def binds(self, value: float, rhs: float, slack: float) -> bool:
        """The row's value exceeds its limit less `slack` (> 0: binding; < 0: broken)."""
        return value > rhs - slack

    @abstractmethod
    def limit(self, ctx: CapContext) -> float | None:
        """The cap's own figure (EUR, %, moves), or None where its rows have several."""

    def slack_scale(self, key: RowKey, ctx: CapContext, spend_eur_month: float) -> float:
        """Weight of a unit of this row's slack in the elastic model: relative to its limit
        (to `spend_eur_month`, an estimate of the plan's spend, for a share)."""
        limit = self.limit(ctx)
        return 1.0 / max(1.0, limit if limit is not None else spend_eur_month)

    @abstractmethod
    def violation(
        self, key: RowKey, excess: float, ctx: CapContext, evaluation: Evaluation
    ) -> CapViolation:
        """What the elastic model's `excess` on this row says: how far the cap is too tight."""

    @abstractmethod
    def shadow_unit(self, key: RowKey, ctx: CapContext) -> ShadowUnit:
        """The unit a shadow price of this row is given in."""

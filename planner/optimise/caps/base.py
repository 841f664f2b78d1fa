"""What every policy cap is: one object that builds its rows from the evaluator's
coefficients, refers to itself (`CapRef`), checks a finished plan, scales its slack in the
elastic model, measures its violation and defines the unit of its shadow price. Caps give codes
and numbers; planner/render/wording.py makes the sentences."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from planner.candidates.evaluate import Evaluation, Evaluator, Var
from planner.candidates.units import Candidates
from planner.inputs.frozen import Inputs
from planner.inputs.schema import Caps
from planner.optimise.rows import RowKey

CapCode = Literal[
    "outsourced_share",
    "provider_share",
    "monthly_budget",
    "migration_budget",
    "max_moves",
    "owner_budget",
]


class CapRef(BaseModel):
    """One cap row as reasons and shadow prices refer to it: the cap, what it is of (a
    provider, an owner; None for a cap with one row), its limit in the cap's own unit (EUR,
    %, moves) and, for a share, the spend the percentage is of."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cap: CapCode
    subject: str | None = None
    limit: float
    reference_eur_month: float | None = None


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
    """A policy cap too tight for any placement within capacity: `needed` is the least the
    cap would have to allow (in `unit`); for a share, `spent_eur_month` is the spend that
    goes out at least and `share_pct` its share of the reference."""

    cap: str  # the row's name in the model, e.g. 'cap:provider_share:aws'
    ref: CapRef
    limit: float
    needed: float
    unit: str
    spent_eur_month: float | None = None
    share_pct: float | None = None


@dataclass(frozen=True)
class ShadowUnit:
    """What 'one more unit' of a cap row is: its size in the row's own terms and its name."""

    step: float
    unit: str  # 'EUR', 'percentage point', 'move'


class Cap(ABC):
    """One policy cap of the scenario's `caps` section."""

    code: CapCode  # also the row keys' `cap`

    @abstractmethod
    def active(self, caps: Caps) -> bool:
        """Whether the scenario sets this cap."""

    @abstractmethod
    def rows(self, ctx: CapContext) -> list[CapRow]:
        """The cap's rows, built from the evaluator's coefficients."""

    @abstractmethod
    def ref(self, key: RowKey, ctx: CapContext) -> CapRef:
        """The cap row as a plan refers to it."""

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

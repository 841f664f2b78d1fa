"""The caps on money and moves.

monthly budget:    total spend <= B
migration budget:  sum move_cost[u,p]*x[u,p] <= M (one-off)
maximum moves:     sum moves[u,p]*x[u,p] <= K
"""

from __future__ import annotations

from planner.candidates.evaluate import Evaluation
from planner.inputs.schema import Caps
from planner.optimise.caps.base import Cap, CapContext, CapRef, CapRow, CapViolation, ShadowUnit
from planner.optimise.rows import RowKey, cap_key


class MonthlyBudget(Cap):
    code = "monthly_budget"

    def active(self, caps: Caps) -> bool:
        return caps.monthly_budget_eur is not None

    def limit(self, ctx: CapContext) -> float | None:
        return ctx.caps.monthly_budget_eur

    def rows(self, ctx: CapContext) -> list[CapRow]:
        budget = ctx.caps.monthly_budget_eur
        if budget is None:
            return []
        total = [t for terms in ctx.evaluator.spend_coefficients().values() for t in terms]
        return [CapRow(cap_key(self.code), "cap_budget", total, budget)]

    def ref(self, key: RowKey, ctx: CapContext) -> CapRef:
        return CapRef(cap=self.code, limit=ctx.caps.monthly_budget_eur or 0.0)

    def violation(
        self, key: RowKey, excess: float, ctx: CapContext, evaluation: Evaluation
    ) -> CapViolation:
        limit = ctx.caps.monthly_budget_eur or 0.0
        ref = self.ref(key, ctx)
        return CapViolation(key.name, ref, limit, round(limit + excess, 6), "EUR/month")

    def shadow_unit(self, key: RowKey, ctx: CapContext) -> ShadowUnit:
        return ShadowUnit(1.0, "EUR")


class MigrationBudget(Cap):
    code = "migration_budget"

    def active(self, caps: Caps) -> bool:
        return caps.migration_budget_eur is not None

    def limit(self, ctx: CapContext) -> float | None:
        return ctx.caps.migration_budget_eur

    def rows(self, ctx: CapContext) -> list[CapRow]:
        budget = ctx.caps.migration_budget_eur
        if budget is None:
            return []
        terms = [
            (v, o.move_cost_eur)
            for v, o in ctx.evaluator.move_coefficients()
            if o.move_cost_eur > 0
        ]
        return [CapRow(cap_key(self.code), "cap_migration", terms, budget)]

    def ref(self, key: RowKey, ctx: CapContext) -> CapRef:
        return CapRef(cap=self.code, limit=ctx.caps.migration_budget_eur or 0.0)

    def violation(
        self, key: RowKey, excess: float, ctx: CapContext, evaluation: Evaluation
    ) -> CapViolation:
        limit = ctx.caps.migration_budget_eur or 0.0
        ref = self.ref(key, ctx)
        return CapViolation(key.name, ref, limit, round(limit + excess, 6), "EUR")

    def shadow_unit(self, key: RowKey, ctx: CapContext) -> ShadowUnit:
        return ShadowUnit(1.0, "EUR")


class MaxMoves(Cap):
    code = "max_moves"

    def active(self, caps: Caps) -> bool:
        return caps.max_moves is not None

    def limit(self, ctx: CapContext) -> float | None:
        moves = ctx.caps.max_moves
        return None if moves is None else float(moves)

    def rows(self, ctx: CapContext) -> list[CapRow]:
        moves = ctx.caps.max_moves
        if moves is None:
            return []
        terms = [(v, float(o.moves)) for v, o in ctx.evaluator.move_coefficients() if o.moves > 0]
        return [CapRow(cap_key(self.code), "cap_moves", terms, float(moves))]

    def binds(self, value: float, rhs: float, slack: float) -> bool:
        return value > rhs - min(slack, 0.5)  # moves are whole: a euro slack is too wide

    def ref(self, key: RowKey, ctx: CapContext) -> CapRef:
        return CapRef(cap=self.code, limit=float(ctx.caps.max_moves or 0))

    def violation(
        self, key: RowKey, excess: float, ctx: CapContext, evaluation: Evaluation
    ) -> CapViolation:
        limit = float(ctx.caps.max_moves or 0)
        ref = self.ref(key, ctx)
        return CapViolation(key.name, ref, limit, round(limit + excess, 6), "moves")

    def shadow_unit(self, key: RowKey, ctx: CapContext) -> ShadowUnit:
        return ShadowUnit(1.0, "move")

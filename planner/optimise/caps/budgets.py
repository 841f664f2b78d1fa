"""The caps on money and moves.

monthly budget:    total spend <= B
migration budget:  sum move_cost[u,p]*x[u,p] <= M (one-off)
maximum moves:     sum moves[u,p]*x[u,p] <= K
"""

from __future__ import annotations

from planner.candidates.evaluate import Evaluation
from planner.inputs.schema import Caps
from planner.optimise.caps.base import Cap, CapContext, CapRow, CapViolation, ShadowUnit, eur
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

    def label(self, key: RowKey, ctx: CapContext) -> str:
        return f"monthly budget {eur(ctx.caps.monthly_budget_eur or 0.0)}"

    def violation(
        self, key: RowKey, excess: float, ctx: CapContext, evaluation: Evaluation
    ) -> CapViolation:
        limit = ctx.caps.monthly_budget_eur or 0.0
        text = (
            f"the monthly budget of €{limit:,.2f} is too small by €{excess:,.2f}: "
            f"the cheapest placement within capacity costs €{limit + excess:,.2f}"
        )
        return CapViolation(key.name, limit, round(limit + excess, 6), "EUR/month", text)

    def shadow_unit(self, key: RowKey, ctx: CapContext) -> ShadowUnit:
        return ShadowUnit(1.0, "EUR", "the monthly budget by €1")


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

    def label(self, key: RowKey, ctx: CapContext) -> str:
        return f"migration budget {eur(ctx.caps.migration_budget_eur or 0.0)}"

    def violation(
        self, key: RowKey, excess: float, ctx: CapContext, evaluation: Evaluation
    ) -> CapViolation:
        limit = ctx.caps.migration_budget_eur or 0.0
        text = f"the one-off migration budget of €{limit:,.2f} is too small by €{excess:,.2f}"
        return CapViolation(key.name, limit, round(limit + excess, 6), "EUR", text)

    def shadow_unit(self, key: RowKey, ctx: CapContext) -> ShadowUnit:
        return ShadowUnit(1.0, "EUR", "the one-off migration budget by €1")


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

    def label(self, key: RowKey, ctx: CapContext) -> str:
        return f"at most {ctx.caps.max_moves} moves"

    def violation(
        self, key: RowKey, excess: float, ctx: CapContext, evaluation: Evaluation
    ) -> CapViolation:
        limit = float(ctx.caps.max_moves or 0)
        text = f"at least {limit + excess:.0f} moves are needed; the cap allows {limit:.0f}"
        return CapViolation(key.name, limit, round(limit + excess, 6), "moves", text)

    def shadow_unit(self, key: RowKey, ctx: CapContext) -> ShadowUnit:
        return ShadowUnit(1.0, "move", "the maximum number of moves by 1")

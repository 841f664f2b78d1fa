"""Monthly budget per owner (a ministry, an agency): `caps.owner_budgets_eur`.

owner budget:  sum_{u,p} spend[u,p,o]*x[u,p] <= B_o, for every owner o with a budget

spend[u,p,o] is the monthly run cost on p of unit u's members whose `owner` is o (contracts and
expansion blocks serve every owner and count for none). With owner budgets set, classes of
identical workloads are formed per owner, so one unit of x[u,p] is one member of one owner.
"""

from __future__ import annotations

from planner.candidates.evaluate import Evaluation, Var
from planner.inputs.schema import Caps
from planner.optimise.caps.base import Cap, CapContext, CapRef, CapRow, CapViolation, ShadowUnit
from planner.optimise.rows import RowKey, cap_key


class OwnerBudget(Cap):
    code = "owner_budget"

    def active(self, caps: Caps) -> bool:
        return bool(caps.owner_budgets_eur)

    def limit(self, ctx: CapContext) -> float | None:
        return None  # one per owner: see slack_scale

    def _budget(self, key: RowKey, ctx: CapContext) -> float:
        assert key.subject is not None
        return ctx.caps.owner_budgets_eur[key.subject]

    def rows(self, ctx: CapContext) -> list[CapRow]:
        owners = {wid: w.owner for wid, w in ctx.cands.workloads.items()}
        terms: dict[str, list[tuple[Var, float]]] = {o: [] for o in ctx.caps.owner_budgets_eur}
        for unit, option in ctx.evaluator.options():
            spend: dict[str, float] = {}
            for wid, cost in ctx.evaluator.workload_spend(unit, option):
                owner = owners[wid]
                if owner in terms:
                    spend[owner] = spend.get(owner, 0.0) + cost
            for owner, cost in spend.items():
                terms[owner].append((Var("x", unit.id, option.place_id), cost))
        return [
            CapRow(cap_key(self.code, owner), f"cap_owner_{i}", terms[owner], budget)
            for i, (owner, budget) in enumerate(sorted(ctx.caps.owner_budgets_eur.items()))
        ]

    def ref(self, key: RowKey, ctx: CapContext) -> CapRef:
        return CapRef(cap=self.code, subject=key.subject, limit=self._budget(key, ctx))

    def slack_scale(self, key: RowKey, ctx: CapContext, spend_eur_month: float) -> float:
        return 1.0 / max(1.0, self._budget(key, ctx))

    def violation(
        self, key: RowKey, excess: float, ctx: CapContext, evaluation: Evaluation
    ) -> CapViolation:
        limit = self._budget(key, ctx)
        ref = self.ref(key, ctx)
        return CapViolation(key.name, ref, limit, round(limit + excess, 6), "EUR/month")

    def shadow_unit(self, key: RowKey, ctx: CapContext) -> ShadowUnit:
        return ShadowUnit(1.0, "EUR")

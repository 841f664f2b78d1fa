"""The share caps: outsourced share of spend, and each provider's share.

outsourced share:  sum_ext spend <= alpha * S
provider share:    spend with provider q <= beta * S, for every q

S, the shares' denominator, is the monthly spend of the plan made without the share caps (the
pipeline's first solve). It is a fixed figure, not the plan's own total: a share of its own
total could be met by spending more elsewhere (keeping unrelated workloads on dearer places to
dilute it). Until S is known the share caps have no rows. A percentage point is a hundredth of
S: shadow prices are given per point.
"""

from __future__ import annotations

from planner.candidates.evaluate import INTERNAL, Evaluation
from planner.inputs.schema import Caps
from planner.optimise.caps.base import Cap, CapContext, CapRef, CapRow, CapViolation, ShadowUnit
from planner.optimise.rows import RowKey, cap_key


class _Share(Cap):
    def binds(self, value: float, rhs: float, slack: float) -> bool:
        return value > 0 and value > rhs - slack

    def _pct(self, caps: Caps) -> float:
        raise NotImplementedError

    def limit(self, ctx: CapContext) -> float | None:
        return None  # a share's slack is weighed against the plan's spend

    def _share(self, spent: float, ctx: CapContext) -> float:
        reference = ctx.share_reference_eur or 0.0
        return 100.0 * spent / reference if reference else 0.0

    def shadow_unit(self, key: RowKey, ctx: CapContext) -> ShadowUnit:
        return ShadowUnit((ctx.share_reference_eur or 0.0) / 100.0, "percentage point")

    def ref(self, key: RowKey, ctx: CapContext) -> CapRef:
        return CapRef(
            cap=self.code,
            subject=key.subject,
            limit=self._pct(ctx.caps),
            reference_eur_month=ctx.share_reference_eur or 0.0,
        )

    def _violation(self, key: RowKey, spent: float, ctx: CapContext) -> CapViolation:
        limit = self._pct(ctx.caps)
        share = self._share(spent, ctx)
        ref = self.ref(key, ctx)
        return CapViolation(key.name, ref, limit, round(share, 6), "%", spent, share)


class OutsourcedShare(_Share):
    code = "outsourced_share"

    def active(self, caps: Caps) -> bool:
        return caps.max_outsourced_share_pct is not None

    def _pct(self, caps: Caps) -> float:
        assert caps.max_outsourced_share_pct is not None
        return caps.max_outsourced_share_pct

    def rows(self, ctx: CapContext) -> list[CapRow]:
        if not self.active(ctx.caps) or ctx.share_reference_eur is None:
            return []
        buckets = ctx.evaluator.spend_coefficients()
        external = [t for name, terms in buckets.items() if name != INTERNAL for t in terms]
        limit = self._pct(ctx.caps) / 100.0 * ctx.share_reference_eur
        return [CapRow(cap_key(self.code), "cap_outsourced", external, limit)]

    def violation(
        self, key: RowKey, excess: float, ctx: CapContext, evaluation: Evaluation
    ) -> CapViolation:
        spent = evaluation.total_eur_month - evaluation.spend.get(INTERNAL, 0.0)
        return self._violation(key, spent, ctx)


class ProviderShare(_Share):
    code = "provider_share"

    def active(self, caps: Caps) -> bool:
        return caps.max_provider_share_pct is not None

    def _pct(self, caps: Caps) -> float:
        assert caps.max_provider_share_pct is not None
        return caps.max_provider_share_pct

    def rows(self, ctx: CapContext) -> list[CapRow]:
        if not self.active(ctx.caps) or ctx.share_reference_eur is None:
            return []
        limit = self._pct(ctx.caps) / 100.0 * ctx.share_reference_eur
        out = []
        for name, own in sorted(ctx.evaluator.spend_coefficients().items()):
            if name == INTERNAL:
                continue
            provider = name.split(":", 1)[1]
            out.append(CapRow(cap_key(self.code, provider), f"cap_provider_{provider}", own, limit))
        return out

    def violation(
        self, key: RowKey, excess: float, ctx: CapContext, evaluation: Evaluation
    ) -> CapViolation:
        spent = evaluation.spend.get(f"provider:{key.subject}", 0.0)
        return self._violation(key, spent, ctx)

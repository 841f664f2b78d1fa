"""Merge gates on a plan diff: each fires when its value is strictly above its threshold.

A cost gate compares the rise the solver has proven, not only the rise it shows. The old
plan's optimum is at most its cost (a better old plan only makes the rise larger), while the
new plan's optimum may be up to its gap below its cost. So the proven rise is

    new monthly cost x (1 - new gap % / 100) - old monthly cost

(with no gap known for an unproven new plan, no rise is proven). A rise above the threshold
whose proven part is not is reported as *not proven* and does not fail; `--require-proven`
fails whenever either side is not proven optimal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from planner.analysis.diff import PlanDiff
from planner.plan.document import SolverRecord

_EPS = 1e-9

Verdict = Literal["failed", "not proven"]


@dataclass(frozen=True)
class Gates:
    """Thresholds; None leaves a gate off."""

    cost_increase_pct: float | None = None
    cost_increase_eur: float | None = None
    outsourced_share_pct: float | None = None
    on_warning: bool = False
    require_proven: bool = False


@dataclass(frozen=True)
class Proof:
    """What a side's solver proved: optimality, and the relative gap it left (None: unknown)."""

    proven_optimal: bool
    gap_pct: float | None
    status: str

    @classmethod
    def of(cls, solver: SolverRecord) -> Proof:
        return cls(solver.proven_optimal, solver.gap_pct, solver.status)

    def slack(self, cost_eur: float) -> float | None:
        """How far below `cost_eur` this side's optimum may be; None when unbounded."""
        if self.gap_pct is None:
            return 0.0 if self.proven_optimal else None
        return cost_eur * self.gap_pct / 100.0


PROVEN = Proof(True, 0.0, "optimal")


@dataclass(frozen=True)
class Fired:
    """A gate crossed: the option that set it, what crossed it, and whether that is proven
    (`failed`, the job fails) or within the new plan's solver gap (`not proven`)."""

    option: str
    reason: str
    verdict: Verdict = "failed"

    @property
    def failed(self) -> bool:
        return self.verdict == "failed"

    def format(self) -> str:
        return f"{self.option}: {self.reason}"


def _gap_words(new: Proof, proven_rise: float | None, base: float) -> str:
    gap = "unknown" if new.gap_pct is None else f"{new.gap_pct:.2f} %"
    if proven_rise is None:
        return f"the new plan is not proven optimal ({new.status}, gap {gap}): no rise is proven"
    shown = f"€{proven_rise:,.2f}" + (f", {100.0 * proven_rise / base:.2f} %" if base else "")
    return f"within the new plan's solver gap of {gap}, the proven rise is {shown}"


def _cost_gates(diff: PlanDiff, gates: Gates, new: Proof) -> list[Fired]:
    before, after = diff.monthly.before, diff.monthly.after
    increase = after - before
    if not (diff.monthly_changed and increase > 0):
        return []
    slack = new.slack(after)
    proven = None if slack is None else increase - slack
    out: list[Fired] = []
    if gates.cost_increase_pct is not None:
        limit = gates.cost_increase_pct
        pct = diff.monthly.pct

        def over(rise: float | None) -> bool:
            if rise is None:
                return False
            if before == 0:
                return rise > _EPS  # from nothing: any increase
            return round(100.0 * rise / before, 2) > limit + _EPS

        if over(increase):
            shown = "from nothing" if pct is None else f"by {pct:.2f} %"
            reason = f"the monthly cost rises {shown} (+€{increase:,.2f}), more than {limit:g} %"
            out.append(
                _verdict(
                    f"--fail-on-cost-increase-pct {limit:g}",
                    reason,
                    over(proven),
                    new,
                    proven,
                    before,
                )
            )
    if gates.cost_increase_eur is not None and increase > gates.cost_increase_eur + _EPS:
        limit = gates.cost_increase_eur
        reason = f"the monthly cost rises by €{increase:,.2f}, more than €{limit:,.2f}"
        sure = proven is not None and proven > limit + _EPS
        out.append(
            _verdict(f"--fail-on-cost-increase-eur {limit:g}", reason, sure, new, proven, before)
        )
    return out


def _verdict(
    option: str, reason: str, sure: bool, new: Proof, proven: float | None, base: float
) -> Fired:
    if sure:
        return Fired(option, reason)
    return Fired(
        option,
        f"{reason}; not proven: {_gap_words(new, proven, base)} (give the "
        "solver more time or a smaller gap, or use --require-proven)",
        "not proven",
    )


def _unproven_sides(old: Proof, new: Proof) -> list[Fired]:
    out = []
    for side, proof in (("old", old), ("new", new)):
        if not proof.proven_optimal:
            gap = "unknown" if proof.gap_pct is None else f"{proof.gap_pct:.2f} %"
            out.append(
                Fired(
                    "--require-proven",
                    f"the {side} plan is not proven optimal ({proof.status}, gap {gap})",
                )
            )
    return out


def evaluate(diff: PlanDiff, gates: Gates, warnings: int, old: Proof, new: Proof) -> list[Fired]:
    """Gates crossed on this diff (see the module's doc for cost gates and solver gaps); an
    increase within the tolerance crosses none.

    Percentages are compared as shown, rounded to 0.01; `warnings` counts the new side's.
    """
    new_share = diff.outsourced_share_pct.after
    fired: list[Fired] = _unproven_sides(old, new) if gates.require_proven else []
    fired += _cost_gates(diff, gates, new)
    share = gates.outsourced_share_pct
    if share is not None and new_share > share + _EPS:
        fired.append(
            Fired(
                f"--fail-on-outsourced-share {share:g}",
                f"{new_share:.2f} % of the monthly spend would be "
                f"outsourced, more than {share:g} %",
            )
        )
    if gates.on_warning and warnings > 0:
        fired.append(
            Fired(
                "--fail-on-warning",
                f"the new inputs raise {warnings:,} warning{'s' if warnings != 1 else ''}",
            )
        )
    return fired

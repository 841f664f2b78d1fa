"""Merge gates on a plan diff: each fires when its value is strictly above its threshold."""

from __future__ import annotations

from dataclasses import dataclass

from planner.diff import PlanDiff

_EPS = 1e-9


@dataclass(frozen=True)
class Gates:
    """Thresholds; None leaves a gate off."""

    cost_increase_pct: float | None = None
    cost_increase_eur: float | None = None
    outsourced_share_pct: float | None = None
    on_warning: bool = False


@dataclass(frozen=True)
class Fired:
    """A gate that fired: the option that set it and what crossed it."""

    option: str
    reason: str

    def format(self) -> str:
        return f"{self.option}: {self.reason}"


def evaluate(diff: PlanDiff, gates: Gates, warnings: int = 0) -> list[Fired]:
    """Gates that fire on this diff; an increase within the tolerance never fires one.

    Percentages are compared as shown, rounded to 0.01; `warnings` counts the new side's.
    """
    new_share = diff.outsourced_share_pct.after
    fired: list[Fired] = []
    increase = diff.monthly.after - diff.monthly.before
    rose = diff.monthly_changed and increase > 0
    if gates.cost_increase_pct is not None and rose:
        pct = diff.monthly.pct
        if pct is None or pct > gates.cost_increase_pct + _EPS:
            shown = "from nothing" if pct is None else f"by {pct:.2f} %"
            fired.append(Fired(f"--fail-on-cost-increase-pct {gates.cost_increase_pct:g}",
                               f"the monthly cost rises {shown} (+€{increase:,.2f}), more "
                               f"than {gates.cost_increase_pct:g} %"))
    if gates.cost_increase_eur is not None and rose and (
            increase > gates.cost_increase_eur + _EPS):
        fired.append(Fired(f"--fail-on-cost-increase-eur {gates.cost_increase_eur:g}",
                           f"the monthly cost rises by €{increase:,.2f}, more than "
                           f"€{gates.cost_increase_eur:,.2f}"))
    share = gates.outsourced_share_pct
    if share is not None and new_share > share + _EPS:
        fired.append(Fired(f"--fail-on-outsourced-share {share:g}",
                           f"{new_share:.2f} % of the monthly spend would be "
                           f"outsourced, more than {share:g} %"))
    if gates.on_warning and warnings > 0:
        fired.append(Fired("--fail-on-warning", f"the new inputs raise {warnings} "
                                                f"warning{'s' if warnings != 1 else ''}"))
    return fired

"""The roadmap gap analysis on the compact roadmap: each figure bounds the next."""

from __future__ import annotations

from pathlib import Path

from benchmarks.roadmap_gap import analyse

SCENARIO = Path(__file__).parent.parent / "fixtures" / "roadmap" / "scenario.yaml"


def test_relaxations_bound_the_plans() -> None:
    gap = analyse(str(SCENARIO), 30.0)
    slack = 1e-6 * abs(gap.first_eur)
    # fixing blocks only raises the LP; the MIP's bound is at least its LP, its plan at
    # least its bound and no worse than the first roadmap it started from
    assert gap.lp_eur <= gap.lp_blocks_fixed_eur + slack
    assert gap.lp_blocks_fixed_eur <= gap.mip_bound_eur + slack
    assert gap.mip_bound_eur <= gap.mip_plan_eur + slack
    assert gap.mip_plan_eur <= gap.first_eur + slack
    # the compact roadmap is solved to proven optimality in its limit
    assert gap.mip_status == "Optimal"
    assert gap.mip_gap_pct <= 0.01

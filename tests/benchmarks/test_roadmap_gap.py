"""The roadmap gap analysis on the compact roadmap: each figure bounds the next."""

from __future__ import annotations

from pathlib import Path

from benchmarks.roadmap_gap import analyse

SCENARIO = Path(__file__).parent.parent / "fixtures" / "roadmap" / "scenario.yaml"


def test_relaxations_bound_the_plans() -> None:
    gap = analyse(str(SCENARIO), 30.0, 30.0)
    slack = 1e-6 * abs(gap.first_eur)
    fixed = gap.blocks_fixed
    # fixing blocks only raises the LP; the MIP's bound is at least its LP, its plan at
    # least its bound and no worse than the first roadmap it started from
    assert gap.lp_eur <= gap.lp_blocks_fixed_eur + slack
    assert gap.lp_blocks_fixed_eur <= fixed.bound_eur + slack
    assert fixed.bound_eur <= fixed.plan_eur + slack
    assert fixed.plan_eur <= gap.first_eur + slack
    # the compact roadmap is solved to proven optimality in its limit
    assert fixed.status == "Optimal"
    assert fixed.gap_pct <= 0.01
    # the whole MIP, with and without HiGHS's presolve: its bound is at least the LP's and
    # at most any plan (the blocks-fixed one among them); both prove the same optimum
    assert set(gap.whole) == {"off", "default"}
    for whole in gap.whole.values():
        assert gap.lp_eur - slack <= whole.bound_eur <= whole.plan_eur + slack
        assert whole.bound_eur <= fixed.plan_eur + slack
        assert whole.plan_eur <= gap.first_eur + slack
        assert whole.status == "Optimal"
    plans = [whole.plan_eur for whole in gap.whole.values()]
    assert max(plans) - min(plans) <= 1e-4 * abs(gap.first_eur)

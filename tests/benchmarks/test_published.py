"""The small public instances, planned end to end, reach their published optima, proven."""

from __future__ import annotations

import pytest

from benchmarks.instances import SHARED, Instance, all_instances, read_gap, read_sscflp
from benchmarks.published import solve_instance

if not (SHARED / "gap" / "optima.csv").is_file():
    pytest.skip(
        f"public benchmark instances not found at {SHARED} (the repository's "
        "../shared/benchmarks); set PLANNER_SHARED_BENCHMARKS to their folder",
        allow_module_level=True,
    )

SMALL_SERIES = ("gap1", "gap2", "gap3", "gap4")
SMALL = [
    i
    for i in all_instances()
    if i.name.split("-")[0] in SMALL_SERIES or i.name in ("p1", "p2", "p3", "p4")
]


def test_the_small_set_is_complete() -> None:
    assert len([i for i in SMALL if i.family == "gap"]) == 20
    assert [i.name for i in SMALL if i.family == "sscflp"] == ["p1", "p2", "p3", "p4"]


def test_readers_agree_with_the_file_shapes() -> None:
    gap = read_gap(SHARED / "gap" / "cattrysse1994" / "gap1-0")
    assert (len(gap.capacity), len(gap.cost), len(gap.cost[0]), len(gap.use[4])) == (5, 5, 15, 15)
    facility = read_sscflp(SHARED / "sscflp" / "p1")
    assert (len(facility.capacity), len(facility.demand), len(facility.cost)) == (16, 50, 16)
    assert facility.fixed_cost.count(0.0) == 1  # one facility of p1 opens for free


@pytest.mark.parametrize("instance", SMALL, ids=lambda i: i.name)
def test_published_optimum_is_proven(instance: Instance) -> None:
    assert instance.optimum is not None
    outcome = solve_instance(instance, time_limit_s=60.0)
    assert outcome.status == "optimal"
    assert outcome.objective == pytest.approx(instance.optimum, abs=0.01)
    # the plan rounds each of its at most 66 lines (placements, opened sites) to the cent
    assert outcome.plan_cost_eur_month == pytest.approx(instance.optimum, abs=66 * 0.005)

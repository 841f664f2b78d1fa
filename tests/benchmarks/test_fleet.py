"""The fleet generator follows its published statistics; the baselines solve the same problem."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from benchmarks.fleet import VCPU_MIX, generate, write_fleet
from benchmarks.greedy import greedy_plan
from benchmarks.naive import naive_solve
from planner.candidates.units import build_candidates
from planner.pipeline import run_plan


def test_the_generator_is_deterministic() -> None:
    assert generate(500, 12, seed=3) == generate(500, 12, seed=3)
    assert generate(500, 12, seed=3).workloads != generate(500, 12, seed=4).workloads


def test_sizes_follow_the_published_vm_mix() -> None:
    fleet = generate(20000, 30, seed=1)
    solo = [w for w in fleet.workloads if not w["anti_affinity_group"]]
    counts = Counter(
        next(i for i, (_, sizes) in enumerate(VCPU_MIX) if w["vcpu"] in sizes) for w in solo
    )
    for i, (share, _) in enumerate(VCPU_MIX):
        assert counts[i] / len(solo) == pytest.approx(share, abs=0.015)
    assert {w["ram_gib"] / w["vcpu"] for w in fleet.workloads} == {2, 4, 8}


def test_places_groups_and_nearly_full_sites() -> None:
    fleet = generate(3000, 40, seed=2)
    assert len(fleet.sites) + fleet.summary["offers"] == 40
    groups: dict[str, set[tuple[str, bool]]] = {}
    for w in fleet.workloads:
        for key in ("affinity_group", "anti_affinity_group"):
            if w[key]:
                groups.setdefault(w[key], set()).add((w["data_class"], w["needs_24_7"]))
    assert groups and all(len(kinds) == 1 for kinds in groups.values())
    for site in fleet.sites:
        used = sum(w["ram_gib"] for w in fleet.workloads if w["current_site"] == site["id"])
        usable = site["capacity"]["ram_gib"] * (1 - site["headroom_pct"] / 100)
        assert 0.9 < used / usable <= 1.0


@pytest.fixture(scope="module")
def small_fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fleet(
        generate(70, 9, seed=5), tmp_path_factory.mktemp("fleet"), time_limit_s=60.0, gap_rel=0.0
    )


def test_naive_model_and_planner_agree_on_the_optimum(small_fleet: Path) -> None:
    run = run_plan(str(small_fleet))
    assert run.result.status.value == "optimal"
    plain = build_candidates(run.inputs, aggregate=False)
    naive = naive_solve(run.inputs, plain, time_limit_s=60.0, gap_rel=0.0)
    assert naive.status == "optimal"
    assert naive.objective_eur == pytest.approx(run.result.objective, rel=1e-7)


def test_greedy_is_never_better_than_the_optimum(small_fleet: Path) -> None:
    run = run_plan(str(small_fleet))
    greedy = greedy_plan(run.inputs, build_candidates(run.inputs, aggregate=False))
    assert greedy.unplaced == 0
    assert greedy.placed == len(run.inputs.workloads)
    assert run.result.objective is not None
    assert greedy.objective_eur >= run.result.objective - 1e-6

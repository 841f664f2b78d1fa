"""The bound read from CBC's log (planner/optimise/solve.py `cbc_bound`), on the endings
CBC writes: search completed, stopped on its gap, stopped on its time limit with and
without a solution. Each figure gains the objective's constant, which CBC never sees."""

from __future__ import annotations

import pytest

from planner.optimise.solve import cbc_bound

ROOT = "Cbc0010I After 0 nodes, 1 on tree, 15962.409 best solution, best possible 15207.267\n"


def test_a_completed_search_proves_its_objective_not_its_root_bound() -> None:
    log = (
        ROOT + "Cbc0001I Search completed - best objective 15616.8093, took 3639 iterations\n"
        "\nResult - Optimal solution found\n\nObjective value:                15616.80930000\n"
        "Enumerated nodes:               62\n"
    )
    assert cbc_bound(log, 8875.58) == pytest.approx(15616.8093 + 8875.58)


def test_a_search_stopped_on_its_gap_states_its_lower_bound() -> None:
    log = (
        ROOT + "Cbc0011I Exiting as integer gap of 755.14273 less than 1e-10 or 6%\n"
        "\nResult - Optimal solution found (within gap tolerance)\n\n"
        "Objective value:                15962.40930000\n"
        "Lower bound:                    15207.267\n"
        "Gap:                            0.05\n"
    )
    assert cbc_bound(log, 8875.58) == pytest.approx(15207.267 + 8875.58)


def test_a_search_stopped_on_time_states_its_lower_bound() -> None:
    log = (
        "Cbc0005I Partial search - best objective 16038.142 (best possible 15205.844)\n"
        "\nResult - Stopped on time limit\n\nObjective value:                16038.14233333\n"
        "Lower bound:                    15205.844\nGap:                            0.05\n"
    )
    assert cbc_bound(log, -5.0) == pytest.approx(15200.844)


def test_a_search_stopped_without_a_solution_gives_its_last_best_possible() -> None:
    log = (
        ROOT.replace("15962.409 best solution", "no solution")
        + "Cbc0010I After 100 nodes, 9 on tree, no solution, best possible 1.5e+04\n"
        "\nResult - Stopped on time limit\n\nNo feasible solution found\n"
    )
    assert cbc_bound(log, 10.0) == pytest.approx(15010.0)


def test_a_log_without_any_bound_gives_none() -> None:
    assert cbc_bound("Result - Stopped on time limit\n\nNo feasible solution found\n", 1.0) is None

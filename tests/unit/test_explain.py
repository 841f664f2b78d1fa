"""`explain` on hand-made cases: costs per place, group notes, runner-up thresholds."""

from __future__ import annotations

from pathlib import Path

from planner.explain import explain
from tests.helpers import offer, provider, site, workload, write_scenario

# alpha: 2 x 10 + 8 x 1 = 28 / month; cheap: 2 x 10 + 8 x 0.5 = 24.
CHEAP = provider("p", [offer("cheap", vcpu_price=10, ram_price=0.5)])


def test_costs_and_price_drop_for_the_runner_up(tmp_path: Path) -> None:
    # Kept on alpha (28); cheap costs 24 + 1000 / 36 = 51.78 in the objective: it must drop
    # by 23.78 to win.
    path = write_scenario(tmp_path, sites=[site("alpha")], providers=[CHEAP],
                          workloads=[workload("w", current_site="alpha", move_cost_eur=1000,
                                              egress_gib_month=100)])
    e = explain(path, "w")
    assert e.placed_on == "alpha" and e.reason_code == "kept_move_cost"
    cheap = next(c for c in e.eligible if c.place == "cheap")
    assert (cheap.run_eur_month, cheap.egress_eur_month, cheap.move_eur_month) == (
        24.0, 0.0, 27.78)
    assert cheap.total_eur_month == 51.78
    assert e.runner_up == "cheap"
    assert e.to_win is not None and e.to_win.startswith(
        "cheap would win if its run cost dropped by more than €23.78 / month (from €24.00)")


def test_egress_is_shown_apart(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, sites=[site("alpha", egress_eur_gib=0.02)],
                          workloads=[workload("w", egress_gib_month=100)])
    [alpha] = explain(path, "w").eligible
    assert (alpha.run_eur_month, alpha.egress_eur_month, alpha.total_eur_month) == (
        28.0, 2.0, 30.0)


def test_affinity_group_member(tmp_path: Path) -> None:
    # b excludes cheap, so the group goes to alpha although a alone would go to cheap.
    path = write_scenario(tmp_path, sites=[site("alpha")], providers=[CHEAP],
                          workloads=[workload("a", affinity_group="g"),
                                     workload("b", affinity_group="g", exclude=["cheap"])])
    e = explain(path, "a")
    assert e.unit == "group:g" and e.placed_on == "alpha"
    assert e.reason_code == "affinity_group"
    cheap = next(c for c in e.eligible if c.place == "cheap")
    assert cheap.note == "refused for another member of its affinity group"
    assert e.runner_up is None  # the group has no other place
    refused = explain(path, "b").refused
    assert [(r.place, r.code) for r in refused] == [("cheap", "excluded")]


def test_retired_workload(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, sites=[site("alpha")],
                          workloads=[workload("old", current_site="alpha", retire=True),
                                     workload("w")])
    e = explain(path, "old")
    assert e.placed_on is None and e.reason_code == "retired"

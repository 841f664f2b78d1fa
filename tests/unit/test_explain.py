"""`explain` on hand-made cases: costs per place, group notes, runner-up thresholds."""

from __future__ import annotations

from pathlib import Path

from planner.analysis.explain import explain
from tests.helpers import offer, provider, reason_of, site, to_win_of, workload, write_scenario

# alpha: 2 x 10 + 8 x 1 = 28 / month; cheap: 2 x 10 + 8 x 0.5 = 24.
CHEAP = provider("p", [offer("cheap", vcpu_price=10, ram_price=0.5)])


def test_costs_and_price_drop_for_the_runner_up(tmp_path: Path) -> None:
    # Kept on alpha (28); cheap costs 24 + 1000 / 36 = 51.78 in the objective: it must drop
    # by 23.78 to win.
    path = write_scenario(
        tmp_path,
        sites=[site("alpha")],
        providers=[CHEAP],
        workloads=[workload("w", current_site="alpha", move_cost_eur=1000, egress_gib_month=100)],
    )
    e = explain(path, "w")
    assert e.placed_on == "alpha" and e.reason_code == "kept_move_cost"
    cheap = next(c for c in e.eligible if c.place == "cheap")
    assert (cheap.run_eur_month, cheap.egress_eur_month, cheap.move_eur_month) == (24.0, 0.0, 27.78)
    assert cheap.total_eur_month == 51.78
    assert e.runner_up == "cheap"
    assert to_win_of(e).startswith(
        "cheap would win if its run cost dropped by more than €23.78 / month (from €24.00)"
    )


def test_egress_is_shown_apart(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", egress_eur_gib=0.02)],
        workloads=[workload("w", egress_gib_month=100)],
    )
    [alpha] = explain(path, "w").eligible
    assert (alpha.run_eur_month, alpha.egress_eur_month, alpha.total_eur_month) == (28.0, 2.0, 30.0)


def test_affinity_group_member(tmp_path: Path) -> None:
    # b excludes cheap, so the group goes to alpha although a alone would go to cheap.
    path = write_scenario(
        tmp_path,
        sites=[site("alpha")],
        providers=[CHEAP],
        workloads=[
            workload("a", affinity_group="g"),
            workload("b", affinity_group="g", exclude=["cheap"]),
        ],
    )
    e = explain(path, "a")
    assert e.unit == "group:g" and e.placed_on == "alpha"
    assert e.reason_code == "affinity_group"
    cheap = next(c for c in e.eligible if c.place == "cheap")
    assert cheap.note == "refused for another member of its affinity group"
    assert e.runner_up is None  # the group has no other place
    refused = explain(path, "b").refused
    assert [(r.place, r.code) for r in refused] == [("cheap", "excluded")]


def test_retired_workload(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        sites=[site("alpha")],
        workloads=[workload("old", current_site="alpha", retire=True), workload("w")],
    )
    e = explain(path, "old")
    assert e.placed_on is None and e.reason_code == "retired"


# ext: 2 x 10 + 8 x 0.5 = 24 a month, 24 / 0.85 = 28.24 in the objective with the 15 %
# in-house preference; alpha: 2 x 10 + 8 x 1 = 28, dearer in money, cheaper in the objective.
EXT = provider("p", [offer("ext", vcpu_price=10, ram_price=0.5)])
PREFERENCE = {"internal_preference_pct": 15}


def test_sentences_compare_real_costs_and_name_the_preference(tmp_path: Path) -> None:
    # alpha holds one workload of 2 vCPU / 8 GiB: 'stay' keeps it (moving it would cost)
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=2, ram_gib=8)],
        providers=[EXT],
        workloads=[workload("stay", current_site="alpha", move_cost_eur=900), workload("w")],
        objective=PREFERENCE,
    )
    e = explain(path, "w")
    assert e.placed_on == "ext" and e.reason_code == "capacity_full"
    assert reason_of(e) == (
        "outsourced to ext because eligible internal sites are full: alpha (dearer by €4.00 / "
        "month, within the 15 % in-house preference) lacks vcpu (needs 2, 0 free), ram_gib "
        "(needs 8, 0 free)"
    )
    assert e.runner_up == "alpha"
    assert to_win_of(e) == (
        "alpha (dearer by €4.00 / month, within the 15 % in-house preference) would win with "
        "2 more vcpu free (0 free, needs 2), 8 more ram_gib free (0 free, needs 8) at alpha"
    )
    costs = {c.place: (c.total_eur_month, c.objective_eur_month) for c in e.eligible}
    assert costs == {"alpha": (28.0, 28.0), "ext": (24.0, 28.24)}


def test_an_evicted_workload_is_told_who_took_its_room(tmp_path: Path) -> None:
    # sensitive data may only run in-house: n1 (2 vCPU) and n2 (1 vCPU) must go to alpha
    # (4 vCPU), which leaves 1 vCPU for w, which needs 2: w leaves for ext.
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=4, ram_gib=16)],
        providers=[EXT],
        workloads=[
            workload("w", current_site="alpha"),
            workload("n1", data_class="sensitive"),
            workload("n2", vcpu=1, ram_gib=4, data_class="sensitive"),
        ],
        objective=PREFERENCE,
    )
    e = explain(path, "w")
    assert e.placed_on == "ext" and e.reason_code == "capacity_full"
    assert reason_of(e) == (
        "outsourced to ext because eligible internal sites are full: alpha (dearer by €4.00 / "
        "month, within the 15 % in-house preference) lacks vcpu (needs 2, 1 free), ram_gib "
        "(needs 8, 4 free); its room at alpha went to workloads moved in: n1 (2 vcpu), "
        "n2 (1 vcpu)"
    )


def test_an_anti_affinity_runner_up_names_the_partner_it_holds(tmp_path: Path) -> None:
    # alpha (28) is cheaper than beta (2 x 12 + 8 = 32): one replica each
    path = write_scenario(
        tmp_path,
        sites=[site("alpha"), site("beta", cost_vcpu=12)],
        workloads=[
            workload("r1", anti_affinity_group="ha"),
            workload("r2", anti_affinity_group="ha"),
        ],
    )
    by_place = {explain(path, wid).placed_on: wid for wid in ("r1", "r2")}
    e = explain(path, by_place["beta"])
    assert e.reason_code == "anti_affinity" and e.runner_up == "alpha"
    assert reason_of(e) == (
        f"alpha (cheaper by €4.00 / month) already holds its anti-affinity "
        f"partner {by_place['alpha']} (group 'ha')"
    )
    assert to_win_of(e) == (
        f"alpha (cheaper by €4.00 / month) holds its anti-affinity partner "
        f"{by_place['alpha']}: the replicas of group 'ha' run apart"
    )

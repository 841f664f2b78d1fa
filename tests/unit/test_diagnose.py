"""The diagnosis of an impossible scenario names its true cause, with the amounts missing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from planner.errors import InfeasibleError
from planner.optimise.diagnosis import Diagnosis
from planner.pipeline import run_plan
from planner.render.diagnosis import infeasible_text, render_diagnosis_json
from planner.render.wording import diagnosis_text, shortfall_text, unplaced_text, violation_text
from tests.helpers import offer, provider, site, workload, write_scenario


def diagnosis(tmp_path: Path, **scenario: Any) -> Diagnosis:
    path = write_scenario(tmp_path, **scenario)
    with pytest.raises(InfeasibleError) as info:
        run_plan(path)
    assert info.value.exit_code == 3
    assert str(info.value) == "scenario 'test' has no feasible plan"
    found = info.value.diagnosis
    assert isinstance(found, Diagnosis) and found.proven
    assert infeasible_text(info.value) == diagnosis_text(found)
    assert diagnosis_text(found).startswith("scenario 'test' has no feasible plan. What would")
    return found


def test_no_eligible_place(tmp_path: Path) -> None:
    # health needs an HDS-qualified place; alpha is not 24/7 and pub has no HDS.
    d = diagnosis(
        tmp_path,
        sites=[site("alpha", operation_24_7=False)],
        providers=[provider("big", [offer("pub")], eu=False)],
        workloads=[workload("idp", data_class="health", needs_24_7=True), workload("web")],
    )
    assert d.causes == ["no_eligible_place"]
    [unplaced] = d.unplaced
    assert unplaced.workloads == ("idp",)
    assert "no eligible place for data class 'health' with 24/7 need" in unplaced_text(unplaced)
    assert unplaced.refusals == {
        "alpha": "workload needs 24/7 operation; this place is not operated 24/7",
        "pub": "data class 'health': no hds qualification",
    }
    assert d.shortfalls == () and d.caps == ()


def test_capacity_short(tmp_path: Path) -> None:
    # Three 4-vCPU sensitive workloads, only alpha (8 vCPU) may take them: 4 vCPU missing.
    # The public one fits on the non-EU offer, so it is not part of the shortfall.
    d = diagnosis(
        tmp_path,
        sites=[site("alpha", vcpu=8)],
        providers=[provider("big", [offer("pub")], eu=False)],
        workloads=[workload(f"s{i}", 4, 8, "sensitive") for i in range(3)] + [workload("p", 4, 8)],
    )
    assert d.causes == ["capacity_short"]
    [short] = d.shortfalls
    assert (short.place, short.resource, short.missing, short.limit) == ("alpha", "vcpu", 4, 8)
    assert short.data_classes == ("sensitive",) and short.workloads == ("s0", "s1", "s2")
    assert shortfall_text(short).startswith("sensitive workloads need 4 more vcpu at alpha")


def test_capacity_short_counts_every_expansion_block(tmp_path: Path) -> None:
    block = {
        "id": "rack",
        "adds": {"vcpu": 4, "ram_gib": 16},
        "capex_eur": 100,
        "amortisation_months": 10,
        "max_blocks": 2,
    }
    d = diagnosis(
        tmp_path,
        sites=[site("alpha", vcpu=8, expansion_blocks=[block])],
        workloads=[workload(f"s{i}", 4, 4, "sensitive") for i in range(5)],
    )
    [short] = d.shortfalls
    assert (short.missing, short.limit) == (4, 16)  # 5 x 4 = 20 needed, 8 + 2 x 4 usable
    assert "usable with every expansion block built: 16" in shortfall_text(short)


def test_budget_too_small(tmp_path: Path) -> None:
    # The only placement costs 2 x 10 + 8 x 1 = 28 / month.
    d = diagnosis(
        tmp_path,
        sites=[site("alpha")],
        workloads=[workload("w", 2, 8)],
        caps={"monthly_budget_eur": 27},
    )
    assert d.causes == ["cap:monthly_budget"]
    [cap] = d.caps
    assert (cap.cap, cap.limit, cap.needed) == ("monthly_budget", 27, 28)
    assert "too small by €1.00" in violation_text(cap)


def test_anti_affinity_group_with_too_few_places(tmp_path: Path) -> None:
    d = diagnosis(
        tmp_path,
        sites=[site("alpha"), site("beta")],
        workloads=[workload(f"r{i}", 1, 1, anti_affinity_group="g") for i in range(3)],
    )
    assert d.causes == ["anti_affinity"]
    [unplaced] = d.unplaced
    assert len(unplaced.workloads) == 1
    assert "'g' has 3 members to keep apart but only 2 eligible places (alpha, beta)" in (
        unplaced_text(unplaced)
    )


def test_affinity_group_without_common_place(tmp_path: Path) -> None:
    # a (sensitive) may only go in-house; b needs 24/7 and excludes beta: nothing fits both.
    d = diagnosis(
        tmp_path,
        sites=[site("alpha", operation_24_7=False), site("beta")],
        workloads=[
            workload("a", 1, 1, "sensitive", affinity_group="g"),
            workload("b", 1, 1, needs_24_7=True, affinity_group="g", exclude=["beta"]),
        ],
    )
    [unplaced] = d.unplaced
    assert unplaced.cause == "no_eligible_place" and unplaced.workloads == ("a", "b")
    assert unplaced.refusals == {
        "alpha": "b: workload needs 24/7 operation; this place is not operated 24/7",
        "beta": "b: excluded by the workload's catalog entry",
    }


def test_outsourced_share_too_tight(tmp_path: Path) -> None:
    # alpha holds 2 of 4 workloads (22 each); 2 go out at 44 each: 88 / 132 = 66.67 % out.
    d = diagnosis(
        tmp_path,
        sites=[site("alpha", vcpu=4)],
        providers=[provider("big", [offer("pub")])],
        workloads=[workload(f"w{i}", 2, 2) for i in range(4)],
        caps={"max_outsourced_share_pct": 10},
    )
    [cap] = d.caps
    assert cap.cap == "outsourced_share" and cap.needed == pytest.approx(200 / 3, abs=1e-4)


def test_json_is_deterministic(tmp_path: Path) -> None:
    d = diagnosis(
        tmp_path,
        sites=[site("alpha")],
        workloads=[workload("w", 2, 8)],
        caps={"monthly_budget_eur": 27},
    )
    data = json.loads(render_diagnosis_json(d))
    assert data["feasible"] is False and data["causes"] == ["cap:monthly_budget"]
    assert render_diagnosis_json(d) == render_diagnosis_json(d)


def test_capacity_short_over_several_sites_is_totalled(tmp_path: Path) -> None:
    # Two 4-vCPU workloads pinned to each 4-vCPU site: 4 vCPU missing at each, 8 in all.
    d = diagnosis(
        tmp_path,
        sites=[site("alpha", vcpu=4), site("beta", vcpu=4)],
        workloads=[workload(f"a{i}", 4, 4, pin="alpha") for i in range(2)]
        + [workload(f"b{i}", 4, 4, pin="beta") for i in range(2)],
    )
    assert [(s.place, s.missing, s.workloads) for s in d.shortfalls] == [
        ("alpha", 4, ("a0", "a1")),
        ("beta", 4, ("b0", "b1")),
    ]
    assert (
        "  - public workloads need 8 more vcpu (capacity) in total on the places eligible "
        "for them; for example: alpha 4, beta 4\n    - public workloads need 4 more vcpu "
        "at alpha" in diagnosis_text(d)
    )


def test_a_diagnosis_whose_solves_end_without_a_solution_is_unproven(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HiGHS returning no primal solution (a limit hit first, a solve error) must not crash
    the diagnosis: it is reported, unproven, with no cause claimed."""
    from planner.optimise.solve import _QuietHiGHS

    def no_solve(_solver: object, _lp: object) -> None:  # HiGHS never runs: no solution
        return None

    monkeypatch.setattr(_QuietHiGHS, "callSolver", no_solve)
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=8)],
        workloads=[workload(f"s{i}", 4, 8, "sensitive") for i in range(3)],
    )
    with pytest.raises(InfeasibleError) as info:
        run_plan(path)
    found = info.value.diagnosis
    assert isinstance(found, Diagnosis) and not found.proven
    assert (found.unplaced, found.shortfalls, found.caps) == ((), (), ())
    assert infeasible_text(info.value) == (
        "scenario 'test' has no feasible plan. What would make it feasible (elastic model not "
        "solved to optimality):\n  - no cause found: the elastic model ended without a "
        "solution (a longer --time-limit may find one)"
    )

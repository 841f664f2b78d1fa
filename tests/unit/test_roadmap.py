"""Hand-worked small roadmaps: when each move happens, and why then.

Costs used throughout: a 2 vCPU / 8 GiB workload costs 10*2 + 1*8 = 28 EUR/month on the site
`alpha` and 20*2 + 2*8 = 56 EUR/month on the offer `pub` (helpers' defaults), a saving of
28 EUR/month for moving in-house. Quarterly periods from 2027-01-01; horizon_months 36, so a
one-off euro of the first wave of a four-quarter roadmap weighs 12/36 in the objective (it is
amortised over 36 months, 12 of which fall in the roadmap), of the third wave 6/36.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from planner.optimise.roadmap.diagnosis import RoadmapDiagnosis, RowExcess
from planner.pipeline import run_plan
from planner.plan.roadmap_document import RoadmapPlan
from tests.helpers import offer, provider, site, workload, write_scenario


def _quarters(count: int = 4, **rules: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "periods": {"start": date(2027, 1, 1), "length": "quarter", "count": count}
    }
    body.update(rules)
    return body


def _plan(tmp_path: Path, **kwargs: Any) -> RoadmapPlan:
    kwargs.setdefault("sites", [site("alpha", vcpu=64, ram_gib=256)])
    kwargs.setdefault("providers", [provider("cloud", [offer("pub")])])
    path = write_scenario(tmp_path, **kwargs)
    plan = run_plan(path).plan
    assert isinstance(plan, RoadmapPlan)
    assert plan.solver.status == "optimal"
    return plan


def _moves(plan: RoadmapPlan) -> dict[str, tuple[str, str, str]]:
    """workload -> (wave, from, to) of each move."""
    out = {}
    for wave in plan.roadmap.waves:
        for rc in wave.resource_changes:
            b, a = rc.change.before, rc.change.after
            if rc.type == "planner_placement" and b is not None and a is not None:
                out[rc.name] = (wave.name, b.site, a.site)
    return out


def _why(plan: RoadmapPlan, wid: str) -> dict[str, Any]:
    for wave in plan.roadmap.waves:
        if wid in wave.why:
            return wave.why[wid].model_dump(exclude_none=True)
    raise KeyError(wid)


def test_without_any_rule_the_move_happens_in_the_first_wave(tmp_path: Path) -> None:
    plan = _plan(tmp_path, workloads=[workload("w", current_site="pub")], roadmap=_quarters())
    assert _moves(plan) == {"w": ("2027-Q1", "pub", "alpha")}
    assert _why(plan, "w") == {"code": "best_then", "period": "2027-Q1", "place": "alpha"}
    # 28 on pub until the move, then 28 on alpha for 12 months: the objective is 12 * 28
    assert plan.solver.objective_eur == 12 * 28.0
    assert [w.totals.monthly_cost_eur for w in plan.roadmap.waves] == [28.0] * 4
    assert plan.roadmap.years[0].opex_eur == 12 * 28.0


def test_a_contract_end_times_the_move(tmp_path: Path) -> None:
    """Exit fee 1,000 before 2027-06-30: leaving in Q1 weighs 1000 * 12/36 = 333.33 against
    6 months * 28 = 168 saved; without renewal the workload must be off `pub` in Q3, when
    leaving is free."""
    contract = {"ends_on": date(2027, 6, 30), "exit_fee_eur": 1000, "renew": False}
    plan = _plan(
        tmp_path,
        workloads=[workload("w", current_site="pub", contract=contract)],
        roadmap=_quarters(),
    )
    assert _moves(plan) == {"w": ("2027-Q3", "pub", "alpha")}
    assert _why(plan, "w") == {
        "code": "contract_ended",
        "period": "2027-Q3",
        "place": "pub",
        "day": "2027-06-30",
    }
    assert plan.roadmap.waves[2].totals.one_off_eur == 0.0
    # 6 months on pub at 56, then 6 on alpha at 28
    assert plan.solver.objective_eur == 6 * 56.0 + 6 * 28.0


def test_a_small_exit_fee_is_paid_to_leave_early(tmp_path: Path) -> None:
    """Fee 300: 300 * 12/36 = 100 < 168 saved by leaving two quarters earlier."""
    contract = {"ends_on": date(2027, 6, 30), "exit_fee_eur": 300, "renew": True}
    plan = _plan(
        tmp_path,
        workloads=[workload("w", current_site="pub", contract=contract)],
        roadmap=_quarters(),
    )
    assert _moves(plan) == {"w": ("2027-Q1", "pub", "alpha")}
    assert plan.roadmap.waves[0].totals.one_off_eur == 300.0
    assert plan.roadmap.years[0].migration_eur == 300.0
    assert plan.solver.objective_eur == 12 * 28.0 + 100.0


def test_a_lead_time_delays_the_move_to_the_block(tmp_path: Path) -> None:
    """alpha has no room until its rack (lead 6 months) arrives: ordered in Q1, usable in Q3.
    The rack costs 120 / 12 = 10 a month once usable, less than the 28 saved."""
    rack = {
        "id": "rack",
        "adds": {"vcpu": 8, "ram_gib": 32},
        "capex_eur": 120,
        "amortisation_months": 12,
        "lead_time_months": 6,
    }
    plan = _plan(
        tmp_path,
        sites=[site("alpha", vcpu=1, ram_gib=4, expansion_blocks=[rack])],
        workloads=[workload("w", current_site="pub")],
        roadmap=_quarters(),
    )
    assert _moves(plan) == {"w": ("2027-Q3", "pub", "alpha")}
    assert _why(plan, "w") == {
        "code": "waited_for_block",
        "period": "2027-Q3",
        "place": "alpha",
        "block": "rack",
        "ordered_in": "2027-Q1",
        "lead_months": 6,
    }
    orders = [
        (w.name, rc.name)
        for w in plan.roadmap.waves
        for rc in w.resource_changes
        if rc.type == "planner_expansion"
    ]
    assert orders == [("2027-Q1", "alpha.rack")]
    assert plan.roadmap.years[0].capex_eur == 120.0
    assert plan.solver.objective_eur == 6 * 56.0 + 6 * (28.0 + 10.0)


def test_a_lapsing_qualification_moves_the_workload_before_it_lapses(tmp_path: Path) -> None:
    """`snc` is qualified until 2027-06-30: a sensitive workload on it whose move costs 1,200
    (more than 36 months of its saving of 28, so it moves only when it must) stays there
    through Q2 and leaves for Q3: 6 * 56 + 6 * 28 + 1200 * 6/36 = 704 against 12 * 28 +
    1200 * 12/36 = 736 for leaving in Q1."""
    qualified = [{"name": "secnumcloud", "valid_until": date(2027, 6, 30)}]
    plan = _plan(
        tmp_path,
        providers=[provider("cloud", [offer("snc", qualifications=qualified)])],
        workloads=[workload("w", data_class="sensitive", current_site="snc", move_cost_eur=1200)],
        roadmap=_quarters(),
    )
    assert _moves(plan) == {"w": ("2027-Q3", "snc", "alpha")}
    why = _why(plan, "w")
    assert (why["code"], why["place"], why["day"]) == ("lapses", "snc", "2027-09-30")
    assert "secnumcloud expired on 2027-06-30" in why["detail"]


def test_a_qualification_in_force_later_is_used_only_from_then(tmp_path: Path) -> None:
    """A new sensitive workload may go to `snc` only once its qualification is in force: it
    starts on alpha, whose cost is 28; `snc` at 20 (cheaper) is only eligible from Q3, and a
    workload placed new stays where it lands, so it stays on alpha."""
    qualified = [{"name": "secnumcloud", "valid_from": date(2027, 7, 1)}]
    plan = _plan(
        tmp_path,
        providers=[
            provider("cloud", [offer("snc", vcpu_price=6, ram_price=1, qualifications=qualified)])
        ],
        workloads=[workload("w", data_class="sensitive", current_site="alpha")],
        roadmap=_quarters(),
    )
    # 2*6 + 8*1 = 20 on snc from Q3, saving 8 a month for 6 months = 48 > 0 (no move cost)
    assert _moves(plan) == {"w": ("2027-Q3", "alpha", "snc")}


def test_a_year_budget_holds_a_move_back(tmp_path: Path) -> None:
    """Two workloads, each 400 to move; 2027's one-off budget is 500: one moves in 2027-Q1,
    the other in 2028-Q1, the first wave of the next budget year."""
    plan = _plan(
        tmp_path,
        workloads=[
            workload("a", current_site="pub", move_cost_eur=400),
            workload("b", current_site="pub", move_cost_eur=400),
        ],
        roadmap=_quarters(8, budgets={"2027": {"migration_eur": 500}}),
    )
    moves = _moves(plan)
    assert sorted(wave for wave, _, _ in moves.values()) == ["2027-Q1", "2028-Q1"]
    late = next(w for w, (wave, _, _) in moves.items() if wave == "2028-Q1")
    assert _why(plan, late) == {
        "code": "held_back_budget",
        "period": "2028-Q1",
        "budget": "migration",
        "year": 2027,
    }
    years = {y.year: (y.migration_eur, y.migration_budget_eur) for y in plan.roadmap.years}
    assert years == {2027: (400.0, 500.0), 2028: (400.0, None)}


def test_no_move_in_a_frozen_period(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        workloads=[workload("w", current_site="pub")],
        roadmap=_quarters(waves={"freeze": ["2027-Q1"]}),
    )
    assert _moves(plan) == {"w": ("2027-Q2", "pub", "alpha")}
    assert plan.roadmap.waves[0].frozen
    assert plan.solver.objective_eur == 3 * 56.0 + 9 * 28.0


def test_a_wave_moves_at_most_its_limit(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        workloads=[workload(f"w{i}", current_site="pub", vcpu=2 + i) for i in range(3)],
        roadmap=_quarters(waves={"max_moves": 2}),
    )
    waves = sorted(wave for wave, _, _ in _moves(plan).values())
    assert waves == ["2027-Q1", "2027-Q1", "2027-Q2"]
    # the smallest saving (w0: 2 vCPU, 28 a month) waits: the others save 38 and 48
    assert _moves(plan)["w0"][0] == "2027-Q2"
    assert _why(plan, "w0")["code"] == "held_back_wave"


def test_replicas_of_an_anti_affinity_group_move_in_different_waves(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        sites=[site("alpha", vcpu=64, ram_gib=256), site("beta", vcpu=64, ram_gib=256)],
        workloads=[
            workload("r1", current_site="pub", anti_affinity_group="g"),
            workload("r2", current_site="pub", anti_affinity_group="g"),
        ],
        roadmap=_quarters(),
    )
    moves = _moves(plan)
    assert sorted(wave for wave, _, _ in moves.values()) == ["2027-Q1", "2027-Q2"]
    assert {to for _, _, to in moves.values()} == {"alpha", "beta"}


def test_not_before_and_retires_on(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        workloads=[
            workload("w", current_site="pub", not_before=date(2027, 5, 1)),
            workload("old", current_site="alpha", retires_on=date(2027, 7, 1)),
            workload("new", starts_on=date(2027, 10, 1)),
        ],
        roadmap=_quarters(),
    )
    assert _moves(plan) == {"w": ("2027-Q3", "pub", "alpha")}
    changes = {
        (wave.name, rc.name): rc.change.actions
        for wave in plan.roadmap.waves
        for rc in wave.resource_changes
    }
    assert changes[("2027-Q3", "old")] == ("delete",)
    assert changes[("2027-Q4", "new")] == ("create",)
    # the end state: 'old' destroyed, 'new' created, 'w' moved
    actions = {rc.name: rc.change.actions for rc in plan.resource_changes}
    assert actions == {"new": ("create",), "old": ("delete",), "w": ("delete", "create")}


def test_demand_growth_fills_a_site(tmp_path: Path) -> None:
    """8 vCPU at 100 % a year: 8 in Q1, 8 * 2^(3/12) = 9.51 in Q2 — more than alpha's 9."""
    plan = _plan(
        tmp_path,
        sites=[site("alpha", vcpu=9, ram_gib=256)],
        workloads=[workload("w", vcpu=8, current_site="alpha", growth_pct_year=100)],
        roadmap=_quarters(2),
    )
    assert _moves(plan) == {"w": ("2027-Q2", "alpha", "pub")}


def test_a_budget_too_small_for_the_forced_moves_is_diagnosed(tmp_path: Path) -> None:
    """The workload must leave `snc` in Q3 (its qualification lapses) and its move costs 1,200;
    2027's one-off budget of 500 cannot pay it."""
    from planner.errors import InfeasibleError
    from planner.optimise.roadmap.diagnosis import RoadmapDiagnosis, RowExcess
    from planner.render.wording import roadmap_diagnosis_text

    qualified = [{"name": "secnumcloud", "valid_until": date(2027, 6, 30)}]
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=64, ram_gib=256)],
        providers=[provider("cloud", [offer("snc", qualifications=qualified)])],
        workloads=[workload("w", data_class="sensitive", current_site="snc", move_cost_eur=1200)],
        roadmap=_quarters(budgets={"2027": {"migration_eur": 500}}),
    )
    with pytest.raises(InfeasibleError) as info:
        run_plan(path)
    diagnosis = info.value.diagnosis
    assert isinstance(diagnosis, RoadmapDiagnosis)
    assert diagnosis.excesses == (RowExcess("budget", "migration", None, 2027, 500.0, 1200.0),)
    assert roadmap_diagnosis_text(diagnosis) == (
        "roadmap 'test' has no feasible plan:\n"
        "  2027: the one-off budget of €500.00 is too small; the roadmap needs at least "
        "€1,200.00"
    )


def _room_closing(tmp_path: Path) -> str:
    """Two sensitive workloads of 8 vCPU on `alpha`, the only place allowed for them, whose
    vCPU falls from 16 to 8 in 2027-Q2: no wave rule or budget is to blame."""
    shrinks = [{"effective_from": date(2027, 4, 1), "capacity": {"vcpu": 8}}]
    return write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=16, ram_gib=256, capacity_changes=shrinks)],
        providers=[provider("cloud", [offer("pub")])],
        workloads=[workload(w, vcpu=8, data_class="sensitive", current_site="alpha") for w in "ab"],
        roadmap=_quarters(2),
    )


def test_a_roadmap_whose_periods_cannot_hold_its_workloads_is_diagnosed_structural(
    tmp_path: Path,
) -> None:
    """The diagnosis's elastic model (every wave and budget row with a slack) has no solution
    either: HiGHS proves it in its child process, and the sentence blames the periods' own
    constraints."""
    from planner.errors import InfeasibleError
    from planner.render.wording import roadmap_diagnosis_text

    with pytest.raises(InfeasibleError) as info:
        run_plan(_room_closing(tmp_path))
    diagnosis = info.value.diagnosis
    assert isinstance(diagnosis, RoadmapDiagnosis)
    assert diagnosis.structural and diagnosis.unanswered_after_s is None
    assert "the periods' own constraints" in roadmap_diagnosis_text(diagnosis)


def test_a_diagnosis_not_found_within_its_limit_says_so_and_blames_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The diagnosis's child had not answered by its limit (as HiGHS's rounding heuristics
    ran minutes past it at 100k workloads): not "structural", not a cause, but the limit."""
    from planner.candidates.periods import roadmap_candidates
    from planner.inputs.periods import periods_of
    from planner.optimise import isolated
    from planner.optimise.roadmap import diagnosis as module
    from planner.pipeline import load_and_check, solve_options
    from planner.render.wording import roadmap_diagnosis_text

    inputs, _ = load_and_check(_room_closing(tmp_path))
    assert inputs.scenario.roadmap is not None
    periods = roadmap_candidates(inputs, periods_of(inputs.scenario.roadmap))
    options = solve_options(inputs, None, None, None)
    limits: list[float] = []

    def unanswered(arrays: object, start: object, limit_s: float, *_: object) -> object:
        limits.append(limit_s)
        return isolated.Outcome()

    monkeypatch.setattr(module, "run_isolated", unanswered)
    found = module.diagnose_roadmap(inputs, periods, options, 45.0)
    assert found == RoadmapDiagnosis("test", (), False, 45.0)
    assert len(limits) == 1 and 0 < limits[0] <= 45.0  # the build's time came off the limit
    assert roadmap_diagnosis_text(found) == (
        "roadmap 'test' has no feasible plan; what makes it so (its wave limits, budgets or "
        "the periods' own constraints) was not found within the diagnosis's 45 s: a longer "
        "--time-limit gives it more"
    )
    assert module.diagnose_roadmap(inputs, periods, options, 0.0).unanswered_after_s == 0.0


def _forced_off_snc(tmp_path: Path, waves: dict[str, Any]) -> RoadmapDiagnosis:
    """The diagnosis of three sensitive workloads (2 vCPU each) that must be off `snc` in
    2027-Q2 (its qualification lapses after Q1), under the wave rules `waves`."""
    from planner.errors import InfeasibleError

    qualified = [{"name": "secnumcloud", "valid_until": date(2027, 3, 31)}]
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=64, ram_gib=256)],
        providers=[provider("cloud", [offer("snc", qualifications=qualified)])],
        workloads=[
            workload(f"w{i}", data_class="sensitive", current_site="snc", move_cost_eur=5000)
            for i in range(3)
        ],
        roadmap=_quarters(waves=waves),
    )
    with pytest.raises(InfeasibleError) as info:
        run_plan(path)
    diagnosis = info.value.diagnosis
    assert isinstance(diagnosis, RoadmapDiagnosis)
    return diagnosis


def test_a_wave_too_small_for_the_forced_moves_is_diagnosed(tmp_path: Path) -> None:
    """All three must be off snc by 2027-Q2 (it lapses after Q1): Q1 and Q2 move 1 each at
    most, 2 in all. Found from the candidates, before any model."""
    from planner.render.wording import roadmap_diagnosis_text

    diagnosis = _forced_off_snc(tmp_path, {"max_moves": 1})
    assert diagnosis.excesses == (RowExcess("wave", "max_moves_by", "2027-Q2", None, 2.0, 3.0),)
    assert roadmap_diagnosis_text(diagnosis) == (
        "roadmap 'test' has no feasible plan:\n"
        "  2027-Q2: 3 workloads must have left their place by this wave (it may not keep "
        "them), but the waves up to it allow 2 moves"
    )


def test_the_forced_moves_check_counts_only_the_waves_not_frozen(tmp_path: Path) -> None:
    """Two moves a wave, Q1 frozen: by Q2 the waves allow 2 of the 3 that must be off snc;
    Q1 and Q2 both frozen: none (the freeze). Two replicas (on two offers: sharing one, one
    of them would have to move in the frozen Q1) that must leave by Q2 with Q1 frozen have
    one wave for both."""
    from planner.errors import InfeasibleError

    frozen = _forced_off_snc(tmp_path / "a", {"max_moves": 2, "freeze": ["2027-Q1"]})
    assert frozen.excesses == (RowExcess("wave", "max_moves_by", "2027-Q2", None, 2.0, 3.0),)
    both = _forced_off_snc(tmp_path / "b", {"freeze": ["2027-Q1", "2027-Q2"]})
    assert both.excesses == (RowExcess("wave", "freeze", "2027-Q2", None, 0.0, 3.0),)
    qualified = [{"name": "secnumcloud", "valid_until": date(2027, 3, 31)}]
    path = write_scenario(
        tmp_path / "c",
        sites=[site("alpha", vcpu=64, ram_gib=256), site("beta", vcpu=64, ram_gib=256)],
        providers=[
            provider("cloud", [offer(o, qualifications=qualified) for o in ("snc", "snc2")])
        ],
        workloads=[
            workload(r, data_class="sensitive", current_site=o, anti_affinity_group="g")
            for r, o in (("r1", "snc"), ("r2", "snc2"))
        ],
        roadmap=_quarters(waves={"freeze": ["2027-Q1"]}),
    )
    with pytest.raises(InfeasibleError) as info:
        run_plan(path)
    assert isinstance(info.value.diagnosis, RoadmapDiagnosis)
    assert info.value.diagnosis.excesses == (
        RowExcess("wave", "apart", "2027-Q2", None, 1.0, 2.0, "g"),
    )


def test_replicas_sharing_a_place_today_count_as_moves_of_the_first_wave(
    tmp_path: Path,
) -> None:
    """Three replicas of `g` on pub today may not share it in the first period: two move in
    its wave, which no roadmap allows (a wave of its own each); two replicas sharing pub,
    one move: with a limit of one move a wave, two such pairs are one move too many."""
    from planner.candidates.periods import roadmap_candidates
    from planner.inputs.periods import periods_of
    from planner.optimise.roadmap.diagnosis import forced_move_conflicts
    from planner.pipeline import load_and_check

    def conflicts(folder: str, groups: list[str], **waves: Any) -> Any:
        path = write_scenario(
            tmp_path / folder,
            sites=[site(s, vcpu=64, ram_gib=256) for s in ("alpha", "beta", "gamma")],
            providers=[provider("cloud", [offer("pub")])],
            workloads=[
                workload(f"r{i}", current_site="pub", anti_affinity_group=g)
                for i, g in enumerate(groups)
            ],
            roadmap=_quarters(waves=waves),
        )
        inputs, _ = load_and_check(path)
        assert inputs.scenario.roadmap is not None
        return forced_move_conflicts(
            inputs, roadmap_candidates(inputs, periods_of(inputs.scenario.roadmap))
        )

    three = conflicts("three", ["g", "g", "g"])
    assert three is not None
    assert three.excesses == (RowExcess("wave", "apart", "2027-Q1", None, 1.0, 2.0, "g"),)
    assert conflicts("pair", ["g", "g"], max_moves=1) is None
    pairs = conflicts("pairs", ["g", "g", "h", "h"], max_moves=1)
    assert pairs is not None
    assert pairs.excesses == (RowExcess("wave", "max_moves", "2027-Q1", None, 1.0, 2.0),)


def test_a_wave_too_small_for_the_vcpu_that_must_move_is_diagnosed(tmp_path: Path) -> None:
    """Two waves moving 2 vCPU each at most cannot carry the 6 that must leave `snc`: one of
    them must carry 4."""
    from planner.render.wording import roadmap_diagnosis_text

    diagnosis = _forced_off_snc(tmp_path, {"max_moved": {"vcpu": 2}})
    (excess,) = diagnosis.excesses
    assert (excess.what, excess.subject, excess.limit, excess.needed) == ("max_moved", "vcpu", 2, 4)
    assert roadmap_diagnosis_text(diagnosis) == (
        "roadmap 'test' has no feasible plan:\n"
        f"  {excess.period}: the wave's limit on vcpu moved allows 2; the roadmap needs 4"
    )


def test_the_text_plan_is_a_sequence_of_waves(tmp_path: Path) -> None:
    from planner.plan.roadmap_document import one_period
    from planner.render import Format, render

    contract = {"ends_on": date(2027, 6, 30), "exit_fee_eur": 1000, "renew": False}
    plan = _plan(
        tmp_path,
        workloads=[workload("w", current_site="pub", contract=contract)],
        roadmap=_quarters(budgets={"2027": {"migration_eur": 10}}),
    )
    lines = render(plan, Format.text).splitlines()
    assert [line for line in lines if line.startswith("# wave")] == [
        "# wave 2027-Q1: 0 to add, 0 to change, 0 to destroy",
        "# wave 2027-Q2: 0 to add, 0 to change, 0 to destroy",
        "# wave 2027-Q3: 1 to add, 0 to change, 1 to destroy",
        "# wave 2027-Q4: 0 to add, 0 to change, 0 to destroy",
    ]
    assert (
        "  # why then: moved in 2027-Q3: its contract on pub ends 2027-06-30 [contract_ended]"
        in lines
    )
    year = next(line for line in lines if line.startswith("  2027 "))
    assert year.split() == ["2027", "€504.00", "€0.00", "€0.00", "(€10.00)"]
    shown = render(one_period(plan, "2027-Q3"), Format.text).splitlines()
    assert [line for line in shown if line.startswith("# wave")] == [
        "# wave 2027-Q3: 1 to add, 0 to change, 1 to destroy"
    ]


def test_the_markdown_report_shows_the_waves_and_years(tmp_path: Path) -> None:
    """The first test's roadmap: one move in 2027-Q1 (a placement added on alpha, one
    destroyed on pub), 28 EUR a month in every wave, 2027's opex 12 * 28 = 336, no budget."""
    from planner.render.markdown import render_markdown

    plan = _plan(tmp_path, workloads=[workload("w", current_site="pub")], roadmap=_quarters())
    text = render_markdown(plan)
    assert "## Roadmap: 4 periods from 2027-01-01 to 2027-12-31" in text
    rows = [line for line in text.splitlines() if line.startswith("| 2027")]
    # a move is a placement added on alpha and one destroyed on pub, as in the text plan
    assert rows[0] == "| 2027-Q1 | 1 | 1 | 0 | 1 | €0.00 | €28.00 | €0.00 |"
    assert rows[1:4] == [
        f"| 2027-Q{q} | 0 | 0 | 0 | 0 | €0.00 | €28.00 | €0.00 |" for q in (2, 3, 4)
    ]
    assert rows[4] == "| 2027 | €336.00 |  | €0.00 |  | €0.00 |  |"


def test_explain_shows_the_path_over_the_periods(tmp_path: Path) -> None:
    """The contract-end roadmap above: `w` stays on pub through Q2 and moves to alpha in Q3,
    when its contract has ended (2027-06-30)."""
    import json

    from planner.analysis.explain import explain
    from planner.render.explain import render_explain_json, render_explain_text

    contract = {"ends_on": date(2027, 6, 30), "exit_fee_eur": 1000, "renew": False}
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=64, ram_gib=256)],
        providers=[provider("cloud", [offer("pub")])],
        workloads=[workload("w", current_site="pub", contract=contract)],
        roadmap=_quarters(),
    )
    found = explain(path, "w")
    assert found.placed_on == "alpha"
    text = render_explain_text(found)
    assert "Path over the roadmap's periods:\n" in text
    assert (
        "  2027-Q3    pub -> alpha  (moved in 2027-Q3: its contract on pub ends 2027-06-30)\n"
        in text
    )
    data = json.loads(render_explain_json(found))
    assert data["path"] == [
        {
            "period": "2027-Q3",
            "place_before": "pub",
            "place_after": "alpha",
            "why": "moved in 2027-Q3: its contract on pub ends 2027-06-30",
        }
    ]


def _first_wave_diagnosis(tmp_path: Path, **kwargs: Any) -> tuple[Any, str]:
    from planner.errors import InfeasibleError
    from planner.optimise.roadmap.diagnosis import RoadmapDiagnosis
    from planner.render.wording import roadmap_diagnosis_text

    kwargs.setdefault("sites", [site("alpha", vcpu=64, ram_gib=256), site("beta")])
    kwargs.setdefault("providers", [provider("cloud", [offer("pub")])])
    path = write_scenario(tmp_path, **kwargs)
    with pytest.raises(InfeasibleError) as info:
        run_plan(path)
    diagnosis = info.value.diagnosis
    assert isinstance(diagnosis, RoadmapDiagnosis)
    return diagnosis.excesses, roadmap_diagnosis_text(diagnosis)


# `pub` is not qualified for sensitive data: a sensitive workload on it may not stay there in
# the first period, so it moves in the first wave whatever the plan


def test_replicas_that_must_both_leave_in_the_first_wave_are_diagnosed(tmp_path: Path) -> None:
    from planner.optimise.roadmap.diagnosis import RowExcess

    excesses, text = _first_wave_diagnosis(
        tmp_path,
        workloads=[
            workload(f"r{i}", data_class="sensitive", current_site="pub", anti_affinity_group="g")
            for i in (1, 2)
        ],
        roadmap=_quarters(),
    )
    assert excesses == (RowExcess("wave", "apart", "2027-Q1", None, 1.0, 2.0, "g"),)
    assert text == (
        "roadmap 'test' has no feasible plan:\n"
        "  2027-Q1: replicas of 'g' moving in different waves allows 1; the roadmap needs 2"
    )


def test_a_first_wave_too_small_or_frozen_for_what_must_leave_is_diagnosed(
    tmp_path: Path,
) -> None:
    from planner.optimise.roadmap.diagnosis import RowExcess

    forced = [workload(f"w{i}", data_class="sensitive", current_site="pub") for i in range(3)]
    stays = [workload("p", current_site="pub")]  # public data: may stay on pub
    excesses, _ = _first_wave_diagnosis(
        tmp_path / "small", workloads=forced + stays, roadmap=_quarters(waves={"max_moves": 2})
    )
    assert excesses == (RowExcess("wave", "max_moves", "2027-Q1", None, 2.0, 3.0),)
    excesses, _ = _first_wave_diagnosis(
        tmp_path / "frozen", workloads=forced, roadmap=_quarters(waves={"freeze": ["2027-Q1"]})
    )
    assert excesses == (RowExcess("wave", "freeze", "2027-Q1", None, 0.0, 3.0),)


def test_the_first_wave_check_speaks_before_any_model_only_when_it_must(tmp_path: Path) -> None:
    """Two replicas that may stay (public data on pub) are no conflict; two that may not are,
    found from the first period's candidates alone."""
    from planner.candidates.periods import roadmap_candidates
    from planner.inputs.periods import periods_of
    from planner.optimise.roadmap.diagnosis import forced_move_conflicts
    from planner.pipeline import load_and_check

    def conflicts(folder: str, data_class: str) -> Any:
        path = write_scenario(
            tmp_path / folder,
            sites=[site("alpha", vcpu=64, ram_gib=256), site("beta")],
            providers=[provider("cloud", [offer("pub")])],
            workloads=[
                workload(
                    f"r{i}", data_class=data_class, current_site="pub", anti_affinity_group="g"
                )
                for i in (1, 2)
            ],
            roadmap=_quarters(),
        )
        inputs, _ = load_and_check(path)
        assert inputs.scenario.roadmap is not None
        return forced_move_conflicts(
            inputs, roadmap_candidates(inputs, periods_of(inputs.scenario.roadmap))
        )

    assert conflicts("public", "public") is None
    found = conflicts("sensitive", "sensitive")
    assert found is not None and [(e.what, e.subject) for e in found.excesses] == [("apart", "g")]


def test_a_roadmap_stopped_without_any_plan_says_its_first_one_failed_too() -> None:
    """A limit too short for anything: neither the end state scheduled (its share, 0.3 of
    the limit) nor the main solve finds a roadmap, and the error says both."""
    from planner.errors import SolverError

    with pytest.raises(SolverError) as info:
        run_plan("tests/fixtures/roadmap/scenario.yaml", time_limit_s=0.001)
    assert str(info.value) == (
        "the highs solver stopped without a roadmap (no_solution: Time limit reached); no "
        "first roadmap either (the end state scheduled in the waves, within 0.0003 s): a "
        "longer --time-limit may give one"
    )

"""The run's time budget: its split on a fake clock, and what each solve does when it runs out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.candidates.units import build_candidates
from planner.inputs import load_inputs
from planner.optimise.budget import Cut, CutKind, TimeBudget
from planner.optimise.diagnosis import diagnose
from planner.optimise.rows import capacity_key
from planner.optimise.shadow import MAX_RESOLVES, _Resolver, fixed_lp, shadow_values, solve_lp
from planner.pipeline import run_plan
from planner.plan.document import load_plan
from planner.plan.extract import solver_record
from planner.render import Format, render
from planner.render.json_format import render_json
from planner.render.text import render_text
from planner.render.wording import cut_text, diagnosis_text
from tests.helpers import site, workload, write_scenario

TINY = "tests/fixtures/tiny/scenario.yaml"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now_s: float = 1000.0) -> None:
        self.now_s = now_s

    def __call__(self) -> float:
        return self.now_s


def test_the_split_of_a_run_limit_follows_the_clock() -> None:
    clock = Clock()
    budget = TimeBudget(60.0, clock)
    assert budget.remaining_s() == 60.0 and not budget.exhausted
    # main: 60 left less the 6 s (10 %) reserve; the reference solve a third of that
    assert budget.main_solve_s() == pytest.approx(54.0)
    assert budget.reference_solve_s() == pytest.approx(18.0)
    clock.now_s += 30.0
    assert budget.elapsed_s() == pytest.approx(30.0)
    assert budget.remaining_s() == pytest.approx(30.0)
    assert budget.main_solve_s() == pytest.approx(24.0)
    assert budget.share_s(3) == pytest.approx(10.0)
    clock.now_s += 10.0  # 20 s left: 20 - 6 = 14 beats the floor
    assert budget.main_solve_s() == pytest.approx(14.0)
    clock.now_s += 15.0  # 5 s left: the main solve's floor, 20 % of the limit
    assert budget.main_solve_s() == pytest.approx(12.0)
    clock.now_s += 5.0
    assert budget.remaining_s() == 0.0 and budget.exhausted
    assert budget.share_s(2) == 0.0


def test_seconds_left_out_are_not_counted() -> None:
    """A roadmap's build, between two solves, is left out of the solves' limit: 20 s of
    solving, 100 s of build left out, 10 s more: 30 of 60 s used."""
    clock = Clock()
    budget = TimeBudget(60.0, clock)
    clock.now_s += 20.0
    clock.now_s += 100.0
    budget.leave_out(100.0)
    clock.now_s += 10.0
    assert budget.elapsed_s() == 30.0 and budget.remaining_s() == 30.0


def test_cuts_are_kept_in_order() -> None:
    budget = TimeBudget(1.0, Clock())
    assert not budget.cuts
    budget.cut(CutKind.REFERENCE_SOLVE)
    budget.cut(CutKind.SHADOW_RESOLVES, 3, 5)
    assert budget.cuts == (Cut(CutKind.REFERENCE_SOLVE), Cut(CutKind.SHADOW_RESOLVES, 3, 5))


def test_re_solves_without_time_left_are_skipped_and_counted() -> None:
    run = run_plan(TINY)
    model = fixed_lp(run.inputs, run.candidates, run.result)
    assert solve_lp(model, 10.0)
    clock = Clock()
    resolver = _Resolver(model, TimeBudget(10.0, clock))
    row = model.rows[capacity_key("alpha", "vcpu")]
    assert resolver.gain([(row, 1.0)]) is not None
    clock.now_s += 10.0
    assert resolver.gain([(row, 1.0)]) is None
    assert (resolver.skipped, MAX_RESOLVES - resolver.left) == (1, 2)


def test_no_shadow_prices_without_time_left() -> None:
    run = run_plan(TINY)
    assert run.plan.shadow_prices  # with time: the tiny plan has some
    clock = Clock()
    budget = TimeBudget(5.0, clock)
    clock.now_s += 5.0
    values = shadow_values(run.inputs, run.candidates, run.result, budget)
    assert (values.rows, values.blocks) == ((), ())
    assert budget.cuts == (Cut(CutKind.SHADOW_PRICES),)


def test_a_diagnosis_without_time_left_is_not_proven(tmp_path: Path) -> None:
    # 3 workloads of 4 vCPU, alpha holds 8 and nothing else may take them
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=8)],
        workloads=[workload(f"w{i}", 4, 2, "sensitive") for i in range(3)],
    )
    inputs = load_inputs(path)
    cands = build_candidates(inputs)
    full = diagnose(inputs, cands, [], TimeBudget(60.0))
    assert full.proven and [s.missing for s in full.shortfalls] == [4.0]
    clock = Clock()
    budget = TimeBudget(1.0, clock)
    clock.now_s += 1.0
    cut = diagnose(inputs, cands, [], budget)
    assert not cut.proven
    assert diagnosis_text(cut).startswith(
        "scenario 'test' has no feasible plan. What would make it "
        "feasible (elastic model not solved to optimality):"
    )


def test_the_plan_names_what_was_cut_short(tmp_path: Path) -> None:
    run = run_plan(TINY)
    cuts = [
        Cut(CutKind.REFERENCE_SOLVE),
        Cut(CutKind.SHADOW_PRICES),
        Cut(CutKind.SHADOW_RESOLVES, 12, 20),
    ]
    record = solver_record(run.result, cuts=cuts)
    lines = (
        "share-cap reference solve: stopped at its time limit, not proven optimal (the "
        "share caps are shares of the spend of the plan it found)",
        "shadow prices: skipped (time limit)",
        "shadow prices: 12 of 20 re-solves skipped (time limit)",
    )
    assert tuple(map(cut_text, record.cut_short)) == lines
    plan = run.plan.model_copy(update={"solver": record})
    saved_cuts = json.loads(render_json(plan))["solver"]["cut_short"]
    assert [c["text"] for c in saved_cuts] == list(lines)
    assert [c["kind"] for c in saved_cuts] == [
        "reference_solve",
        "shadow_prices",
        "shadow_resolves",
    ]
    saved = tmp_path / "plan.json"
    saved.write_text(render_json(plan))
    assert load_plan(str(saved)).solver.cut_short == record.cut_short
    text = render_text(plan).splitlines()
    solver = next(i for i, line in enumerate(text) if line.startswith("Solver:"))
    assert text[solver + 1] == "Cut short:       " + "; ".join(lines)
    markdown = render(plan, Format.md)
    assert "| Cut short by the time limit | " + "; ".join(lines) + " |\n" in markdown


def test_nothing_cut_short_leaves_the_plan_as_it_was() -> None:
    plan = run_plan(TINY).plan
    assert plan.solver.cut_short == ()
    assert "cut_short" not in json.loads(render_json(plan))["solver"]
    assert "Cut short" not in render_text(plan)

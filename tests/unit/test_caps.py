"""Each cap object on a tiny estate: the rows it builds (keys, coefficients, right-hand sides),
how it checks a finished plan, its slack scale, violation and shadow-price unit; and pruning,
which refuses to run for a constraint family it does not know to be sound for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.candidates.evaluate import Decision, Evaluator, Var
from planner.candidates.pruning import SOUND_FOR, prune_dominated
from planner.candidates.units import build_candidates
from planner.inputs import load_inputs
from planner.inputs.frozen import Inputs
from planner.optimise.caps import CAPS, CapContext, CapState, cap_of, cap_rows, model_kinds
from planner.optimise.model import build_model
from planner.optimise.model.terms import constraint
from planner.optimise.rows import RowKey, RowKind, cap_key, capacity_key
from planner.render.wording import cap_label, cap_raised, violation_text
from tests.helpers import offer, provider, site, workload, write_scenario

CAPS_SET = {
    "monthly_budget_eur": 100,
    "migration_budget_eur": 250,
    "max_moves": 1,
    "max_outsourced_share_pct": 50,
    "max_provider_share_pct": 40,
}
REFERENCE_EUR = 200.0


def _inputs(tmp_path: Path, caps: dict[str, Any]) -> Inputs:
    # a and b: 2 vCPU, 8 GiB each: 2*10 + 8*1 = 28 on alpha, 2*20 + 8*2 = 56 on o1 (p1),
    # 2*15 + 8*1.5 = 42 on o2 (p2). a runs on alpha (move 300), b on o1 (move 100).
    path = write_scenario(
        tmp_path,
        sites=[site("alpha")],
        providers=[
            provider("p1", [offer("o1")]),
            provider("p2", [offer("o2", vcpu_price=15, ram_price=1.5)]),
        ],
        workloads=[
            workload("a", current_site="alpha", move_cost_eur=300),
            workload("b", current_site="o1", move_cost_eur=100),
        ],
        caps=caps,
    )
    return load_inputs(path)


def _ctx(inputs: Inputs) -> CapContext:
    cands = build_candidates(inputs)
    return CapContext(inputs, cands, Evaluator(cands), REFERENCE_EUR)


def _rows(tmp_path: Path) -> dict[RowKey, tuple[dict[Var, float], float]]:
    ctx = _ctx(_inputs(tmp_path, CAPS_SET))
    return {row.key: (dict(row.terms), row.rhs) for _, row in cap_rows(ctx)}


def x(unit: str, place: str) -> Var:
    return Var("x", unit, place)


def _is(row: tuple[dict[Var, float], float], terms: dict[Var, float], rhs: float) -> bool:
    return row[0] == pytest.approx(terms) and row[1] == pytest.approx(rhs)


def test_budget_rows(tmp_path: Path) -> None:
    rows = _rows(tmp_path)
    assert _is(
        rows[cap_key("monthly_budget")],
        {
            x("a", "alpha"): 28,
            x("a", "o1"): 56,
            x("a", "o2"): 42,
            x("b", "alpha"): 28,
            x("b", "o1"): 56,
            x("b", "o2"): 42,
        },
        100,
    )
    assert rows[cap_key("migration_budget")] == (
        {x("a", "o1"): 300, x("a", "o2"): 300, x("b", "alpha"): 100, x("b", "o2"): 100},
        250,
    )
    assert rows[cap_key("max_moves")] == (
        {x("a", "o1"): 1, x("a", "o2"): 1, x("b", "alpha"): 1, x("b", "o2"): 1},
        1,
    )


def test_share_rows_against_the_reference_spend(tmp_path: Path) -> None:
    rows = _rows(tmp_path)
    assert _is(
        rows[cap_key("outsourced_share")],
        {x("a", "o1"): 56, x("a", "o2"): 42, x("b", "o1"): 56, x("b", "o2"): 42},
        100,
    )
    assert _is(rows[cap_key("provider_share", "p1")], {x("a", "o1"): 56, x("b", "o1"): 56}, 80)
    assert _is(rows[cap_key("provider_share", "p2")], {x("a", "o2"): 42, x("b", "o2"): 42}, 80)
    assert len(rows) == 6
    # without the reference spend (the first solve) the share caps have no rows
    ctx = _ctx(_inputs(tmp_path, CAPS_SET))
    first = CapContext(ctx.inputs, ctx.cands, ctx.evaluator, None)
    assert {row.key.cap for _, row in cap_rows(first)} == {
        "monthly_budget",
        "migration_budget",
        "max_moves",
    }


def test_the_model_adds_the_cap_rows_under_typed_keys(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path, CAPS_SET)
    cands = build_candidates(inputs)
    model = build_model(inputs, cands, share_reference_eur=REFERENCE_EUR)
    assert sorted(k.id for k in model.rows) == [
        "cap:max_moves",
        "cap:migration_budget",
        "cap:monthly_budget",
        "cap:outsourced_share",
        "cap:provider_share:p1",
        "cap:provider_share:p2",
        "capacity:alpha:ram_gib",
        "capacity:alpha:vcpu",
    ]
    assert capacity_key("alpha", "vcpu") in model.rows
    for key, (terms, rhs) in _rows(tmp_path / "again").items():
        row = constraint(model.problem, model.rows[key])
        assert {var.name: coef for var, coef in row.items()} == pytest.approx(
            {model.var(v).name: coef for v, coef in terms.items()}
        )
        assert -row.constant == pytest.approx(rhs)


def test_a_finished_plan_is_checked_by_the_caps(tmp_path: Path) -> None:
    ctx = _ctx(_inputs(tmp_path, CAPS_SET))
    # a stays on alpha (28), b moves to o2 (42, one move, 100 one-off)
    state = CapState(ctx, Decision(x={("a", "alpha"): 1, ("b", "o2"): 1}))
    assert [cap_label(c) for c in state.over(0.005)] == ["at most 1 moves"]  # 1 move of 1
    # a to o2 as well: 2 moves, 400 one-off, p2 at 84 > 80; 84 in all stays within 100
    change = {x("a", "alpha"): -1.0, x("a", "o2"): 1.0}
    assert [cap_label(c) for c in state.over(-0.005, change)] == [
        "share of provider 'p2' ≤ 40 % of €200.00",
        "migration budget €250.00",
        "at most 1 moves",
    ]


def test_slack_scales_violations_and_shadow_units(tmp_path: Path) -> None:
    ctx = _ctx(_inputs(tmp_path, CAPS_SET))
    evaluation = ctx.evaluator.evaluate(Decision(x={("a", "o1"): 1, ("b", "o1"): 1}))
    budget, share = cap_key("monthly_budget"), cap_key("provider_share", "p1")
    assert cap_of(budget).slack_scale(budget, ctx, 5000) == pytest.approx(1 / 100)
    assert cap_of(share).slack_scale(share, ctx, 5000) == pytest.approx(1 / 5000)
    assert violation_text(cap_of(budget).violation(budget, 12, ctx, evaluation)) == (
        "the monthly budget of €100.00 is too small by €12.00: the cheapest placement within "
        "capacity costs €112.00"
    )
    # p1's spend is 112 = 56 % of the 200 reference: 16 points over its 40 %
    violation = cap_of(share).violation(share, 32, ctx, evaluation)
    assert (violation.cap, violation.limit, violation.needed) == ("provider_share:p1", 40, 56)
    unit = cap_of(share).shadow_unit(share, ctx)
    assert (unit.step, unit.unit) == (2.0, "percentage point")
    assert cap_raised(cap_of(share).ref(share, ctx)) == (
        "the share cap of provider 'p1' by 1 percentage point"
    )
    moves = cap_key("max_moves")
    assert cap_raised(cap_of(moves).ref(moves, ctx)) == "the maximum number of moves by 1"


def test_model_kinds_name_the_caps_set(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path, {"monthly_budget_eur": 100})
    assert model_kinds(inputs.scenario.caps) == {
        "assignment",
        "capacity",
        "quota",
        "activation",
        "anti_affinity",
        "cap:monthly_budget",
    }
    assert RowKey(RowKind.CAP, cap="monthly_budget").family == "cap:monthly_budget"
    assert {c.code for c in CAPS} >= {"monthly_budget", "provider_share"}


def test_pruning_runs_only_for_families_it_is_sound_for(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path, {"monthly_budget_eur": 1000})
    cands = build_candidates(inputs)
    kinds = model_kinds(inputs.scenario.caps)
    assert kinds <= SOUND_FOR
    pruned = prune_dominated(inputs, cands, kinds)
    # o1 (56, one move) is dominated by o2 (42, one move) for a, never for b (it stays on o1)
    options = {u.id: sorted(o.place_id for o in u.options) for u in pruned.units}
    assert options == {"a": ["alpha", "o2"], "b": ["alpha", "o1", "o2"]}
    assert prune_dominated(inputs, cands, kinds | {"cap:a_new_cap"}) is cands
    assert prune_dominated(inputs, cands, kinds | {"cap:provider_share"}) is cands

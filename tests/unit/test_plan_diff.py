"""Plan diffs on hand-worked scenarios, and the merge gates at their exact thresholds."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.analysis.diff import Delta, PlanDiff, ResourceDiff, _exchanges, diff_plans
from planner.analysis.gates import PROVEN, Gates, Proof, evaluate
from planner.pipeline import run_plan
from planner.plan.document import PlacementState, Plan
from tests.helpers import site, workload, write_scenario

ROOT = Path(__file__).resolve().parent.parent.parent
TINY = str(ROOT / "tests/fixtures/tiny/scenario.yaml")
NEXT = str(ROOT / "tests/fixtures/tiny-next/scenario.yaml")


def _plan(path: str) -> Plan:
    return run_plan(path).plan


def test_identical_plans_have_no_changes() -> None:
    plan = _plan(TINY)
    diff = diff_plans(plan, plan)
    assert not diff.has_changes and diff.resources == () and diff.by_provider == {}


def test_moved_added_retired_with_hand_worked_costs() -> None:
    # tiny: w1, w2 on alpha at 4x10 + 16x1 + 100x0.1 = 66 each; w3 on pub (flavour small, 30).
    # next: w2 retired; w5 added (1x10 + 2x1 = 12 on alpha); pub's small flavour now 33, so w3
    # moves to alpha (2x10 + 8x1 = 28, plus 72 / 36 months = 2 of move cost < 33).
    diff = diff_plans(_plan(TINY), _plan(NEXT))
    rows = [(r.action, r.address, r.cost.before, r.cost.after) for r in diff.resources]
    assert rows == [
        ("retired", "placement.w2", 66.0, 0.0),
        ("moved", "placement.w3", 30.0, 28.0),
        ("added", "placement.w5", 0.0, 12.0),
    ]
    assert (diff.monthly.before, diff.monthly.after) == (162.0, 106.0)
    assert diff.monthly.difference == -56.0 and diff.monthly.pct == -34.57
    assert (diff.one_off.before, diff.one_off.after) == (0.0, 72.0)
    assert diff.outsourced_share_pct.after == 0.0
    classes = {
        c.name: (c.cost.before, c.cost.after, c.in_house, c.outsourced) for c in diff.by_data_class
    }
    assert classes == {
        "public": (30.0, 40.0, (0, 2), (1, 0)),
        "sensitive": (132.0, 66.0, (2, 1), (0, 0)),
    }
    assert {b: (d.before, d.after) for b, d in diff.by_provider.items()} == {
        "internal": (132.0, 106.0),
        "provider:bigco": (30.0, 0.0),
    }


def _priced(tmp_path: Path, ram_price: float, vcpu: float = 2) -> Plan:
    work = [
        workload("s", vcpu=4, ram_gib=16, data_class="sensitive", current_site="alpha"),
        workload("p", vcpu=vcpu, ram_gib=4, current_site="alpha"),
    ]
    return _plan(
        write_scenario(tmp_path, sites=[site("alpha", cost_ram=ram_price)], workloads=work)
    )


def test_one_price_moves_only_what_uses_it(tmp_path: Path) -> None:
    # RAM 1.00 -> 1.25 per GiB: s (16 GiB) +4.00, p (4 GiB) +1.00; both in-house
    diff = diff_plans(_priced(tmp_path / "a", 1.0), _priced(tmp_path / "b", 1.25))
    assert [(r.action, r.name, r.cost.difference) for r in diff.resources] == [
        ("repriced", "p", 1.0),
        ("repriced", "s", 4.0),
    ]
    assert diff.monthly.difference == 5.0
    assert not diff.one_off_changed and not diff.share_changed
    assert list(diff.by_provider) == ["internal"]


def test_changes_within_the_tolerance_give_no_line(tmp_path: Path) -> None:
    # RAM 1.00 -> 1.001: s +0.016 -> 0.02 after rounding, p +0.004 -> 0.00
    old, new = _priced(tmp_path / "a", 1.0), _priced(tmp_path / "b", 1.001)
    assert not diff_plans(old, new, tolerance_eur=0.05).has_changes
    strict = diff_plans(old, new, tolerance_eur=0.0)
    assert [(r.name, r.cost.difference) for r in strict.resources] == [("s", 0.02)]


def test_expansion_built_is_a_line(tmp_path: Path) -> None:
    block = {
        "id": "rack",
        "adds": {"vcpu": 8, "ram_gib": 32},
        "capex_eur": 1200,
        "amortisation_months": 12,
        "opex_eur_month": 20,
        "max_blocks": 1,
    }
    alpha = site("alpha", expansion_blocks=[block])
    base = [workload("s", vcpu=4, ram_gib=16, data_class="sensitive", current_site="alpha")]
    old = _plan(write_scenario(tmp_path / "a", sites=[alpha], workloads=base))
    grown = [*base, workload("t", vcpu=8, ram_gib=1, data_class="sensitive")]
    new = _plan(write_scenario(tmp_path / "b", sites=[alpha], workloads=grown))
    diff = diff_plans(old, new)
    expansion = [r for r in diff.resources if r.kind == "expansion"]
    # 1200 / 12 + 20 = 120 per month
    assert [(r.action, r.name, r.cost.after) for r in expansion] == [("added", "alpha.rack", 120.0)]


def _diff(before: float, after: float, share_after: float = 0.0) -> PlanDiff:
    return PlanDiff(
        "old", "new", 0.01, (), Delta(before, after), Delta(0, 0), Delta(0, share_after), (), {}
    )


@pytest.mark.parametrize("threshold, fires", [(1.85, False), (1.84, True)])
def test_cost_pct_gate_at_its_threshold(threshold: float, fires: bool) -> None:
    fired = evaluate(
        _diff(162.0, 165.0), Gates(cost_increase_pct=threshold), 0, PROVEN, PROVEN
    )  # +1.85 %
    assert bool(fired) is fires
    if fires:
        assert fired[0].option == "--fail-on-cost-increase-pct 1.84"


@pytest.mark.parametrize("threshold, fires", [(3.0, False), (2.99, True)])
def test_cost_eur_gate_at_its_threshold(threshold: float, fires: bool) -> None:
    assert (
        bool(evaluate(_diff(162.0, 165.0), Gates(cost_increase_eur=threshold), 0, PROVEN, PROVEN))
        is fires
    )


@pytest.mark.parametrize("threshold, fires", [(20.0, False), (19.99, True)])
def test_outsourced_share_gate_at_its_threshold(threshold: float, fires: bool) -> None:
    fired = evaluate(
        _diff(100.0, 100.0, share_after=20.0),
        Gates(outsourced_share_pct=threshold),
        0,
        PROVEN,
        PROVEN,
    )
    assert bool(fired) is fires


def test_warning_gate_and_decreases() -> None:
    assert evaluate(_diff(1, 1), Gates(on_warning=True), 0, PROVEN, PROVEN) == []
    assert [f.option for f in evaluate(_diff(1, 1), Gates(on_warning=True), 2, PROVEN, PROVEN)] == [
        "--fail-on-warning"
    ]
    falling = Gates(cost_increase_pct=0, cost_increase_eur=0)
    assert evaluate(_diff(165.0, 162.0), falling, 0, PROVEN, PROVEN) == []
    assert evaluate(_diff(162.0, 162.01), falling, 0, PROVEN, PROVEN) == []  # within the tolerance
    # from nothing: any increase
    assert len(evaluate(_diff(0.0, 10.0), falling, 0, PROVEN, PROVEN)) == 2


def _move(name: str, src: str, dst: str, cost_src: float, cost_dst: float) -> ResourceDiff:
    def state(site: str, cost: float) -> PlacementState:
        return PlacementState(
            site=site, kind="internal", provider=None, cost_eur_month=cost, basis="unit costs"
        )

    return ResourceDiff(
        "placement",
        name,
        "moved",
        state(src, cost_src),
        state(dst, cost_dst),
        Delta(cost_src, cost_dst),
    )


def test_replicas_exchanging_equal_places_are_no_change() -> None:
    moves = [
        _move("a", "x", "y", 10.0, 12.0),
        _move("b", "y", "x", 12.0, 10.0),  # a pair
        _move("p", "x", "y", 5.0, 6.0),
        _move("q", "y", "z", 6.0, 7.0),
        _move("r", "z", "x", 7.0, 5.0),  # a cycle of three
        _move("s", "x", "y", 10.0, 12.0),
        _move("t", "y", "x", 12.5, 10.0),
    ]  # not equal
    kept, cycles = _exchanges(moves)
    assert cycles == [("a", "b"), ("p", "q", "r")]
    assert [m.name for m in kept] == ["s", "t"]


def test_a_rise_within_the_new_plans_gap_is_not_proven() -> None:
    # +€5.00 on €100 (+5 %); the new plan's gap of 4 % may hide €105 x 4 % = €4.20, so the
    # proven rise is €0.80 (0.80 %)
    new = Proof(True, 4.0, "optimal")
    pct = evaluate(_diff(100.0, 105.0), Gates(cost_increase_pct=1), 0, PROVEN, new)
    assert [(f.option, f.verdict) for f in pct] == [("--fail-on-cost-increase-pct 1", "not proven")]
    assert pct[0].reason == (
        "the monthly cost rises by 5.00 % (+€5.00), more than 1 %; not proven: within the new "
        "plan's solver gap of 4.00 %, the proven rise is €0.80, 0.80 % (give the solver more "
        "time or a smaller gap, or use --require-proven)"
    )
    eur = evaluate(_diff(100.0, 105.0), Gates(cost_increase_eur=3), 0, PROVEN, new)
    assert [f.verdict for f in eur] == ["not proven"]
    # beyond the gap it fails: €0.80 proven is more than €0.50
    assert [
        f.verdict
        for f in evaluate(_diff(100.0, 105.0), Gates(cost_increase_eur=0.5), 0, PROVEN, new)
    ] == ["failed"]
    assert [
        f.verdict
        for f in evaluate(_diff(100.0, 105.0), Gates(cost_increase_pct=0.79), 0, PROVEN, new)
    ] == ["failed"]


def test_an_unproven_new_plan_without_gap_proves_no_rise() -> None:
    new = Proof(False, None, "time_limit")
    fired = evaluate(_diff(100.0, 150.0), Gates(cost_increase_pct=1), 0, PROVEN, new)
    assert [f.verdict for f in fired] == ["not proven"]
    assert (
        "the new plan is not proven optimal (time_limit, gap unknown): no rise is proven"
        in fired[0].reason
    )


def test_the_old_plans_gap_never_excuses_a_rise() -> None:
    # a better old plan could only make the rise larger
    old = Proof(False, 50.0, "time_limit")
    fired = evaluate(_diff(100.0, 105.0), Gates(cost_increase_pct=1), 0, old, PROVEN)
    assert [f.verdict for f in fired] == ["failed"]


def test_require_proven_fails_on_either_unproven_side() -> None:
    old = Proof(False, 2.0, "time_limit")
    gates = Gates(require_proven=True)
    assert evaluate(_diff(100.0, 100.0), gates, 0, PROVEN, PROVEN) == []
    fired = evaluate(_diff(100.0, 100.0), gates, 0, old, PROVEN)
    assert [(f.format(), f.verdict) for f in fired] == [
        ("--require-proven: the old plan is not proven optimal (time_limit, gap 2.00 %)", "failed")
    ]

"""Properties of plan diffs on generated plans: symmetry, no change with itself, costs add up."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.analysis.diff import diff_plans
from planner.plan.document import (
    Change,
    PlacementChange,
    PlacementState,
    Plan,
    ScenarioRecord,
    SolverRecord,
    Totals,
)

SITES = ("i1", "i2", "e1")
Placements = dict[str, tuple[str, float]]

placements = st.dictionaries(
    st.sampled_from([f"w{i}" for i in range(8)]),
    st.tuples(st.sampled_from(SITES), st.integers(0, 5000).map(lambda cents: cents / 100)),
    max_size=8,
)


def make_plan(placed: Placements) -> Plan:
    """A plan whose end state is `placed`: workload -> (site, monthly cost)."""
    changes = []
    buckets: dict[str, float] = {}
    for wid, (site, cost) in sorted(placed.items()):
        internal = site.startswith("i")
        after = PlacementState(
            site=site,
            kind="internal" if internal else "external",
            provider=None if internal else "p",
            cost_eur_month=cost,
            basis="unit costs",
        )
        changes.append(
            PlacementChange(
                address=f"planner_placement.{wid}",
                name=wid,
                change=Change(actions=("create",), before=None, after=after),
            )
        )
        bucket = "internal" if internal else "provider:p"
        buckets[bucket] = round(buckets.get(bucket, 0.0) + cost, 2)
    total = round(sum(buckets.values()), 2)
    outsourced = buckets.get("provider:p", 0.0)
    totals = Totals(
        monthly_cost_before_eur=0.0,
        monthly_cost_after_eur=total,
        monthly_difference_eur=total,
        monthly_difference_pct=None,
        one_off_migration_eur=0.0,
        to_add=len(changes),
        to_change=0,
        to_destroy=0,
        moves=0,
        cost_by_bucket_before_eur={},
        cost_by_bucket_after_eur=buckets,
        expansion_cost_eur_month=0.0,
        outsourced_share_pct=round(100 * outsourced / total, 2) if total else 0.0,
        by_data_class={},
        sites=(),
    )
    scenario = ScenarioRecord(
        name="generated",
        description=None,
        file="generated.yaml",
        reference_date="2026-11-29",
        internal_preference_pct=0.0,
        horizon_months=36,
        caps={},
        catalog_digests={},
        overrides_applied=(),
        baseline=None,
    )
    solver = SolverRecord(
        name="highs",
        status="optimal",
        proven_optimal=True,
        objective_eur=total,
        bound_eur=total,
        gap_pct=0.0,
        gap_tolerance_pct=0.0,
        time_s=None,
        time_limit_s=60.0,
        message="",
    )
    return Plan(
        planner_version="test",
        scenario=scenario,
        resource_changes=tuple(changes),
        totals=totals,
        solver=solver,
    )


MIRROR = {"added": "retired", "retired": "added", "moved": "moved", "repriced": "repriced"}


@settings(max_examples=200, deadline=None)
@given(placements)
def test_a_plan_has_no_change_with_itself(placed: Placements) -> None:
    plan = make_plan(placed)
    assert not diff_plans(plan, plan, tolerance_eur=0.0).has_changes


@settings(max_examples=200, deadline=None)
@given(placements, placements)
def test_diff_backwards_is_the_mirror_image(a: Placements, b: Placements) -> None:
    forward = diff_plans(make_plan(a), make_plan(b), tolerance_eur=0.0)
    backward = diff_plans(make_plan(b), make_plan(a), tolerance_eur=0.0)
    assert sorted((r.name, MIRROR[r.action]) for r in forward.resources) == sorted(
        (r.name, r.action) for r in backward.resources
    )
    assert {frozenset(c) for c in forward.exchanges} == {frozenset(c) for c in backward.exchanges}
    assert forward.monthly.difference == -backward.monthly.difference


@settings(max_examples=200, deadline=None)
@given(placements, placements)
def test_lines_shown_add_up_to_the_monthly_difference(a: Placements, b: Placements) -> None:
    diff = diff_plans(make_plan(a), make_plan(b), tolerance_eur=0.0)
    shown = sum(r.cost.after - r.cost.before for r in diff.resources)
    assert abs(shown - (diff.monthly.after - diff.monthly.before)) < 1e-6
    # every workload whose end state differs is shown, or is part of a cost-neutral exchange
    differing = {w for w in set(a) | set(b) if a.get(w) != b.get(w)}
    exchanged = {w for cycle in diff.exchanges for w in cycle}
    assert {r.name for r in diff.resources} | exchanged == differing


def test_markdown_comment_folds_at_most_max_rows() -> None:
    from planner.render.base import Format
    from planner.render.diff import MAX_ROWS, render_diff

    many = {f"w{i:03d}": ("i1", 1.0) for i in range(MAX_ROWS + 5)}
    diff = diff_plans(make_plan({}), make_plan(many))
    text = render_diff(diff, Format.md, [])
    assert text.count("| added | `placement.") == MAX_ROWS
    assert "5 more not shown: see `planner diff --format json`." in text
    assert "| Resources |  |  | 205 added |" in text

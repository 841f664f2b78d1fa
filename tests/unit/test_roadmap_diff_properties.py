"""Properties of the wave-by-wave diff on generated roadmap records: nothing differs from
itself, swapping the sides swaps added and removed and negates every difference, and the
workloads listed as changing path are exactly those whose moves differ."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.analysis.roadmap_diff import RoadmapDiff, diff_roadmaps
from planner.plan.document import Change, PlacementChange, PlacementState
from planner.plan.roadmap import RoadmapRecord, WaveRecord, WaveTotals, YearRecord

PERIODS = ("2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4")
STARTS = ("2027-01-01", "2027-04-01", "2027-07-01", "2027-10-01")
ENDS = ("2027-03-31", "2027-06-30", "2027-09-30", "2027-12-31")
SITES = ("alpha", "beta")
Moves = dict[str, tuple[int, str]]  # workload -> (period index, destination) of its one move

moves = st.dictionaries(
    st.sampled_from([f"w{i}" for i in range(6)]),
    st.tuples(st.integers(0, len(PERIODS) - 1), st.sampled_from(SITES)),
    max_size=6,
)
budgets = st.none() | st.integers(0, 2000).map(float)


def _state(site: str, cost: float) -> PlacementState:
    return PlacementState(
        site=site,
        kind="external" if site == "pub" else "internal",
        provider="cloud" if site == "pub" else None,
        cost_eur_month=cost,
        basis="unit costs",
    )


def record(plan: Moves, count: int, budget: float | None) -> RoadmapRecord:
    """`count` quarters of 2027; every workload starts on pub (56 a month) and moves once, as
    `plan` says (28 a month after), each move 100 one-off."""
    waves = []
    for t in range(count):
        changes = tuple(
            PlacementChange(
                address=f"planner_placement.{w}",
                name=w,
                change=Change(
                    actions=("delete", "create"),
                    before=_state("pub", 56.0),
                    after=_state(site, 28.0),
                ),
            )
            for w, (period, site) in sorted(plan.items())
            if period == t
        )
        monthly = sum(28.0 if p <= t else 56.0 for p, _ in plan.values())
        waves.append(
            WaveRecord(
                name=PERIODS[t],
                start=STARTS[t],
                end=ENDS[t],
                months=3,
                frozen=False,
                resource_changes=changes,
                totals=WaveTotals(
                    to_add=len(changes),
                    to_change=0,
                    to_destroy=len(changes),
                    moves=len(changes),
                    one_off_eur=100.0 * len(changes),
                    monthly_cost_eur=monthly,
                    opex_eur=3 * monthly,
                    capex_eur=0.0,
                ),
            )
        )
    year = YearRecord(
        year=2027,
        opex_eur=sum(w.totals.opex_eur for w in waves),
        capex_eur=0.0,
        migration_eur=sum(w.totals.one_off_eur for w in waves),
        migration_budget_eur=budget,
    )
    return RoadmapRecord(
        discount_rate_pct=0.0,
        horizon_start=STARTS[0],
        horizon_end=ENDS[count - 1],
        waves=tuple(waves),
        years=(year,),
    )


def _signature(d: RoadmapDiff) -> list[tuple[str, str, str]]:
    return sorted((w.period, c.address, c.change) for w in d.waves for c in w.changes)


@settings(max_examples=150, deadline=None)
@given(moves, budgets, st.integers(1, len(PERIODS)))
def test_a_roadmap_against_itself_differs_in_nothing(
    plan: Moves, budget: float | None, count: int
) -> None:
    plan = {w: (min(p, count - 1), s) for w, (p, s) in plan.items()}
    r = record(plan, count, budget)
    d = diff_roadmaps(r, r)
    assert not d.has_changes and d.paths == () and all(not w.changes for w in d.waves)
    assert [w.period for w in d.waves] == list(PERIODS[:count])


@settings(max_examples=150, deadline=None)
@given(moves, moves, budgets, budgets, st.integers(1, 4), st.integers(1, 4))
def test_swapping_the_sides_swaps_every_change(
    a: Moves, b: Moves, budget_a: float | None, budget_b: float | None, na: int, nb: int
) -> None:
    a = {w: (min(p, na - 1), s) for w, (p, s) in a.items()}
    b = {w: (min(p, nb - 1), s) for w, (p, s) in b.items()}
    old, new = record(a, na, budget_a), record(b, nb, budget_b)
    forward, backward = diff_roadmaps(old, new), diff_roadmaps(new, old)
    flip = {"added": "removed", "removed": "added", "changed": "changed"}
    assert _signature(backward) == sorted(
        (period, address, flip[change]) for period, address, change in _signature(forward)
    )
    assert forward.has_changes == backward.has_changes
    for f, g in zip(forward.waves, backward.waves, strict=True):
        assert f.period == g.period and {f.on, g.on} in ({"both"}, {"old", "new"})
        for (_, x), (_, y) in zip(f.figures(), g.figures(), strict=True):
            assert (x.before, x.after) == (y.after, y.before)
            assert x.difference is None or x.difference == -(y.difference or 0.0)
    # the paths listed are exactly the workloads whose move differs (period or destination)
    differ = {w for w in set(a) | set(b) if a.get(w) != b.get(w)}
    assert {p.name for p in forward.paths} == differ
    # and nothing differs only when the moves, the periods and the budget are the same
    assert forward.has_changes == (differ != set() or na != nb or budget_a != budget_b)


@settings(max_examples=50, deadline=None)
@given(moves, moves)
def test_a_move_count_differs_whatever_the_euro_tolerance(a: Moves, b: Moves) -> None:
    """The tolerance is in euros: a wave with one move more differs even at 1,000 EUR."""
    old, new = record(a, 4, None), record(b, 4, None)
    d = diff_roadmaps(old, new, tolerance_eur=1000.0)
    for w, x, y in zip(d.waves, old.waves, new.waves, strict=True):
        differs = x.totals.moves != y.totals.moves
        assert (("moves", w.moves) in w.changed_figures(1000.0)) == differs
        assert not differs or w.has_changes(1000.0)

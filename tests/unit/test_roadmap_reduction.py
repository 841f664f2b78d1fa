"""A roadmap of one period is today's model exactly: the same optimum on every demo scenario,
the test fixtures and the small published instances.

The one period is the reference date's month; its objective is today's monthly objective
times its one month (one-off costs amortised over `horizon_months` from the wave, as today's
model amortises them)."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from benchmarks.instances import SHARED, Instance, all_instances, write_scenario
from planner.errors import InfeasibleError, InputError
from planner.inputs.frozen import Inputs
from planner.inputs.schema import Roadmap
from planner.inputs.schema.roadmap import add_months
from planner.pipeline import load_and_check, run_plan, run_roadmap, solve_options
from planner.plan.roadmap_document import RoadmapPlan

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted(
    p for p in (ROOT / "scenarios").glob("*.yaml") if not p.name.startswith("roadmap-")
)
FIXTURES = [
    ROOT / "tests/fixtures/tiny/scenario.yaml",
    *sorted((ROOT / "tests/fixtures/share-caps").glob("*-share.yaml")),
]


def one_period(inputs: Inputs) -> Inputs:
    """The scenario with a roadmap of one period: its reference date's month."""
    day = inputs.scenario.reference_date
    start = date(day.year, day.month, 1)
    period = {"name": "now", "start": start, "end": add_months(start, 1) - timedelta(days=1)}
    roadmap = Roadmap.model_validate({"named_periods": (period,)})
    return replace(inputs, scenario=inputs.scenario.model_copy(update={"roadmap": roadmap}))


def _both(path: str) -> tuple[float | None, float | None]:
    """(today's optimum, the one-period roadmap's); None where there is no plan."""
    try:
        snapshot = run_plan(path).result.objective
    except InfeasibleError:
        snapshot = None
    inputs, warnings = load_and_check(path)
    inputs = one_period(inputs)
    if inputs.scenario.objective.buy_commitments:  # a roadmap may not buy commitments yet
        with pytest.raises(InputError, match="cannot buy commitments"):
            run_roadmap(inputs, warnings, solve_options(inputs), {})
        return snapshot, snapshot
    try:
        run = run_roadmap(inputs, warnings, solve_options(inputs), {})
    except InfeasibleError:
        return snapshot, None
    assert isinstance(run.plan, RoadmapPlan)
    assert run.result.status.value == "optimal"
    return snapshot, run.result.objective


@pytest.mark.parametrize("path", SCENARIOS + FIXTURES, ids=lambda p: p.stem)
def test_one_period_gives_todays_optimum(path: Path) -> None:
    if load_and_check(str(path))[0].scenario.sizing.in_play():
        pytest.skip("a roadmap plans as provisioned: a sizing policy there is an input error")
    snapshot, roadmap = _both(str(path))
    if path.stem == "what-if-impossible":
        assert (snapshot, roadmap) == (None, None)
        return
    assert snapshot is not None and roadmap is not None
    assert roadmap == pytest.approx(snapshot, rel=1e-9, abs=1e-6)


SMALL = (
    [i for i in all_instances() if i.name in ("gap1-0", "gap2-0", "p1", "p2")]
    if (SHARED / "gap" / "optima.csv").is_file()
    else []
)


@pytest.mark.skipif(not SMALL, reason=f"public benchmark instances not found at {SHARED}")
@pytest.mark.parametrize("instance", SMALL, ids=lambda i: i.name)
def test_one_period_gives_the_published_optimum(instance: Instance) -> None:
    with tempfile.TemporaryDirectory(prefix=f"planner-{instance.name}-") as tmp:
        scenario = write_scenario(instance, Path(tmp), 60.0)
        snapshot, roadmap = _both(str(scenario))
    assert snapshot is not None and roadmap is not None
    assert roadmap == pytest.approx(snapshot, rel=1e-9, abs=1e-6)
    assert roadmap == pytest.approx(instance.optimum, abs=0.01)

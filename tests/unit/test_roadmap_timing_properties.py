"""A property of the runner-up timing on random small roadmaps (hypothesis, the generator of
test_roadmap_properties.py): the plan is proven optimal, so an alternative timing that no
rule the estimate checks stops is never cheaper than the plan's by more than the move
tie-break (1e-4 EUR a month per move over 36 months) and a cent of rounding. A cheaper one
would be a better roadmap the checks let through: a rule they miss."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings

from planner.errors import InfeasibleError
from planner.pipeline import run_plan
from planner.plan.roadmap_document import RoadmapPlan
from planner.plan.roadmap_timing import move_timings
from tests.unit.test_roadmap_properties import _scenario, roadmaps

TOLERANCE_EUR = 0.02


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roadmaps())
def test_an_alternative_no_rule_stops_is_never_cheaper(spec: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory(prefix="planner-timing-") as tmp:
        path = _scenario(spec, Path(tmp))
        try:
            run = run_plan(path)
        except InfeasibleError:
            assume(False)
            return
        plan = run.plan
        assert isinstance(plan, RoadmapPlan) and run.roadmap is not None
        assume(plan.solver.status == "optimal")
        m, rr = run.roadmap
        for load in spec["loads"]:
            for mt in move_timings(run.inputs, m, rr, plan.roadmap, load["id"]):
                for alt in mt.alternatives:
                    assert alt.verdict != "cheaper_not_proven"  # the plan is proven optimal
                    if alt.blockers or alt.objective_delta_eur is None:
                        assert alt.verdict == "blocked"
                        continue
                    assert alt.objective_delta_eur >= -TOLERANCE_EUR, (load["id"], mt, alt)
                    assert alt.verdict in ("dearer", "tie")

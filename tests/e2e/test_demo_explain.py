"""`explain` answers for every workload of the demo baseline, consistently with the plan."""

from __future__ import annotations

from planner.analysis.explain import explain_in
from planner.pipeline import run_plan
from planner.render.wording import REASON_SUMMARIES as CODES
from tests.helpers import to_win_of


def test_every_demo_workload_is_explained() -> None:
    run = run_plan("scenarios/baseline.yaml")
    placed = {rc.name: rc for rc in run.plan.resource_changes if rc.type == "planner_placement"}
    for w in run.inputs.workloads:
        e = explain_in(run.inputs, run, w.id)
        assert e.reason_code in CODES, w.id
        if w.retire:
            assert e.placed_on is None and e.reason_code == "retired"
            continue
        rc = placed[w.id]
        assert rc.change.after is not None and e.placed_on == rc.change.after.site
        assert rc.reason is not None and e.reason_code == rc.reason.code
        assert any(c.place == e.placed_on for c in e.eligible), w.id
        shown = {c.place for c in e.eligible} | {r.place for r in e.refused}
        assert shown == {p.id for p in run.candidates.places}, w.id
        if e.runner_up is not None:
            assert e.runner_up in to_win_of(e)

"""Properties of reasons and diagnoses on random small scenarios (hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings

from planner.errors import InfeasibleError, InputError
from planner.optimise.diagnosis import Diagnosis
from planner.pipeline import run_plan
from planner.render.wording import REASON_SUMMARIES as CODES
from tests.helpers import write_scenario
from tests.unit.test_properties import scenarios


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_every_workload_has_a_reason_and_every_failure_a_cause(spec: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_scenario(Path(tmp), **spec)
        try:
            run = run_plan(path)
        except InputError:
            event("input error")
            return
        except InfeasibleError as exc:
            event("infeasible")
            assert isinstance(exc.diagnosis, Diagnosis)
            # something is named: unplaceable workloads, missing capacity or a cap too tight
            assert exc.diagnosis.causes, str(exc)
            return
        event("plan")
        live = {w.id for w in run.inputs.workloads if not w.retire}
        reasons = {
            rc.name: rc.reason
            for rc in run.plan.resource_changes
            if rc.type == "planner_placement" and rc.change.after is not None
        }
        assert set(reasons) == live
        for wid, reason in reasons.items():
            assert reason is not None and reason.code in CODES, wid
            # at a proven optimum, a cheaper place is always kept out by something named
            assert reason.code != "solver_choice", (wid, reason)
        assert all(sp.value_eur_month > 0 for sp in run.plan.shadow_prices)

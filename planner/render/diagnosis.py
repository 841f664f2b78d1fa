"""An infeasible scenario's diagnosis as text (the error `planner plan` prints) and JSON."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from planner.errors import InfeasibleError
from planner.optimise.diagnosis import Diagnosis
from planner.optimise.roadmap.diagnosis import RoadmapDiagnosis
from planner.plan.document import dump_json
from planner.render.i18n import _
from planner.render.wording import (
    diagnosis_text,
    roadmap_diagnosis_text,
    shortfall_text,
    unplaced_text,
    violation_text,
)


def infeasible_text(exc: InfeasibleError) -> str:
    """The message of a scenario without a plan: its diagnosis, where there is one."""
    if isinstance(exc.diagnosis, RoadmapDiagnosis):
        return roadmap_diagnosis_text(exc.diagnosis)
    if not isinstance(exc.diagnosis, Diagnosis):
        return str(exc)
    text = diagnosis_text(exc.diagnosis)
    if exc.expected:
        text += "\n" + _("This is expected: the scenario declares 'expect: infeasible'.")
    return text


def diagnosis_data(d: Diagnosis) -> dict[str, Any]:
    """The diagnosis as JSON data, each cause with its sentence (`text`)."""
    return {
        "format_version": "1.0",
        "feasible": False,
        "causes": d.causes,
        "scenario": d.scenario,
        "proven": d.proven,
        "unplaced": [
            {
                "cause": u.cause,
                "workloads": list(u.workloads),
                "refusals": u.refusals,
                "text": unplaced_text(u),
            }
            for u in d.unplaced
        ],
        "shortfalls": [
            {
                **{k: v for k, v in asdict(s).items() if k not in ("limit_basis", "eligible")},
                "text": shortfall_text(s),
            }
            for s in d.shortfalls
        ],
        "caps": [
            {
                "cap": c.cap,
                "limit": c.limit,
                "needed": c.needed,
                "unit": c.unit,
                "text": violation_text(c),
            }
            for c in d.caps
        ],
    }


def render_diagnosis_json(d: Diagnosis) -> str:
    return dump_json(diagnosis_data(d))

"""A roadmap's plan: today's plan document (its keys are the end state, so every consumer of
a plan reads it as before) with the roadmap's waves and years under `roadmap`."""

from __future__ import annotations

import difflib

from planner.errors import InputError, InputIssue
from planner.plan.document import Plan
from planner.plan.roadmap import RoadmapRecord


class RoadmapPlan(Plan):
    """A plan with its roadmap."""

    roadmap: RoadmapRecord


def one_period(plan: Plan, name: str) -> RoadmapPlan:
    """The plan with only the wave of period `name` (`--period`); an unknown name, or a plan
    without a roadmap, is an input error."""
    if not isinstance(plan, RoadmapPlan):
        raise InputError(
            [InputIssue("--period applies to a roadmap plan; this scenario has no roadmap")]
        )
    names = [w.name for w in plan.roadmap.waves]
    if name not in names:
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "periods: " + ", ".join(names)
        raise InputError([InputIssue(f"no period named '{name}'", field="--period", hint=hint)])
    waves = tuple(w for w in plan.roadmap.waves if w.name == name)
    return plan.model_copy(update={"roadmap": plan.roadmap.model_copy(update={"waves": waves})})

"""A roadmap's plan: today's plan document (its keys are the end state, so every consumer of
a plan reads it as before) with the roadmap's waves and years under `roadmap`."""

from __future__ import annotations

from planner.plan.document import Plan
from planner.plan.roadmap import RoadmapRecord


class RoadmapPlan(Plan):
    """A plan with its roadmap."""

    roadmap: RoadmapRecord

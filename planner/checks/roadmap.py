"""Checks of a roadmap's dated inputs against its periods, each at the line it is about:
a freeze naming no period, a budget year outside the horizon, a block whose lead time is
longer than the horizon, a workload starting after the horizon's first day that is already
placed somewhere, dated events outside the horizon (warned: they change nothing)."""

from __future__ import annotations

import difflib

from planner.errors import InputIssue
from planner.inputs.frozen import Inputs
from planner.inputs.periods import periods_of
from planner.inputs.schema.roadmap import months_between


def _at(
    inputs: Inputs,
    key: str,
    message: str,
    field: str,
    hint: str | None = None,
    severity: str = "error",
) -> InputIssue:
    pos = inputs.where(key)
    return InputIssue(
        message,
        pos.file,
        pos.line,
        pos.column,
        field=field,
        hint=hint,
        severity=severity,
        code="roadmap-dates",
    )


def check_roadmap(inputs: Inputs) -> list[InputIssue]:
    """The roadmap's dated inputs against its periods (nothing without a roadmap)."""
    roadmap = inputs.scenario.roadmap
    if roadmap is None:
        return []
    periods = periods_of(roadmap)
    first, last = periods[0].start, periods[-1].end
    names = [p.name for p in periods]
    horizon_months = months_between(first, last)
    issues: list[InputIssue] = []
    for i, name in enumerate(roadmap.waves.freeze):
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1)
            issues.append(
                _at(
                    inputs,
                    f"scenario.roadmap.waves.freeze[{i}]",
                    f"unknown period name '{name}'",
                    "roadmap.waves.freeze",
                    f"did you mean '{close[0]}'?" if close else f"periods: {', '.join(names)}",
                )
            )
    for year in sorted(roadmap.budgets):
        if not first.year <= int(year) <= last.year:
            issues.append(
                _at(
                    inputs,
                    f"scenario.roadmap.budgets.{year}",
                    f"budget year {year} is outside the roadmap ({first} to {last})",
                    f"roadmap.budgets.{year}",
                )
            )
    for site in inputs.sites:
        for j, block in enumerate(site.expansion_blocks):
            if block.lead_time_months >= horizon_months and block.max_blocks > 0:
                issues.append(
                    _at(
                        inputs,
                        f"site:{site.id}.expansion_blocks[{j}].lead_time_months",
                        f"block '{block.id}' takes {block.lead_time_months} months to deliver, "
                        f"longer than the roadmap's {horizon_months}",
                        "lead_time_months",
                        "shorten the lead time or lengthen the roadmap",
                    )
                )
    for w in inputs.workloads:
        if w.starts_on is not None and w.starts_on > first and w.current_site is not None:
            issues.append(
                _at(
                    inputs,
                    f"workload:{w.id}.starts_on",
                    f"workload '{w.id}' starts on {w.starts_on}, after the roadmap's first day, "
                    f"but is already placed on '{w.current_site}'",
                    "starts_on",
                    "a new project has no current_site",
                )
            )
        for field, day in (("starts_on", w.starts_on), ("retires_on", w.retires_on)):
            if day is not None and not first <= day <= last:
                issues.append(
                    _at(
                        inputs,
                        f"workload:{w.id}.{field}",
                        f"{field} {day} is outside the roadmap ({first} to {last})",
                        field,
                        severity="warning",
                    )
                )
    return issues

"""`planner explain` as text or JSON, its decision and runner-up worded here."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any

from planner.analysis.explain import Explanation, InfeasibleNote
from planner.controls import json_escaped
from planner.render.i18n import _
from planner.render.templating import environment
from planner.render.wording import (
    alt_timing_text,
    blocker_text,
    demand_text,
    move_timing_text,
    reason_text,
    shortfall_text,
    sizing_how_text,
    timing_estimate_text,
    timing_text,
    to_win_text,
    unplaced_text,
)


def note_text(note: InfeasibleNote) -> str:
    """What the diagnosis of a scenario without a plan says about the workload."""
    if note.message is not None:
        return _("no plan exists: {message}", message=note.message)
    head = _(
        "the scenario has no feasible plan (`planner plan` gives the whole diagnosis: {causes})",
        causes=", ".join(note.causes),
    )
    items = [unplaced_text(u) for u in note.unplaced]
    items += [shortfall_text(s) for s in note.shortfalls]
    if not items:
        return head + _("; this workload is not among those named")
    return head + _("; about this workload: {items}", items=" | ".join(items))


def explanation_data(e: Explanation) -> dict[str, Any]:
    """The explanation as JSON data, with the reason and what would make the runner-up win
    as sentences."""
    data = {f.name: getattr(e, f.name) for f in fields(e)}
    data["eligible"] = [asdict(c) for c in e.eligible]
    data["refused"] = [asdict(r) for r in e.refused]
    data["reason"] = None if e.reason is None else reason_text(e.reason)
    data["to_win"] = None if e.to_win is None else to_win_text(e.to_win, e.group)
    data["note"] = None if e.note is None else note_text(e.note)
    data["path"] = [
        {
            "period": step.period,
            "place_before": step.place_before,
            "place_after": step.place_after,
            "why": None if step.timing is None else timing_text(step.timing),
        }
        for step in e.path
    ]
    data["timings"] = [
        {
            **mt.model_dump(mode="json"),
            "text": move_timing_text(mt),
            "alternatives": [
                {
                    **a.model_dump(mode="json"),
                    "text": alt_timing_text(a),
                    "blockers": [
                        {**b.model_dump(mode="json", exclude_none=True), "text": blocker_text(b)}
                        for b in a.blockers
                    ],
                }
                for a in mt.alternatives
            ],
        }
        for mt in e.timings
    ]
    data["timings_note"] = timing_estimate_text() if e.timings else None
    if not e.path:  # a snapshot plan's explanation reads as before
        del data["timings"], data["timings_note"]
    del data["group"]
    if e.sizing is None:  # explanations without a sizing rule read as before
        del data["sizing"]
    else:
        data["sizing"] = {
            **e.sizing.model_dump(mode="json"),
            "provisioned_text": demand_text(e.sizing, sized=False),
            "sized_text": demand_text(e.sizing, sized=True),
            "text": sizing_how_text(e.sizing),
        }
    return data


def render_explain_json(e: Explanation) -> str:
    data = explanation_data(e)
    return json_escaped(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)) + "\n"


def render_explain_text(e: Explanation, templates: str | None = None) -> str:
    template = environment(templates).get_template("explain.txt.j2")
    return template.render(e=explanation_data(e))

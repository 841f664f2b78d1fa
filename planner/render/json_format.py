"""The plan as JSON: the plan document, each reason as its code and sentence, each shadow
price and cut with its sentence (`text`, from planner.render.wording)."""

from __future__ import annotations

from planner.plan.document import Plan, dump_json
from planner.render.wording import cut_text, reason_text, shadow_text


def render_json(plan: Plan, templates: str | None = None) -> str:
    data = plan.to_data()
    for rc, record in zip(plan.resource_changes, data["resource_changes"], strict=True):
        if rc.reason is not None:
            record["reason"] = {"code": rc.reason.code, "text": reason_text(rc.reason)}
    for sp, record in zip(plan.shadow_prices, data["shadow_prices"], strict=True):
        for field in ("cap", "block", "block_cost_eur_month"):
            del record[field]
        record["text"] = shadow_text(sp)
    for cut, record in zip(plan.solver.cut_short, data["solver"].get("cut_short", []), strict=True):
        record["text"] = cut_text(cut)
    return dump_json(data)

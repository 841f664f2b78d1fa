"""Terraform-style text plan."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planner.plan.document import (
    ContractState,
    ExpansionState,
    PlacementState,
    Plan,
    ResourceChange,
    ResourceState,
)
from planner.plan.roadmap_document import RoadmapPlan
from planner.render.templating import environment

_VERB = {
    ("create",): "will be created",
    ("delete",): "will be destroyed",
    ("delete", "create"): "will be moved",
    ("update",): "will be updated in-place",
}
_KIND = {
    "planner_placement": "placement",
    "planner_expansion": "expansion",
    "planner_contract": "contract",
}


def _fields(state: ResourceState | None) -> dict[str, object]:
    """The attributes a block shows for one state, in display order."""
    if isinstance(state, PlacementState):
        return {
            "site": state.site,
            "kind": state.kind,
            "provider": state.provider,
            "basis": state.basis,
            "cost_eur_month": state.cost_eur_month,
        }
    if isinstance(state, ExpansionState):
        return {
            "site": state.site,
            "block": state.block,
            "count": state.count,
            "cost_eur_month": state.cost_eur_month,
        }
    if isinstance(state, ContractState):
        return {
            "site": state.site,
            "kind": state.kind,
            "provider": state.provider,
            "cost_eur_month": state.cost_eur_month,
        }
    return {}


def _attributes(rc: ResourceChange) -> list[tuple[str, str, str]]:
    """(symbol, name, value text) per attribute shown in the block."""
    before, after = _fields(rc.change.before), _fields(rc.change.after)
    rows: list[tuple[str, str, str]] = []
    for key in after or before:
        b, a = before.get(key), after.get(key)
        if b is None and a is None:
            continue
        if rc.change.actions == ("create",):
            rows.append(("+", key, _value(key, a)))
        elif rc.change.actions == ("delete",):
            rows.append(("-", key, _value(key, b)))
        elif b == a:
            rows.append((" ", key, _value(key, a)))
        else:
            rows.append(("~", key, f"{_value(key, b)} -> {_value(key, a)}"))
    return rows


def _value(key: str, value: Any) -> str:
    if value is None:
        return "null"
    if key == "cost_eur_month":
        return f"{value:.2f}"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def _blocks(changes: Sequence[ResourceChange]) -> list[dict[str, object]]:
    """Each change as its block shows it."""
    blocks: list[dict[str, object]] = []
    for rc in changes:
        rows = _attributes(rc)
        width = max((len(name) for _, name, _ in rows), default=0)
        blocks.append(
            {
                "address": rc.address,
                "verb": _VERB.get(rc.change.actions, ""),
                "symbol": rc.symbol,
                "kind": _KIND[rc.type],
                "name": rc.name,
                "rows": [(sym, name.ljust(width), text) for sym, name, text in rows],
                "reason": rc.reason,
            }
        )
    return blocks


def render_text(plan: Plan, templates: str | None = None) -> str:
    if isinstance(plan, RoadmapPlan):
        return _render_roadmap(plan, templates)
    template = environment(templates).get_template("plan.txt.j2")
    return template.render(plan=plan, blocks=_blocks(plan.changes))


def _render_roadmap(plan: RoadmapPlan, templates: str | None) -> str:
    """The waves in order (planner/plan/roadmap.py), each as a Terraform-style plan."""
    waves = []
    for wave in plan.roadmap.waves:
        blocks = _blocks(wave.resource_changes)
        for block in blocks:
            block["why"] = wave.why.get(str(block["name"]))
        waves.append({"record": wave, "blocks": blocks})
    template = environment(templates).get_template("roadmap.txt.j2")
    return template.render(plan=plan, waves=waves)

"""What the HTML, Markdown and CSV reports show, read from a Plan alone.

Rows here are plain values; the templates decide how they look. A change's reason is the
plan's own `reason` when it has one, otherwise the fact the plan records (what it saves or
costs per month, a new or retired workload).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from planner.inputs.schema import RESOURCES
from planner.plan.document import (
    ExpansionState,
    PlacementState,
    Plan,
    ResourceChange,
    ResourceState,
)
from planner.render.templating import eur
from planner.render.wording import reason_text

ACTION_WORDS = {
    ("no-op",): "stay",
    ("create",): "create",
    ("delete",): "delete",
    ("delete", "create"): "move",
    ("update",): "update",
}
KIND_WORDS = {
    "planner_placement": "workload",
    "planner_expansion": "expansion",
    "planner_contract": "contract",
}


@dataclass(frozen=True)
class Row:
    """One resource of the plan, before and after."""

    kind: str
    name: str
    action: str
    symbol: str
    data_class: str
    site_before: str
    site_after: str
    cost_before_eur_month: float | None
    cost_after_eur_month: float | None
    basis: str
    reason: str

    @property
    def site(self) -> str:
        """The site a change is grouped under: where it ends up, or where it leaves."""
        return self.site_after or self.site_before


@dataclass(frozen=True)
class Block:
    """Expansion blocks of one type at one site, built after the plan."""

    name: str
    action: str
    count_before: int
    count_after: int
    cost_eur_month: float
    adds: dict[str, float]


@dataclass(frozen=True)
class SiteExpansion:
    """Expansions at one site, and the outsourced workloads that move onto that site."""

    site: str
    blocks: tuple[Block, ...]
    insourced: tuple[str, ...]
    insourced_cost_before_eur_month: float
    insourced_cost_after_eur_month: float

    @property
    def cost_eur_month(self) -> float:
        return round(sum(b.cost_eur_month for b in self.blocks), 2)


def cap_value(value: float | dict[str, float], name: str) -> str:
    """A scenario cap as people read it: euros, percent or a count, by the cap's name; a cap
    per owner (or other key) as 'key: value' pairs."""
    if isinstance(value, dict):
        return "; ".join(f"{key}: {cap_value(v, name)}" for key, v in sorted(value.items()))
    if name.endswith("_eur"):
        return eur(value)
    if name.endswith("_pct"):
        return f"{value:g} %"
    return f"{value:g}"


def resource_keys(values: dict[str, Any]) -> list[str]:
    """Keys of a per-resource mapping in the planner's resource order (a saved plan's JSON
    sorts them by name), unknown names last."""
    rank = {r: i for i, r in enumerate(RESOURCES)}
    return sorted(values, key=lambda r: (rank.get(r, len(rank)), r))


def _cost(state: ResourceState | None) -> float | None:
    return None if state is None else state.cost_eur_month


def _basis(state: ResourceState | None) -> str:
    """How a placement was priced, or which block an expansion builds."""
    if isinstance(state, PlacementState):
        return state.basis
    if isinstance(state, ExpansionState):
        return state.block
    return ""


def _reason(rc: ResourceChange, refused: dict[str, str]) -> str:
    if rc.reason is not None:
        return reason_text(rc.reason)
    before = rc.change.before
    fact = _cost_fact(rc)
    if rc.type == "planner_placement" and rc.name in refused and before is not None:
        return f"may no longer run on {before.site}: {refused[rc.name]}" + (
            f"; {fact}" if fact else ""
        )
    return fact


def _cost_fact(rc: ResourceChange) -> str:
    before, after = rc.change.before, rc.change.after
    action = ACTION_WORDS.get(rc.change.actions, "")
    what = KIND_WORDS[rc.type]
    if action == "create":
        return f"new {what}" if rc.type == "planner_placement" else f"{what} needed"
    if action == "delete":
        return "retired" if rc.type == "planner_placement" else f"{what} no longer needed"
    b, a = _cost(before), _cost(after)
    if action in ("move", "update") and a is not None and b is not None:
        delta = a - b
        if abs(delta) < 0.005:
            return "same monthly cost"
        return f"saves {eur(-delta)} / month" if delta < 0 else f"costs {eur(delta)} / month more"
    return ""


def rows(plan: Plan, changes_only: bool = False) -> list[Row]:
    """One row per resource (per workload first, then expansions and contracts), plan order."""
    data_class_of = plan.context.data_class_of if plan.context else {}
    refused = plan.context.refused_before if plan.context else {}
    out = []
    for rc in plan.resource_changes:
        if changes_only and not rc.is_change:
            continue
        before, after = rc.change.before, rc.change.after
        out.append(
            Row(
                kind=KIND_WORDS[rc.type],
                name=rc.name,
                action=ACTION_WORDS.get(rc.change.actions, "-".join(rc.change.actions)),
                symbol=rc.symbol.strip(),
                data_class=data_class_of.get(rc.name, "") if rc.type == "planner_placement" else "",
                site_before=before.site if before else "",
                site_after=after.site if after else "",
                cost_before_eur_month=_cost(before),
                cost_after_eur_month=_cost(after),
                basis=_basis(after or before),
                reason=_reason(rc, refused),
            )
        )
    return out


def changes_by_site(plan: Plan) -> list[tuple[str, list[Row]]]:
    """Changed resources grouped by site (sites in the plan's place order), sorted by name."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows(plan, changes_only=True):
        groups[row.site].append(row)
    order = {p.id: i for i, p in enumerate(plan.context.places)} if plan.context else {}
    return [
        (site, sorted(groups[site], key=lambda r: (r.kind != "workload", r.name)))
        for site in sorted(groups, key=lambda s: (order.get(s, len(order)), s))
    ]


def expansions(plan: Plan) -> list[SiteExpansion]:
    """Sites with expansions built after the plan, with the workloads moved there from
    outsourcing and what those cost outside before and on the site after."""
    blocks: dict[str, list[Block]] = defaultdict(list)
    moves: list[tuple[str, PlacementState, PlacementState]] = []
    for rc in plan.resource_changes:
        if rc.type == "planner_placement":
            if rc.change.before is not None and rc.change.after is not None:
                moves.append((rc.name, rc.change.before, rc.change.after))
            continue
        if rc.type != "planner_expansion" or rc.change.after is None:
            continue
        before, after = rc.change.before, rc.change.after
        blocks[after.site].append(
            Block(
                name=rc.name,
                action=ACTION_WORDS.get(rc.change.actions, ""),
                count_before=before.count if before else 0,
                count_after=after.count,
                cost_eur_month=after.cost_eur_month,
                adds={r: after.adds[r] for r in resource_keys(after.adds)},
            )
        )
    out = []
    for site, site_blocks in blocks.items():
        moved_in = [
            (name, b.cost_eur_month, a.cost_eur_month)
            for name, b, a in moves
            if a.site == site and b.kind == "external"
        ]
        out.append(
            SiteExpansion(
                site=site,
                blocks=tuple(site_blocks),
                insourced=tuple(name for name, _, _ in moved_in),
                insourced_cost_before_eur_month=round(sum(b for _, b, _ in moved_in), 2),
                insourced_cost_after_eur_month=round(sum(a for _, _, a in moved_in), 2),
            )
        )
    return out


def headline(plan: Plan) -> dict[str, Any]:
    """The summary figures, in the order the reports show them."""
    t, s = plan.totals, plan.solver
    status = "optimal (proven)" if s.proven_optimal else f"{s.status}, not proven optimal"
    if s.status == "gap_limit":
        status = f"within {s.gap_tolerance_pct:g} % of the optimum (proven), not proven optimal"
    return {
        "cost_before": t.monthly_cost_before_eur,
        "cost_after": t.monthly_cost_after_eur,
        "difference": t.monthly_difference_eur,
        "difference_pct": t.monthly_difference_pct,
        "one_off": t.one_off_migration_eur,
        "in_house_pct": round(100.0 - t.outsourced_share_pct, 2)
        if t.monthly_cost_after_eur
        else 100.0,
        "moves": t.moves,
        "to_add": t.to_add,
        "to_change": t.to_change,
        "to_destroy": t.to_destroy,
        "status": status,
        "proven_optimal": s.proven_optimal,
        "gap_pct": s.gap_pct,
        "solver": s.name,
    }


def report_values(plan: Plan) -> dict[str, Any]:
    """Everything the report templates read, besides the plan itself."""
    return {
        "plan": plan,
        "context": plan.context,
        "head": headline(plan),
        "groups": changes_by_site(plan),
        "expansions": expansions(plan),
        "rows": rows(plan),
    }

"""Terraform-style text plan."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planner.messages import N_
from planner.plan.document import (
    ContractState,
    ExpansionState,
    PlacementState,
    Plan,
    ResourceChange,
    ResourceState,
    SizingSummary,
)
from planner.plan.roadmap_document import RoadmapPlan
from planner.render.i18n import _, ngettext
from planner.render.templating import environment

_VERB = {
    ("create",): N_("will be created"),
    ("delete",): N_("will be destroyed"),
    ("delete", "create"): N_("will be moved"),
    ("update",): N_("will be updated in-place"),
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


def _blocks(
    changes: Sequence[ResourceChange], sizing: SizingSummary | None = None
) -> list[dict[str, object]]:
    """Each change as its block shows it (with how its workload was sized, if it was)."""
    blocks: list[dict[str, object]] = []
    sized = {r.workload: r for r in sizing.workloads if r.changed} if sizing else {}
    for rc in changes:
        rows = _attributes(rc)
        width = max((len(name) for _, name, _ in rows), default=0)
        blocks.append(
            {
                "address": rc.address,
                "verb": _(_VERB[rc.change.actions]) if rc.change.actions in _VERB else "",
                "symbol": rc.symbol,
                "kind": _KIND[rc.type],
                "name": rc.name,
                "rows": [(sym, name.ljust(width), text) for sym, name, text in rows],
                "reason": rc.reason,
                "sizing": sized.get(rc.name) if rc.type == "planner_placement" else None,
            }
        )
    return blocks


def render_text(plan: Plan, templates: str | None = None) -> str:
    if isinstance(plan, RoadmapPlan):
        return _render_roadmap(plan, templates)
    blocks = _blocks(plan.changes, plan.sizing)
    long = len(blocks) > SUMMARY_FROM_CHANGES
    template = environment(templates).get_template("plan.txt.j2")
    return template.render(
        plan=plan, blocks=blocks, summary=summary_lines(plan) if long else [], only=False
    )


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


SUMMARY_FROM_CHANGES = 40  # a text plan with more changed resources starts with its summary
_WRAP = 100  # width of a summary's wrapped lines


def _wrapped(label: str, parts: list[str]) -> list[str]:
    """`label` then `parts` joined by '; ', wrapped under the label at `_WRAP` columns."""
    import textwrap

    indent = " " * len(label)
    return textwrap.wrap(
        "; ".join(parts),
        _WRAP,
        initial_indent=label,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [label.rstrip()]


def _label(text: str) -> str:
    """A summary line's label, translated, in its 15-wide column after two spaces."""
    return f"  {_(text):<14} "


def summary_lines(plan: Plan, with_costs: bool = True) -> list[str]:
    """A one-screen summary: counts, spend, what is built and forced, the changes by reason
    and by provider, and the biggest monthly changes (without one block per resource)."""
    from planner.render.report import (
        expansions,
        forced_moves,
        group_rows,
        provider_shifts,
        rows,
        top_changes,
    )
    from planner.render.templating import count, eur, pct
    from planner.render.wording import REASON_WORDS, savings_text, sizing_summary_text

    t = plan.totals
    every_row = rows(plan)
    changes = [r for r in every_row if r.action != "stay"]
    lines = [
        ngettext(
            "Summary: {add} to add, {change} to change, {destroy} to destroy ({changed} "
            "resource changed)",
            "Summary: {add} to add, {change} to change, {destroy} to destroy ({changed} "
            "resources changed)",
            len(changes),
            add=count(t.to_add),
            change=count(t.to_change),
            destroy=count(t.to_destroy),
            changed=count(len(changes)),
        )
    ]
    if with_costs:
        diff = eur(t.monthly_difference_eur, True)
        if t.monthly_difference_pct is not None:
            diff += f", {pct(t.monthly_difference_pct, True)}"
        lines.append(
            _label("Monthly cost:")
            + f"{eur(t.monthly_cost_before_eur)} -> {eur(t.monthly_cost_after_eur)} ({diff})"
        )
        lines.append(
            _label("One-off moves:")
            + _(
                "{amount} for {moves} moves",
                amount=eur(t.one_off_migration_eur),
                moves=count(t.moves),
            )
        )
        if plan.savings is not None:
            lines += _wrapped(_label("Saving split:"), [savings_text(plan.savings)])
    if plan.sizing is not None:
        lines += _wrapped(_label("Right-sizing:"), [sizing_summary_text(plan.sizing)])
    actions: dict[str, int] = {}
    for r in changes:
        actions[r.action] = actions.get(r.action, 0) + 1
    words = {
        "move": N_("moved"),
        "create": N_("created"),
        "delete": N_("destroyed"),
        "update": N_("updated"),
    }
    lines += _wrapped(
        _label("Changes:"),
        [
            f"{count(n)} {_(words[a]) if a in words else a}"
            for a, n in sorted(actions.items(), key=lambda i: -i[1])
        ],
    )
    built = [
        f"{e.site}: "
        + ", ".join(f"{b.name} {b.count_before} -> {b.count_after}" for b in e.blocks)
        + " ("
        + _("{amount} / month", amount=eur(e.cost_eur_month))
        + ")"
        for e in expansions(plan)
    ]
    if built:
        lines += _wrapped(_label("Built:"), built)
    forced = [
        ngettext(
            "{count} may no longer run on {site} ({amount} / month)",
            "{count} may no longer run on {site} ({amount} / month)",
            len(f.rows),
            count=count(len(f.rows)),
            site=f.site,
            amount=eur(f.delta_eur_month, True),
        )
        for f in forced_moves(plan, changes)
    ]
    if forced:
        lines += _wrapped(_label("Forced:"), forced)
    codes = group_rows(changes, {r.name: r.code for r in changes}, dict(REASON_WORDS))
    lines += _wrapped(
        _label("By reason:"),
        [f"{g.label} {count(g.count)} ({eur(g.delta_eur_month, True)})" for g in codes],
    )
    lines += _wrapped(
        _label("By provider:"),
        [
            f"{p.provider} {eur(p.before_eur_month)} -> {eur(p.after_eur_month)}"
            for p in provider_shifts(plan, every_row)
        ],
    )
    top = top_changes(changes)
    if top:
        lines.append("  " + _("Biggest monthly changes:"))
        name_w = max(len(r.name) for r in top)
        where = [f"{r.site_before or _('new')} -> {r.site_after or _('retired')}" for r in top]
        where_w = max(len(w) for w in where)
        for r, w in zip(top, where, strict=True):
            lines.append(
                f"    {r.symbol:>3} {r.name:<{name_w}}  {w:<{where_w}}  "
                f"{eur(r.delta_eur_month, True):>14}"
            )
    if with_costs:
        lines.append(
            "  " + _("(the whole plan follows; --summary prints this and the totals alone)")
        )
    return lines


def render_text_summary(plan: Plan, templates: str | None = None) -> str:
    """`--summary`: the scenario line, the summary and the plan's closing totals."""
    template = environment(templates).get_template("plan.txt.j2")
    return template.render(plan=plan, blocks=[], summary=summary_lines(plan, False), only=True)

"""A plan diff as text, JSON, or a merge-request comment in Markdown."""

from __future__ import annotations

import json

from planner.analysis.diff import Delta, PlanDiff, ResourceDiff, diff_dict
from planner.analysis.gates import Fired
from planner.controls import json_escaped, printable
from planner.plan.document import ExpansionState, ResourceState
from planner.render.base import Format
from planner.render.templating import count, eur, pct

MARKER = "<!-- planner-diff -->"  # lets CI find and update its own comment
MAX_ROWS = 200  # per folded table: a merge-request comment holds at most 65,536 characters


def _money(delta: Delta) -> str:
    """'€1.00 -> €2.00 (+€1.00, +100.00 %)'."""
    change = eur(delta.difference, True)
    if delta.pct is not None:
        change += f", {pct(delta.pct, True)}"
    return f"{eur(delta.before)} -> {eur(delta.after)} ({change})"


def _where(state: ResourceState | None) -> str:
    if state is None:
        return "-"
    if isinstance(state, ExpansionState):
        return f"{state.site} x{state.count}"
    return state.site


def _describe(r: ResourceDiff) -> str:
    if r.action == "added":
        return f"added on {_where(r.after)}: {eur(r.cost.after)} / month"
    if r.action == "retired":
        return f"retired from {_where(r.before)}: {eur(r.cost.before)} / month"
    if r.action == "moved":
        return f"moved {_where(r.before)} -> {_where(r.after)}: {_money(r.cost)}"
    if r.action == "resized":
        return f"resized {_where(r.before)} -> {_where(r.after)}: {_money(r.cost)}"
    return f"repriced on {_where(r.after)}: {_money(r.cost)}"


def _share(delta: Delta) -> str:
    points = round(delta.after - delta.before, 2) + 0.0
    return f"{pct(delta.before)} -> {pct(delta.after)} ({points:+.2f} points)"


def render_text(diff: PlanDiff, fired: list[Fired]) -> str:
    lines = [f"Plan diff: {diff.old_label} -> {diff.new_label}", ""]
    if not diff.has_changes:
        lines.append(f"No changes (tolerance {eur(diff.tolerance_eur)}).")
    for r in diff.resources:
        lines.append(f"{r.symbol:>3} {r.address} {_describe(r)}")
    if diff.resources:
        lines.append("")
    if diff.monthly_changed:
        lines.append(f"Monthly cost:   {_money(diff.monthly)}")
    if diff.one_off_changed:
        lines.append(f"One-off moves:  {_money(diff.one_off)}")
    if diff.share_changed:
        lines.append(f"Outsourced:     {_share(diff.outsourced_share_pct)} of monthly spend")
    if diff.by_data_class:
        lines.append("By data class (monthly):")
        for c in diff.by_data_class:
            lines.append(f"  {c.name:<22} {_money(c.cost)}")
    if diff.by_provider:
        lines.append("By provider (monthly):")
        for bucket, delta in diff.by_provider.items():
            lines.append(f"  {bucket:<22} {_money(delta)}")
    lines.extend(f"Note: {note}" for note in diff.solver_notes)
    if diff.exchanges:
        lines.append(f"Not shown: {_exchanged(diff)}")
    lines.extend(f"Gate {f.verdict}: {f.format()}" for f in fired)
    return "\n".join(lines).rstrip("\n") + "\n"


def _exchanged(diff: PlanDiff) -> str:
    n = len(diff.exchanges)
    names = "; ".join(" <-> ".join(names) for names in diff.exchanges)
    return (
        f"{count(n)} exchange{'s' if n != 1 else ''} of interchangeable workloads between "
        f"equal places and costs ({names})"
    )


def render_json(diff: PlanDiff, fired: list[Fired]) -> str:
    body = diff_dict(diff)
    body["gates_failed"] = [{"option": f.option, "reason": f.reason} for f in fired if f.failed]
    body["gates_not_proven"] = [
        {"option": f.option, "reason": f.reason} for f in fired if not f.failed
    ]
    return json_escaped(json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False)) + "\n"


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _md_delta(delta: Delta) -> list[str]:
    change = eur(delta.difference, True)
    if delta.pct is not None:
        change += f" ({pct(delta.pct, True)})"
    return [eur(delta.before), eur(delta.after), change]


def _headline(diff: PlanDiff) -> str:
    if not diff.has_changes:
        return "no change to the plan"
    if diff.monthly_changed:
        text = f"monthly cost {eur(diff.monthly.difference, True)}"
        return text + (f" ({pct(diff.monthly.pct, True)})" if diff.monthly.pct is not None else "")
    return "placement changes, monthly cost unchanged"


def _details(title: str, header: list[str], rows: list[list[str]]) -> list[str]:
    align = ["---" if i < len(header) - 3 else "---:" for i in range(len(header))]
    shown = rows[:MAX_ROWS]
    more = (
        [f"\n{count(len(rows) - len(shown))} more not shown: see `planner diff --format json`."]
        if len(rows) > len(shown)
        else []
    )
    return [
        "",
        f"<details><summary>{title}</summary>",
        "",
        _md_row(header),
        "| " + " | ".join(align) + " |",
        *(_md_row(r) for r in shown),
        *more,
        "",
        "</details>",
    ]


def render_markdown(diff: PlanDiff, fired: list[Fired]) -> str:
    """A merge-request comment: headline, summary table, gates, then folded details."""
    out = [
        MARKER,
        f"### planner: {_headline(diff)}",
        "",
        f"`{diff.old_label}` → `{diff.new_label}`",
    ]
    if diff.has_changes:
        out += ["", "| | Before | After | Difference |", "|---|---:|---:|---:|"]
        if diff.monthly_changed:
            out.append(_md_row(["Monthly cost", *_md_delta(diff.monthly)]))
        if diff.one_off_changed:
            out.append(_md_row(["One-off moves", *_md_delta(diff.one_off)]))
        if diff.share_changed:
            d = diff.outsourced_share_pct
            out.append(
                _md_row(
                    [
                        "Outsourced share",
                        pct(d.before),
                        pct(d.after),
                        f"{round(d.after - d.before, 2) + 0.0:+.2f} points",
                    ]
                )
            )
        counts = ", ".join(
            f"{count(diff.count(a))} {a}"
            for a in ("moved", "added", "retired", "repriced", "resized")
            if diff.count(a)
        )
        if counts:
            out.append(_md_row(["Resources", "", "", counts]))
    if fired:
        out += ["", *(f"**Gate {f.verdict}**: `{f.option}`: {f.reason}" for f in fired)]
    out += [f"\n> {note}" for note in diff.solver_notes]
    if diff.exchanges:
        out += ["", f"Not shown: {_exchanged(diff)}."]
    if diff.resources:
        rows = [
            [r.action, f"`{r.address}`", _where(r.before), _where(r.after), *_md_delta(r.cost)]
            for r in diff.resources
        ]
        out += _details(
            f"Resources ({count(len(rows))} changed)",
            ["Change", "Resource", "From", "To", "Before", "After", "Difference"],
            rows,
        )
    if diff.by_data_class:
        rows = [
            [
                c.name,
                f"{count(c.in_house[0])} → {count(c.in_house[1])}",
                f"{count(c.outsourced[0])} → {count(c.outsourced[1])}",
                *_md_delta(c.cost),
            ]
            for c in diff.by_data_class
        ]
        out += _details(
            "By data class (monthly)",
            ["Data class", "In-house", "Outsourced", "Before", "After", "Difference"],
            rows,
        )
    if diff.by_provider:
        rows = [[b, *_md_delta(d)] for b, d in diff.by_provider.items()]
        out += _details(
            "By provider (monthly)", ["Provider", "Before", "After", "Difference"], rows
        )
    return "\n".join(out) + "\n"


def render_diff(diff: PlanDiff, fmt: Format, fired: list[Fired]) -> str:
    if fmt is Format.json:
        return render_json(diff, fired)
    if fmt is Format.md:
        return printable(render_markdown(diff, fired))
    return printable(render_text(diff, fired))

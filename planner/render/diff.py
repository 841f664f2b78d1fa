"""A plan diff as text, JSON, or a merge-request comment in Markdown."""

from __future__ import annotations

import json

from planner.analysis.diff import Delta, PlanDiff, ResourceDiff, diff_dict
from planner.analysis.gates import Fired
from planner.analysis.roadmap_diff import Amount, RoadmapDiff, WaveDiff, YearDiff
from planner.controls import json_escaped, printable
from planner.messages import N_
from planner.plan.document import ExpansionState, ResourceState
from planner.render.base import Format
from planner.render.i18n import _, ngettext, speaking
from planner.render.templating import count, eur, number, pct
from planner.render.wording import (
    WAVE_FIGURE_LINES,
    WAVE_FIGURES,
    YEAR_FIGURES,
    Translated,
    frozen_text,
    path_text,
    roadmap_sides_text,
    wave_change_text,
    wave_diff_head,
)

MARKER = "<!-- planner-diff -->"  # lets CI find and update its own comment
_ACTIONS = Translated(  # the end state's change of a resource, as a reader reads it
    {
        "moved": N_("moved"),
        "added": N_("added"),
        "retired": N_("retired"),
        "repriced": N_("repriced"),
        "resized": N_("resized"),
    }
)
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
        return _(
            "added on {site}: {amount} / month", site=_where(r.after), amount=eur(r.cost.after)
        )
    if r.action == "retired":
        return _(
            "retired from {site}: {amount} / month",
            site=_where(r.before),
            amount=eur(r.cost.before),
        )
    if r.action == "moved":
        return _(
            "moved {before} -> {after}: {cost}",
            before=_where(r.before),
            after=_where(r.after),
            cost=_money(r.cost),
        )
    if r.action == "resized":
        return _(
            "resized {before} -> {after}: {cost}",
            before=_where(r.before),
            after=_where(r.after),
            cost=_money(r.cost),
        )
    return _("repriced on {site}: {cost}", site=_where(r.after), cost=_money(r.cost))


def _share(delta: Delta) -> str:
    points = round(delta.after - delta.before, 2) + 0.0
    return f"{pct(delta.before)} -> {pct(delta.after)} ({_points(points)})"


def _points(points: float) -> str:
    """'+1.50 points' ('+1,50 points' in French)."""
    sign = "+" if points >= 0 else "-"
    return _("{value} points", value=sign + number(abs(points), ".2f"))


def _value(key: str, value: float | None) -> str:
    if value is None:
        return "-"
    return count(int(value)) if key == "moves" else eur(value)


def _amount(key: str, a: Amount) -> str:
    """'€56.00 -> €28.00 (-€28.00)'; '3 -> 2 (-1)'; a side without it: '-'."""
    text = f"{_value(key, a.before)} -> {_value(key, a.after)}"
    if a.difference is None:
        return text
    if key == "moves":
        change = ("+" if a.difference > 0 else "") + count(int(a.difference))
    else:
        change = eur(a.difference, True)
    return f"{text} ({change})"


def _one_side(w: WaveDiff) -> str:
    """A period on one side only: its figures there."""
    moves = w.moves.after if w.on == "new" else w.moves.before
    monthly = w.monthly_cost_eur.after if w.on == "new" else w.monthly_cost_eur.before
    one_off = w.one_off_eur.after if w.on == "new" else w.one_off_eur.before
    return ngettext(
        "{n} move, one-off {one_off}; {monthly} / month",
        "{n} moves, one-off {one_off}; {monthly} / month",
        int(moves or 0),
        one_off=eur(one_off),
        monthly=eur(monthly),
    )


def _budget(a: Amount) -> str:
    """A budget in the old and the new roadmap: 'none -> €500.00'."""
    words = [_("none") if v is None else eur(v) for v in (a.before, a.after)]
    return " -> ".join(words)


def _year_parts(y: YearDiff, tolerance: float) -> list[str]:
    """What differs in one year; a year on one side only: its figures there."""
    parts = []
    for key, spent, budget in y.figures():
        if y.on != "both":
            side = 1 if y.on == "new" else 0
            value = (spent.before, spent.after)[side]
            limit = (budget.before, budget.after)[side]
            text = f"{YEAR_FIGURES[key]} {eur(value)}"
            if limit is not None:
                text += ", " + _("budget {amount}", amount=eur(limit))
            parts.append(text)
            continue
        if not (spent.changed(tolerance) or budget.changed(tolerance)):
            continue
        shown = _amount(key, spent) if spent.changed(tolerance) else _value(key, spent.after)
        text = f"{YEAR_FIGURES[key]} {shown}"
        if budget.changed(tolerance):
            text += ", " + _("budget {amount}", amount=_budget(budget))
        elif budget.after is not None:
            text += ", " + _("budget {amount}", amount=eur(budget.after))
        parts.append(text)
    return parts


def _year_side(y: YearDiff) -> str:
    if y.on == "both":
        return ""
    return " " + (
        _("(only in the old roadmap)") if y.on == "old" else _("(only in the new roadmap)")
    )


def roadmap_text(r: RoadmapDiff) -> list[str]:
    """The wave-by-wave lines of two roadmaps' diff."""
    t = r.tolerance_eur
    lines = [_("Roadmaps, wave by wave (periods matched by name):")]
    if not r.has_changes:
        lines += [_("No change in any wave or year."), ""]
        return lines
    if r.discount_rate_pct.changed(0.0):
        lines.append(
            _(
                "Discount rate: {before} % -> {after} % a year",
                before=number(r.discount_rate_pct.before or 0.0),
                after=number(r.discount_rate_pct.after or 0.0),
            )
        )
    if r.paths:
        lines.append(_("Workloads whose path changed (old -> new):"))
        lines += [f"  ~ {p.name}: {path_text(p.old)} -> {path_text(p.new)}" for p in r.paths]
    width = 1 + max(len(label) for label in WAVE_FIGURE_LINES.values())
    for w in r.waves:
        lines.append(wave_diff_head(w, t))
        if w.on != "both":
            lines.append(f"    {_one_side(w)}")
            continue
        lines += [f"{c.symbol:>5} {c.address}: {wave_change_text(c)}" for c in w.changes]
        if w.frozen[0] != w.frozen[1]:
            label = _("Frozen:")
            lines.append(f"    {label:<{width}} {frozen_text(w.frozen)}")
        for key, a in w.changed_figures(t):
            lines.append(f"    {WAVE_FIGURE_LINES[key]:<{width}} {_amount(key, a)}")
    years = [(y, _year_parts(y, t)) for y in r.years if y.has_changes(t)]
    if years:
        lines.append(_("Per year (old -> new):"))
        for y, parts in years:
            lines.append(f"  {y.year}{_year_side(y)}: " + "; ".join(parts))
    lines.append("")
    return lines


def render_text(diff: PlanDiff, fired: list[Fired]) -> str:
    lines = [_("Plan diff: {old} -> {new}", old=diff.old_label, new=diff.new_label), ""]
    if diff.roadmap.diff is not None:
        lines += roadmap_text(diff.roadmap.diff)
        lines.append(_("End state:"))
    elif diff.roadmap.roadmaps != "neither":
        lines += [_("Note: {what}", what=roadmap_sides_text(diff.roadmap.roadmaps)), ""]
    if not diff.has_changes:
        lines.append(_("No changes (tolerance {amount}).", amount=eur(diff.tolerance_eur)))
    for r in diff.resources:
        lines.append(f"{r.symbol:>3} {r.address} {_describe(r)}")
    if diff.resources:
        lines.append("")
    if diff.monthly_changed:
        label = _("Monthly cost:")
        lines.append(f"{label:<16}{_money(diff.monthly)}")
    if diff.one_off_changed:
        label = _("One-off moves:")
        lines.append(f"{label:<16}{_money(diff.one_off)}")
    if diff.share_changed:
        share = _("{share} of monthly spend", share=_share(diff.outsourced_share_pct))
        label = _("Outsourced:")
        lines.append(f"{label:<16}{share}")
    if diff.by_data_class:
        lines.append(_("By data class (monthly):"))
        for c in diff.by_data_class:
            lines.append(f"  {c.name:<22} {_money(c.cost)}")
    if diff.by_provider:
        lines.append(_("By provider (monthly):"))
        for bucket, delta in diff.by_provider.items():
            lines.append(f"  {bucket:<22} {_money(delta)}")
    lines.extend(_("Note: {what}", what=note) for note in diff.solver_notes)
    if diff.exchanges:
        lines.append(_("Not shown: {what}", what=_exchanged(diff)))
    lines.extend(f"Gate {f.verdict}: {f.format()}" for f in fired)
    return "\n".join(lines).rstrip("\n") + "\n"


def _exchanged(diff: PlanDiff) -> str:
    n = len(diff.exchanges)
    names = "; ".join(" <-> ".join(names) for names in diff.exchanges)
    return ngettext(
        "{count} exchange of interchangeable workloads between equal places and costs ({names})",
        "{count} exchanges of interchangeable workloads between equal places and costs ({names})",
        n,
        count=count(n),
        names=names,
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
        if diff.roadmap_changed:
            return _("the waves change, the end state does not")
        return _("no change to the plan")
    if diff.monthly_changed:
        text = _("monthly cost {amount}", amount=eur(diff.monthly.difference, True))
        return text + (f" ({pct(diff.monthly.pct, True)})" if diff.monthly.pct is not None else "")
    return _("placement changes, monthly cost unchanged")


def _details(title: str, header: list[str], rows: list[list[str]], numeric: int = 3) -> list[str]:
    """A folded table; its last `numeric` columns right-aligned."""
    align = ["---" if i < len(header) - numeric else "---:" for i in range(len(header))]
    shown = rows[:MAX_ROWS]
    more = (
        [
            "\n"
            + _(
                "{n} more not shown: see `planner diff --format json`.",
                n=count(len(rows) - len(shown)),
            )
        ]
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


def _md_amount(key: str, a: Amount) -> str:
    return _amount(key, a).replace(" -> ", " → ")


def roadmap_markdown(r: RoadmapDiff) -> list[str]:
    """The roadmaps' diff: one row per period (what differs), then the changes, paths and
    years folded."""
    t = r.tolerance_eur
    out = ["", "#### " + _("Roadmaps, wave by wave")]
    if not r.has_changes:
        return [*out, "", _("No change in any wave or year.")]
    if r.discount_rate_pct.changed(0.0):
        out += [
            "",
            _(
                "Discount rate: {before} % -> {after} % a year",
                before=number(r.discount_rate_pct.before or 0.0),
                after=number(r.discount_rate_pct.after or 0.0),
            ),
        ]
    header = [_("Period"), _("Changes"), *(WAVE_FIGURES[k] for k, _a in r.waves[0].figures())]
    out += ["", _md_row(header), "|---|---|" + "---:|" * (len(header) - 2)]
    for w in r.waves:
        if not w.has_changes(t):
            what = _("no change")
        elif w.on == "old":
            what = _("only in the old roadmap")
        elif w.on == "new":
            what = _("only in the new roadmap")
        else:
            what = count(len(w.changes)) if w.changes else _("the same changes")
            if w.frozen[0] != w.frozen[1]:
                what += "; " + frozen_text(w.frozen)
        cells = [
            _md_amount(k, a)
            if w.on == "both" and (k, a) in w.changed_figures(t)
            else _value(k, a.after if w.on != "old" else a.before)
            for k, a in w.figures()
        ]
        out.append(_md_row([w.period, what, *cells]))
    changes = [
        [w.period, c.symbol, f"`{c.address}`", wave_change_text(c)]
        for w in r.waves
        for c in w.changes
    ]
    if changes:
        out += _details(
            _("Changes by wave ({n})", n=count(len(changes))),
            [_("Period"), "", _("Resource"), _("Old -> new")],
            changes,
            numeric=0,
        )
    if r.paths:
        out += _details(
            _("Workloads whose path changed ({n})", n=count(len(r.paths))),
            [_("Workload"), _("Old"), _("New")],
            [[f"`{p.name}`", path_text(p.old), path_text(p.new)] for p in r.paths],
            numeric=0,
        )
    years = [
        [f"{y.year}{_year_side(y)}", "; ".join(_year_parts(y, t))]
        for y in r.years
        if y.has_changes(t)
    ]
    if years:
        out += _details(_("Per year"), [_("Year"), _("Old -> new")], years, numeric=0)
    return out


def render_markdown(diff: PlanDiff, fired: list[Fired]) -> str:
    """A merge-request comment: headline, summary table, gates, then folded details."""
    out = [
        MARKER,
        f"### planner: {_headline(diff)}",
        "",
        f"`{diff.old_label}` → `{diff.new_label}`",
    ]
    if diff.has_changes:
        out += [
            "",
            _md_row(["", _("Before"), _("After"), _("Difference")]).replace("|  |", "| |", 1),
            "|---|---:|---:|---:|",
        ]
        if diff.monthly_changed:
            out.append(_md_row([_("Monthly cost"), *_md_delta(diff.monthly)]))
        if diff.one_off_changed:
            out.append(_md_row([_("One-off moves"), *_md_delta(diff.one_off)]))
        if diff.share_changed:
            d = diff.outsourced_share_pct
            out.append(
                _md_row(
                    [
                        _("Outsourced share"),
                        pct(d.before),
                        pct(d.after),
                        _points(round(d.after - d.before, 2) + 0.0),
                    ]
                )
            )
        counts = ", ".join(
            f"{count(diff.count(a))} {_ACTIONS[a]}"
            for a in ("moved", "added", "retired", "repriced", "resized")
            if diff.count(a)
        )
        if counts:
            out.append(_md_row([_("Resources"), "", "", counts]))
    if diff.roadmap.diff is not None:
        out += roadmap_markdown(diff.roadmap.diff)
    elif diff.roadmap.roadmaps != "neither":
        out += ["", f"> {roadmap_sides_text(diff.roadmap.roadmaps)}"]
    if fired:
        out += ["", *(f"**Gate {f.verdict}**: `{f.option}`: {f.reason}" for f in fired)]
    out += [f"\n> {note}" for note in diff.solver_notes]
    if diff.exchanges:
        out += ["", _("Not shown: {what}", what=_exchanged(diff)) + "."]
    if diff.resources:
        rows = [
            [
                _ACTIONS[r.action],
                f"`{r.address}`",
                _where(r.before),
                _where(r.after),
                *_md_delta(r.cost),
            ]
            for r in diff.resources
        ]
        out += _details(
            _("Resources ({n} changed)", n=count(len(rows))),
            [
                _("Change"),
                _("Resource"),
                _("From"),
                _("To"),
                _("Before"),
                _("After"),
                _("Difference"),
            ],
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
            _("By data class (monthly)"),
            [
                _("Data class"),
                _("In-house"),
                _("Outsourced"),
                _("Before"),
                _("After"),
                _("Difference"),
            ],
            rows,
        )
    if diff.by_provider:
        rows = [[b, *_md_delta(d)] for b, d in diff.by_provider.items()]
        out += _details(
            _("By provider (monthly)"),
            [_("Provider"), _("Before"), _("After"), _("Difference")],
            rows,
        )
    return "\n".join(out) + "\n"


def render_diff(diff: PlanDiff, fmt: Format, fired: list[Fired], lang: str = "en") -> str:
    """The diff in `fmt`; text and Markdown in `lang` (the JSON is the same in every one)."""
    if fmt is Format.json:
        return render_json(diff, fired)
    with speaking(lang):
        if fmt is Format.md:
            return printable(render_markdown(diff, fired))
        return printable(render_text(diff, fired))

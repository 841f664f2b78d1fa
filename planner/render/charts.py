"""The report's charts as plain shapes (rectangles, texts, paths) for an SVG template.

Geometry is computed here, drawing is left to `templates/report/chart.svg.j2`; colours come
from CSS classes in the report's stylesheet, so a printed report and an override can restyle
them. Every number a shape stands for is also in its `tip` (an SVG <title>) and in the tables.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import ClassVar

from planner.plan.document import ExpansionState, Plan
from planner.render.report import resource_keys
from planner.render.templating import count, eur

WIDTH = 820  # the narrowest chart; a wider one is scaled down by the page's CSS
LABEL_W = 170  # the narrowest left margin, for labels
BAR_W = 400
ROW_H = 16
CHAR_W = 7.0  # width of one character at the charts' 12 px sans-serif, on the wide side
PAD = 12.0


@dataclass(frozen=True)
class Rect:
    kind: ClassVar[str] = "rect"
    x: float
    y: float
    w: float
    h: float
    cls: str
    tip: str = ""


@dataclass(frozen=True)
class Text:
    kind: ClassVar[str] = "text"
    x: float
    y: float
    text: str
    cls: str = ""
    anchor: str = "start"


@dataclass(frozen=True)
class Path:
    kind: ClassVar[str] = "path"
    d: str
    cls: str
    tip: str = ""


@dataclass
class Chart:
    """One chart: an id for tests and anchors, a title, a legend and its shapes."""

    id: str
    title: str
    height: float = 0.0
    legend: list[tuple[str, str]] = field(default_factory=list)  # (css class, label)
    shapes: list[Rect | Text | Path] = field(default_factory=list)
    empty: str = ""
    width: int = WIDTH


def text_width(text: str) -> float:
    """An estimate of a label's width in the chart's font, never short for Latin text."""
    return len(text) * CHAR_W


def margin_for(labels: list[str]) -> float:
    """A left margin that holds the longest of `labels`, drawn right-aligned before it."""
    return max([float(LABEL_W), *(text_width(label) + PAD for label in labels)])


def _fit(chart: Chart) -> None:
    """Widen the chart to hold every shape and left-aligned text (values right of bars)."""
    right = float(WIDTH)
    for s in chart.shapes:
        if isinstance(s, Rect):
            right = max(right, s.x + s.w + PAD)
        elif isinstance(s, Text) and s.anchor == "start":
            right = max(right, s.x + text_width(s.text) + PAD)
    chart.width = math.ceil(right)


def _amount(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.4g}"


def _adds_by_site(plan: Plan) -> dict[tuple[str, str], dict[str, float]]:
    """(site, 'before'|'after') -> resource -> capacity added by expansions."""
    out: dict[tuple[str, str], dict[str, float]] = {}
    for rc in plan.resource_changes:
        if rc.type != "planner_expansion":
            continue
        for side, state in (("before", rc.change.before), ("after", rc.change.after)):
            if state is not None:
                adds = out.setdefault((state.site, side), {})
                for r, v in state.adds.items():
                    adds[r] = adds.get(r, 0.0) + v
    return out


def utilisation(plan: Plan) -> Chart:
    """Per internal site and resource: capacity, headroom, expansion, use before and after.

    A resource no workload uses on a site, before or after, is left out."""
    chart = Chart(
        "chart-utilisation",
        "Utilisation of internal sites, before and after",
        legend=[
            ("c-used-before", "used before"),
            ("c-used-after", "used after"),
            ("c-headroom", "headroom (kept free)"),
            ("c-expansion", "expansion"),
            ("c-usable", "usable limit"),
        ],
    )
    adds = _adds_by_site(plan)
    in_use = {
        site.site: [
            r
            for r in resource_keys(site.capacity)
            if site.used_before[r] > 0 or site.used_after[r] > 0
        ]
        for site in plan.totals.sites
    }
    left = margin_for(
        [f"{r} {side}" for rs in in_use.values() for r in rs for side in ("before", "after")]
    )
    y = 4.0
    for site in plan.totals.sites:
        resources = in_use[site.site]
        if not resources:
            continue
        chart.shapes.append(Text(0, y + 12, site.site, "c-site"))
        y += 18
        for r in resources:
            cap = site.capacity[r]
            sides = (
                ("before", site.usable_before[r], site.used_before[r]),
                ("after", site.usable_after[r], site.used_after[r]),
            )
            extra = {side: adds.get((site.site, side), {}).get(r, 0.0) for side, _, _ in sides}
            scale = max(
                [
                    cap + extra["before"],
                    cap + extra["after"],
                    site.used_before[r],
                    site.used_after[r],
                    1e-9,
                ]
            )
            for side, usable, used in sides:
                base = usable - extra[side]
                x0, k = left, BAR_W / scale
                label = f"{r} {side}"
                chart.shapes.append(Text(left - 6, y + ROW_H - 4, label, "c-label", "end"))
                chart.shapes.append(
                    Rect(
                        x0,
                        y,
                        cap * k,
                        ROW_H - 2,
                        "c-track",
                        f"{site.site} {r}: capacity {_amount(cap)}",
                    )
                )
                if cap > base:
                    chart.shapes.append(
                        Rect(
                            x0 + base * k,
                            y,
                            (cap - base) * k,
                            ROW_H - 2,
                            "c-headroom",
                            f"headroom {_amount(cap - base)} {r}",
                        )
                    )
                if extra[side] > 0:
                    chart.shapes.append(
                        Rect(
                            x0 + cap * k,
                            y,
                            extra[side] * k,
                            ROW_H - 2,
                            "c-expansion",
                            f"expansion +{_amount(extra[side])} {r}",
                        )
                    )
                chart.shapes.append(
                    Rect(
                        x0,
                        y + 3,
                        used * k,
                        ROW_H - 8,
                        f"c-used-{side}",
                        f"{site.site} {r} {side}: {_amount(used)} used of {_amount(usable)} usable",
                    )
                )
                chart.shapes.append(
                    Rect(
                        x0 + usable * k - 1,
                        y - 1,
                        2,
                        ROW_H,
                        "c-usable",
                        f"usable {_amount(usable)} {r}",
                    )
                )
                share = f"{100.0 * used / usable:.0f} %" if usable > 0 else "n/a"
                chart.shapes.append(
                    Text(
                        x0 + BAR_W + 8,
                        y + ROW_H - 4,
                        f"{_amount(used)} / {_amount(usable)} ({share})",
                        "c-value",
                    )
                )
                y += ROW_H
            y += 4
        y += 6
    if y <= 4.0:
        chart.empty = "No internal site is used before or after this plan."
    chart.height = max(y, 30.0)
    _fit(chart)
    return chart


def cost_by_place(plan: Plan) -> Chart:
    """Monthly cost per site or offer (placements, expansions, contracts), before and after."""
    chart = Chart(
        "chart-cost",
        "Monthly cost by site and provider",
        legend=[("c-cost-before", "before"), ("c-cost-after", "after")],
    )
    cost: dict[str, list[float]] = {}
    provider: dict[str, str] = {}
    for rc in plan.resource_changes:
        for i, state in enumerate((rc.change.before, rc.change.after)):
            if state is not None:
                site = state.site
                cost.setdefault(site, [0.0, 0.0])[i] += state.cost_eur_month
                if not isinstance(state, ExpansionState) and state.provider:
                    provider[site] = state.provider
    order = {p.id: i for i, p in enumerate(plan.context.places)} if plan.context else {}
    scale = max([v for pair in cost.values() for v in pair] + [1e-9])
    sites = sorted(cost, key=lambda s: (s in provider, order.get(s, len(order)), s))
    labels = {s: f"{s} ({provider[s]})" if s in provider else f"{s} (internal)" for s in sites}
    left = margin_for(list(labels.values()))
    y = 4.0
    for site in sites:
        label = labels[site]
        chart.shapes.append(Text(left - 6, y + 2 * ROW_H - 6, label, "c-label", "end"))
        for i, side in enumerate(("before", "after")):
            value = cost[site][i]
            chart.shapes.append(
                Rect(
                    left,
                    y + i * ROW_H,
                    value / scale * BAR_W,
                    ROW_H - 3,
                    f"c-cost-{side}",
                    f"{label} {side}: {eur(value)} / month",
                )
            )
            chart.shapes.append(
                Text(left + value / scale * BAR_W + 6, y + i * ROW_H + 10, eur(value), "c-value")
            )
        y += 2 * ROW_H + 8
    if not cost:
        chart.empty = "Nothing is placed in this plan."
    chart.height = max(y, 30.0)
    _fit(chart)
    return chart


def by_data_class(plan: Plan) -> Chart:
    """Per data class after the plan: workloads in-house and outsourced, share of its spend."""
    chart = Chart(
        "chart-classes",
        "In-house and outsourced workloads by data class (after)",
        legend=[("c-in-house", "in-house"), ("c-outsourced", "outsourced")],
    )
    left = margin_for(list(plan.totals.by_data_class))
    y = 4.0
    for name, share in plan.totals.by_data_class.items():
        total = max(share.workloads, 1)
        w_in = share.in_house / total * BAR_W
        chart.shapes.append(Text(left - 6, y + ROW_H, name, "c-label", "end"))
        chart.shapes.append(
            Rect(
                left,
                y + 2,
                w_in,
                ROW_H + 2,
                "c-in-house",
                f"{name}: {count(share.in_house)} in-house",
            )
        )
        chart.shapes.append(
            Rect(
                left + w_in,
                y + 2,
                BAR_W - w_in,
                ROW_H + 2,
                "c-outsourced",
                f"{name}: {count(share.outsourced)} outsourced",
            )
        )
        chart.shapes.append(
            Text(
                left + BAR_W + 8,
                y + ROW_H,
                f"{count(share.in_house)} in, {count(share.outsourced)} out "
                f"({share.share_in_house_pct:.0f} % of spend in)",
                "c-value",
            )
        )
        y += ROW_H + 10
    if not plan.totals.by_data_class:
        chart.empty = "No workload is placed in this plan."
    chart.height = max(y, 30.0)
    _fit(chart)
    return chart


def flows(plan: Plan) -> Chart:
    """Moves from site to site: bands whose thickness is the number of workloads moved."""
    chart = Chart(
        "chart-flows",
        "Moves from site to site",
        legend=[("c-flow", "workloads moved (band thickness = number)")],
    )
    pairs: Counter[tuple[str, str]] = Counter()
    for rc in plan.resource_changes:
        if rc.type == "planner_placement" and rc.change.actions == ("delete", "create"):
            assert rc.change.before is not None and rc.change.after is not None
            pairs[rc.change.before.site, rc.change.after.site] += 1
    if not pairs:
        chart.empty = "No workload moves in this plan."
        chart.height = 30.0
        return chart
    order = {p.id: i for i, p in enumerate(plan.context.places)} if plan.context else {}
    total = sum(pairs.values())
    unit = min(12.0, 360.0 / total)
    gap = 14.0
    out_of = Counter(src for (src, _dst) in pairs.elements())
    node_w = 10.0
    left_x = margin_for([f"{site} ({count(n)})" for site, n in out_of.items()])
    right_x = left_x + WIDTH - 2 * LABEL_W - 10  # the bands' span

    def nodes(index: int) -> dict[str, list[float]]:
        amounts: Counter[str] = Counter()
        for pair, n in pairs.items():
            amounts[pair[index]] += n
        out, y = {}, 10.0
        for site in sorted(amounts, key=lambda s: (order.get(s, len(order)), s)):
            height = max(amounts[site] * unit, 2.0)
            out[site] = [y, y]  # top, next free y for bands
            y += height + gap
        return out

    sources, targets = nodes(0), nodes(1)
    for site, (top, _) in sources.items():
        n = sum(v for (s, _t), v in pairs.items() if s == site)
        chart.shapes.append(
            Rect(left_x, top, node_w, max(n * unit, 2.0), "c-node", f"{site}: {count(n)} out")
        )
        chart.shapes.append(
            Text(
                left_x - 6,
                top + max(n * unit, 2.0) / 2 + 4,
                f"{site} ({count(n)})",
                "c-label",
                "end",
            )
        )
    for site, (top, _) in targets.items():
        n = sum(v for (_s, t), v in pairs.items() if t == site)
        chart.shapes.append(
            Rect(right_x, top, node_w, max(n * unit, 2.0), "c-node", f"{site}: {count(n)} in")
        )
        chart.shapes.append(
            Text(
                right_x + node_w + 6,
                top + max(n * unit, 2.0) / 2 + 4,
                f"{site} ({count(n)})",
                "c-label",
            )
        )
    for (src, dst), n in sorted(
        pairs.items(),
        key=lambda item: (order.get(item[0][0], 0), order.get(item[0][1], 0), item[0]),
    ):
        thick = n * unit
        y0, y1 = sources[src][1], targets[dst][1]
        sources[src][1] += thick
        targets[dst][1] += thick
        x0, x1 = left_x + node_w, right_x
        mid = (x0 + x1) / 2
        d = (
            f"M{x0:.1f},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f} "
            f"L{x1:.1f},{y1 + thick:.1f} C{mid:.1f},{y1 + thick:.1f} {mid:.1f},"
            f"{y0 + thick:.1f} {x0:.1f},{y0 + thick:.1f} Z"
        )
        chart.shapes.append(
            Path(d, "c-flow", f"{src} → {dst}: {count(n)} workload" + ("s" if n != 1 else ""))
        )
    chart.height = max(v[1] for v in (*sources.values(), *targets.values())) + 20.0
    _fit(chart)
    return chart


def all_charts(plan: Plan) -> list[Chart]:
    """The four charts of the HTML report, in the order shown."""
    return [utilisation(plan), cost_by_place(plan), by_data_class(plan), flows(plan)]

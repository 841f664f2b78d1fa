"""The report's charts as plain shapes (rectangles, texts, paths) for an SVG template.

Geometry is computed here, drawing is left to `templates/report/chart.svg.j2`; colours come
from CSS classes in the report's stylesheet, so a printed report and an override can restyle
them. Every number a shape stands for is also in its `tip` (an SVG <title>) and in the tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import ClassVar

from planner.plan.document import Plan
from planner.render.i18n import _, is_english, ngettext, num
from planner.render.report import provider_shifts, resource_keys, rows
from planner.render.templating import count, eur


def _percent(value: float) -> str:
    """A whole percentage: '12 %' (French: '12 %' with a no-break space)."""
    return f"{value:.0f} %" if is_english() else num(value, ".0f") + "\u00a0%"


def _side(side: str) -> str:
    return _("before") if side == "before" else _("after")


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
    return num(value, ",.0f") if abs(value) >= 100 else num(value, ",.4g")


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
        _("Utilisation of internal sites, before and after"),
        legend=[
            ("c-used-before", _("used before")),
            ("c-used-after", _("used after")),
            ("c-headroom", _("headroom (kept free)")),
            ("c-expansion", _("expansion")),
            ("c-usable", _("usable limit")),
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
        [f"{r} {_side(side)}" for rs in in_use.values() for r in rs for side in ("before", "after")]
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
                label = f"{r} {_side(side)}"
                chart.shapes.append(Text(left - 6, y + ROW_H - 4, label, "c-label", "end"))
                chart.shapes.append(
                    Rect(
                        x0,
                        y,
                        cap * k,
                        ROW_H - 2,
                        "c-track",
                        _(
                            "{site} {resource}: capacity {amount}",
                            site=site.site,
                            resource=r,
                            amount=_amount(cap),
                        ),
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
                            _(
                                "headroom {amount} {resource}",
                                amount=_amount(cap - base),
                                resource=r,
                            ),
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
                            _(
                                "expansion +{amount} {resource}",
                                amount=_amount(extra[side]),
                                resource=r,
                            ),
                        )
                    )
                chart.shapes.append(
                    Rect(
                        x0,
                        y + 3,
                        used * k,
                        ROW_H - 8,
                        f"c-used-{side}",
                        _(
                            "{site} {resource} {side}: {used} used of {usable} usable",
                            site=site.site,
                            resource=r,
                            side=_side(side),
                            used=_amount(used),
                            usable=_amount(usable),
                        ),
                    )
                )
                chart.shapes.append(
                    Rect(
                        x0 + usable * k - 1,
                        y - 1,
                        2,
                        ROW_H,
                        "c-usable",
                        _("usable {amount} {resource}", amount=_amount(usable), resource=r),
                    )
                )
                share = _percent(100.0 * used / usable) if usable > 0 else _("n/a")
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
        chart.empty = _("No internal site is used before or after this plan.")
    chart.height = max(y, 30.0)
    _fit(chart)
    return chart


def spend_by_provider(plan: Plan) -> Chart:
    """Monthly spend per provider (in-house first), before and after, with the difference."""
    chart = Chart(
        "chart-cost",
        _("Monthly spend by provider, before and after"),
        legend=[("c-cost-before", _("before")), ("c-cost-after", _("after"))],
    )
    shifts = provider_shifts(plan, rows(plan))
    scale = max([max(p.before_eur_month, p.after_eur_month) for p in shifts] + [1e-9])
    left = margin_for([p.provider for p in shifts])
    y = 4.0
    for p in shifts:
        chart.shapes.append(Text(left - 6, y + ROW_H + 2, p.provider, "c-label", "end"))
        values = ((p.before_eur_month, "before", ""), (p.after_eur_month, "after", ""))
        for i, (value, side, _unused) in enumerate(values):
            width = value / scale * BAR_W
            chart.shapes.append(
                Rect(
                    left,
                    y + i * ROW_H,
                    width,
                    ROW_H - 3,
                    f"c-cost-{side}",
                    f"{p.provider} {_side(side)}: " + _("{amount} / month", amount=eur(value)),
                )
            )
            text = eur(value)
            if side == "after" and p.delta_eur_month:
                text += f" ({eur(p.delta_eur_month, True)})"
            chart.shapes.append(Text(left + width + 6, y + i * ROW_H + 10, text, "c-value"))
        y += 2 * ROW_H + 8
    if not shifts:
        chart.empty = _("Nothing is placed in this plan.")
    chart.height = max(y, 30.0)
    _fit(chart)
    return chart


def by_data_class(plan: Plan) -> Chart:
    """Per data class after the plan: its monthly spend in-house and outsourced (the bar's
    split), with its workloads in-house and outsourced in the label."""
    chart = Chart(
        "chart-classes",
        _("Spend in-house and outsourced by data class (after)"),
        legend=[("c-in-house", _("in-house spend")), ("c-outsourced", _("outsourced spend"))],
    )
    left = margin_for(list(plan.totals.by_data_class))
    y = 4.0
    for name, share in plan.totals.by_data_class.items():
        spend = share.cost_in_house_eur_month + share.cost_outsourced_eur_month
        w_in = share.cost_in_house_eur_month / spend * BAR_W if spend > 0 else 0.0
        chart.shapes.append(Text(left - 6, y + ROW_H, name, "c-label", "end"))
        chart.shapes.append(
            Rect(
                left,
                y + 2,
                w_in,
                ROW_H + 2,
                "c-in-house",
                _(
                    "{name}: {amount} / month in-house, {n} workloads",
                    name=name,
                    amount=eur(share.cost_in_house_eur_month),
                    n=count(share.in_house),
                ),
            )
        )
        chart.shapes.append(
            Rect(
                left + w_in,
                y + 2,
                BAR_W - w_in,
                ROW_H + 2,
                "c-outsourced",
                _(
                    "{name}: {amount} / month outsourced, {n} workloads",
                    name=name,
                    amount=eur(share.cost_outsourced_eur_month),
                    n=count(share.outsourced),
                ),
            )
        )
        chart.shapes.append(
            Text(
                left + BAR_W + 8,
                y + ROW_H,
                _(
                    "{share} of {amount} in-house ({n_in} in, {n_out} out)",
                    share=_percent(share.share_in_house_pct),
                    amount=eur(spend),
                    n_in=count(share.in_house),
                    n_out=count(share.outsourced),
                ),
                "c-value",
            )
        )
        y += ROW_H + 10
    if not plan.totals.by_data_class:
        chart.empty = _("No workload is placed in this plan.")
    chart.height = max(y, 30.0)
    _fit(chart)
    return chart


NEW = "new"  # the flows chart's origin of new workloads
RETIRED = "retired"  # and destination of retired ones
FLOW_H = 360.0  # the height all bands share
NODE_GAP = 14.0  # between two nodes of a side: room for their labels


@dataclass(frozen=True)
class _Flow:
    origin: str
    destination: str
    workloads: int
    spend_eur_month: float
    cls: str


def _flows(plan: Plan) -> list[_Flow]:
    """Workloads that move, arrive or leave, per (origin, destination): how many and their
    monthly spend (after the move; a retired workload's before)."""
    found: dict[tuple[str, str, str], list[float]] = {}
    for rc in plan.resource_changes:
        if rc.type != "planner_placement" or not rc.is_change:
            continue
        before, after = rc.change.before, rc.change.after
        if before is not None and after is not None and before.site == after.site:
            continue  # re-priced where it runs: nothing flows
        origin = before.site if before is not None else NEW
        destination = after.site if after is not None else RETIRED
        if after is None:
            assert before is not None
            spend, cls = before.cost_eur_month, "c-flow-retired"
        else:
            spend = after.cost_eur_month
            cls = "c-flow-in" if after.kind == "internal" else "c-flow-out"
        entry = found.setdefault((origin, destination, cls), [0, 0.0])
        entry[0] += 1
        entry[1] += spend
    return [_Flow(o, d, int(n), round(v, 2), cls) for (o, d, cls), (n, v) in found.items()]


def flows(plan: Plan) -> Chart:
    """Moves from origin to destination, bands as thick as the monthly spend they carry; new
    workloads come from 'new', retired ones go to 'retired'."""
    chart = Chart(
        "chart-flows",
        _("Where the spend moves: origin → destination, band thickness = monthly spend"),
        legend=[
            ("c-flow-in", _("to an in-house site")),
            ("c-flow-out", _("to an outside offer")),
            ("c-flow-retired", _("retired")),
        ],
    )
    moves = _flows(plan)
    if not moves:
        chart.empty = _("No workload moves, arrives or leaves in this plan.")
        chart.height = 30.0
        return chart
    order = {p.id: i for i, p in enumerate(plan.context.places)} if plan.context else {}

    def rank(site: str) -> tuple[int, int, str]:
        """'new' first, then the plan's place order, 'retired' last."""
        if site in (NEW, RETIRED):
            return (0 if site == NEW else 2, 0, site)
        return (1, order.get(site, len(order)), site)

    total = sum(f.spend_eur_month for f in moves) or 1.0
    unit = FLOW_H / total

    def thick(spend: float) -> float:
        return max(spend * unit, 1.0)

    def side(key: str) -> tuple[dict[str, list[float]], dict[str, tuple[int, float]]]:
        sums: dict[str, tuple[int, float]] = {}
        for f in moves:
            site = f.origin if key == "origin" else f.destination
            n, v = sums.get(site, (0, 0.0))
            sums[site] = (n + f.workloads, v + f.spend_eur_month)
        nodes, y = {}, 10.0
        for site in sorted(sums, key=rank):
            height = sum(thick(f.spend_eur_month) for f in moves if getattr(f, key) == site)
            nodes[site] = [y, y, height]  # top, next free y for bands, height
            y += height + NODE_GAP
        return nodes, sums

    origins, out_sums = side("origin")
    targets, in_sums = side("destination")

    def label(site: str, sums: dict[str, tuple[int, float]]) -> str:
        n, spend = sums[site]
        return f"{site} ({count(n)}, {eur(spend)})"

    node_w = 10.0
    left_x = margin_for([label(site, out_sums) for site in origins])
    right_x = left_x + WIDTH - 2 * LABEL_W - 10  # the bands' span
    for nodes, sums, x, anchor in (
        (origins, out_sums, left_x, "end"),
        (targets, in_sums, right_x, "start"),
    ):
        for site, (top, _unused, height) in nodes.items():
            n, spend = sums[site]
            chart.shapes.append(
                Rect(
                    x,
                    top,
                    node_w,
                    height,
                    "c-node",
                    _(
                        "{site}: {n} workloads, {amount} / month",
                        site=site,
                        n=count(n),
                        amount=eur(spend),
                    ),
                )
            )
            tx = x - 6 if anchor == "end" else x + node_w + 6
            chart.shapes.append(
                Text(tx, top + height / 2 + 4, label(site, sums), "c-label", anchor)
            )
    for f in sorted(moves, key=lambda f: (rank(f.origin), rank(f.destination), f.cls)):
        band = thick(f.spend_eur_month)
        y0, y1 = origins[f.origin][1], targets[f.destination][1]
        origins[f.origin][1] += band
        targets[f.destination][1] += band
        x0, x1 = left_x + node_w, right_x
        mid = (x0 + x1) / 2
        d = (
            f"M{x0:.1f},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f} "
            f"L{x1:.1f},{y1 + band:.1f} C{mid:.1f},{y1 + band:.1f} {mid:.1f},"
            f"{y0 + band:.1f} {x0:.1f},{y0 + band:.1f} Z"
        )
        chart.shapes.append(
            Path(
                d,
                f.cls,
                ngettext(
                    "{origin} → {destination}: {count} workload, {amount} / month",
                    "{origin} → {destination}: {count} workloads, {amount} / month",
                    f.workloads,
                    origin=f.origin,
                    destination=f.destination,
                    count=count(f.workloads),
                    amount=eur(f.spend_eur_month),
                ),
            )
        )
    chart.height = max(v[0] + v[2] for v in (*origins.values(), *targets.values())) + 20.0
    _fit(chart)
    return chart


def all_charts(plan: Plan) -> list[Chart]:
    """The four charts of the HTML report, in the order shown: where the spend moves, who is
    paid, whether the sites hold it, and where each data class runs."""
    return [flows(plan), spend_by_provider(plan), utilisation(plan), by_data_class(plan)]

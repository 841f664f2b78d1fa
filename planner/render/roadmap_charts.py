"""A roadmap's charts, as shapes for `templates/report/chart.svg.j2`: the moves of each wave
by the site or offer they go to, each internal site's vCPU load against its usable capacity
over the periods, and the monthly cost and one-off spend of each period."""

from __future__ import annotations

from collections import defaultdict

from planner.plan.roadmap_document import RoadmapPlan
from planner.render.charts import PAD, WIDTH, Chart, Path, Rect, Text
from planner.render.i18n import _, num
from planner.render.templating import count, eur

LEFT = 60.0
PLOT_H = 180.0
PALETTE = 8  # css classes r-0 .. r-7, cycled


def _columns(plan: RoadmapPlan) -> tuple[float, float]:
    """(x of the first period's column, width of a column)."""
    n = max(1, len(plan.roadmap.waves))
    return LEFT, (WIDTH - LEFT - PAD) / n


def _axis(chart: Chart, plan: RoadmapPlan, top: float) -> None:
    x0, w = _columns(plan)
    step = max(1, len(plan.roadmap.waves) // 8)
    for i, wave in enumerate(plan.roadmap.waves):
        if i % step == 0:
            chart.shapes.append(
                Text(x0 + (i + 0.5) * w, top + PLOT_H + 14, wave.name, "c-label", "middle")
            )


def wave_chart(plan: RoadmapPlan) -> Chart:
    """Moves per wave, stacked by where they go."""
    chart = Chart("roadmap-waves", "Moves per wave, by destination")
    places: dict[str, int] = {}
    per: list[dict[str, int]] = []
    for wave in plan.roadmap.waves:
        row: dict[str, int] = defaultdict(int)
        for rc in wave.resource_changes:
            b, a = rc.change.before, rc.change.after
            if rc.type == "planner_placement" and b is not None and a is not None:
                row[a.site] += 1
        per.append(row)
        for place in sorted(row):
            places.setdefault(place, len(places) % PALETTE)
    top = 20.0  # room for the tallest wave's total above its bar
    most = max((sum(r.values()) for r in per), default=0)
    chart.height = top + PLOT_H + 24
    if most == 0:
        chart.empty = "no moves over the horizon"
        return chart
    x0, w = _columns(plan)
    for i, (wave, row) in enumerate(zip(plan.roadmap.waves, per, strict=True)):
        y = top + PLOT_H
        for place in sorted(row):
            h = PLOT_H * row[place] / most
            y -= h
            tip = _("{wave}: {n} to {place}", wave=wave.name, n=count(row[place]), place=place)
            chart.shapes.append(
                Rect(x0 + i * w + 1, y, max(w - 2, 1), h, f"r-{places[place]}", tip)
            )
        chart.shapes.append(
            Text(x0 + (i + 0.5) * w, y - 3, count(sum(row.values())), "c-value", "middle")
        )
    chart.legend = [(f"r-{c}", place) for place, c in places.items()]
    _axis(chart, plan, top)
    return chart


def load_chart(plan: RoadmapPlan, resource: str = "vcpu") -> Chart:
    """Each internal site's load against its usable capacity, period by period."""
    chart = Chart(
        "roadmap-load",
        _("Internal sites: {resource} used against usable, per period", resource=resource),
    )
    sites = sorted({u.site for w in plan.roadmap.waves for u in w.site_use})
    rows = len(sites)
    chart.height = 10 + rows * (PLOT_H / 2 + 30)
    if not sites:
        chart.empty = "no internal site"
        return chart
    x0, w = _columns(plan)
    band = PLOT_H / 2
    for k, site_id in enumerate(sites):
        top = 10 + k * (band + 30)
        peak = max(
            [
                u.usable.get(resource, 0.0)
                for wv in plan.roadmap.waves
                for u in wv.site_use
                if u.site == site_id
            ]
            + [
                u.used.get(resource, 0.0)
                for wv in plan.roadmap.waves
                for u in wv.site_use
                if u.site == site_id
            ]
            + [1.0]
        )
        chart.shapes.append(Text(0, top + 12, site_id, "c-site"))
        usable_path = []
        for i, wave in enumerate(plan.roadmap.waves):
            use = next((u for u in wave.site_use if u.site == site_id), None)
            used = 0.0 if use is None else use.used.get(resource, 0.0)
            usable = 0.0 if use is None else use.usable.get(resource, 0.0)
            h = band * used / peak
            tip = _(
                "{site} {wave}: {used} of {usable} {resource}",
                site=site_id,
                wave=wave.name,
                used=num(used, ",.0f"),
                usable=num(usable, ",.0f"),
                resource=resource,
            )
            chart.shapes.append(
                Rect(x0 + i * w + 1, top + band - h, max(w - 2, 1), h, "c-used", tip)
            )
            y = top + band - band * usable / peak
            usable_path.append(f"{'M' if i == 0 else 'L'}{x0 + i * w:.1f},{y:.1f}")
            usable_path.append(f"L{x0 + (i + 1) * w:.1f},{y:.1f}")
        chart.shapes.append(
            Path(
                " ".join(usable_path),
                "c-capacity",
                _("{site}: usable {resource}", site=site_id, resource=resource),
            )
        )
    chart.legend = [
        ("c-used", _("{resource} used", resource=resource)),
        ("c-capacity", _("usable {resource}", resource=resource)),
    ]
    _axis(chart, plan, chart.height - PLOT_H - 24)
    return chart


def cost_chart(plan: RoadmapPlan) -> Chart:
    """Monthly cost of each period (bars) and the one-off spend of its wave (marks)."""
    chart = Chart("roadmap-cost", "Cost over time: monthly spend and each wave's one-off spend")
    top = 10.0
    chart.height = top + PLOT_H + 24
    waves = plan.roadmap.waves
    most = max(
        [w.totals.monthly_cost_eur for w in waves] + [w.totals.one_off_eur for w in waves] + [1.0]
    )
    x0, w = _columns(plan)
    for i, wave in enumerate(waves):
        h = PLOT_H * wave.totals.monthly_cost_eur / most
        tip = _(
            "{wave}: {amount} a month", wave=wave.name, amount=eur(wave.totals.monthly_cost_eur)
        )
        chart.shapes.append(
            Rect(x0 + i * w + 1, top + PLOT_H - h, max(w / 2 - 1, 1), h, "c-cost", tip)
        )
        if wave.totals.one_off_eur:
            h = PLOT_H * wave.totals.one_off_eur / most
            tip = _("{wave}: one-off {amount}", wave=wave.name, amount=eur(wave.totals.one_off_eur))
            chart.shapes.append(
                Rect(x0 + i * w + w / 2, top + PLOT_H - h, max(w / 2 - 1, 1), h, "c-oneoff", tip)
            )
    chart.legend = [
        ("c-cost", _("monthly spend")),
        ("c-oneoff", _("one-off spend of the wave")),
    ]
    _axis(chart, plan, top)
    return chart


def roadmap_charts(plan: RoadmapPlan) -> list[Chart]:
    return [wave_chart(plan), load_chart(plan), cost_chart(plan)]

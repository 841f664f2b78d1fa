"""The sweep report's charts as plain shapes, drawn by `templates/report/chart.svg.j2`:
histograms of monthly cost, the tornado, the Pareto front, stability and the N-1 losses."""

from __future__ import annotations

from typing import Any

from planner.render.charts import BAR_W, PAD, ROW_H, Chart, Path, Rect, Text, margin_for
from planner.render.templating import eur

HIST_H = 140.0
STABILITY_ROWS = 15


def _x(value: float, low: float, high: float, left: float) -> float:
    span = high - low
    return left + (BAR_W * (value - low) / span if span > 0 else BAR_W / 2)


def histogram(name: str, hist: dict[str, Any]) -> Chart:
    """Monthly cost of a variation's solved variants, binned (`summary.histogram`)."""
    chart = Chart(f"hist-{name}", f"{name}: monthly cost of the solved variants")
    counts: list[int] = hist["counts"]
    if not counts:
        chart.empty = "no solved variant"
        chart.height = 30
        return chart
    low, high = float(hist["low"]), float(hist["high"])
    width = (high - low) / len(counts)
    top = max(counts)
    left, bar = 60.0, BAR_W / len(counts)
    for i, n in enumerate(counts):
        h = HIST_H * n / top
        lo = low + i * width
        tip = f"{eur(lo)} to {eur(lo + width)}: {n} variant{'s' if n != 1 else ''}"
        chart.shapes.append(Rect(left + i * bar, PAD + HIST_H - h, bar - 1, h, "c-cost-after", tip))
    y = PAD + HIST_H + 14
    chart.shapes.append(Text(left, y, eur(low), "c-value"))
    chart.shapes.append(Text(left + BAR_W, y, eur(high), "c-value", "end"))
    chart.shapes.append(Text(left - 6, PAD + 10, str(top), "c-value", "end"))
    chart.height = y + PAD
    return chart


def tornado(name: str, bars: list[dict[str, Any]]) -> Chart:
    """One bar per parameter from its lowest to its highest monthly cost; the base as a line."""
    chart = Chart(f"tornado-{name}", f"{name}: monthly cost, one parameter at a time")
    if not bars:
        chart.empty = "no one-at-a-time parameter"
        chart.height = 30
        return chart
    left = margin_for([b["parameter"] for b in bars])
    low = min(min(b["low_eur"], b["base_eur"]) for b in bars)
    high = max(max(b["high_eur"], b["base_eur"]) for b in bars)
    for i, b in enumerate(bars):
        y = PAD + i * (ROW_H + 6)
        x0, x1 = _x(b["low_eur"], low, high, left), _x(b["high_eur"], low, high, left)
        tip = (
            f"{b['parameter']}: {eur(b['low_eur'])} at {b['low_value']}, "
            f"{eur(b['high_eur'])} at {b['high_value']}"
        )
        chart.shapes.append(Text(left - 6, y + 12, b["parameter"], "c-label", "end"))
        chart.shapes.append(Rect(x0, y, max(x1 - x0, 1.0), ROW_H, "c-cost-after", tip))
        chart.shapes.append(Text(x1 + 6, y + 12, f"swing {eur(b['swing_eur'])}", "c-value"))
    base_x = _x(bars[0]["base_eur"], low, high, left)
    bottom = PAD + len(bars) * (ROW_H + 6)
    chart.shapes.append(Rect(base_x - 1, PAD - 4, 2, bottom - PAD + 4, "c-node", "base"))
    chart.shapes.append(
        Text(base_x, bottom + 14, f"base {eur(bars[0]['base_eur'])}", "c-value", "middle")
    )
    chart.height = bottom + 14 + PAD
    return chart


def front(name: str, points: list[dict[str, Any]], cap: str) -> Chart:
    """Monthly cost against the cap's value; points off the front drawn muted."""
    chart = Chart(f"pareto-{name}", f"{name}: monthly cost against {cap}")
    solved = [p for p in points if p["monthly_cost_eur"] is not None]
    if not solved:
        chart.empty = "no solved point"
        chart.height = 30
        return chart
    left, height = 90.0, 180.0
    x_lo, x_hi = min(p["value"] for p in solved), max(p["value"] for p in solved)
    y_lo = min(p["monthly_cost_eur"] for p in solved)
    y_hi = max(p["monthly_cost_eur"] for p in solved)

    def y(cost: float) -> float:
        return PAD + (height * (y_hi - cost) / (y_hi - y_lo) if y_hi > y_lo else height / 2)

    on = [p for p in solved if p["on_front"]]
    xy = [(_x(p["value"], x_lo, x_hi, left), y(p["monthly_cost_eur"])) for p in on]
    d = "".join(f"{'M' if i == 0 else 'L'}{px:.1f},{py:.1f}" for i, (px, py) in enumerate(xy))
    if d:
        chart.shapes.append(Path(d, "c-flow-line", "the front"))
    for p in solved:
        px, py = _x(p["value"], x_lo, x_hi, left), y(p["monthly_cost_eur"])
        cls = "c-cost-after" if p["on_front"] else "c-cost-before"
        tip = f"{cap} {p['value']:g}: {eur(p['monthly_cost_eur'])} / month"
        chart.shapes.append(Rect(px - 4, py - 4, 8, 8, cls, tip))
    chart.shapes.append(Text(left - 6, PAD + 4, eur(y_hi), "c-value", "end"))
    chart.shapes.append(Text(left - 6, PAD + height + 4, eur(y_lo), "c-value", "end"))
    base = PAD + height + 20
    chart.shapes.append(Text(left, base, f"{x_lo:g}", "c-value"))
    chart.shapes.append(Text(left + BAR_W, base, f"{x_hi:g}", "c-value", "end"))
    chart.height = base + PAD
    return chart


def stability(name: str, rows: list[dict[str, Any]]) -> Chart:
    """The least stable workloads: the share of variants that keep their base place."""
    shown = [r for r in rows if r["stability_pct"] is not None][:STABILITY_ROWS]
    chart = Chart(f"stability-{name}", f"{name}: least stable placements")
    if not shown:
        chart.empty = "no solved variant"
        chart.height = 30
        return chart
    left = margin_for([r["workload"] for r in shown])
    for i, r in enumerate(shown):
        y = PAD + i * (ROW_H + 4)
        w = BAR_W * r["stability_pct"] / 100.0
        tip = f"{r['workload']}: {r['stability_pct']:.1f} % at {r['base_place']}"
        chart.shapes.append(Text(left - 6, y + 12, r["workload"], "c-label", "end"))
        chart.shapes.append(Rect(left, y, BAR_W, ROW_H, "c-track"))
        chart.shapes.append(Rect(left, y, w, ROW_H, "c-in-house", tip))
        chart.shapes.append(
            Text(left + BAR_W + 6, y + 12, f"{r['stability_pct']:.1f} %", "c-value")
        )
    chart.height = PAD * 2 + len(shown) * (ROW_H + 4)
    return chart


def losses(name: str, rows: list[dict[str, Any]]) -> Chart:
    """Each loss's monthly cost difference from the base; a loss not absorbed in red."""
    chart = Chart(f"losses-{name}", f"{name}: monthly cost of each loss")
    if not rows:
        chart.empty = "no member"
        chart.height = 30
        return chart
    left = margin_for([r["member"] for r in rows])
    diffs = [r.get("difference_eur") or 0.0 for r in rows if r["absorbed"]]
    top = max([abs(d) for d in diffs] + [1.0])
    for i, r in enumerate(rows):
        y = PAD + i * (ROW_H + 4)
        chart.shapes.append(Text(left - 6, y + 12, r["member"], "c-label", "end"))
        if r["absorbed"]:
            d = r.get("difference_eur") or 0.0
            w = BAR_W * abs(d) / top
            chart.shapes.append(
                Rect(
                    left,
                    y,
                    max(w, 1.0),
                    ROW_H,
                    "c-cost-after",
                    f"{r['member']}: {eur(d, signed=True)} / month",
                )
            )
            chart.shapes.append(Text(left + w + 6, y + 12, eur(d, signed=True), "c-value"))
        else:
            chart.shapes.append(
                Rect(left, y, BAR_W, ROW_H, "c-usable", f"{r['member']}: not absorbed")
            )
            chart.shapes.append(
                Text(left + 6, y + 12, f"not absorbed ({r['status']})", "c-empty-on-bar")
            )
    chart.height = PAD * 2 + len(rows) * (ROW_H + 4)
    return chart


def sweep_charts(summary: dict[str, Any]) -> dict[str, list[Chart]]:
    """Charts by variation name."""
    out: dict[str, list[Chart]] = {}
    for v in summary["variations"]:
        charts: list[Chart] = []
        if "histogram" in v:
            charts.append(histogram(v["name"], v["histogram"]))
        if v.get("tornado"):
            charts.append(tornado(v["name"], v["tornado"]))
        if "stability" in v:
            charts.append(stability(v["name"], v["stability"]))
        if "pareto" in v:
            charts.append(front(v["name"], v["pareto"]["points"], str(v["pareto"]["cap"])))
        if "losses" in v:
            charts.append(losses(v["name"], v["losses"]))
        out[v["name"]] = charts
    return out

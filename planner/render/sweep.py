"""A sweep's summary as text and as an offline HTML report (inline CSS and SVG, no scripts)."""

from __future__ import annotations

import json
from typing import Any

from planner.controls import json_escaped, printable
from planner.render.templating import environment, eur, pct

STABILITY_SHOWN = 10  # least stable workloads listed in the text summary


def _eur(value: float | None) -> str:
    return eur(value)


def _spread_line(label: str, s: dict[str, float] | None, fmt: Any) -> str:
    if s is None:
        return f"  {label:<22} no solved variant"
    return (
        f"  {label:<22} p5 {fmt(s['p5'])}   median {fmt(s['median'])}   p95 {fmt(s['p95'])}"
        f"   (min {fmt(s['min'])}, max {fmt(s['max'])})"
    )


def _statuses(statuses: dict[str, int]) -> str:
    return ", ".join(f"{n} {status}" for status, n in statuses.items())


def _variation_lines(v: dict[str, Any]) -> list[str]:
    lines = [f"{v['name']} ({v['kind']}): {v['variants']} variants: {_statuses(v['statuses'])}"]
    if "distribution" in v:
        d = v["distribution"]
        lines.append(_spread_line("monthly cost", d["monthly_cost_eur"], _eur))
        lines.append(_spread_line("one-off cost", d["one_off_eur"], _eur))
        lines.append(_spread_line("outsourced share", d["outsourced_share_pct"], pct))
        unstable = [s for s in v["stability"] if s["stability_pct"] is not None][:STABILITY_SHOWN]
        unstable = [s for s in unstable if s["stability_pct"] < 100]
        if unstable:
            lines.append("  least stable placements (share of variants at the base place):")
            for s in unstable:
                others = ", ".join(f"{a['place']} {pct(a['share_pct'])}" for a in s["alternatives"])
                lines.append(
                    f"    {s['workload']:<34} {pct(s['stability_pct']):>9} at {s['base_place']}"
                    + (f"; else {others}" if others else "")
                )
        else:
            lines.append("  every workload stays at its base place in every solved variant")
    for bar in v.get("tornado", []):
        lines.append(
            f"  sensitivity {bar['parameter']}: {_eur(bar['low_eur'])} (at {bar['low_value']})"
            f" .. {_eur(bar['high_eur'])} (at {bar['high_value']}), swing {_eur(bar['swing_eur'])}"
        )
    if "pareto" in v:
        lines.append(f"  front of {v['pareto']['cap']} against monthly cost:")
        for p in v["pareto"]["points"]:
            per = p.get("eur_month_per_unit")
            lines.append(
                f"    {p['value']:>12g}  {p['status']:<11} {_eur(p['monthly_cost_eur']):>16}"
                f"  outsourced {pct(p['outsourced_share_pct'])}"
                + (f"  {_eur(per)} / month per unit below the next cap" if per is not None else "")
                + ("" if p["on_front"] else "  (dominated)")
            )
    if "losses" in v:
        for row in v["losses"]:
            if row["absorbed"]:
                diff = row.get("difference_eur")
                lines.append(
                    f"  {row['member']:<28} absorbed: {_eur(row['monthly_cost_eur'])} / month"
                    + (f" ({eur(diff, signed=True)})" if diff is not None else "")
                    + f", one-off {_eur(row['one_off_eur'])}"
                )
            else:
                lines.append(f"  {row['member']:<28} NOT absorbed ({row['status']})")
                lines += [f"      {line.strip()}" for line in row["why"]]
    b = v.get("break_even")
    if b is not None:
        if b["found"]:
            lines.append(
                f"  {b['watch']} moves from {b['state_below']} to {b['state_above']} when "
                f"{b['address']} ({b['op']}) passes a value in ({b['below']:.6g}, "
                f"{b['above']:.6g}] (tolerance {b['tolerance']:g}, {b['steps']} plans)"
            )
        else:
            lines.append(
                f"  {b['watch']} stays at {b['state_below']} for {b['address']} ({b['op']}) "
                f"from {b['low']:g} to {b['high']:g}: no break-even in that range"
            )
    return lines


def render_sweep_text(summary: dict[str, Any]) -> str:
    """The sweep summary for a terminal."""
    base = summary["base"]
    lines = [
        f"Sweep {summary['sweep']}: {summary['variants']} variants "
        f"({summary['ran']} planned now, {summary['reused']} from the results file): "
        f"{_statuses(summary['statuses'])}",
        f"Base ({summary['base_scenario']}): {base['status']}, "
        f"{_eur(base['monthly_cost_eur'])} / month, one-off {_eur(base['one_off_eur'])}, "
        f"outsourced {pct(base['outsourced_share_pct'])}",
    ]
    for v in summary["variations"]:
        lines.append("")
        lines += _variation_lines(v)
    return printable("\n".join(lines) + "\n")


def render_sweep_json(summary: dict[str, Any]) -> str:
    return (
        json_escaped(
            json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
        )
        + "\n"
    )


def render_sweep_html(summary: dict[str, Any], templates: str | None = None) -> str:
    """The offline HTML report of a sweep; every value from the inputs is escaped."""
    from planner.render.sweep_charts import sweep_charts

    env = environment(templates, autoescape=True)
    return printable(
        env.get_template("sweep.html.j2").render(s=summary, charts=sweep_charts(summary))
    )

"""What a sweep shows: distributions, stability, tornado, Pareto front, break evens, N-1.

Everything is computed from the records alone (and the base record), as plain JSON-ready data
that the text, JSON and HTML outputs share. Percentiles are numpy's linear interpolation.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from typing import Any

import numpy as np

from planner.sweep.run import Outcome
from planner.sweep.variants import Variant
from planner.sweep.worker import NOT_PLACED, SOLVED, placements_of

METRICS = ("monthly_cost_eur", "one_off_eur", "outsourced_share_pct")
ALTERNATIVES = 3  # usual other places shown per workload


def spread(values: list[float]) -> dict[str, float] | None:
    """p5, median, p95, min, max and mean of `values` (None when there are none)."""
    if not values:
        return None
    a = np.asarray(values, dtype=float)
    p5, median, p95 = np.percentile(a, [5, 50, 95])
    return {
        "p5": round(float(p5), 6),
        "median": round(float(median), 6),
        "p95": round(float(p95), 6),
        "min": round(float(a.min()), 6),
        "max": round(float(a.max()), 6),
        "mean": round(float(a.mean()), 6),
    }


def _solved(record: dict[str, Any]) -> bool:
    return record.get("status") in SOLVED


def _stability(base: dict[str, Any], records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per workload: the share of solved variants that keep its base place, and the others."""
    placed: dict[str, str] = base.get("placements", {})
    solved = [r for r in records if _solved(r)]
    maps = [placements_of(r, base) for r in solved]
    out = []
    for workload, home in sorted(placed.items()):
        where = Counter(p.get(workload, NOT_PLACED) for p in maps)
        others = sorted(
            ((p, n) for p, n in where.items() if p != home), key=lambda item: (-item[1], item[0])
        )
        out.append(
            {
                "workload": workload,
                "base_place": home,
                "stability_pct": round(100.0 * where[home] / len(solved), 4) if solved else None,
                "alternatives": [
                    {"place": p, "share_pct": round(100.0 * n / len(solved), 4)}
                    for p, n in others[:ALTERNATIVES]
                ],
            }
        )
    out.sort(
        key=lambda s: (s["stability_pct"] if s["stability_pct"] is not None else 101, s["workload"])
    )
    return out


def _by_place(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Spend per place and load per site and resource, as spreads over solved variants."""
    solved = [r for r in records if _solved(r)]
    spend: dict[str, list[float]] = defaultdict(list)
    load: dict[tuple[str, str], list[float]] = defaultdict(list)
    places = sorted({p for r in solved for p in r["spend_eur_month"]})
    for r in solved:
        for p in places:
            spend[p].append(r["spend_eur_month"].get(p, 0.0))
        for site, used in r["load"].items():
            for resource, amount in used.items():
                load[site, resource].append(amount)
    return {
        "spend_eur_month": {p: spread(v) for p, v in sorted(spend.items())},
        "load": {f"{site}.{resource}": spread(v) for (site, resource), v in sorted(load.items())},
    }


def _distribution(records: list[dict[str, Any]]) -> dict[str, Any]:
    solved = [r for r in records if _solved(r)]
    return {m: spread([r[m] for r in solved]) for m in METRICS}


BINS = 20


def histogram(values: list[float], bins: int = BINS) -> dict[str, Any]:
    """`values` in `bins` equal bins from their min to their max (one bin if all equal)."""
    if not values:
        return {"low": None, "high": None, "counts": []}
    low, high = min(values), max(values)
    if high == low:
        return {"low": low, "high": high, "counts": [len(values)]}
    counts = [0] * bins
    for v in values:
        counts[min(int((v - low) / (high - low) * bins), bins - 1)] += 1
    return {"low": low, "high": high, "counts": counts}


def _statuses(records: list[dict[str, Any]]) -> dict[str, int]:
    return dict(sorted(Counter(str(r.get("status")) for r in records).items()))


def _tornado(
    base: dict[str, Any], pairs: list[tuple[Variant, dict[str, Any]]]
) -> list[dict[str, Any]]:
    """One bar per parameter of the one-at-a-time grids: the monthly cost at its lowest and
    highest value (others as in the base), widest swing first."""
    if not _solved(base):
        return []
    by_param: dict[str, list[tuple[Any, dict[str, Any]]]] = defaultdict(list)
    for variant, record in pairs:
        if variant.meta.get("one_at_a_time"):
            [(address, value)] = variant.meta["values"].items()
            by_param[f"{address} {variant.meta['op']}"].append((value, record))
    bars = []
    for parameter, points in by_param.items():
        solved = [(v, r["monthly_cost_eur"]) for v, r in points if _solved(r)]
        if not solved:
            continue
        low = min(solved, key=lambda p: (p[1], str(p[0])))
        high = max(solved, key=lambda p: (p[1], str(p[0])))
        bars.append(
            {
                "parameter": parameter,
                "base_eur": base["monthly_cost_eur"],
                "low_eur": low[1],
                "low_value": low[0],
                "high_eur": high[1],
                "high_value": high[0],
                "swing_eur": round(high[1] - low[1], 6),
                "unsolved": len(points) - len(solved),
            }
        )
    bars.sort(key=lambda b: (-b["swing_eur"], b["parameter"]))
    return bars


def _pareto(pairs: list[tuple[Variant, dict[str, Any]]]) -> dict[str, Any]:
    """The epsilon-constraint points by cap value, each with the monthly cost of one unit
    less of the cap (from the next looser point), and whether it is on the front."""
    points = sorted(
        (
            {
                "cap": v.meta["cap"],
                "value": v.meta["value"],
                "status": r["status"],
                "monthly_cost_eur": r.get("monthly_cost_eur"),
                "outsourced_share_pct": r.get("outsourced_share_pct"),
            }
            for v, r in pairs
        ),
        key=lambda p: p["value"],
    )
    solved = [p for p in points if p["monthly_cost_eur"] is not None]
    for p in points:
        p["on_front"] = p["monthly_cost_eur"] is not None and not any(
            q is not p
            and q["value"] <= p["value"]
            and q["monthly_cost_eur"] <= p["monthly_cost_eur"]
            and (q["value"] < p["value"] or q["monthly_cost_eur"] < p["monthly_cost_eur"])
            for q in solved
        )
    for tighter, looser in itertools.pairwise(solved):
        step = looser["value"] - tighter["value"]
        tighter["eur_month_per_unit"] = (
            round((tighter["monthly_cost_eur"] - looser["monthly_cost_eur"]) / step, 6)
            if step
            else None
        )
    return {"cap": points[0]["cap"] if points else None, "points": points}


def _losses(
    base: dict[str, Any], pairs: list[tuple[Variant, dict[str, Any]]]
) -> list[dict[str, Any]]:
    """The N-1 table: each loss's status, cost and difference from the base, or why it has
    no plan."""
    rows = []
    for v, r in pairs:
        row: dict[str, Any] = {
            "member": v.meta["member"],
            "what": v.meta["what"],
            "status": r["status"],
            "monthly_cost_eur": r.get("monthly_cost_eur"),
            "one_off_eur": r.get("one_off_eur"),
            "absorbed": _solved(r),
        }
        if _solved(r) and _solved(base):
            row["difference_eur"] = round(r["monthly_cost_eur"] - base["monthly_cost_eur"], 6)
        if not _solved(r):
            row["why"] = str(r.get("message", "")).splitlines()[1:4] or [str(r.get("message"))]
            row["causes"] = r.get("causes", [])
        rows.append(row)
    return rows


def summarise(outcome: Outcome) -> dict[str, Any]:
    """The summary document of a sweep (what `--format json` prints)."""
    sweep = outcome.sweep
    base_variant = sweep.variants[0]
    base = outcome.records[base_variant.key]
    by_variation: dict[str, list[tuple[Variant, dict[str, Any]]]] = defaultdict(list)
    for v in outcome.variants[1:]:
        by_variation[v.variation].append((v, outcome.records[v.key]))
    variations = []
    for index, spec in enumerate(sweep.spec.variations):
        name = spec.name or f"{spec.kind}-{index + 1}"
        pairs = by_variation.get(name, [])
        records = [r for _, r in pairs]
        item: dict[str, Any] = {
            "name": name,
            "kind": spec.kind,
            "variants": len(pairs),
            "statuses": _statuses(records),
        }
        if spec.kind in ("grid", "samples"):
            item["distribution"] = _distribution(records)
            item["histogram"] = histogram([r["monthly_cost_eur"] for r in records if _solved(r)])
            item["stability"] = _stability(base, records)
            item["by_place"] = _by_place(records)
        if spec.kind == "grid":
            item["tornado"] = _tornado(base, pairs)
        if spec.kind == "pareto":
            item["pareto"] = _pareto(pairs)
        if spec.kind == "each":
            item["losses"] = _losses(base, pairs)
        if spec.kind == "break_even":
            item["break_even"] = next(
                (b.as_json() for b in outcome.break_evens if b.variation == name), None
            )
        variations.append(item)
    everything = [outcome.records[v.key] for v in outcome.variants]
    return {
        "format_version": "1.0",
        "sweep": sweep.spec.name,
        "description": sweep.spec.description,
        "base_scenario": sweep.spec.base,
        "variants": len(outcome.variants),
        "ran": outcome.ran,
        "reused": outcome.reused,
        "statuses": _statuses(everything),
        "base": {
            "status": base.get("status"),
            **{m: base.get(m) for m in METRICS},
        },
        "variations": variations,
    }

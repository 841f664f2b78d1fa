"""Right-sized placement against as-provisioned placement on generated fleets, side by side.

    python -m benchmarks.sizing_bench                      # the 10k x 30 fleet
    python -m benchmarks.sizing_bench --sizes 1000x20,10000x30 --comfort 1.3

For each size one fleet is generated (benchmarks/fleet.py, utilisation after the shape of the
Azure trace) and written twice: a scenario that plans it as provisioned and one with a
performance sizing policy (p95 x the comfort factor, at least 1 vCPU / 2 GiB, 14 days of
history at least). Both are planned in this process one after the other, as `planner plan`
does; the table gives today's cost, each plan's monthly cost, the saving of right-sized
placement over as-provisioned placement, the right-sized plan's split of its saving against
today, what sizing took off, and each run's seconds and solver status.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.fleet import generate, write_fleet


def sizing_policy(comfort: float, percentile: str = "p95") -> dict[str, Any]:
    return {
        "policy": "performance",
        "percentile": percentile,
        "comfort_factor": comfort,
        "min_window_days": 14,
        "min_vcpu": 1.0,
        "min_ram_gib": 2.0,
    }


def measure(n_workloads: int, n_places: int, comfort: float, seed: int) -> dict[str, Any]:
    """Plan one fleet as provisioned and right-sized; the figures of one table row."""
    from planner.pipeline import run_plan

    fleet = generate(n_workloads, n_places, seed)
    out: dict[str, Any] = {"size": f"{n_workloads:,} x {n_places}"}
    with tempfile.TemporaryDirectory() as tmp:
        for key, sizing in (("provisioned", None), ("sized", sizing_policy(comfort))):
            scenario = write_fleet(fleet, Path(tmp) / key, time_limit_s=300.0, sizing=sizing)
            start = time.perf_counter()
            run = run_plan(str(scenario))
            out[f"{key}_s"] = time.perf_counter() - start
            plan = run.plan
            out["today"] = plan.totals.monthly_cost_before_eur
            out[key] = plan.totals.monthly_cost_after_eur
            out[f"{key}_status"] = plan.solver.status
            out[f"{key}_gap"] = plan.solver.gap_pct
            out[f"{key}_units"] = len(run.candidates.units)
            if plan.sizing is not None and plan.savings is not None:
                out["sized_count"] = plan.sizing.sized_count
                out["records"] = len(plan.sizing.workloads)
                out["vcpu"] = (plan.sizing.provisioned["vcpu"], plan.sizing.sized["vcpu"])
                out["ram"] = (plan.sizing.provisioned["ram_gib"], plan.sizing.sized["ram_gib"])
                out["split"] = (
                    plan.savings.right_sizing_eur_month,
                    plan.savings.placement_eur_month,
                    plan.savings.commitments_eur_month,
                )
    return out


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def table(results: list[dict[str, Any]], comfort: float) -> str:
    lines = [
        f"Right-sizing at p95 x {comfort:g} (floors 1 vCPU / 2 GiB, >= 14 days of history); "
        "EUR / month.",
        "",
        _row(
            (
                "fleet",
                "today",
                "plan as provisioned",
                "plan right-sized",
                "saving of right-sized placement",
                "split vs today: right-sizing / placement / commitments",
                "workloads sized",
                "vCPU (sized ones)",
                "RAM GiB (sized ones)",
                "units",
                "seconds",
                "status (gap %)",
            )
        ),
        _row(("---",) + ("---:",) * 4 + ("---",) * 7),
    ]
    for r in results:
        saving = r["provisioned"] - r["sized"]
        split = " / ".join(f"{v:,.2f}" for v in r["split"])
        lines.append(
            _row(
                (
                    r["size"],
                    f"{r['today']:,.2f}",
                    f"{r['provisioned']:,.2f}",
                    f"{r['sized']:,.2f}",
                    f"{saving:,.2f} ({100 * saving / r['provisioned']:.1f} %)",
                    split,
                    f"{r['sized_count']:,} of {r['records']:,}",
                    f"{r['vcpu'][0]:,.0f} -> {r['vcpu'][1]:,.0f}",
                    f"{r['ram'][0]:,.0f} -> {r['ram'][1]:,.1f}",
                    f"{r['provisioned_units']:,} / {r['sized_units']:,}",
                    f"{r['provisioned_s']:.1f} / {r['sized_s']:.1f}",
                    f"{r['provisioned_status']} ({r['provisioned_gap']}) / "
                    f"{r['sized_status']} ({r['sized_gap']})",
                )
            )
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000x30", help="comma-separated WORKLOADSxPLACES")
    parser.add_argument("--comfort", type=float, default=1.3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    results = []
    for size in args.sizes.split(","):
        n, places = (int(part) for part in size.lower().split("x"))
        results.append(measure(n, places, args.comfort, args.seed))
    print(table(results, args.comfort))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""End-to-end speed and memory on generated fleets, against the greedy rule and a naive model.

    python -m benchmarks.fleet_bench                       # 1k x 20, 10k x 30, 100k x 40
    python -m benchmarks.fleet_bench --sizes 10000x30 --naive-up-to 10000

For each size the fleet is generated (not timed) into a temporary directory, then a fresh
Python process plans it end to end as `planner plan` does (load -> validate -> candidates ->
build -> solve -> extract -> shadow prices -> render text), times each stage and reads its
peak resident memory; after that measurement it applies the greedy rule, and for sizes up to
`--naive-up-to` builds and solves the naive PuLP model at the same gap. Prints three Markdown
tables.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.fleet import generate, write_fleet


def measure(scenario: str, naive: bool, naive_limit_s: float) -> dict[str, Any]:
    """Plan one scenario in this process; stage seconds, peak memory, comparisons."""
    from benchmarks.greedy import greedy_plan
    from benchmarks.naive import naive_solve
    from planner.candidates.units import build_candidates
    from planner.optimise.highs_direct import quiet_stdout
    from planner.pipeline import run_plan
    from planner.render import Format, render

    start = time.perf_counter()
    run = run_plan(scenario, timings=True)
    t = time.perf_counter()
    render(run.plan, Format.text, None)
    seconds = dict(run.seconds, render=time.perf_counter() - t)
    total = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    solver = run.plan.solver
    out: dict[str, Any] = {
        "workloads": len(run.inputs.workloads),
        "places": len(run.candidates.places),
        "units": len(run.candidates.units),
        "variables": len(run.model.x),
        "seconds": seconds,
        "total_s": total,
        "peak_mib": peak_mib,
        "status": solver.status,
        "gap_pct": solver.gap_pct,
        "objective_eur": run.result.objective,
        "monthly_cost_eur": run.plan.totals.monthly_cost_after_eur,
        "one_off_eur": run.plan.totals.one_off_migration_eur,
    }
    plain = build_candidates(run.inputs, aggregate=False)
    greedy = greedy_plan(run.inputs, plain)
    out["greedy"] = {
        "monthly_cost_eur": greedy.monthly_cost_eur,
        "one_off_eur": greedy.one_off_migration_eur,
        "objective_eur": greedy.objective_eur,
        "unplaced": greedy.unplaced,
        "blocks": greedy.blocks_built,
    }
    if naive:
        options = run.result.options
        with quiet_stdout():
            result = naive_solve(run.inputs, plain, naive_limit_s, options.gap_rel)
        out["naive"] = {
            "build_s": result.build_s,
            "solve_s": result.solve_s,
            "variables": result.variables,
            "status": result.status,
            "objective_eur": result.objective_eur,
            "gap_pct": result.gap_pct,
        }
    return out


def _parse_size(text: str) -> tuple[int, int]:
    workloads, places = text.lower().split("x")
    return int(workloads), int(places)


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def tables(results: list[dict[str, Any]], gap_pct: float) -> str:
    stages = ("load", "candidates", "build", "solve", "extract", "shadow", "render")
    lines = [
        "### Speed and memory, end to end",
        "",
        _row(
            [
                "workloads",
                "places",
                "units",
                "variables",
                *[f"{s} s" for s in stages],
                "total s",
                "build share",
                "peak MiB",
                "status",
                "gap %",
            ]
        ),
        _row(["---:"] * 4 + ["---:"] * len(stages) + ["---:", "---:", "---:", "---", "---:"]),
    ]
    for r in results:
        s = r["seconds"]
        lines.append(
            _row(
                [
                    f"{r['workloads']:,}",
                    r["places"],
                    f"{r['units']:,}",
                    f"{r['variables']:,}",
                    *[f"{s.get(k, 0.0):.2f}" for k in stages],
                    f"{r['total_s']:.2f}",
                    f"{100 * s['build'] / r['total_s']:.0f} %",
                    f"{r['peak_mib']:,.0f}",
                    r["status"],
                    r["gap_pct"],
                ]
            )
        )
    lines += [
        "",
        "### Against the greedy rule (fill internal sites, then cheapest offer)",
        "",
        _row(
            [
                "workloads",
                "greedy €/month",
                "planner €/month",
                "saving €/month",
                "saving %",
                "greedy one-off €",
                "planner one-off €",
                "greedy objective",
                "planner objective",
            ]
        ),
        _row(["---:"] * 9),
    ]
    for r in results:
        g = r["greedy"]
        saving = g["monthly_cost_eur"] - r["monthly_cost_eur"]
        lines.append(
            _row(
                [
                    f"{r['workloads']:,}",
                    f"{g['monthly_cost_eur']:,.2f}",
                    f"{r['monthly_cost_eur']:,.2f}",
                    f"{saving:,.2f}",
                    f"{100 * saving / g['monthly_cost_eur']:.2f}",
                    f"{g['one_off_eur']:,.0f}",
                    f"{r['one_off_eur']:,.0f}",
                    f"{g['objective_eur']:,.2f}",
                    f"{r['objective_eur']:,.2f}",
                ]
            )
        )
    naive = [r for r in results if "naive" in r]
    if naive:
        lines += [
            "",
            f"### Against a naive PuLP model (same problem, gap tolerance {gap_pct} %)",
            "",
            _row(
                [
                    "workloads",
                    "naive variables",
                    "naive build s",
                    "naive solve s",
                    "naive status",
                    "naive gap %",
                    "planner variables",
                    "planner build+solve s",
                    "speed ratio",
                ]
            ),
            _row(["---:", "---:", "---:", "---:", "---", "---:", "---:", "---:", "---:"]),
        ]
        for r in naive:
            n, s = r["naive"], r["seconds"]
            ours = s["candidates"] + s["build"] + s["solve"]
            theirs = n["build_s"] + n["solve_s"]
            gap = "–" if n["gap_pct"] is None else f"{n['gap_pct']:.3f}"
            lines.append(
                _row(
                    [
                        f"{r['workloads']:,}",
                        f"{n['variables']:,}",
                        f"{n['build_s']:.2f}",
                        f"{n['solve_s']:.2f}",
                        n["status"],
                        gap,
                        f"{r['variables']:,}",
                        f"{ours:.2f}",
                        f"{theirs / ours:.1f}x",
                    ]
                )
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the planner on generated fleets.")
    parser.add_argument(
        "--sizes", nargs="*", default=["1000x20", "10000x30", "100000x40"], help="WORKLOADSxPLACES"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--gap", type=float, default=0.001, help="relative gap tolerance")
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument(
        "--naive-up-to",
        type=int,
        default=10000,
        help="run the naive model on fleets up to this many workloads",
    )
    parser.add_argument("--naive-time-limit", type=float, default=300.0)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: measure one scenario
    parser.add_argument("--naive", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.naive, args.naive_time_limit)))
        return 0
    results = []
    for size in args.sizes:
        workloads, places = _parse_size(size)
        with tempfile.TemporaryDirectory(prefix="planner-fleet-") as tmp:
            fleet = generate(workloads, places, args.seed)
            scenario = write_fleet(fleet, Path(tmp), time_limit_s=args.time_limit, gap_rel=args.gap)
            command = [
                sys.executable,
                "-m",
                "benchmarks.fleet_bench",
                "--one",
                str(scenario),
                "--naive-time-limit",
                str(args.naive_time_limit),
            ]
            if workloads <= args.naive_up_to:
                command.append("--naive")
            done = subprocess.run(command, check=True, capture_output=True, text=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(
            f"{size}: {results[-1]['total_s']:.1f} s, {results[-1]['status']}",
            file=sys.stderr,
            flush=True,
        )
    sys.stdout.write(tables(results, 100 * args.gap))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

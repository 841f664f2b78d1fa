"""Time and peak memory of every stage, from 1k to 1M workloads: how each stage grows.

    python -m benchmarks.growth                                   # 1k x 20 ... 1M x 60
    python -m benchmarks.growth --sizes 1000x20 10000x30 --time-limit 600

For each size the fleet of `benchmarks/fleet.py` is generated (not timed) into a temporary
directory, then a fresh Python process plans it end to end as `planner plan` does (load ->
candidates -> build -> solve -> extract -> shadow prices -> render text), with the scenario's
time limit set to `--time-limit`. Each stage's time is its wall-clock seconds; its peak is the
largest resident memory of the process while that stage ran (Linux: the peak is reset as each
stage starts, `/proc/self/clear_refs`, and read as it ends, `VmHWM`). Prints one Markdown table:
a row per stage, for each size its seconds and peak MiB, and between consecutive sizes the
growth of its time against the growth of the fleet (1.0: linear).
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.fleet import generate, write_fleet

STAGES = ("load", "candidates", "build", "solve", "extract", "shadow", "render")


def _peak_mib() -> float:
    """The process's peak resident memory since the last reset (VmHWM), MiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def _reset_peak() -> None:
    """Start a new peak from the current resident memory (Linux 4.0+)."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")


def measure(scenario: str) -> dict[str, Any]:
    """Plan one scenario in this process: each stage's seconds and peak MiB."""
    from planner.pipeline import run_plan
    from planner.render import Format, render

    peaks: dict[str, float] = {}

    def stage_done(stage: str) -> None:
        peaks[stage] = _peak_mib()
        _reset_peak()

    _reset_peak()
    start = time.perf_counter()
    run = run_plan(scenario, timings=True, stage_done=stage_done)
    t = time.perf_counter()
    render(run.plan, Format.text, None)
    seconds = dict(run.seconds, render=time.perf_counter() - t)
    stage_done("render")
    total = time.perf_counter() - start
    solver = run.plan.solver
    return {
        "workloads": len(run.inputs.workloads),
        "places": len(run.candidates.places),
        "units": len(run.candidates.units),
        "variables": len(run.model.x),
        "seconds": seconds,
        "peaks_mib": peaks,
        "total_s": total,
        "status": solver.status,
        "gap_pct": solver.gap_pct,
    }


def _parse_size(text: str) -> tuple[int, int]:
    workloads, places = text.lower().split("x")
    return int(workloads), int(places)


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def table(results: list[dict[str, Any]]) -> str:
    """A row per stage: seconds and peak MiB at each size, and the growth of its time between
    consecutive sizes divided by the growth of the workloads (1.0: linear)."""
    head = ["stage"]
    for i, r in enumerate(results):
        head += [f"{r['workloads']:,} s", f"{r['workloads']:,} MiB"]
        if i + 1 < len(results):
            head.append(f"growth / linear to {results[i + 1]['workloads']:,}")
    lines = [_row(head), _row(["---"] + ["---:"] * (len(head) - 1))]
    for stage in (*STAGES, "total"):
        cells: list[object] = [stage]
        for i, r in enumerate(results):
            s = r["total_s"] if stage == "total" else r["seconds"].get(stage, 0.0)
            peak = max(r["peaks_mib"].values()) if stage == "total" else r["peaks_mib"].get(stage)
            cells += [f"{s:.2f}", "–" if peak is None else f"{peak:,.0f}"]
            if i + 1 < len(results):
                nxt = results[i + 1]
                s2 = nxt["total_s"] if stage == "total" else nxt["seconds"].get(stage, 0.0)
                scale = nxt["workloads"] / r["workloads"]
                cells.append(f"{s2 / s / scale:.2f}" if s > 0 else "–")
        lines.append(_row(cells))
    lines += [
        "",
        _row(["workloads", "places", "units", "variables", "status", "gap %"]),
        _row(["---:", "---:", "---:", "---:", "---", "---:"]),
    ]
    for r in results:
        lines.append(
            _row(
                [
                    f"{r['workloads']:,}",
                    r["places"],
                    f"{r['units']:,}",
                    f"{r['variables']:,}",
                    r["status"],
                    r["gap_pct"],
                ]
            )
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Stage times and peaks from 1k to 1M workloads.")
    parser.add_argument(
        "--sizes",
        nargs="*",
        default=["1000x20", "10000x30", "100000x40", "1000000x60"],
        help="WORKLOADSxPLACES",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--gap", type=float, default=0.001, help="relative gap tolerance")
    parser.add_argument("--time-limit", type=float, default=600.0, help="of each run, seconds")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: measure one scenario
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one)))
        return 0
    results = []
    for size in args.sizes:
        workloads, places = _parse_size(size)
        with tempfile.TemporaryDirectory(prefix="planner-growth-") as tmp:
            fleet = generate(workloads, places, args.seed)
            scenario = write_fleet(fleet, Path(tmp), time_limit_s=args.time_limit, gap_rel=args.gap)
            del fleet
            gc.collect()
            command = [sys.executable, "-m", "benchmarks.growth", "--one", str(scenario)]
            done = subprocess.run(command, check=True, capture_output=True, text=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(
            f"{size}: {results[-1]['total_s']:.1f} s, {results[-1]['status']}",
            file=sys.stderr,
            flush=True,
        )
    sys.stdout.write(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

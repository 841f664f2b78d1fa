"""Plan one scenario and print each stage as it ends: the seconds since the start, the
resident memory of the planner and its children at its end and its peak during it; then
the run's peak and the stage it was read in.

    python -m benchmarks.stage_memory DIR/scenario.yaml --time-limit 600

(DIR from `python -m benchmarks.roadmap_bench --fleets 100000x40x8 --write DIR`.) The memory
is read every 50 ms in a thread (`TreeMemory` of benchmarks/roadmap_bench.py); the stages are
the planner's own progress messages, as its spinner shows them.
"""

from __future__ import annotations

import argparse
import sys
import time

from benchmarks.roadmap_bench import TreeMemory
from planner.pipeline import run_plan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario")
    parser.add_argument("--time-limit", type=float, default=None)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print("| s | MiB at its end | MiB peak in it | stage |\n|---:|---:|---:|---|")
    with TreeMemory() as memory:
        memory.label = "starting"

        def stage(name: str) -> None:
            seconds = time.perf_counter() - started
            peak, now = max(memory.label_peak_mib, memory.now_mib), memory.now_mib
            print(f"| {seconds:.1f} | {now:,.0f} | {peak:,.0f} | {memory.label} |")
            sys.stdout.flush()
            memory.label, memory.label_peak_mib = name, now

        run = run_plan(args.scenario, time_limit_s=args.time_limit, progress=stage)
        stage("")
    gap = run.result.gap_rel
    stated = "n/a" if gap is None else f"{100.0 * gap:.2f} %"
    objective = run.result.objective
    worth = "n/a" if objective is None else f"{objective:,.2f}"
    print(f"\n{run.result.status.value}, gap {stated}, objective {worth}")
    print(f"peak {memory.peak_mib:,.0f} MiB, in: {memory.peak_label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

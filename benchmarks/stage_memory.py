"""Plan one scenario and print, as each stage begins, the seconds since the start and the
resident memory of the planner and its children (now, and the peak so far), then the peak
and the stage it was read in.

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
    print("| s | MiB now | MiB peak so far | stage beginning |\n|---:|---:|---:|---|")
    with TreeMemory() as memory:

        def stage(name: str) -> None:
            seconds = time.perf_counter() - started
            print(f"| {seconds:.1f} | {memory.now_mib:,.0f} | {memory.peak_mib:,.0f} | {name} |")
            sys.stdout.flush()
            memory.label = name

        run = run_plan(args.scenario, time_limit_s=args.time_limit, progress=stage)
        gap = run.result.gap_rel
        stated = "n/a" if gap is None else f"{100.0 * gap:.2f} %"
        stage(f"done: {run.result.status.value}, gap {stated}")
    print(f"\npeak {memory.peak_mib:,.0f} MiB, in: {memory.peak_label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""HiGHS alone against HiGHS with the neighbourhood search beside it, side by side in one run.

    python -m benchmarks.incumbent                  # the 24 Chu & Beasley instances
    python -m benchmarks.incumbent chu sscflp gap12 # families, series or single instances

Each instance is planned end to end by `planner.pipeline.run_plan` twice at the same time limit
(default 60 s) and with HiGHS on one thread: once with the search switched off
(`SolveOptions.improve`), once with it on. The two sides alternate per instance (which goes
first alternates too), so a loaded machine weighs on both alike. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any
from unittest import mock

import planner.pipeline as pipeline
from benchmarks.instances import SHARED, all_instances
from benchmarks.published import Outcome, _fmt, solve_instance


@contextmanager
def _side(improve: bool, threads: int) -> Iterator[None]:
    """Plan with the search on or off and HiGHS on `threads` threads."""
    original = pipeline.solve_options

    def options(*args: Any, **kwargs: Any) -> Any:
        return replace(original(*args, **kwargs), improve=improve, threads=threads)

    with mock.patch.object(pipeline, "solve_options", options):
        yield


def _cell(o: Outcome) -> str:
    return (
        f"{_fmt(o.objective)} | {o.status} | {_fmt(o.excess_pct, 3)} | "
        f"{_fmt(o.solver_gap_pct, 3)} | {o.seconds:.2f}"
    )


def table(pairs: list[tuple[Outcome, Outcome]]) -> str:
    lines = [
        "| instance | published | HiGHS | status | vs published % | gap % | s "
        "| + search | status | vs published % | gap % | s | time ratio |",
        "|---|---:|---:|---|---:|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for alone, searched in pairs:
        published = _fmt(alone.instance.best_known) + (
            "" if alone.instance.optimum is not None else " (best known)"
        )
        ratio = searched.seconds / alone.seconds if alone.seconds > 0 else float("nan")
        lines.append(
            f"| {alone.instance.name} | {published} | {_cell(alone)} | {_cell(searched)} | "
            f"{ratio:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("names", nargs="*", help="instances, series or families; default: chu")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per plan")
    parser.add_argument("--threads", type=int, default=1, help="HiGHS threads, both sides")
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"no benchmark instances at {SHARED}", file=sys.stderr)
        return 1
    names = args.names or ["chu"]
    chosen = [
        i
        for i in all_instances()
        if any(i.name == n or i.name.startswith(n + "-") or i.family == n for n in names)
    ]
    pairs = []
    for number, instance in enumerate(chosen):
        results: dict[bool, Outcome] = {}
        for improve in (False, True) if number % 2 == 0 else (True, False):
            with _side(improve, args.threads):
                results[improve] = solve_instance(instance, args.time_limit)
            o = results[improve]
            print(
                f"{instance.name} {'search' if improve else 'alone '}: {o.status} "
                f"{_fmt(o.objective)} ({o.seconds:.2f} s)",
                file=sys.stderr,
                flush=True,
            )
        pairs.append((results[False], results[True]))
    sys.stdout.write(table(pairs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

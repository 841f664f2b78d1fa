"""Solve public instances through the planner's normal pipeline; compare with published optima.

    python -m benchmarks.published                 # all 60 gap1-12, 24 Chu & Beasley, 12 SSCFLP
    python -m benchmarks.published gap1 p1 d20200  # a series (gap1-0..4), single instances
    python -m benchmarks.published chu             # a family: gap, chu or sscflp

Each instance is written as catalogs + scenario into a temporary directory and planned with
`planner.pipeline.run_plan`, exactly as `planner plan` does. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.instances import SHARED, Instance, all_instances, write_scenario
from planner.pipeline import run_plan

TOLERANCE_EUR = 0.01  # published values are given to the cent (SSCFLP) or as integers (GAP)


@dataclass(frozen=True)
class Outcome:
    """The planner's result on one instance next to the published value."""

    instance: Instance
    objective: float | None
    status: str
    solver_gap_pct: float | None
    seconds: float
    plan_cost_eur_month: float  # the plan's own total (placements + opened sites)

    @property
    def excess_pct(self) -> float | None:
        """How far above the published value (optimum or best known) the plan is, in %."""
        if self.objective is None:
            return None
        excess = self.objective - self.instance.best_known
        return 100.0 * excess / self.instance.best_known

    @property
    def reaches_published(self) -> bool:
        return self.objective is not None and (
            abs(self.objective - self.instance.best_known) <= TOLERANCE_EUR
        )

    @property
    def proven_at_published(self) -> bool:
        return self.status == "optimal" and self.reaches_published


def solve_instance(instance: Instance, time_limit_s: float = 60.0) -> Outcome:
    """Convert, plan end to end (load, check, build, solve, extract), time the whole run."""
    with tempfile.TemporaryDirectory(prefix=f"planner-{instance.name}-") as tmp:
        scenario = write_scenario(instance, Path(tmp), time_limit_s)
        start = time.perf_counter()
        run = run_plan(str(scenario))
        seconds = time.perf_counter() - start
    result = run.result
    gap = None if result.gap_rel is None else 100.0 * result.gap_rel
    return Outcome(
        instance,
        result.objective,
        result.status.value,
        gap,
        seconds,
        run.plan.totals.monthly_cost_after_eur,
    )


def _fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{round(value, digits) + 0.0:,.{digits}f}"


def table(outcomes: list[Outcome]) -> str:
    lines = [
        "| instance | published | planner | status | solver gap % | vs published % | s |",
        "|---|---:|---:|---|---:|---:|---:|",
    ]
    for o in outcomes:
        published = _fmt(o.instance.best_known) + (
            "" if o.instance.optimum is not None else " (best known)"
        )
        lines.append(
            f"| {o.instance.name} | {published} | {_fmt(o.objective)} | {o.status} | "
            f"{_fmt(o.solver_gap_pct, 3)} | {_fmt(o.excess_pct, 3)} | "
            f"{o.seconds:.2f} |"
        )
    return "\n".join(lines) + "\n"


def summary(outcomes: list[Outcome]) -> str:
    lines = []
    for family, label in (
        ("gap", "gap1-gap12"),
        ("chu", "Chu & Beasley A-D"),
        ("sscflp", "SSCFLP p1-p12"),
    ):
        rows = [o for o in outcomes if o.instance.family == family]
        if not rows:
            continue
        proven = sum(o.proven_at_published for o in rows)
        reached = sum(o.reaches_published for o in rows)
        within = sum(o.excess_pct is not None and o.excess_pct <= 0.5 for o in rows)
        slowest = max(o.seconds for o in rows)
        lines.append(
            f"- {label}: {len(rows)} instances; proven optimal at the published value "
            f"{proven}; published value reached {reached}; within 0.5 % {within}; "
            f"slowest {slowest:.2f} s"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "names",
        nargs="*",
        help="instances (gap1-0), series (gap1), or families (gap, chu, sscflp); default: all",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=55.0,
        help="solver seconds per instance (55: the whole run stays under 60 s)",
    )
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"no benchmark instances at {SHARED}", file=sys.stderr)
        return 1
    chosen = [
        i
        for i in all_instances()
        if not args.names
        or any(i.name == n or i.name.startswith(n + "-") or i.family == n for n in args.names)
    ]
    outcomes = []
    for instance in chosen:
        outcomes.append(solve_instance(instance, args.time_limit))
        print(
            f"{instance.name}: {outcomes[-1].status} {_fmt(outcomes[-1].objective)} "
            f"({outcomes[-1].seconds:.2f} s)",
            file=sys.stderr,
            flush=True,
        )
    sys.stdout.write(table(outcomes) + "\n" + summary(outcomes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

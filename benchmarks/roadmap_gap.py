"""Where a roadmap's gap is: its relaxation, and its MIP with the first roadmap's blocks fixed.

    python -m benchmarks.roadmap_gap                                  # the demo roadmap
    python -m benchmarks.roadmap_gap scenarios/roadmap-2027-2030.yaml --time-limit 120
    python -m benchmarks.roadmap_gap --whole 300                      # and the whole MIP

Builds the roadmap model as `planner plan` does, makes its first roadmap (the end state
scheduled, then re-placed with its block plan kept, each with the shares of the limit the
plan gives them) and prints, in objective EUR (the plan's solver line's figures):
  - the whole model's LP relaxation;
  - that LP with every usable and ordered block count fixed at the first roadmap's;
  - HiGHS's MIP on the model with those blocks fixed, from the first roadmap, for
    `--time-limit` seconds: its plan, bound, gap and nodes.
The third is a lower bound on what the whole solve must do to prove its plan optimal: the
same block plan, every other decision free. With `--whole S`, also the whole MIP from the
first roadmap for S seconds, without HiGHS's presolve (as the plan's main solve runs) and
with its default presolve: plan, bound, gap and nodes of each.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np

from planner.candidates.periods import roadmap_candidates
from planner.candidates.pruning import prune_dominated_over_periods
from planner.inputs.periods import periods_of
from planner.optimise.caps import model_kinds
from planner.optimise.highs_direct import quiet_stdout
from planner.optimise.isolated import LpArrays, highs_lp, with_bounds
from planner.optimise.roadmap.model import build_roadmap_model
from planner.optimise.roadmap.start import end_state_schedule, start_columns, with_blocks_fixed
from planner.optimise.solve import PRESOLVE, Presolve
from planner.pipeline import (
    BLOCKS_FIXED_SHARE,
    ROADMAP_START_SHARE,
    load_and_check,
    solve_options,
)


def _highs(arrays: LpArrays, mip: bool, limit_s: float, presolve: Presolve = "default") -> Any:
    with quiet_stdout():
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("random_seed", 0)
    highs.setOptionValue("time_limit", float(limit_s))
    for name, value in PRESOLVE[presolve].items():
        highs.setOptionValue(name, value)
    highs.passModel(highs_lp(arrays, mip=mip))
    return highs


@dataclass(frozen=True)
class Mip:
    """One HiGHS MIP run from the first roadmap, in objective EUR."""

    status: str
    plan_eur: float
    bound_eur: float
    gap_pct: float
    nodes: int
    seconds: float

    def lines(self, what: str) -> list[tuple[str, str]]:
        return [
            (f"{what}: status", self.status),
            (f"{what}: plan", f"{self.plan_eur:,.2f}"),
            (f"{what}: bound", f"{self.bound_eur:,.2f}"),
            (f"{what}: gap %", f"{self.gap_pct:.4f}"),
            (f"{what}: nodes", f"{self.nodes:,}"),
            (f"{what}: seconds", f"{self.seconds:.1f}"),
        ]


def _mip(arrays: LpArrays, given: Any, limit_s: float, presolve: Presolve = "default") -> Mip:
    """HiGHS's MIP on `arrays` from the plan `given`, within `limit_s`."""
    highs = _highs(arrays, True, limit_s, presolve)
    solution = highspy.HighsSolution()
    solution.col_value = [float(v) for v in given]
    solution.value_valid = True
    highs.setSolution(solution)
    started = time.monotonic()
    highs.run()
    info = highs.getInfo()
    return Mip(
        status=highs.modelStatusToString(highs.getModelStatus()),
        plan_eur=float(info.objective_function_value),
        bound_eur=float(info.mip_dual_bound),
        gap_pct=100.0 * float(info.mip_gap),
        nodes=int(info.mip_node_count),
        seconds=time.monotonic() - started,
    )


@dataclass(frozen=True)
class Gap:
    """The figures of the module's docstring, in objective EUR."""

    first_eur: float
    lp_eur: float
    lp_blocks_fixed_eur: float
    blocks_fixed: Mip
    # the whole MIP by HiGHS presolve setting ("off", "default"), when asked for
    whole: dict[str, Mip]

    def lines(self, limit_s: float, whole_s: float | None) -> list[tuple[str, str]]:
        out = [
            ("first roadmap", f"{self.first_eur:,.2f}"),
            ("LP relaxation", f"{self.lp_eur:,.2f}"),
            ("LP, first roadmap's blocks fixed", f"{self.lp_blocks_fixed_eur:,.2f}"),
            *self.blocks_fixed.lines(f"MIP, blocks fixed, {limit_s:g} s limit"),
        ]
        for presolve, mip in self.whole.items():
            out.extend(mip.lines(f"whole MIP, presolve {presolve}, {whole_s:g} s limit"))
        return out


def analyse(scenario: str, limit_s: float, whole_s: float | None = None) -> Gap:
    """The figures of the module's docstring for `scenario`, each HiGHS run within `limit_s`
    (the whole MIP's, if `whole_s`, within that)."""
    inputs, _warnings = load_and_check(scenario)
    roadmap = inputs.scenario.roadmap
    if roadmap is None:
        raise SystemExit(f"{scenario}: not a roadmap scenario")
    options = solve_options(inputs, None, None, None)
    periods = roadmap_candidates(inputs, periods_of(roadmap), [])
    periods = prune_dominated_over_periods(periods, model_kinds(inputs.scenario.caps))
    model = build_roadmap_model(inputs, periods)
    plan_limit_s = options.time_limit_s
    scheduled = end_state_schedule(inputs, periods, options, ROADMAP_START_SHARE * plan_limit_s)
    if scheduled is None:
        raise SystemExit(f"{scenario}: no first roadmap found")
    first = start_columns(model, scheduled)
    given = with_blocks_fixed(model, first, options, BLOCKS_FIXED_SHARE * plan_limit_s)
    arrays = model.as_arrays()
    blocks = np.array(
        [var.index for var in [*model.usable.values(), *model.ordered.values()]], dtype=np.int64
    )
    fixed = with_bounds(arrays, blocks, np.round(given[blocks]))
    relaxed = []
    for lp in (arrays, fixed):
        highs = _highs(lp, False, limit_s)
        highs.run()
        relaxed.append(float(highs.getInfo().objective_function_value))
    presolves: tuple[Presolve, ...] = ("off", "default")
    return Gap(
        first_eur=arrays.objective(given),
        lp_eur=relaxed[0],
        lp_blocks_fixed_eur=relaxed[1],
        blocks_fixed=_mip(fixed, given, limit_s),
        whole={} if whole_s is None else {p: _mip(arrays, given, whole_s, p) for p in presolves},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default="scenarios/roadmap-2027-2030.yaml")
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--whole", type=float, metavar="S", help="the whole MIP too, S seconds")
    args = parser.parse_args(argv)
    print(f"| {args.scenario} | value |\n|---|---:|")
    gap = analyse(args.scenario, args.time_limit, args.whole)
    for what, value in gap.lines(args.time_limit, args.whole):
        print(f"| {what} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

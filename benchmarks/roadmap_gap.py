"""Where a roadmap's gap is: its relaxation, and its MIP with the first roadmap's blocks fixed.

    python -m benchmarks.roadmap_gap                                  # the demo roadmap
    python -m benchmarks.roadmap_gap scenarios/roadmap-2027-2030.yaml --time-limit 120

Builds the roadmap model as `planner plan` does, makes its first roadmap (the end state
scheduled, then re-placed with its block plan kept, each with the shares of the limit the
plan gives them) and prints, in objective EUR (the plan's solver line's figures):
  - the whole model's LP relaxation;
  - that LP with every usable and ordered block count fixed at the first roadmap's;
  - HiGHS's MIP on the model with those blocks fixed, from the first roadmap, for
    `--time-limit` seconds: its plan, bound, gap and nodes.
The third is a lower bound on what the whole solve must do to prove its plan optimal: the
same block plan, every other decision free.
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
from planner.optimise.roadmap.start import end_state_start, with_blocks_fixed
from planner.pipeline import (
    BLOCKS_FIXED_SHARE,
    ROADMAP_START_SHARE,
    load_and_check,
    solve_options,
)


def _highs(arrays: LpArrays, mip: bool, limit_s: float) -> Any:
    with quiet_stdout():
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("random_seed", 0)
    highs.setOptionValue("time_limit", float(limit_s))
    highs.passModel(highs_lp(arrays, mip=mip))
    return highs


@dataclass(frozen=True)
class Gap:
    """The figures of the module's docstring, in objective EUR."""

    first_eur: float
    lp_eur: float
    lp_blocks_fixed_eur: float
    mip_status: str
    mip_plan_eur: float
    mip_bound_eur: float
    mip_gap_pct: float
    mip_nodes: int
    mip_s: float

    def lines(self, limit_s: float) -> list[tuple[str, str]]:
        return [
            ("first roadmap", f"{self.first_eur:,.2f}"),
            ("LP relaxation", f"{self.lp_eur:,.2f}"),
            ("LP, first roadmap's blocks fixed", f"{self.lp_blocks_fixed_eur:,.2f}"),
            (f"MIP, blocks fixed, {limit_s:g} s limit: status", self.mip_status),
            ("MIP, blocks fixed: plan", f"{self.mip_plan_eur:,.2f}"),
            ("MIP, blocks fixed: bound", f"{self.mip_bound_eur:,.2f}"),
            ("MIP, blocks fixed: gap %", f"{self.mip_gap_pct:.4f}"),
            ("MIP, blocks fixed: nodes", f"{self.mip_nodes:,}"),
            ("MIP, blocks fixed: seconds", f"{self.mip_s:.1f}"),
        ]


def analyse(scenario: str, limit_s: float) -> Gap:
    """The figures of the module's docstring for `scenario`, each HiGHS run within `limit_s`."""
    inputs, _warnings = load_and_check(scenario)
    roadmap = inputs.scenario.roadmap
    if roadmap is None:
        raise SystemExit(f"{scenario}: not a roadmap scenario")
    options = solve_options(inputs, None, None, None)
    periods = roadmap_candidates(inputs, periods_of(roadmap), [])
    periods = prune_dominated_over_periods(periods, model_kinds(inputs.scenario.caps))
    model, _waves = build_roadmap_model(inputs, periods)
    plan_limit_s = options.time_limit_s
    start = end_state_start(inputs, periods, model, options, ROADMAP_START_SHARE * plan_limit_s)
    if start is None:
        raise SystemExit(f"{scenario}: no first roadmap found")
    start = with_blocks_fixed(model, start, options, BLOCKS_FIXED_SHARE * plan_limit_s)
    variables = model.problem.variables()
    arrays = model.as_arrays()
    given = np.array([start.get(var, 0.0) for var in variables], dtype=float)
    blocks = np.array(
        [var.index for var in [*model.usable.values(), *model.ordered.values()]], dtype=np.int64
    )
    fixed = with_bounds(arrays, blocks, np.round(given[blocks]))
    relaxed = []
    for lp in (arrays, fixed):
        highs = _highs(lp, False, limit_s)
        highs.run()
        relaxed.append(float(highs.getInfo().objective_function_value))
    highs = _highs(fixed, True, limit_s)
    solution = highspy.HighsSolution()
    solution.col_value = [float(v) for v in given]
    solution.value_valid = True
    highs.setSolution(solution)
    started = time.monotonic()
    highs.run()
    info = highs.getInfo()
    return Gap(
        first_eur=arrays.objective(given),
        lp_eur=relaxed[0],
        lp_blocks_fixed_eur=relaxed[1],
        mip_status=highs.modelStatusToString(highs.getModelStatus()),
        mip_plan_eur=float(info.objective_function_value),
        mip_bound_eur=float(info.mip_dual_bound),
        mip_gap_pct=100.0 * float(info.mip_gap),
        mip_nodes=int(info.mip_node_count),
        mip_s=time.monotonic() - started,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default="scenarios/roadmap-2027-2030.yaml")
    parser.add_argument("--time-limit", type=float, default=120.0)
    args = parser.parse_args(argv)
    print(f"| {args.scenario} | value |\n|---|---:|")
    for what, value in analyse(args.scenario, args.time_limit).lines(args.time_limit):
        print(f"| {what} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A large-neighbourhood search over the placement units, solved exactly by a second HiGHS.

Each step frees the units on a few places (`SearchSpace.neighbourhood`, drawn from a seeded
generator) and solves the model with every other placement fixed where the incumbent has it:
a sub-MIP of the model itself, so every row holds (capacity with the expansion blocks it may
build, quotas, fixed costs, anti-affinity, caps). Within those places it finds the best of all
shift, swap and ejection-chain moves at once. The sub-MIP starts from the incumbent and is cut
off at its objective, so only a strictly better plan comes back, and it is used only once
`SearchSpace.check` has passed it against every row of the model.

Same space, seed and sequence of incumbents: the same neighbourhoods and, each sub-MIP
being bounded by nodes before time, the same plans (unless a step hits its time cap).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np

from planner.optimise.highs_direct import quiet_stdout
from planner.optimise.improve.space import SearchSpace, Vector

STEP_MAX_NODES = 500  # branch-and-bound nodes of one step's sub-MIP
STEP_MAX_S = 2.0  # and at most this many seconds
# a neighbourhood frees the units of MIN_PLACES places; after PATIENCE steps in a row without
# a better plan, one place more (up to MAX_PLACES); back to MIN_PLACES after a better plan
MIN_PLACES = 2
MAX_PLACES = 8
PATIENCE = 20


@dataclass(frozen=True)
class Found:
    """A plan better than the incumbent the step started from, checked against every row."""

    values: Vector
    objective: float


class NeighbourhoodSearch:
    """Steps of the search on one model (`space`), with its own quiet HiGHS instance (`lp`:
    the model as HiGHS holds it; `threads`: the main solve's setting, 0 for HiGHS's choice)."""

    def __init__(
        self,
        space: SearchSpace,
        lp: highspy.HighsLp,
        seed: int = 0,
        should_stop: Callable[[], bool] = lambda: False,
        threads: int = 0,
    ) -> None:
        self.space = space
        self.should_stop = should_stop
        self.rng = random.Random(seed)
        self.steps = 0
        self.places = MIN_PLACES
        self._failures = 0
        with quiet_stdout():
            highs = highspy.Highs()  # type: ignore[no-untyped-call]
        highs.setOptionValue("output_flag", False)
        # HiGHS's thread pool is one per process: the same setting as the main solve's
        highs.setOptionValue("threads", threads)
        highs.setOptionValue("random_seed", seed)
        highs.setOptionValue("mip_max_nodes", STEP_MAX_NODES)
        highs.passModel(lp)
        highs.cbMipInterrupt.subscribe(self._interrupt)
        self.highs = highs

    def _interrupt(self, event: Any) -> None:
        if self.should_stop():
            event.interrupt()

    def step(self, values: Vector, objective: float, limit_s: float = STEP_MAX_S) -> Found | None:
        """One neighbourhood of the incumbent `values` (of `objective`): a better plan, or
        None."""
        found = self._step(values, objective, limit_s)
        self.steps += 1
        if found is not None:
            self.places, self._failures = MIN_PLACES, 0
        else:
            self._failures += 1
            if self._failures >= PATIENCE:
                self.places = min(self.places + 1, MAX_PLACES, self.space.n_places)
                self._failures = 0
        return found

    def _step(self, values: Vector, objective: float, limit_s: float) -> Found | None:
        space, highs = self.space, self.highs
        fixed, at = space.neighbourhood(values, self.places, self.rng)
        cols = fixed.astype(np.int32)
        highs.changeColsBounds(len(cols), cols, at, at)
        try:
            start = highspy.HighsSolution()
            start.col_value = list(values)
            start.value_valid = True
            highs.setSolution(start)
            margin = 1e-6 * max(1.0, abs(objective))
            highs.setOptionValue("objective_bound", objective - margin)
            highs.setOptionValue("time_limit", max(0.01, min(limit_s, STEP_MAX_S)))
            highs.run()
            if highs.getInfo().primal_solution_status != 2:  # kSolutionStatusFeasible
                return None
            found = space.rounded(highs.getSolution().col_value)
        finally:
            highs.changeColsBounds(len(cols), cols, space.col_lower[fixed], space.col_upper[fixed])
        value = space.objective(found)
        if value >= objective - margin or not space.check(found):
            return None
        return Found(found, value)

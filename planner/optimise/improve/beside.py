"""The main HiGHS solve with the neighbourhood search running beside it, in the same limit.

HiGHS runs in a thread (it releases the interpreter while it works); this thread waits
`start_after_s` and, if HiGHS has not finished by then, runs search steps from the best plan
known (HiGHS's incumbent, taken from its improving-solution callback, or the search's own)
until HiGHS stops. Each better plan goes back to HiGHS as a user solution, which HiGHS takes
at its next user-solution point (its root node and restarts). The bound is always HiGHS's; once
the best plan is within `close_gap_rel` of it, HiGHS is asked to stop: that plan is proven
optimal by HiGHS's own bound.
"""

from __future__ import annotations

import math
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np

from planner.optimise.improve.search import NeighbourhoodSearch
from planner.optimise.improve.space import SearchSpace, Vector

Progress = Callable[[float | None, float | None, float | None], None]
# while the search runs, the interpreter hands over to HiGHS's callbacks within this many
# seconds (Python's default is 5 ms, which would hold HiGHS up at each of its many callbacks)
SWITCH_INTERVAL_S = 2e-4


@dataclass(frozen=True)
class SearchRequest:
    """Run the search beside the main solve: `places` gives the place id of each placement
    variable of each unit (parallel to the units' variables); it starts once HiGHS has run
    `start_after_s` without finishing, and stops HiGHS once its plan is within
    `close_gap_rel` of HiGHS's bound."""

    places: tuple[tuple[str, ...], ...]
    start_after_s: float
    close_gap_rel: float
    seed: int = 0


@dataclass(frozen=True)
class SearchOutcome:
    """What the search did beside one HiGHS run."""

    values: Vector | None  # its best plan, if better than HiGHS's incumbent at the end
    objective: float | None
    steps: int
    improvements: int
    closed: bool  # it stopped HiGHS: its plan within the gap tolerance of HiGHS's bound


class _Shared:
    """What the HiGHS thread's callbacks and the search exchange, under one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.highs_values: Vector | None = None
        self.highs_objective = math.inf
        self.bound = -math.inf
        self.pending: Vector | None = None
        self.stop = False

    def on_improving(self, event: Any) -> None:
        out = event.data_out
        with self.lock:
            if out.mip_primal_bound < self.highs_objective:
                self.highs_objective = float(out.mip_primal_bound)
                self.highs_values = np.array(out.mip_solution, dtype=np.float64)
            self._bound(out)

    def on_logging(self, event: Any) -> None:
        with self.lock:
            self._bound(event.data_out)

    def _bound(self, out: Any) -> None:
        if math.isfinite(out.mip_dual_bound):
            self.bound = max(self.bound, float(out.mip_dual_bound))

    def on_user_solution(self, event: Any) -> None:
        with self.lock:
            pending, self.pending = self.pending, None
        if pending is not None:
            event.data_in.setSolution(pending)

    def on_interrupt(self, event: Any) -> None:
        if self.stop:
            event.interrupt()


def _closed(objective: float, bound: float, gap_rel: float) -> bool:
    return objective - bound <= gap_rel * max(abs(objective), 1e-9)


def run_beside(
    highs: highspy.Highs,
    space: SearchSpace,
    limit_s: float,
    *,
    start_after_s: float,
    close_gap_rel: float,
    seed: int = 0,
    should_stop: Callable[[], bool] = lambda: False,
    progress: Progress | None = None,
) -> SearchOutcome:
    """Run `highs` (its model passed, options set) for `limit_s` with the search beside it."""
    shared = _Shared()
    thread = threading.Thread(target=highs.run, name="highs-main", daemon=True)
    search = NeighbourhoodSearch(
        space, highs.getLp(), seed, should_stop=lambda: should_stop() or not thread.is_alive()
    )
    hooks = (
        (highs.cbMipImprovingSolution, shared.on_improving),
        (highs.cbMipLogging, shared.on_logging),
        (highs.cbMipUserSolution, shared.on_user_solution),
        (highs.cbMipInterrupt, shared.on_interrupt),
    )
    for hook, handler in hooks:
        hook.subscribe(handler)
    started = time.perf_counter()
    highs.setOptionValue("time_limit", max(limit_s, 0.001))
    interval = sys.getswitchinterval()
    best: Vector | None = None
    best_objective = math.inf
    improvements = 0
    try:
        thread.start()
        thread.join(start_after_s)
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        while thread.is_alive() and not should_stop():
            with shared.lock:
                if shared.highs_objective < best_objective:
                    current, objective = shared.highs_values, shared.highs_objective
                else:
                    current, objective = best, best_objective
                bound = shared.bound
            left = limit_s - (time.perf_counter() - started)
            if current is None or left <= 0.05:
                thread.join(0.05)
                continue
            found = search.step(space.rounded(current), objective, left)
            if found is None:
                continue
            best, best_objective = found.values, found.objective
            improvements += 1
            with shared.lock:
                shared.pending = found.values
                bound = shared.bound
                if _closed(best_objective, bound, close_gap_rel):
                    shared.stop = True
            if progress is not None:
                gap = (best_objective - bound) / max(abs(best_objective), 1e-9)
                progress(best_objective, bound if math.isfinite(bound) else None, gap)
        thread.join()
    finally:
        sys.setswitchinterval(interval)
        if thread.is_alive():
            shared.stop = True
            thread.join()
        for hook, handler in hooks:
            hook.unsubscribe(handler)
    final = highs.getInfo()
    highs_objective = (
        final.objective_function_value if final.primal_solution_status == 2 else math.inf
    )
    better = best is not None and best_objective < highs_objective - 1e-9
    return SearchOutcome(
        values=best if better else None,
        objective=best_objective if better else None,
        steps=search.steps,
        improvements=improvements,
        closed=shared.stop,
    )

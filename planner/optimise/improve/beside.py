"""The main HiGHS solve with the neighbourhood search running beside it, in the same limit.

HiGHS runs in a thread (it releases the interpreter while it works); a second thread, at a
lower CPU priority (SEARCH_NICENESS), waits `start_after_s` and, if HiGHS has not finished by
then, runs search steps from the best plan known (HiGHS's incumbent, taken from its
improving-solution callback, or the search's own) until HiGHS stops. Each better plan goes
back to HiGHS as a user solution, which HiGHS takes at its next user-solution point (its root
node and restarts). The bound is always HiGHS's; once the best plan is within `close_gap_rel`
of it, HiGHS is asked to stop: that plan is proven optimal by HiGHS's own bound.
"""

from __future__ import annotations

import contextlib
import math
import os
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
# the search thread's nice value (0: HiGHS's; 19: the lowest priority)
SEARCH_NICENESS = 10


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


class _Search:
    """The search's best plan so far (written by its thread only)."""

    def __init__(self) -> None:
        self.values: Vector | None = None
        self.objective = math.inf
        self.improvements = 0


def _lower_priority() -> None:
    """Give the calling thread (Linux: a thread has its own nice value) a lower CPU priority
    than HiGHS's, so that on a busy machine the search takes the time HiGHS does not use."""
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), SEARCH_NICENESS)


def _threads(highs: highspy.Highs) -> int:
    """The main solve's `threads` option (highspy gives it alone or with a status)."""
    value = highs.getOptionValue("threads")
    return int(value[1] if isinstance(value, tuple) else value)


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
        space,
        highs.getLp(),
        seed,
        should_stop=lambda: should_stop() or not thread.is_alive(),
        threads=_threads(highs),
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
    state = _Search()

    def search_loop() -> None:
        _lower_priority()
        thread.join(start_after_s)
        while thread.is_alive() and not should_stop():
            with shared.lock:
                if shared.highs_objective < state.objective:
                    current, objective = shared.highs_values, shared.highs_objective
                else:
                    current, objective = state.values, state.objective
            left = limit_s - (time.perf_counter() - started)
            if current is None or left <= 0.05:
                thread.join(0.05)
                continue
            found = search.step(space.rounded(current), objective, left)
            if found is None:
                continue
            state.values, state.objective = found.values, found.objective
            state.improvements += 1
            with shared.lock:
                shared.pending = found.values
                bound = shared.bound
                if _closed(found.objective, bound, close_gap_rel):
                    shared.stop = True
            if progress is not None:
                gap = (found.objective - bound) / max(abs(found.objective), 1e-9)
                progress(found.objective, bound if math.isfinite(bound) else None, gap)

    worker = threading.Thread(target=search_loop, name="incumbent-search", daemon=True)
    interval = sys.getswitchinterval()
    try:
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        thread.start()
        worker.start()
        thread.join()
        worker.join()
    finally:
        sys.setswitchinterval(interval)
        for hook, handler in hooks:
            hook.unsubscribe(handler)
    best, best_objective, improvements = state.values, state.objective, state.improvements
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

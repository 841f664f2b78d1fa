"""One time limit for a whole planning run, shared by its solves (on a monotonic clock).

The pipeline starts the budget when solving starts; every solve after that takes its limit
from what is left, so the limit bounds the run, not each solve. The split:

- share-cap reference solve (made before the main one): a third of what the main solve would
  get at that moment;
- main solve: what is left minus a reserve of RESERVE_SHARE of the limit kept for the shadow
  prices, but never less than MIN_MAIN_SHARE of the limit: the plan needs it, so when the steps
  before it used the budget up the run overruns by up to that much rather than end without a
  plan;
- shadow prices: the LP and each re-solve get what is left; once nothing is left, the rest are
  skipped;
- diagnosis: each elastic phase gets an equal share of what is left among the phases still to
  run; a phase with nothing left is not solved (the diagnosis is then not proven).

What was cut short is recorded as `Cut`s, for the plan to name.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

RESERVE_SHARE = 0.1  # of the run's limit, kept after the main solve for the shadow prices
MIN_MAIN_SHARE = 0.2  # of the run's limit: the main solve's floor


class CutKind(StrEnum):
    REFERENCE_SOLVE = "reference_solve"  # the share-cap reference solve stopped at its limit
    SHADOW_PRICES = "shadow_prices"  # no time left for the shadow prices' LP: none computed
    SHADOW_RESOLVES = "shadow_resolves"  # some re-solves checking shadow prices were skipped


@dataclass(frozen=True)
class Cut:
    """One part of the run cut short by the time limit: `skipped` of `planned` steps."""

    kind: CutKind
    skipped: int = 0
    planned: int = 0


class TimeBudget:
    """Seconds left of one run's time limit, and what was cut short for lack of them."""

    def __init__(self, limit_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit_s = limit_s
        self._clock = clock
        self._start_s = clock()
        self._cuts: list[Cut] = []

    def leave_out(self, seconds: float) -> None:
        """Not count `seconds` just spent on something other than solving (a build)."""
        self._start_s += seconds

    def elapsed_s(self) -> float:
        return self._clock() - self._start_s

    def remaining_s(self) -> float:
        return max(0.0, self.limit_s - self.elapsed_s())

    @property
    def exhausted(self) -> bool:
        return self.remaining_s() <= 0.0

    def main_solve_s(self) -> float:
        """The main solve's limit: what is left less the shadow prices' reserve, at least
        MIN_MAIN_SHARE of the limit."""
        return max(self.remaining_s() - RESERVE_SHARE * self.limit_s, MIN_MAIN_SHARE * self.limit_s)

    def reference_solve_s(self) -> float:
        """The share-cap reference solve's limit: a third of what the main solve would get."""
        return self.main_solve_s() / 3.0

    def share_s(self, parts: int) -> float:
        """An equal share of what is left among `parts` steps still to run."""
        return self.remaining_s() / max(1, parts)

    def cut(self, kind: CutKind, skipped: int = 0, planned: int = 0) -> None:
        self._cuts.append(Cut(kind, skipped, planned))

    @property
    def cuts(self) -> tuple[Cut, ...]:
        return tuple(self._cuts)

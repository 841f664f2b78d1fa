"""A bound of a roadmap without its whole LP relaxation: each period's own LP.

The roadmap's objective is each period's running costs (discounted, times its months) plus
one-off costs (never negative) and the move tie-break. A period's running costs are at least
the optimum of the LP made of that period's own rows alone (today's families on its
candidates: assignment, capacity with its blocks usable up to their maximum, quotas,
activation, anti-affinity, its caps), so the sum of those optima bounds the objective less
its tie-break from below, whatever the wave rules, budgets, lead times and moves. It is
weaker than the whole LP's bound (it leaves out the one-off costs and every rule linking
periods) but each period's LP is a snapshot's size: the bound a fleet's roadmap reports when
its whole LP is not solved within the limit.
"""

from __future__ import annotations

import time

import highspy
import numpy as np

from planner.inputs.frozen import Inputs
from planner.optimise.highs_direct import quiet_stdout
from planner.optimise.isolated import LpArrays, highs_lp
from planner.optimise.roadmap.model import RoadmapModel, running_terms


def _period_lp(m: RoadmapModel, inputs: Inputs, t: int) -> LpArrays:
    """Period t's own rows and running costs as an LP of the columns they use, cut from the
    roadmap's arrays."""
    whole = m.as_arrays()
    rows = m.own_rows(t)
    begin, end = whole.start[rows], whole.start[rows + 1]
    lengths = (end - begin).astype(np.int64)
    ends = np.cumsum(lengths)
    picked = np.repeat(begin.astype(np.int64) - (ends - lengths), lengths) + np.arange(
        lengths.sum()
    )
    terms = [(var.index, k) for var, k in running_terms(m, inputs, t)]
    costed = np.array([i for i, _ in terms], dtype=np.int64)
    columns = np.unique(np.concatenate([costed, whole.index[picked].astype(np.int64)]))
    position = np.full(len(whole.cost), -1, dtype=np.int64)
    position[columns] = np.arange(len(columns))
    cost = np.zeros(len(columns))
    np.add.at(cost, position[costed], [k for _, k in terms])
    return LpArrays(
        cost=cost,
        col_lower=whole.col_lower[columns],
        col_upper=whole.col_upper[columns],
        row_lower=whole.row_lower[rows],
        row_upper=whole.row_upper[rows],
        start=np.concatenate([[0], ends]).astype(np.int32),
        index=position[whole.index[picked]].astype(np.int32),
        value=whole.value[picked],
        integer=np.zeros(len(columns), dtype=bool),
        offset=0.0,
        maximise=False,
    )


def period_bound(m: RoadmapModel, inputs: Inputs, time_limit_s: float) -> float | None:
    """The sum of each period's own LP optimum (see the module's docstring), or None if one
    of them is not solved to optimality within its share of `time_limit_s`."""
    started = time.monotonic()
    total = 0.0
    for t in range(len(m.periods)):
        left = time_limit_s - (time.monotonic() - started)
        if left <= 0:
            return None
        with quiet_stdout():  # HiGHS's banner: stdout may carry the plan
            highs = highspy.Highs()  # type: ignore[no-untyped-call]
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("time_limit", left / (len(m.periods) - t))
        highs.passModel(highs_lp(_period_lp(m, inputs, t), mip=False))
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        total += highs.getInfo().objective_function_value
    return total

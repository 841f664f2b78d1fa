"""Shadow prices: what one more unit of a binding capacity or cap is worth per month.

The MILP has no duals. After it is solved, the model is built again with the structural
integer decisions fixed at the plan's values (expansion blocks k, contracts y) and the
placements x relaxed to continuous, and that LP is solved with HiGHS. The dual of each
capacity, quota and cap row is then the change of the objective per unit of its right-hand
side: "1 vCPU more at alpha is worth € 16.50 / month" means that, with placements divisible,
the objective falls by € 16.50 for each extra vCPU, as long as the LP basis does not change.
A whole workload needs its whole demand free, so the MILP optimum moves in steps; these values
are the slope of those steps. Each dual is checked by re-solving the LP with that right-hand
side one unit higher (`gain_eur_month`); where several limits bind at once (a degenerate
vertex) the two differ and both are shown. One more expansion block is valued the same way,
re-solving with its capacity added. Values are in objective terms: external spend weighted by
the in-house preference, one-off move costs amortised over the horizon (the move tie-break is
left out). One more unit of a cap row is what its cap defines (`Cap.shadow_unit`): a share
cap's percentage point is a hundredth of its denominator, the spend of the plan made without
the share caps. The LP and each re-solve get what is left of the run's time budget; re-solves
with nothing left are skipped, and the budget records how many.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulp

from planner.candidates.evaluate import Evaluator
from planner.candidates.units import Candidates
from planner.inputs.frozen import Inputs
from planner.optimise.budget import CutKind, TimeBudget
from planner.optimise.caps import CapContext, cap_of
from planner.optimise.model import Model, build_model
from planner.optimise.model.terms import constraint
from planner.optimise.rows import RowKey, RowKind, capacity_key
from planner.optimise.solve import SolveResult, _QuietHiGHS

MIN_VALUE_EUR = 1e-6
MAX_RESOLVES = 20  # LP re-solves per plan to check each binding row and price blocks


@dataclass(frozen=True)
class RowValue:
    """The dual of one binding row and the re-solved gain of one more unit of it (EUR/month).

    For a share cap both are per percentage point of its reference spend."""

    key: RowKey  # the row: a capacity, a quota or a cap's
    value_eur_month: float
    gain_eur_month: float | None


@dataclass(frozen=True)
class BlockValue:
    """What one more expansion block would save, re-solved with its capacity added."""

    site_id: str
    block_id: str
    gain_eur_month: float
    cost_eur_month: float


@dataclass(frozen=True)
class ShadowValues:
    rows: tuple[RowValue, ...]
    blocks: tuple[BlockValue, ...]


def fixed_lp(inputs: Inputs, cands: Candidates, result: SolveResult) -> Model:
    """The model with k, y and the commitments bought (c) fixed at the solution's values and
    x continuous: commitments are bought as blocks are built, so a shadow price is the value
    of one more unit with them as the plan buys them."""
    model = build_model(
        inputs, cands, share_reference_eur=result.share_reference_eur, tiebreak=False
    )
    for var in model.x.values():
        var.cat = pulp.LpContinuous
    fixed = [(var, result.k.get(key, 0.0)) for key, var in model.k.items()]
    fixed += [(var, result.y.get(place, 0.0)) for place, var in model.y.items()]
    fixed += [(var, result.c.get(key, 0.0)) for key, var in model.c.items()]
    for var, value in fixed:
        var.cat = pulp.LpContinuous
        var.lowBound = var.upBound = float(value)
    return model


def solve_lp(model: Model, time_limit_s: float) -> bool:
    """Solve the LP in place; True if HiGHS proved it optimal (duals are then valid)."""
    import highspy

    if not model.problem.variables():
        return False
    model.problem.solve(_QuietHiGHS(msg=False, timeLimit=time_limit_s))
    highs = model.problem.solverModel
    return bool(highs.getModelStatus() == highspy.HighsModelStatus.kOptimal)


class _Resolver:
    """Re-solves the LP with some right-hand sides raised; at most MAX_RESOLVES times, each
    within what is left of the budget (`skipped`: those without time to finish)."""

    def __init__(self, model: Model, budget: TimeBudget) -> None:
        self.model = model
        self.budget = budget
        self.base = float(model.problem.objective.value())
        self.left = MAX_RESOLVES
        self.skipped = 0

    def gain(self, raises: list[tuple[str, float]]) -> float | None:
        """Objective saved when each named row's right-hand side grows by its amount."""
        if self.left <= 0 or not raises:
            return None
        self.left -= 1
        time_limit_s = self.budget.remaining_s()
        if time_limit_s <= 0.0:
            self.skipped += 1
            return None
        import highspy

        # the raised rows are changed in the solved HiGHS instance, which re-solves from its
        # last basis (a few dual simplex steps) instead of building and solving the LP anew
        highs = self.model.problem.solverModel
        inf = highspy.kHighsInf
        rows = []
        for name, amount in raises:
            row = constraint(self.model.problem, name)
            lower, upper = row.getLb(), row.getUb()
            rows.append(
                (
                    row.index,
                    -inf if lower is None else lower,
                    inf if upper is None else upper,
                    amount,
                )
            )
        for index, lower, upper, amount in rows:
            highs.changeRowBounds(index, lower, upper + amount)
        try:
            highs.setOptionValue("time_limit", float(time_limit_s))
            highs.run()
            status = highs.getModelStatus()
            if status == highspy.HighsModelStatus.kTimeLimit:
                self.skipped += 1
            solved = status == highspy.HighsModelStatus.kOptimal
            value = float(highs.getInfo().objective_function_value) if solved else None
        finally:
            for index, lower, upper, _ in rows:
                highs.changeRowBounds(index, lower, upper)
        return None if value is None else max(0.0, self.base - value)


def shadow_values(
    inputs: Inputs, cands: Candidates, result: SolveResult, budget: TimeBudget
) -> ShadowValues:
    """Binding capacities, quotas and caps with the monthly value of one more unit of each,
    and what one more expansion block would save where capacity binds."""
    if not result.has_solution or not result.x:
        return ShadowValues((), ())
    if budget.exhausted:
        budget.cut(CutKind.SHADOW_PRICES)
        return ShadowValues((), ())
    model = fixed_lp(inputs, cands, result)
    if budget.exhausted or not solve_lp(model, budget.remaining_s()):
        if budget.exhausted:  # a solve stopped at its limit leaves nothing of the budget
            budget.cut(CutKind.SHADOW_PRICES)
        return ShadowValues((), ())
    problem = model.problem
    ctx = CapContext(inputs, cands, Evaluator(cands), result.share_reference_eur)
    duals: dict[RowKey, float] = {}
    for key, name in model.sorted_rows():
        pi = constraint(problem, name).pi
        value = -float(pi) if pi is not None else 0.0  # <= rows of a min: pi <= 0 if binding
        if value > MIN_VALUE_EUR:
            duals[key] = value
    resolver = _Resolver(model, budget)
    rows = []
    for key, value in duals.items():
        # one unit of a row is one of its own units (a resource, a euro, a move), or what
        # its cap defines (a percentage point of the share caps' reference spend)
        step = cap_of(key).shadow_unit(key, ctx).step if key.kind == RowKind.CAP else 1.0
        gain = resolver.gain([(model.rows[key], step)])
        rows.append(RowValue(key, value * step, gain))
    blocks = _blocks(cands, result, model, duals, resolver)
    if resolver.skipped:
        budget.cut(CutKind.SHADOW_RESOLVES, resolver.skipped, MAX_RESOLVES - resolver.left)
    return ShadowValues(tuple(rows), blocks)


def _blocks(
    cands: Candidates,
    result: SolveResult,
    model: Model,
    duals: dict[RowKey, float],
    resolver: _Resolver,
) -> tuple[BlockValue, ...]:
    """What one more expansion block would save, re-solved with its capacity added (with
    divisible placements: a whole workload needs its whole demand free)."""
    out = []
    for place in cands.places:
        site = place.site
        if site is None or not any(
            k.kind == RowKind.CAPACITY and k.place == site.id for k in duals
        ):
            continue
        for block in site.expansion_blocks:
            if result.k.get((site.id, block.id), 0.0) >= block.max_blocks:
                continue
            raises = [
                (model.rows[capacity_key(site.id, r)], amount)
                for r, amount in block.adds.items()
                if amount > 0 and capacity_key(site.id, r) in model.rows
            ]
            gain = resolver.gain(raises)
            if gain is not None and gain > MIN_VALUE_EUR:
                out.append(BlockValue(site.id, block.id, gain, block.cost_eur_month))
    return tuple(out)

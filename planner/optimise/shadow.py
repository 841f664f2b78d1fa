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
from typing import Any

import numpy as np
import pulp

from planner.candidates.evaluate import Evaluator
from planner.candidates.units import Candidates
from planner.inputs.frozen import Inputs
from planner.optimise.budget import CutKind, TimeBudget
from planner.optimise.caps import CapContext, cap_of
from planner.optimise.highs_direct import quiet_stdout
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


def fixed_values(model: Model, result: SolveResult) -> list[tuple[pulp.LpVariable, float]]:
    """The decisions a shadow price holds at the plan's values: the expansion blocks (k), the
    contracts (y) and the commitments bought (c), each with its value in `result`."""
    fixed = [(var, result.k.get(key, 0.0)) for key, var in model.k.items()]
    fixed += [(var, result.y.get(place, 0.0)) for place, var in model.y.items()]
    fixed += [(var, result.c.get(key, 0.0)) for key, var in model.c.items()]
    return fixed


def fixed_lp(inputs: Inputs, cands: Candidates, result: SolveResult) -> Model:
    """The model with k, y and the commitments bought (c) fixed at the solution's values and
    x continuous: commitments are bought as blocks are built, so a shadow price is the value
    of one more unit with them as the plan buys them."""
    model = build_model(
        inputs, cands, share_reference_eur=result.share_reference_eur, tiebreak=False
    )
    for var in model.x.values():
        var.cat = pulp.LpContinuous
    for var, value in fixed_values(model, result):
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


@dataclass
class SolvedLP:
    """The fixed LP solved in HiGHS: its instance, its objective (summed as PuLP sums it) and
    the dual of each row of the model, by row index."""

    highs: Any  # highspy.Highs
    objective: float
    row_dual: list[float]


def solved_lp(
    model: Model, result: SolveResult, time_limit_s: float
) -> tuple[SolvedLP | None, bool]:
    """The fixed LP of `fixed_lp`, made from the arrays the MIP solve handed HiGHS instead of
    building the model again: the objective without the move tie-break, k, y and the
    commitments bought (c) fixed at the solution's values, every column continuous. The same
    LP, columns and rows in the same order, so the same duals. (None, False) without a handed
    model; (None, True) if HiGHS did not prove it optimal."""
    import highspy

    handed = model.handed
    if handed is None:
        return None, False
    variables = model.problem.variables()
    lower = np.array(handed.col_lower_, dtype=np.float64)
    upper = np.array(handed.col_upper_, dtype=np.float64)
    listed = {id(v) for v in variables}
    for var, value in fixed_values(model, result):
        if id(var) not in listed:  # in no row and not costed: not a column HiGHS was handed
            continue
        lower[var.index] = upper[var.index] = float(value)
    lp = highspy.HighsLp()
    lp.num_col_ = handed.num_col_
    lp.num_row_ = handed.num_row_
    lp.col_cost_ = np.array([model.untied.get(v, 0.0) for v in variables], dtype=np.float64)
    lp.col_lower_ = lower
    lp.col_upper_ = upper
    lp.row_lower_ = handed.row_lower_
    lp.row_upper_ = handed.row_upper_
    lp.sense_ = handed.sense_
    lp.offset_ = handed.offset_
    lp.a_matrix_ = handed.a_matrix_
    lp.integrality_ = [highspy.HighsVarType.kContinuous] * len(variables)
    with quiet_stdout():
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", max(float(time_limit_s), 0.001))
    highs.passModel(lp)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None, True
    solution = highs.getSolution()
    values = list(solution.col_value)
    objective = 0.0  # the constant of an objective made of terms
    for var, coef in model.untied.items():  # in PuLP's order of summing (objective.value())
        objective += values[var.index] * coef
    return SolvedLP(highs, objective, list(solution.row_dual)), True


class _Resolver:
    """Re-solves the LP with some right-hand sides raised; at most MAX_RESOLVES times, each
    within what is left of the budget (`skipped`: those without time to finish)."""

    def __init__(
        self,
        model: Model,
        budget: TimeBudget,
        highs: Any = None,
        base: float | None = None,
    ) -> None:
        """`highs`, `base`: the solved LP and its objective (default: the model's own, solved
        through PuLP by `solve_lp`)."""
        self.model = model
        self.budget = budget
        self.highs = model.problem.solverModel if highs is None else highs
        self.base = float(model.problem.objective.value()) if base is None else base
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
        highs = self.highs
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
    inputs: Inputs,
    cands: Candidates,
    result: SolveResult,
    budget: TimeBudget,
    solved: Model | None = None,
) -> ShadowValues:
    """Binding capacities, quotas and caps with the monthly value of one more unit of each,
    and what one more expansion block would save where capacity binds.

    `solved`: the model `result` came from; when HiGHS solved it, the fixed LP is made from
    what was handed to HiGHS (`solved_lp`) rather than built again."""
    if not result.has_solution or not result.x:
        return ShadowValues((), ())
    if budget.exhausted:
        budget.cut(CutKind.SHADOW_PRICES)
        return ShadowValues((), ())
    fast, tried = (None, False)
    if solved is not None:
        fast, tried = solved_lp(solved, result, budget.remaining_s())
    if fast is not None and solved is not None:
        model, highs, base = solved, fast.highs, fast.objective
        row_dual = fast.row_dual

        def dual(name: str) -> float:
            return float(row_dual[constraint(model.problem, name).index])

    else:
        if not tried:
            model = fixed_lp(inputs, cands, result)
        if tried or budget.exhausted or not solve_lp(model, budget.remaining_s()):
            if budget.exhausted:  # a solve stopped at its limit leaves nothing of the budget
                budget.cut(CutKind.SHADOW_PRICES)
            return ShadowValues((), ())
        highs, base = None, None

        def dual(name: str) -> float:
            pi = constraint(model.problem, name).pi
            return float(pi) if pi is not None else 0.0

    ctx = CapContext(inputs, cands, Evaluator(cands), result.share_reference_eur)
    duals: dict[RowKey, float] = {}
    for key, name in model.sorted_rows():
        value = -dual(name)  # <= rows of a min: pi <= 0 if binding
        if value > MIN_VALUE_EUR:
            duals[key] = value
    resolver = _Resolver(model, budget, highs, base)
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
